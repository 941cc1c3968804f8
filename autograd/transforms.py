"""Transforms that turn a function into its derivatives, in JAX's style: ``grad``, ``hessian``.

Also ``gradients``, the lower-level primitive they are built on (like
``torch.autograd.grad``): derivatives of one Value with respect to others.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import checks
from .graph import float_sweep, topological_order, value_sweep
from .mode import differentiating, enable_grad, outer_variables
from .value import Value, to_number

__all__ = ["grad", "gradients", "hessian", "value_and_grad"]


def gradients(output: Value, inputs: Iterable[Value], *, create_graph: bool = False) -> list[Any]:
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
        create_graph: build the derivatives as Values connected to the graph
            (exactly True or False).

    Returns:
        One derivative per input, in order.

    Raises:
        TypeError: ``output`` or an input is not a Value, ``inputs`` is not an
            iterable, or ``create_graph`` is not a bool.

    Examples:
        >>> from autograd import Value, gradients
        >>> x = Value(3.0)
        >>> y = x * x * x
        >>> dy = gradients(y, [x], create_graph=True)[0]
        >>> dy.data, gradients(dy, [x])[0]
        (27.0, 18.0)
    """
    checks.instance("gradients", "output", output, Value, "a Value")
    xs = checks.iterable("gradients", "inputs", inputs, what="an iterable of Values")
    for index, x in enumerate(xs):
        checks.instance("gradients", f"inputs[{index}]", x, Value, "a Value")
    connected = checks.flag("gradients", "create_graph", create_graph)
    return _derivatives(topological_order(output), xs, connected)


def _derivatives(order: list[Value], inputs: Sequence[Value], create_graph: bool) -> list[Any]:
    """``d root / d input`` for each input, where ``order`` ends with the root (see gradients)."""
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


def _check_argnums(where: str, argnums: object) -> tuple[tuple[int, ...], bool]:
    """The argument indices to differentiate, and whether one index (not a tuple) was given."""
    if isinstance(argnums, int) and not isinstance(argnums, bool):
        return (checks.integer(where, "argnums", argnums, minimum=0),), True
    if not isinstance(argnums, tuple) or not argnums:
        raise TypeError(
            f"{where}: argnums must be an int or a non-empty tuple of ints, "
            f"got {type(argnums).__name__}"
        )
    indices = tuple(
        checks.integer(where, f"argnums[{i}]", index, minimum=0) for i, index in enumerate(argnums)
    )
    if len(set(indices)) != len(indices):
        raise ValueError(f"{where}: argnums must not repeat an index, got {argnums!r}")
    return indices, False


def _variable(where: str, index: int, a: object) -> Value:
    """The Value that stands for argument ``index`` while ``f`` runs: this call's own variable.

    A number becomes a fresh leaf. A Value gets a fresh node (``a * 1``, exact for
    every float), so that uses of the same outer Value that ``f`` closes over stay
    out of this derivative: nested grads don't confuse the two.
    """
    if isinstance(a, Value):
        with enable_grad():
            return a * 1.0
    return Value(to_number(where, f"argument {index}", a))


def _traced_call(
    where: str, f: Callable[..., Any], args: Sequence[Any], variables: Sequence[Value]
) -> tuple[Value, list[Value], bool]:
    """Call ``f``, recording: its result as a Value, its graph, and whether it needs connecting.

    It needs connecting when it depends on the variable of a derivative in progress
    outside this call, one that ``f`` closes over, such as an outer ``grad``'s ``x``
    (see :func:`autograd.mode.differentiating`): a result that depends on it must
    stay a Value connected to it, so that the outer derivative sees the dependence.
    It is a constant of this derivative all the same (no perturbation confusion).
    """
    outer = outer_variables()
    # Derivatives need the graph, even when called inside no_grad.
    with enable_grad(), differentiating(variables):
        out = checks.scalar(where, "the result of f", f(*args), Value)
    if not isinstance(out, Value):  # a number: every derivative is 0
        out = Value(out)
        return out, [out], False
    order = topological_order(out)
    return out, order, bool(outer) and any(node in outer for node in order)


