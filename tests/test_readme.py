"""The README's Python examples run and print what their comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def _expected_output(block: str) -> list[str]:
    """The ``# ...`` comments on print lines, which state what each print shows."""
    return [
        line.split("#", 1)[1].strip()
        for line in block.splitlines()
        if line.startswith("print(") and "#" in line
    ]


class TestReadme:
    def test_there_are_examples(self) -> None:
        """The README has Python examples to check."""
        assert BLOCKS

    def test_examples_run_in_order_and_print_what_they_say(self) -> None:
        """The examples run top to bottom in one namespace, as a reader would type them.

        Each commented print prints its comment, and each ``test_`` function an
        example defines passes when called.
        """
        namespace: dict[str, object] = {}
        for block in BLOCKS:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(block, str(README), "exec"), namespace)
            assert out.getvalue().splitlines() == _expected_output(block), block
            for name in re.findall(r"^def (test_\w+)", block, flags=re.MULTILINE):
                namespace[name]()  # type: ignore[operator]
