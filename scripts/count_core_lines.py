"""Print the size of the engine core and fail if it no longer reads in one sitting."""

from __future__ import annotations

import sys
from pathlib import Path

CORE = ("autograd/value.py", "autograd/rules.py", "autograd/graph.py")
#: Lines of code (not blank, not comment, not docstring) the core may grow to. Raised from
#: 800 when the table's rows took in what the compiler, drawings and test strategies used
#: to keep about each op (source code, symbol, domain, kink) and ten primitives were added;
#: from 900 when the rows took in their NumPy array forms for batched compiled programs
#: (rules.py's ArrayForm column and its helpers, 115 lines); from 1000 when value.py took
#: in the inlined fast paths of the dynamic-speed work (exp, log, relu, ** with a number,
#: int operands: each with its measured gain beside it) and the PyTorch conveniences
#: (item, detach, abs, pow); from 1100 when dot nodes kept their two vectors apart, so that a
#: layer's neurons share one tuple of inputs (record_dot), and backward() learned to stop at
#: relus that were off: micrograd's demo step went from 4.6x to 3.7x the float floor.
#: rules.py, the table, is about 570 of the 1120.
LIMIT = 1120


def code_lines(path: Path) -> int:
    """Count lines that are neither blank, comments, nor inside docstrings."""
    count, in_docstring = 0, False
    for raw in path.read_text().splitlines():
        line = raw.strip()
        quotes = line.count('"""')
        if in_docstring:
            in_docstring = quotes % 2 == 0
            continue
        if line.startswith('"""'):
            in_docstring = quotes == 1
            continue
        if line and not line.startswith("#"):
            count += 1
    return count


def main() -> int:
    """Report lines per core file and the total against the limit."""
    root = Path(__file__).resolve().parent.parent
    total = 0
    for name in CORE:
        lines = code_lines(root / name)
        total += lines
        print(f"{name:24} {lines:5} lines of code")
    print(f"{'engine core':24} {total:5} / {LIMIT}")
    return 0 if total <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
