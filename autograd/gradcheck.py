"""``gradcheck``: compare ``backward()`` with central finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from .graph import topological_order
from .mode import enable_grad, no_grad
from .transforms import gradients
from .value import Value, as_number

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` when an analytic gradient disagrees with finite differences."""


def _float_result(
    f: Callable[..., object], args: list[Value], where: str = "gradcheck"
) -> tuple[float, Value | None]:
    """Call ``f`` and return its number and, if it returned a Value, that Value."""
    out = f(*args)
    if isinstance(out, Value):
        return out.data, out
    number = as_number(out)
    if number is None:
        raise TypeError(
            f"{where}: f must return a Value or a real number, got {type(out).__name__}"
        )
    return number, None


def _backward_gradient(out: Value, leaves: list[Value]) -> list[float]:
    """The leaves' gradients from ``out.backward()``, leaving every other node's grad as it was.

    ``f`` may close over Values (a model's parameters, say); checking it must not
    add into their ``.grad``.
    """
    fresh = set(leaves)
    saved = [(node, node.grad) for node in topological_order(out) if node not in fresh]
    out.backward()
    analytic = [leaf.grad for leaf in leaves]
    for node, grad in saved:
        node.grad = grad
    return analytic


def gradcheck(
    f: Callable[..., object],
    inputs: Sequence[float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check ``f``'s gradient from ``backward()`` against central differences.

    For each input ``x_i`` the numeric derivative is
    ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``, and the check passes when
    ``|analytic - numeric| <= atol + rtol * |numeric|`` for every input. NaN on
    either side is a mismatch.

    Args:
        f: takes one Value per input and returns a Value.
        inputs: the point to check at, one real number per argument of ``f``.
        eps: the finite-difference step.
        atol: the absolute tolerance.
        rtol: the relative tolerance.
        raise_exception: raise :class:`GradcheckError` on a mismatch (the
            default) or return False.

    Returns:
        True when every partial derivative agrees.

    Raises:
        GradcheckError: on a mismatch, with a table of input index, analytic,
            numeric and error, when ``raise_exception`` is true.

    Example:
        >>> from autograd import gradcheck
        >>> gradcheck(lambda x, y: x * y.sin(), [1.5, 0.3])
        True
    """
    xs = _check_arguments("gradcheck", inputs, eps, atol, rtol)
    leaves = [Value(x) for x in xs]
    with enable_grad():  # works inside no_grad too
        _, out = _float_result(f, leaves)
    analytic = [0.0] * len(leaves) if out is None else _backward_gradient(out, leaves)

    numeric = []
    with no_grad():
        for i in range(len(xs)):
            plus = [Value(x + eps if j == i else x) for j, x in enumerate(xs)]
            minus = [Value(x - eps if j == i else x) for j, x in enumerate(xs)]
            f_plus, _ = _float_result(f, plus)
            f_minus, _ = _float_result(f, minus)
            numeric.append((f_plus - f_minus) / (2.0 * eps))

    rows = [(f"{i:>5}", a, n) for i, (a, n) in enumerate(zip(analytic, numeric))]
    return _compare("gradcheck", "input", rows, xs, eps, atol, rtol, raise_exception)


def _check_arguments(
    where: str, inputs: Sequence[float], eps: float, atol: float, rtol: float
) -> list[float]:
    """The inputs as floats, after checking them and the tolerances."""
    xs = []
    for index, x in enumerate(inputs):
        number = as_number(x)
        if number is None:
            raise TypeError(
                f"{where}: inputs must be real numbers, got {type(x).__name__} at index {index}"
            )
        xs.append(number)
    for name, tolerance in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if not (
            isinstance(tolerance, (int, float))
            and not isinstance(tolerance, bool)
            and math.isfinite(tolerance)
            and tolerance >= 0
        ):
            raise ValueError(f"{where}: {name} must be a finite number >= 0, got {tolerance!r}")
    if eps == 0:
        raise ValueError(f"{where}: eps must be > 0, got 0")
    return xs


def _compare(
    where: str,
    header: str,
    rows: list[tuple[str, float, float]],
    xs: list[float],
    eps: float,
    atol: float,
    rtol: float,
    raise_exception: bool,
) -> bool:
    """Check ``|analytic - numeric| <= atol + rtol * |numeric|`` on each row; report mismatches."""
    errors = [abs(a - n) for _, a, n in rows]
    # `not <=` so that NaN on either side counts as a mismatch
    bad = [not (e <= atol + rtol * abs(n)) for e, (_, _, n) in zip(errors, rows)]
    if not any(bad):
        return True
    if not raise_exception:
        return False
    width = max(len(header), *(len(name) for name, _, _ in rows))
    lines = [f"{header:>{width}}  {'analytic':>16}  {'numeric':>16}  {'error':>10}"]
    for (name, a, n), e, wrong in zip(rows, errors, bad):
        mark = "  <-- mismatch" if wrong else ""
        lines.append(f"{name:>{width}}  {a:>16.10g}  {n:>16.10g}  {e:>10.3g}{mark}")
    raise GradcheckError(
        f"{where} failed at inputs {xs} (eps={eps}, atol={atol}, rtol={rtol}):\n" + "\n".join(lines)
    )


def gradgradcheck(
    f: Callable[..., object],
    inputs: Sequence[float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check ``f``'s second derivatives against finite differences of its gradient.

    The analytic second partial ``d^2 f / dx_i dx_j`` comes from differentiating
    the gradient's graph (``create_graph=True``); the numeric one is the central
    difference of the analytic first derivative ``d f / dx_i`` in ``x_j``. Same
    tolerances and reporting as :func:`gradcheck`, one row per pair ``(i, j)``.

    Args:
        f: takes one Value per input and returns a Value.
        inputs: the point to check at.
        eps: the finite-difference step.
        atol: the absolute tolerance.
        rtol: the relative tolerance.
        raise_exception: raise :class:`GradcheckError` on a mismatch, or return False.

    Returns:
        True when every second partial agrees.

    Example:
        >>> from autograd import gradgradcheck
        >>> gradgradcheck(lambda x, y: (x * y).sin() + x.exp(), [0.4, -1.2])
        True
    """
    xs = _check_arguments("gradgradcheck", inputs, eps, atol, rtol)

    def first_derivatives(point: list[float], create_graph: bool) -> tuple[list[Value], list[Any]]:
        leaves = [Value(x) for x in point]
        with enable_grad():
            _, out = _float_result(f, leaves, "gradgradcheck")
        if out is None:
            zero: Any = Value(0.0) if create_graph else 0.0
            return leaves, [zero] * len(leaves)
        return leaves, gradients(out, leaves, create_graph=create_graph)

    leaves, firsts = first_derivatives(xs, create_graph=True)
    analytic = [gradients(first, leaves) for first in firsts]
    # Column j of the numeric matrix: the central difference of the gradient in x_j.
    columns = []
    for j in range(len(xs)):
        plus = first_derivatives([x + eps if k == j else x for k, x in enumerate(xs)], False)[1]
        minus = first_derivatives([x - eps if k == j else x for k, x in enumerate(xs)], False)[1]
        columns.append([(p - m) / (2.0 * eps) for p, m in zip(plus, minus)])
    rows = [
        (f"({i}, {j})", analytic[i][j], columns[j][i])
        for i in range(len(xs))
        for j in range(len(xs))
    ]
    return _compare("gradgradcheck", "(i, j)", rows, xs, eps, atol, rtol, raise_exception)
