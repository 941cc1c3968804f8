"""The README's Python examples run and print what their comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

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

    @pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.splitlines()[0][:40])
    def test_example_runs_and_prints_what_it_says(self, block: str) -> None:
        """Each example runs; each commented print prints its comment."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(README), "exec"), {})
        printed = out.getvalue().splitlines()
        assert printed == _expected_output(block)
