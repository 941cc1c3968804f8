"""``gradcheck``: compare ``backward()`` with central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import checks
from .graph import topological_order
from .mode import differentiating, enable_grad, no_grad
from .transforms import gradients
from .value import Value, to_number

__all__ = ["GradcheckError", "check_arguments", "gradcheck", "gradgradcheck"]


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` when an analytic gradient disagrees with finite differences."""


def _float_result(
    f: Callable[..., object], args: list[Value], where: str = "gradcheck"
) -> tuple[float, Value | None]:
    """Call ``f`` and return its number and, if it returned a Value, that Value."""
    out = checks.scalar(where, "the result of f", f(*args), Value)
    if isinstance(out, Value):
        return out.data, out
    return out, None


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
    inputs: Iterable[float],
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
        eps: the finite-difference step, > 0.
        atol: the absolute tolerance, >= 0.
        rtol: the relative tolerance, >= 0.
        raise_exception: raise :class:`GradcheckError` on a mismatch (the
            default) or return False; exactly True or False.

    Returns:
        True when every partial derivative agrees.

    Raises:
        GradcheckError: on a mismatch, with a table of input index, analytic,
            numeric and error, when ``raise_exception`` is true.
        TypeError: ``f`` is not callable, ``inputs`` is not an iterable of real
            numbers, or a tolerance or ``raise_exception`` has the wrong type.
        ValueError: a tolerance is out of range or not finite.

    Examples:
        >>> from autograd import gradcheck
        >>> gradcheck(lambda x, y: x * y.sin(), [1.5, 0.3])
        True
    """
    xs = check_arguments("gradcheck", f, inputs, eps, atol, rtol, raise_exception)
    leaves = [Value(x) for x in xs]
    with enable_grad(), differentiating(leaves):  # works inside no_grad too
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


def check_arguments(
    where: str,
    f: object,
    inputs: object,
    eps: object,
    atol: object,
    rtol: object,
    raise_exception: object,
) -> list[float]:
    """Check the arguments of a gradient check named ``where``; return the inputs as floats.

    The checks of :func:`gradcheck` and :func:`gradgradcheck`, which
    ``autograd.testing.assert_gradients_close`` makes too, under its own name.

    Raises:
        TypeError: ``f`` is not callable, ``inputs`` is not an iterable of real
            numbers, a tolerance is not a real number or ``raise_exception`` not a bool.
        ValueError: ``eps`` is not > 0 or a tolerance not >= 0, or one is not finite.
    """
    checks.function(where, "f", f)
    items = checks.iterable(where, "inputs", inputs, what="an iterable of real numbers")
    xs = [to_number(where, f"inputs[{index}]", x) for index, x in enumerate(items)]
    checks.real(where, "eps", eps, above=0)
    checks.real(where, "atol", atol, at_least=0)
    checks.real(where, "rtol", rtol, at_least=0)
    checks.flag(where, "raise_exception", raise_exception)
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
    inputs: Iterable[float],
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

    Raises:
        GradcheckError: as :func:`gradcheck`.
        TypeError: as :func:`gradcheck`.
        ValueError: as :func:`gradcheck`.

    Examples:
        >>> from autograd import gradgradcheck
        >>> gradgradcheck(lambda x, y: (x * y).sin() + x.exp(), [0.4, -1.2])
        True
    """
    xs = check_arguments("gradgradcheck", f, inputs, eps, atol, rtol, raise_exception)

    def first_derivatives(point: list[float], create_graph: bool) -> tuple[list[Value], list[Any]]:
        leaves = [Value(x) for x in point]
        with enable_grad(), differentiating(leaves):
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
