"""Redraw docs/graph.svg from the README's own drawing example (run by ``make docs-image``).

The README's first ```python block that sets ``drawing`` is executed as it stands,
so the picture in the README is always the one its code draws. Needs Graphviz's
``dot`` program.

Usage: python scripts/draw_readme_graph.py [OUTPUT.svg]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DEFAULT_OUTPUT = ROOT / "docs" / "graph.svg"


def readme_example() -> str:
    """The README's first Python example that sets ``drawing = draw_graph(...)``."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    for block in blocks:
        if "drawing = draw_graph(" in block:
            return str(block)
    raise SystemExit("README.md has no example that sets `drawing = draw_graph(...)`")


def main(argv: list[str]) -> int:
    """Run the example and write its drawing as SVG."""
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    namespace: dict[str, object] = {}
    exec(compile(readme_example(), str(README), "exec"), namespace)
    drawing = namespace["drawing"]
    svg = drawing.pipe(format="svg")  # type: ignore[attr-defined]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(svg)
    print(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
