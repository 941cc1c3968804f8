"""The README's Python examples run and print what their comments say."""

from __future__ import annotations

import re
from pathlib import Path

from examples import python_blocks, run_in_order

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCKS = python_blocks(README.read_text())


class TestReadme:
    def test_there_are_examples(self) -> None:
        """The README has Python examples to check."""
        assert BLOCKS

    def test_examples_run_in_order_and_print_what_they_say(self) -> None:
        """The examples run top to bottom in one namespace, as a reader would type them.

        Each commented print prints its comment, and each ``test_`` function an
        example defines passes when called.
        """
        run_in_order(BLOCKS, str(README), {})


def _extras() -> dict[str, list[str]]:
    """pyproject.toml's extras: name -> the distributions it lists (without versions)."""
    text = (ROOT / "pyproject.toml").read_text()
    section = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    extras = {}
    for name, body in re.findall(r"^(\w+) = \[(.*?)\]$", section, flags=re.MULTILINE | re.DOTALL):
        specs = re.findall(r'"([^"]+)"', re.sub(r"#.*", "", body))  # comments quote too
        extras[name] = [re.split(r"[<>=!~\[ ]", spec, maxsplit=1)[0].lower() for spec in specs]
    return extras


class TestInstallSection:
    def test_every_extra_is_in_the_table_with_what_it_contains(self) -> None:
        """The README's table of extras has one row per extra, naming each distribution in it."""
        rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]*) \|", README.read_text(), flags=re.M))
        extras = _extras()
        assert set(extras) <= set(rows)
        assert {"hypothesis", "numpy", "demo", "bench", "dev", "notebooks"} <= set(extras)
        for name, distributions in extras.items():
            listed = {word.strip().lower() for word in rows[name].replace(" 0.1.0", "").split(",")}
            assert set(distributions) == listed, name

    def test_notebooks_extra_brings_jupyterlab_and_ipywidgets(self) -> None:
        """make notebook's extra holds a Jupyter front end and the progress bar's widgets."""
        assert {"jupyterlab", "ipywidgets", "ipykernel"} <= set(_extras()["notebooks"])

    def test_ci_runs_the_wheel_check(self) -> None:
        """CI runs scripts/check_wheel.sh, which builds with the dev extra's build package."""
        assert "scripts/check_wheel.sh" in (ROOT / ".ci" / "run").read_text()
        assert "build" in _extras()["dev"]
        assert "python -m build" in (ROOT / "scripts" / "check_wheel.sh").read_text()
