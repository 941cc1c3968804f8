"""Graph traversal: topological order and the reverse sweep of ``backward()``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import mode
from .rules import RULES

if TYPE_CHECKING:
    from .value import Value

__all__ = ["backward", "gradients", "topological_order"]

_PARENTS_DONE = object()  # stack marker: every parent of the node below it is placed


def topological_order(root: Value) -> list[Value]:
    """Every Value that ``root`` depends on, parents before children, ending with ``root``.

    An iterative depth-first search: an explicit stack instead of recursion, so
    a chain a million nodes deep needs no recursion limit. The order depends
    only on the graph, so it is the same on every run.
    """
    order: list[Value] = []
    # Each sort marks the nodes it has expanded with its own fresh token, instead
    # of keeping a set of them (see Value._mark). A node is expanded once: it goes
    # back on the stack under the _PARENTS_DONE marker and its parents go on top,
    # so by the time the marker is popped all of its parents have been placed.
    # Sorts of graphs that share intermediate nodes must not run concurrently in
    # several threads (their backward() calls would race on .grad anyway); shared
    # leaves, such as a model's parameters, are harmless.
    token = object()
    stack: list[Any] = [root]
    push, pop, place, done = stack.append, stack.pop, order.append, _PARENTS_DONE
    while stack:
        node = pop()
        if node is done:
            place(pop())
            continue
        if node._mark is token:  # reached again through another child
            continue
        node._mark = token
        push(node)
        push(done)
        for parent in node._args:
            # Constant operands are stored as plain floats; everything else is a Value.
            if type(parent) is not float and parent._mark is not token:
                push(parent)
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
    rules = RULES
    for node in reversed(order):
        args = node._args
        g = node.grad
        # Skipping g == 0 keeps 0 * inf (sqrt at 0, say) from turning into NaN.
        if not args or g == 0.0:
            continue
        op = node._op
        # The ops of chains and neurons apply their rule's partials inline
        # (mul: (b, a); add: (1, 1); dot: the halves swap), which roughly halves
        # the sweep's cost per node. Constant operands are plain floats and get
        # nothing. test_graph.py holds backward() equal to the table-driven
        # gradients() on random graphs of every op.
        if op == "mul":
            a, b = args
            x, y = node._ctx
            if type(a) is not float:
                a.grad += y * g  # type: ignore[union-attr]
            if type(b) is not float:
                b.grad += x * g  # type: ignore[union-attr]
        elif op == "dot":
            n = len(args) >> 1
            ctx = node._ctx
            for arg, d in zip(args, ctx[n:] + ctx[:n]):
                if type(arg) is not float:
                    arg.grad += d * g  # type: ignore[union-attr]
        elif op == "add" or op == "sum":
            for arg in args:
                if type(arg) is not float:
                    arg.grad += g  # type: ignore[union-attr]
        else:
            partials = rules[op].partials(*node._ctx, node.data)
            for arg, d in zip(args, partials):
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
            contribution = d * g
            before = arg.grad  # type: ignore[union-attr]
            arg.grad = before + contribution  # type: ignore[union-attr]
            # Blame this node for a NaN or inf it contributes, or for overflowing a
            # finite sum; not for an inf a leaf already held from an earlier call.
            if not math.isfinite(contribution) or (
                math.isfinite(before) and not math.isfinite(arg.grad)  # type: ignore[union-attr]
            ):
                site = mode.creation_sites.get(node)
                where = f" (node created at {site})" if site else ""
                raise FloatingPointError(
                    f"detect_anomaly: backward of {node._op} gave {contribution!r} "
                    f"for its input {index} from inputs {node._ctx!r}{where}"
                )


def gradients(output: Value, inputs: Sequence[Value], *, create_graph: bool = False) -> list[Any]:
    """``d output / d input`` for each input, without touching any ``.grad``.

    The lower-level primitive behind :func:`autograd.grad` (like
    ``torch.autograd.grad``). An input that ``output`` does not depend on gets 0.

    With ``create_graph=False`` the result is a list of floats, computed from the
    numbers saved in the forward pass. With ``create_graph=True`` each derivative
    is a Value built from the same rules applied to Values, so it can be
    differentiated again; a zero is ``Value(0.0)``. On that path a node is skipped
    only when its gradient is a structural zero, never because its value happens
    to be 0 (which would lose higher derivatives).

    Args:
        output: the Value to differentiate.
        inputs: the Values to differentiate with respect to (leaves or not).
        create_graph: build the derivatives as Values connected to the graph.

    Returns:
        One derivative per input, in order.

    Example:
        >>> from autograd import Value
        >>> from autograd.graph import gradients
        >>> x = Value(3.0)
        >>> y = x * x * x
        >>> dy = gradients(y, [x], create_graph=True)[0]
        >>> dy.data, gradients(dy, [x])[0]
        (27.0, 18.0)
    """
    from .value import Value  # a deferred import: value.py imports this module

    if not isinstance(output, Value):
        raise TypeError(f"gradients() output must be a Value, got {type(output).__name__}")
    for index, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(
                f"gradients() inputs must be Values, got {type(x).__name__} at index {index}"
            )
    order = topological_order(output)
    if create_graph:
        with mode.enable_grad():  # the derivatives are a graph, even inside no_grad
            derivatives = _sweep_on_values(order)
        results: list[Any] = []
        for x in inputs:
            d = derivatives.get(x, 0.0)
            results.append(d if isinstance(d, Value) else Value(d))
        return results
    grads: dict[Value, float] = {output: 1.0}
    for node in reversed(order):
        g = grads.get(node, 0.0)
        if g == 0.0 or not node._args:
            continue
        partials = RULES[node._op].partials(*node._ctx, node.data)
        for arg, d in zip(node._args, partials):
            if type(arg) is not float:
                grads[arg] = grads.get(arg, 0.0) + d * g  # type: ignore[index, arg-type]
    return [grads.get(x, 0.0) for x in inputs]


def _sweep_on_values(order: list[Value]) -> dict[Value, Any]:
    """The reverse sweep with Values: each rule applied to the operands and the node itself."""
    grads: dict[Value, Any] = {order[-1]: 1.0}
    for node in reversed(order):
        g = grads.get(node)
        if g is None or not node._args or (type(g) is float and g == 0.0):
            continue
        partials = RULES[node._op].partials(*node._args, node)
        for arg, d in zip(node._args, partials):
            if type(arg) is float or (type(d) is float and d == 0.0):
                continue  # a constant operand, or a partial that is zero everywhere near here
            contribution = d * g
            previous = grads.get(arg)  # type: ignore[arg-type]
            grads[arg] = contribution if previous is None else previous + contribution  # type: ignore[index]
    return grads
