"""Graph traversal: topological order and the reverse sweep of ``backward()``."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from . import mode
from .rules import RULES

if TYPE_CHECKING:
    from .value import Value

__all__ = ["backward", "topological_order"]


def topological_order(root: Value) -> list[Value]:
    """Every Value that ``root`` depends on, parents before children, ending with ``root``.

    An iterative depth-first search: an explicit stack instead of recursion, so
    a chain a million nodes deep needs no recursion limit. The order depends
    only on the graph, so it is the same on every run.
    """
    order: list[Value] = []
    expanded: set[Value] = set()
    # Each entry is (node, parents_done). A node is expanded once: it is pushed
    # back marked done, above it go its parents, and it enters the order only
    # after everything above it, so after all of its parents.
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if node in expanded:  # reached again through another child
            continue
        expanded.add(node)
        stack.append((node, True))
        for parent in node._args:
            # Constant operands are stored as plain floats; everything else is a Value.
            if type(parent) is not float and parent not in expanded:
                stack.append((parent, False))  # type: ignore[arg-type]
    return order


def backward(root: Value, seed: float) -> None:
    """Add ``seed * d root / d leaf`` into every leaf's ``grad``.

    Intermediate nodes' ``grad`` is reset and recomputed; leaves accumulate.
    Each node is visited once, so a node used several times sums the
    contributions of all its uses. Local derivatives come from the numbers
    saved in the forward pass (``_ctx``), never from current ``data``.
    """
    order = topological_order(root)
    for node in order:
        if node._args:
            node.grad = 0.0
    root.grad += seed
    if mode.current().anomaly:
        _backward_checked(order)
        return
    for node in reversed(order):
        g = node.grad
        # Skipping g == 0 keeps 0 * inf (sqrt at 0, say) from turning into NaN.
        if g == 0.0 or not node._args:
            continue
        partials = RULES[node._op].partials(*node._ctx, node.data)
        for arg, d in zip(node._args, partials):
            if type(arg) is not float:
                arg.grad += d * g  # type: ignore[union-attr]


def _backward_checked(order: list[Value]) -> None:
    """The sweep of ``backward`` that stops at the first NaN or inf (``detect_anomaly``)."""
    root = order[-1]
    if not math.isfinite(root.grad):
        raise FloatingPointError(f"detect_anomaly: backward() was seeded with {root.grad!r}")
    for node in reversed(order):
        g = node.grad
        if g == 0.0 or not node._args:
            continue
        partials = RULES[node._op].partials(*node._ctx, node.data)
        for index, (arg, d) in enumerate(zip(node._args, partials)):
            if type(arg) is float:
                continue
            arg.grad += d * g  # type: ignore[union-attr]
            if not math.isfinite(arg.grad):  # type: ignore[union-attr]
                site = mode.creation_sites.get(node)
                where = f" (node created at {site})" if site else ""
                raise FloatingPointError(
                    f"detect_anomaly: backward of {node._op} gave {arg.grad!r} "  # type: ignore[union-attr]
                    f"for its input {index} from inputs {node._ctx!r}{where}"
                )
