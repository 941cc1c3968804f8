"""chainrule's neural-network package, built on :mod:`autograd` (filled in by its own issue)."""

from __future__ import annotations

__all__: list[str] = []