def _value_and_grad(
    where: str, f: Callable[..., Any], argnums: object
) -> Callable[..., tuple[Any, Any]]:
    """:func:`value_and_grad`, with messages that name ``where``."""
    checks.function(where, "f", f)
    indices, single = _check_argnums(where, argnums)

    @functools.wraps(f)
    def value_and_derivative(*args: Any) -> tuple[Any, Any]:
        if max(indices) >= len(args):
            raise ValueError(
                f"{where}: argnums {argnums!r} is out of range for a call with "
                f"{len(args)} argument(s)"
            )
        call_args = list(args)
        for index in indices:
            call_args[index] = _variable(where, index, args[index])
        variables = [call_args[i] for i in indices]
        out, order, outside = _traced_call(where, f, call_args, variables)
        connected = outside or any(isinstance(a, Value) for a in args)
        derivatives = _derivatives(order, variables, create_graph=connected)
        value = out if connected else out.data
        return value, derivatives[0] if single else tuple(derivatives)

    return value_and_derivative


def value_and_grad(
    f: Callable[..., Any], argnums: int | tuple[int, ...] = 0
) -> Callable[..., tuple[Any, Any]]:
    """A function that returns ``(f(*args), df/dargs[argnums])``.

    Called with numbers it returns floats. The value and the derivatives are
    instead Values connected to the graph when any argument is a Value (as when
    it runs inside another ``grad``) or when ``f``'s result depends on a Value
    that ``f`` closes over, so that derivatives compose: ``grad(grad(f))`` is the
    second derivative, and ``grad(lambda x: x * grad(lambda y: x * y)(2.0))(1.0)``
    is 2.0. Arguments outside ``argnums`` are passed to ``f`` unchanged.

    Values that ``f`` closes over (rather than takes as arguments) are constants
    for this derivative, so nested grads keep an outer variable apart from the
    inner one; a derivative taken outside still sees how the result depends on them.

    Args:
        f: a function of positional arguments returning a Value or a number.
        argnums: the index of the argument to differentiate (the result is one
            derivative), or a tuple of indices (the result is a tuple).

    Returns:
        A function with ``f``'s positional arguments.

    Raises:
        TypeError: ``f`` is not callable or ``argnums`` is not an int or a tuple
            of ints; when called, an argument in ``argnums`` is not a number or a
            Value, or ``f`` returns neither.
        ValueError: ``argnums`` holds a negative or repeated index; when called,
            one past the arguments given.

    Examples:
        >>> from autograd import value_and_grad
        >>> value_and_grad(lambda x, y: x * y + y, argnums=(0, 1))(2.0, 5.0)
        (15.0, (5.0, 3.0))
    """
    return _value_and_grad("value_and_grad", f, argnums)


def grad(f: Callable[..., Any], argnums: int | tuple[int, ...] = 0) -> Callable[..., Any]:
    """A function that returns the derivative of ``f`` with respect to ``argnums``.

    Same conventions as :func:`value_and_grad`: floats for numbers, Values (which
    can be differentiated again) when any argument is a Value or the result
    depends on a Value that ``f`` closes over.

    Args:
        f: a function of positional arguments returning a Value or a number.
        argnums: an int (one derivative) or a tuple of ints (a tuple of them).

    Returns:
        A function with ``f``'s positional arguments.

    Raises:
        TypeError: as :func:`value_and_grad`.
        ValueError: as :func:`value_and_grad`.

    Examples:
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
    derivative = _value_and_grad("grad", f, argnums)

    @functools.wraps(f)
    def derivative_only(*args: Any) -> Any:
        return derivative(*args)[1]

    return derivative_only


def hessian(f: Callable[..., Any]) -> Callable[..., list[list[Any]]]:
    """A function that returns the matrix of second partials of ``f`` over all its arguments.

    ``H[i][j] = d^2 f / (dx_i dx_j)``, as a list of lists of floats; it is
    symmetric for functions built from the library's ops. Like :func:`grad`, it
    gives Values connected to the graph instead when an argument is a Value or
    the result depends on a Value that ``f`` closes over.

    Args:
        f: a function of positional arguments returning a Value or a number.

    Returns:
        A function with ``f``'s positional arguments.

    Raises:
        TypeError: ``f`` is not callable; when called, an argument is not a
            number or a Value, or ``f`` returns neither (as ``grad`` does).

    Examples:
        >>> from autograd import hessian
        >>> hessian(lambda x, y: x * x * y + y**3)(1.0, 2.0)
        [[4.0, 2.0], [2.0, 12.0]]
    """
    checks.function("hessian", "f", f)

    @functools.wraps(f)
    def second_partials(*args: Any) -> list[list[Any]]:
        variables = [_variable("hessian", index, a) for index, a in enumerate(args)]
        _, order, outside = _traced_call("hessian", f, variables, variables)
        connected = outside or any(isinstance(a, Value) for a in args)
        firsts = _derivatives(order, variables, create_graph=True)
        return [_derivatives(topological_order(d), variables, connected) for d in firsts]

    return second_partials
