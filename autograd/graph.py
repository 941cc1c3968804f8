"""Graph traversal: topological order and the reverse sweeps of ``backward()`` and ``gradients``.

Nodes are read through their interface (``rule``, ``operands``, ``saved``, ``mark``, and
on the hot paths the fields behind the first two, ``x``, ``y``, ``a``, ``b``; see
:class:`autograd.Value`); this module never makes a Value, so it imports none.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from . import mode
from .rules import RULES

if TYPE_CHECKING:
    from .value import Value

__all__ = ["backward", "float_sweep", "topological_order", "value_sweep"]

_ADD, _MUL, _SUM, _DOT, _RELU = (RULES[op] for op in ("add", "mul", "sum", "dot", "relu"))


def topological_order(root: Value, *, live: bool = False) -> list[Value]:
    """Every Value that ``root`` depends on, parents before children, ending with ``root``.

    An iterative depth-first search: an explicit stack instead of recursion, so
    a chain a million nodes deep needs no recursion limit. The order depends
    only on the graph, so it is the same on every run.

    With ``live=True``, the order ``backward()`` sweeps, the search does not go past
    a ``relu`` whose input was <= 0 or NaN: it passes back exactly 0, so the nodes
    that only such relus lead to would get no gradient, and are left out. Such an
    off relu's input is then not treated as its parent: it may come after the relu
    in the order (reached through another path), or not at all.
    """
    order: list[Value] = []
    # Each sort marks the nodes it reaches with its own two fresh tokens, instead of
    # keeping a set of them (see Value.mark): ``opened`` when a node is first popped,
    # which puts it back on the stack under its parents, and ``placed`` when it is
    # popped again, by which time every parent is placed. In a DAG no parent can be
    # open, and copies of a node lower on the stack are skipped once it is placed;
    # two tokens need no marker entries on the stack: 4 list operations per node
    # instead of 6, 2% fewer instructions on the tiny GPT benchmark's graph.
    # Sorts of graphs that share intermediate nodes must not run concurrently in
    # several threads (their backward() calls would race on .grad anyway); shared
    # leaves, such as a model's parameters, are harmless.
    opened, placed = object(), object()
    stack: list[Any] = [root]
    # type and float as locals, read faster than builtins: 141.6M -> 138.6M instructions
    # per step of micrograd's demo (its dots' operands make the loop below hot), -1% on the GPT.
    push, pop, place, kind, number = stack.append, stack.pop, order.append, type, float
    relu = _RELU
    while stack:
        node = pop()
        mark = node.mark
        if mark is placed:  # reached again through another child
            continue
        if mark is opened:
            node.mark = placed
            place(node)
            continue
        node.mark = opened
        push(node)
        # Constant operands are stored as plain floats, and a missing second one as None.
        x, y = node.x, node.y
        if kind(x) is tuple:  # an n-input node (a dot's second vector in y)
            for parent in x if y is None else x + y:
                if kind(parent) is not number and parent.mark is not placed:
                    push(parent)
            continue
        # live: a sample whose hinge loss is 0, or a neuron that is off, is neither sorted
        # nor swept, as careful hand-written code skips it. backward() of micrograd's
        # demo step: 4.0 -> 2.9 ms on the first step, 3.6 -> 1.3 ms by the 20th.
        if live and node.rule is relu and not node.a > 0.0:
            continue
        if x is not None and kind(x) is not number and x.mark is not placed:
            push(x)
        if y is not None and kind(y) is not number and y.mark is not placed:
            push(y)
    return order


def backward(root: Value, seed: float) -> None:
    """Add ``seed * d root / d leaf`` into every leaf's ``grad``.

    Intermediate nodes' ``grad`` is reset and recomputed; leaves accumulate,
    and a leaf whose ``grad`` was set to None, as in PyTorch, starts from 0.
    Nodes that only relus that were off lead to are not visited (see
    ``topological_order(live=True)``): they keep their ``grad``.
    Each node is visited once, so a node used several times sums the
    contributions of all its uses. Derivatives come from the numbers saved in
    the forward pass (``saved``), never from current ``data``.
    """
    order = topological_order(root, live=True)
    kind, number = type, float  # as in topological_order: -0.9% instructions (GPT, MLP)
    for node in order:
        # A leaf's grad of None (PyTorch's p.grad = None) starts again from 0.
        if node.rule is not None or node.grad is None:
            node.grad = 0.0
    root.grad += seed
    if mode.current().anomaly:
        _backward_checked(order)
        return
    for node in reversed(order):
        rule = node.rule
        g = node.grad
        # Skipping g == 0 keeps 0 * inf (sqrt at 0, say) from turning into NaN.
        if rule is None or g == 0.0:
            continue
        # The ops of chains and neurons apply their row's vjp inline (mul: b * g and
        # a * g; add and sum: g; dot: the halves swap; relu: g where its input was
        # > 0, else nothing), which roughly halves the sweep's cost per node (relu: 10.9M
        # -> 7.0M instructions for backward() over 1000 of them). Constant operands
        # are plain floats and get nothing. tests/test_rules.py::TestRowsAgree holds
        # each inlined path equal to its row, bit for bit.
        x, y = node.x, node.y
        if rule is _MUL:
            if kind(x) is not number:
                x.grad += node.b * g
            if kind(y) is not number:
                y.grad += node.a * g
        elif rule is _ADD:
            if kind(x) is not number:
                x.grad += g
            if kind(y) is not number:
                y.grad += g
        elif rule is _RELU:  # one input, a Value: a number input makes no node
            if node.a > 0.0:  # an off relu passes nothing: its input may not be in order
                x.grad += g
        elif kind(x) is tuple:  # an n-input node
            if rule is _DOT:  # its two vectors apart (see Value)
                for arg, d in zip(x, node.b):
                    if kind(arg) is not number:
                        arg.grad += d * g
                for arg, d in zip(y, node.a):
                    if kind(arg) is not number:
                        arg.grad += d * g
            elif rule is _SUM:
                for arg in x:
                    if kind(arg) is not number:
                        arg.grad += g
            else:
                for arg, d in zip(x, rule.vjp(g, *node.a, node.data)):
                    if kind(arg) is not number:
                        arg.grad += d
        elif y is not None:  # any other two-input op
            dx, dy = rule.vjp(g, node.a, node.b, node.data)
            if kind(x) is not number:
                x.grad += dx
            if kind(y) is not number:
                y.grad += dy
        else:  # any other one-input op
            x.grad += rule.vjp(g, node.a, node.data)[0]


def _backward_checked(order: list[Value]) -> None:
    """The sweep of ``backward`` that stops at the first NaN or inf (``detect_anomaly``)."""
    root = order[-1]
    if not math.isfinite(root.grad):
        raise FloatingPointError(f"detect_anomaly: backward() was seeded with {root.grad!r}")
    for node in reversed(order):
        g = node.grad
        if g == 0.0 or not node.operands or (node.rule is _RELU and not node.a > 0.0):
            continue  # an off relu passes nothing (see topological_order's live)
        contributions = node.rule.vjp(g, *node.saved, node.data)  # type: ignore[union-attr]
        for index, (arg, contribution) in enumerate(zip(node.operands, contributions)):
            if type(arg) is float:
                continue
            before = arg.grad  # type: ignore[union-attr]
            arg.grad = before + contribution  # type: ignore[union-attr]
            # Blame this node for a NaN or inf it contributes, or for overflowing a
            # finite sum; not for an inf a leaf already held from an earlier call.
            if not math.isfinite(contribution) or (
                math.isfinite(before) and not math.isfinite(arg.grad)  # type: ignore[union-attr]
            ):
                raise _anomaly(node, index, contribution)


def _anomaly(node: Value, index: int, contribution: float) -> FloatingPointError:
    """The error of ``detect_anomaly`` for a NaN or inf that ``node`` passed back to an input."""
    site = mode.creation_sites.get(node)
    where = f" (node created at {site})" if site else ""
    return FloatingPointError(
        f"detect_anomaly: backward of {node.op} gave {contribution!r} "
        f"for its input {index} from inputs {node.saved!r}{where}"
    )


def float_sweep(order: list[Value], seed: float = 1.0) -> dict[Value, float]:
    """``seed * d root / d node`` for the nodes of ``order`` (root last), as floats.

    The table-driven reverse sweep of ``gradients``: every node through its row's
    ``vjp``, on the numbers saved in the forward pass. A node missing from the
    result has gradient 0. Inside ``detect_anomaly`` a NaN or inf contribution
    raises ``FloatingPointError`` naming the op, as in ``backward()``.
    """
    grads: dict[Value, float] = {order[-1]: seed}
    checked = mode.current().anomaly  # inside detect_anomaly: stop at a NaN or inf
    for node in reversed(order):
        g = grads.get(node, 0.0)
        rule = node.rule
        if g == 0.0 or rule is None:
            continue
        # The fields, not the properties operands and saved: 43.6 -> 30.4 ms on the tiny GPT
        # (n-input nodes, fewer, use the properties, which join a dot's two tuples).
        x, y = node.x, node.y
        operands: tuple[Any, ...]
        if type(x) is tuple:  # n inputs (a dot's in two tuples)
            operands, contributions = node.operands, rule.vjp(g, *node.saved, node.data)
        elif y is not None:
            operands, contributions = (x, y), rule.vjp(g, node.a, node.b, node.data)
        else:
            operands, contributions = (x,), rule.vjp(g, node.a, node.data)
        for index, (arg, d) in enumerate(zip(operands, contributions)):
            if type(arg) is not float:
                if checked and not math.isfinite(d):
                    raise _anomaly(node, index, d)
                grads[arg] = grads.get(arg, 0.0) + d
    return grads


def value_sweep(order: list[Value]) -> dict[Value, Any]:
    """``d root / d node`` as Values connected to the graph, for differentiating again.

    Each row's ``vjp`` is applied to the operands and the node themselves, so the
    derivatives are built from the same rules. A contribution that is zero by
    construction (the float ``0.0``) is skipped; a node is never skipped because
    its gradient's value happens to be 0, which would lose higher derivatives.
    The result maps nodes to Values, or to the float 1.0 for the root.
    """
    grads: dict[Value, Any] = {order[-1]: 1.0}
    for node in reversed(order):
        g = grads.get(node)
        if g is None or not node.operands or (type(g) is float and g == 0.0):
            continue
        contributions = node.rule.vjp(g, *node.operands, node)  # type: ignore[union-attr]
        for arg, d in zip(node.operands, contributions):
            if type(arg) is float or (type(d) is float and d == 0.0):
                continue  # a constant operand, or a contribution that is zero everywhere near here
            previous = grads.get(arg)  # type: ignore[arg-type]
            grads[arg] = d if previous is None else previous + d  # type: ignore[index]
    return grads
