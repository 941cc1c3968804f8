"""Running the Python examples of Markdown pages (the README and docs/), as a reader would."""

from __future__ import annotations

import contextlib
import io
import re


def python_blocks(markdown: str) -> list[str]:
    """The ```python blocks of a Markdown text, in order."""
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.DOTALL)


def expected_output(block: str) -> list[str]:
    """The ``# ...`` comments on print lines, which state what each print shows."""
    return [
        line.split("#", 1)[1].strip()
        for line in block.splitlines()
        if line.startswith("print(") and "#" in line
    ]


def run_in_order(blocks: list[str], source: str, namespace: dict[str, object]) -> None:
    """Run ``blocks`` one after another in ``namespace``, as a reader would type them.

    Each commented print must print its comment, and each ``test_`` function a block
    defines must pass when called.
    """
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, source, "exec"), namespace)
        assert out.getvalue().splitlines() == expected_output(block), (source, block)
        for name in re.findall(r"^def (test_\w+)", block, flags=re.MULTILINE):
            namespace[name]()  # type: ignore[operator]
