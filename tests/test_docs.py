"""The documentation site: its pages' examples run, its links resolve, its reference is complete.

``make docs`` (run by CI) builds the site with ``mkdocs build --strict``; these tests
check what they can without MkDocs installed, so that ``make test`` catches a page
that drifts from the code.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
from examples import python_blocks, run_in_order

import autograd
import nn

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
MKDOCS = (ROOT / "mkdocs.yml").read_text()
NAV_PAGES = re.findall(r"^\s*- (?:[^:\n]+: )?(\S+\.(?:md|ipynb))$", MKDOCS, flags=re.MULTILINE)
SNIPPET = re.compile(r'^--8<-- "README\.md:([\w-]+)"$', flags=re.MULTILINE)


def _section(name: str) -> str:
    """The README's text between its ``[start:name]`` and ``[end:name]`` markers."""
    found = re.search(
        rf"<!-- --8<-- \[start:{name}\] -->\n(.*?)\n<!-- --8<-- \[end:{name}\] -->",
        README.read_text(),
        flags=re.DOTALL,
    )
    if found is None:
        raise AssertionError(f"README.md has no section {name!r} for the site to include")
    return found.group(1)


def _expanded(page: Path) -> str:
    """A page's Markdown with the README sections it includes put in, as MkDocs does."""
    return SNIPPET.sub(lambda m: _section(m.group(1)), page.read_text())


def _slug(heading: str) -> str:
    """The anchor MkDocs (Python-Markdown's toc) gives a heading."""
    text = re.sub(r"[`*]", "", heading).strip().lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s-]+", "-", text)


def _anchors(page: Path) -> set[str]:
    return {_slug(h) for h in re.findall(r"^#+ (.*)$", _expanded(page), flags=re.MULTILINE)}


MD_PAGES = [p for p in NAV_PAGES if p.endswith(".md")]


class TestPages:
    def test_every_page_and_notebook_is_in_the_navigation(self) -> None:
        """Each Markdown page under docs/ and each notebook has a place in mkdocs.yml's nav."""
        pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
        notebooks = {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
        assert pages | notebooks == set(NAV_PAGES)

    def test_notebooks_are_the_repository_notebooks(self) -> None:
        """docs/notebooks links to notebooks/: the site shows the notebooks the suite runs."""
        link = DOCS / "notebooks"
        assert link.is_symlink()
        assert link.resolve() == (ROOT / "notebooks").resolve()

    def test_the_site_executes_the_notebooks_strictly(self) -> None:
        """The build runs each notebook (committed without outputs) and fails on an error."""
        assert re.search(r"mkdocs-jupyter:\n\s+execute: true\n\s+allow_errors: false", MKDOCS)
        assert re.search(r"^strict: true$", MKDOCS, flags=re.MULTILINE)

    def test_examples_run_in_order_and_print_what_they_say(self) -> None:
        """The pages' examples, README sections included, run in order and print their comments."""
        namespace: dict[str, object] = {}
        for name in MD_PAGES:
            run_in_order(python_blocks(_expanded(DOCS / name)), name, namespace)

    @pytest.mark.parametrize("source", ["README.md", *(f"docs/{p}" for p in MD_PAGES)])
    def test_relative_links_resolve(self, source: str) -> None:
        """Every relative link and image points at an existing file and heading."""
        path = ROOT / source
        for target in re.findall(r"\]\(([^)\s]+)\)", _expanded(path)):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            resolved = (path.parent / file).resolve() if file else path
            assert resolved.exists(), f"{source}: {target}"
            if anchor and resolved.suffix == ".md":
                assert anchor in _anchors(resolved), f"{source}: {target}"

    def test_readme_links_each_page(self) -> None:
        """The README, the front page, links into every page of the site."""
        links = set(re.findall(r"\]\(docs/([^)#]+)", README.read_text()))
        assert set(MD_PAGES) - {"notebooks.md"} - {"api/internals.md"} <= links | {"index.md"}


def _reference() -> dict[str, list[str] | None]:
    """Each module the API pages render, with its explicit ``members`` list (None: all)."""
    documented: dict[str, list[str] | None] = {}
    for page in (DOCS / "api").glob("*.md"):
        for module, options in re.findall(
            r"^::: ([\w.]+)\n((?:    .*\n)*)", page.read_text(), flags=re.MULTILINE
        ):
            members = re.search(r"members: \[(.*)\]", options)
            documented[module] = members.group(1).split(", ") if members else None
    return documented


class TestApiReference:
    @pytest.mark.parametrize(
        ("package", "names"),
        [
            (autograd, [*autograd.__all__, "sum", "max", "compile"]),
            (nn, nn.__all__),
        ],
        ids=["autograd", "nn"],
    )
    def test_every_public_name_is_documented(self, package: ModuleType, names: list[str]) -> None:
        """Each name a user imports is rendered from the module that defines it."""
        documented = _reference()
        for name in names:
            obj = getattr(package, name)
            module = getattr(obj, "__name__", "") if isinstance(obj, ModuleType) else None
            if module:  # a submodule such as nn.optim, or a package such as nn.models
                assert any(m == module or m.startswith(module + ".") for m in documented), name
                continue
            home = getattr(obj, "__module__", None)
            if home in (None, "typing", "types"):  # the type alias Scalar: named in the text
                assert f"`{name}`" in (DOCS / "api" / f"{package.__name__}.md").read_text()
                continue
            assert home in documented, f"{name} ({home})"
            members = documented[home]
            assert members is None or name in members, f"{name} is left out of {home}'s members"

    def test_models_are_documented(self) -> None:
        """The GPT, its training helpers and the bigram baseline have reference pages."""
        assert {"nn.models.gpt", "nn.models.bigram"} <= set(_reference())


class TestBuild:
    def test_make_docs_builds_strictly_and_ci_runs_it(self) -> None:
        """make docs runs mkdocs --strict from the docs extra, and CI runs make docs."""
        makefile = (ROOT / "Makefile").read_text()
        assert re.search(r"^docs: \$\(VENV\)/\.stamp-docs$", makefile, flags=re.MULTILINE)
        assert "mkdocs build --strict" in makefile
        assert re.search(r"^make docs ", (ROOT / ".ci" / "run").read_text(), flags=re.M)
        extras = (ROOT / "pyproject.toml").read_text().split("docs = [", 1)[1].split("]\n", 1)[0]
        for dist in ("mkdocs", "mkdocs-material", "mkdocstrings", "mkdocs-jupyter", "ipykernel"):
            assert f'"{dist}' in extras, dist
