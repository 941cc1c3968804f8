"""Transforms that turn a function into its derivatives, in JAX's style: ``grad``, ``hessian``.

Also ``gradients``, the lower-level primitive they are built on (like
``torch.autograd.grad``): derivatives of one Value with respect to others.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from .graph import float_sweep, topological_order, value_sweep
from .mode import enable_grad
from .value import Value, as_number

__all__ = ["grad", "gradients", "hessian", "value_and_grad"]


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
        >>> from autograd import Value, gradients
        >>> x = Value(3.0)
        >>> y = x * x * x
        >>> dy = gradients(y, [x], create_graph=True)[0]
        >>> dy.data, gradients(dy, [x])[0]
        (27.0, 18.0)
    """
    if not isinstance(output, Value):
        raise TypeError(f"gradients() output must be a Value, got {type(output).__name__}")
    for index, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(
                f"gradients() inputs must be Values, got {type(x).__name__} at index {index}"
            )
    order = topological_order(output)
    if create_graph:
        with enable_grad():  # the derivatives are a graph, even inside no_grad
            derivatives = value_sweep(order)
        results: list[Any] = []
        for x in inputs:
            d = derivatives.get(x, 0.0)
            results.append(d if isinstance(d, Value) else Value(d))
        return results
    grads = float_sweep(order)
    return [grads.get(x, 0.0) for x in inputs]


def _check_argnums(argnums: int | Sequence[int]) -> tuple[tuple[int, ...], bool]:
    """The argument indices to differentiate, and whether one index (not a tuple) was given."""
    if isinstance(argnums, int) and not isinstance(argnums, bool):
        indices, single = (argnums,), True
    elif isinstance(argnums, tuple) and argnums:
        indices, single = argnums, False
    else:
        raise TypeError(f"argnums must be an int or a non-empty tuple of ints, got {argnums!r}")
    for index in indices:
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise ValueError(f"argnums must hold ints >= 0, got {argnums!r}")
    if len(set(indices)) != len(indices):
        raise ValueError(f"argnums has a repeated index: {argnums!r}")
    return indices, single


def value_and_grad(
    f: Callable[..., Any], argnums: int | Sequence[int] = 0
) -> Callable[..., tuple[Any, Any]]:
    """A function that returns ``(f(*args), df/dargs[argnums])``.

    Called with numbers it returns floats. If any argument is a Value (as when
    it runs inside another ``grad``), the value and the derivatives are Values
    connected to the graph, so derivatives compose: ``grad(grad(f))`` is the
    second derivative. Arguments outside ``argnums`` are passed to ``f`` unchanged.

    Values that ``f`` closes over (rather than takes as arguments) are constants
    for the derivative; to nest ``grad`` over a variable, pass it as an argument.

    Args:
        f: a function of positional arguments returning a Value or a number.
        argnums: the index of the argument to differentiate (the result is one
            derivative), or a tuple of indices (the result is a tuple).

    Returns:
        A function with ``f``'s positional arguments.

    Example:
        >>> from autograd import value_and_grad
        >>> value_and_grad(lambda x, y: x * y + y, argnums=(0, 1))(2.0, 5.0)
        (15.0, (5.0, 3.0))
    """
    indices, single = _check_argnums(argnums)

    @functools.wraps(f)
    def value_and_derivative(*args: Any) -> tuple[Any, Any]:
        if max(indices) >= len(args):
            raise ValueError(
                f"argnums {argnums!r} is out of range for a call with {len(args)} argument(s)"
            )
        nested = any(isinstance(a, Value) for a in args)
        call_args = list(args)
        for index in indices:
            a = args[index]
            if isinstance(a, Value):
                # A fresh node (a * 1, exact for every float) is this call's own
                # variable: uses of the outer Value that f closes over stay out of
                # this derivative, so nested grads don't confuse the two.
                call_args[index] = _fresh_variable(a)
                continue
            number = as_number(a)
            if number is None:
                raise TypeError(
                    f"argument {index} must be a Value or a real number, got {type(a).__name__}"
                )
            call_args[index] = Value(number)
        inputs = [call_args[i] for i in indices]
        with enable_grad():  # derivatives need the graph, even when called inside no_grad
            out = f(*call_args)
            if not isinstance(out, Value):
                number = as_number(out)
                if number is None:
                    raise TypeError(
                        f"f must return a Value or a real number, got {type(out).__name__}"
                    )
                out = Value(number)  # independent of the inputs: every derivative is 0
            derivatives = gradients(out, inputs, create_graph=nested)
        value = out if nested else out.data
        return value, derivatives[0] if single else tuple(derivatives)

    return value_and_derivative


def _fresh_variable(x: Value) -> Value:
    """A new node equal to ``x`` whose derivative with respect to ``x`` is 1."""
    with enable_grad():
        return x * 1.0


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """A function that returns the derivative of ``f`` with respect to ``argnums``.

    Same conventions as :func:`value_and_grad`: floats for numbers, Values (which
    can be differentiated again) when any argument is a Value.

    Args:
        f: a function of positional arguments returning a Value or a number.
        argnums: an int (one derivative) or a tuple of ints (a tuple of them).

    Returns:
        A function with ``f``'s positional arguments.

    Example:
        Newton's method for the minimum of ``f(x) = x**4 - 3 x**2 + x``
        steps ``x <- x - f'(x) / f''(x)``:

        >>> from autograd import grad
        >>> f = lambda x: x**4 - 3 * x**2 + x
        >>> df, d2f = grad(f), grad(grad(f))
        >>> x = 1.0
        >>> for _ in range(6):
        ...     x = x - df(x) / d2f(x)
        >>> round(x, 6), round(df(x), 12)
        (1.130901, 0.0)
    """
    derivative = value_and_grad(f, argnums)

    @functools.wraps(f)
    def derivative_only(*args: Any) -> Any:
        return derivative(*args)[1]

    return derivative_only


def hessian(f: Callable[..., Any]) -> Callable[..., list[list[float]]]:
    """A function that returns the matrix of second partials of ``f`` over all its arguments.

    ``H[i][j] = d^2 f / (dx_i dx_j)``, as a list of lists of floats; it is
    symmetric for functions built from the library's ops.

    Args:
        f: a function of positional number arguments returning a Value or a number.

    Returns:
        A function with ``f``'s positional arguments.

    Example:
        >>> from autograd import hessian
        >>> hessian(lambda x, y: x * x * y + y**3)(1.0, 2.0)
        [[4.0, 2.0], [2.0, 12.0]]
    """

    @functools.wraps(f)
    def second_partials(*args: Any) -> list[list[float]]:
        leaves = []
        for index, a in enumerate(args):
            number = a.data if isinstance(a, Value) else as_number(a)
            if number is None:
                raise TypeError(f"argument {index} must be a real number, got {type(a).__name__}")
            leaves.append(Value(number))
        with enable_grad():
            out = f(*leaves)
            if not isinstance(out, Value):
                return [[0.0] * len(leaves) for _ in leaves]
            rows = []
            for first in gradients(out, leaves, create_graph=True):
                rows.append([float(d) for d in gradients(first, leaves)])
        return rows

    return second_partials
