"""The teaching notebooks are committed clean and keep their promises.

pytest also *executes* every notebook (``--nbmake`` with ``notebooks`` in
``testpaths``); these tests check what execution cannot: that the files in git
carry no outputs, that each opens with a title and what it teaches, that every
picture has a caption, and that notebooks only use the library.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
EXPECTED = [
    "01_values_and_graphs",
    "02_loss_functions",
    "03_gradient_descent",
    "04_sgd_and_momentum",
    "05_backpropagation",
    "06_training_an_mlp",
    "07_beyond",
    "08_training_at_scale",
    "09_tiny_gpt",
]
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
CAPTION = "**What to look at:**"
#: What a notebook may import: the standard library bits they use, the library, plotting.
ALLOWED_IMPORTS = {"math", "random", "time", "autograd", "nn", "matplotlib", "hypothesis"}


def _cells(path: Path) -> list[dict[str, object]]:
    cells: list[dict[str, object]] = json.loads(path.read_text())["cells"]
    return cells


def _source(cell: dict[str, object]) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)  # type: ignore[arg-type]


def _shows_a_picture(code: str) -> bool:
    """A cell that ends in a drawing or shows a matplotlib figure."""
    lines = [line for line in code.strip().splitlines() if line.strip()]
    return "plt.show()" in code or (bool(lines) and lines[-1].startswith("draw_graph("))


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


class TestNotebookSet:
    def test_every_promised_notebook_exists(self) -> None:
        """notebooks/ holds the nine teaching notebooks, in order."""
        assert [p.stem for p in NOTEBOOKS] == EXPECTED

    def test_the_kernel_is_this_interpreter(self) -> None:
        """The notebooks' kernel, python3, runs the interpreter running pytest (the venv's)."""
        kernel_manager = pytest.importorskip("jupyter_client").KernelManager(kernel_name="python3")
        assert kernel_manager.format_kernel_cmd()[0] == sys.executable


class TestNotebook:
    def test_committed_without_outputs(self, notebook: Path) -> None:
        """No code cell carries outputs or an execution count (strip them before committing)."""
        for cell in _cells(notebook):
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [], _source(cell)[:80]
                assert cell["execution_count"] is None, _source(cell)[:80]

    def test_uses_the_python3_kernel(self, notebook: Path) -> None:
        """Each notebook names the python3 kernel, which nbmake starts."""
        assert json.loads(notebook.read_text())["metadata"]["kernelspec"]["name"] == "python3"

    def test_opens_with_a_title_and_what_you_will_learn(self, notebook: Path) -> None:
        """The first cell is markdown: a title and a 'What you'll learn' list."""
        first = _cells(notebook)[0]
        assert first["cell_type"] == "markdown"
        assert _source(first).startswith("# ")
        assert "**What you'll learn**" in _source(first)

    def test_every_picture_has_a_caption(self, notebook: Path) -> None:
        """Each cell that draws a picture is followed by a one-line 'What to look at' caption."""
        cells = _cells(notebook)
        pictures = 0
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "code" and _shows_a_picture(_source(cell)):
                pictures += 1
                caption = _source(cells[i + 1]) if i + 1 < len(cells) else ""
                assert cells[i + 1]["cell_type"] == "markdown", _source(cell)[:80]
                assert caption.startswith(CAPTION), _source(cell)[:80]
                assert len(caption.strip().splitlines()) == 1, caption
        assert pictures > 0

    def test_only_uses_the_library(self, notebook: Path) -> None:
        """Code imports only the library, a few standard modules and plotting; no classes."""
        for cell in _cells(notebook):
            if cell["cell_type"] != "code":
                continue
            tree = ast.parse(_source(cell))
            for node in ast.walk(tree):
                assert not isinstance(node, ast.ClassDef), node.name
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                else:
                    continue
                for name in names:
                    assert name.split(".")[0] in ALLOWED_IMPORTS, name


class TestBeyond:
    def test_gradcheck_table_is_explained_right_after_it(self) -> None:
        """In 07, the paragraph reading the gradcheck failure table follows the cell printing it."""
        cells = _cells(NOTEBOOKS_DIR / "07_beyond.ipynb")
        (printing,) = [i for i, c in enumerate(cells) if "print(error)" in _source(c)]
        explanation = cells[printing + 1]
        assert explanation["cell_type"] == "markdown"
        assert _source(explanation).startswith("The table names the input")
