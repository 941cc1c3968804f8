"""``gradcheck``: compare ``backward()`` with central finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .mode import no_grad
from .value import Value, _real

__all__ = ["GradcheckError", "gradcheck"]


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` when an analytic gradient disagrees with finite differences."""


def _float_result(f: Callable[..., object], args: list[Value]) -> tuple[float, Value | None]:
    """Call ``f`` and return its number and, if it returned a Value, that Value."""
    out = f(*args)
    if isinstance(out, Value):
        return out.data, out
    number = _real(out)
    if number is None:
        raise TypeError(
            f"gradcheck: f must return a Value or a real number, got {type(out).__name__}"
        )
    return number, None


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
    point = [_real(x) for x in inputs]
    for index, x in enumerate(point):
        if x is None:
            raise TypeError(
                f"gradcheck: inputs must be real numbers, got {type(inputs[index]).__name__} "
                f"at index {index}"
            )
    xs: list[float] = point  # type: ignore[assignment]
    for name, tolerance in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if not (
            isinstance(tolerance, (int, float)) and math.isfinite(tolerance) and tolerance >= 0
        ):
            raise ValueError(f"gradcheck: {name} must be a finite number >= 0, got {tolerance!r}")
    if eps == 0:
        raise ValueError("gradcheck: eps must be > 0, got 0")

    leaves = [Value(x) for x in xs]
    _, out = _float_result(f, leaves)
    if out is not None:
        out.backward()
    analytic = [leaf.grad for leaf in leaves]

    numeric = []
    with no_grad():
        for i in range(len(xs)):
            plus = [Value(x + eps if j == i else x) for j, x in enumerate(xs)]
            minus = [Value(x - eps if j == i else x) for j, x in enumerate(xs)]
            f_plus, _ = _float_result(f, plus)
            f_minus, _ = _float_result(f, minus)
            numeric.append((f_plus - f_minus) / (2.0 * eps))

    errors = [abs(a - n) for a, n in zip(analytic, numeric)]
    # `not <=` so that NaN on either side counts as a mismatch
    bad = [not (e <= atol + rtol * abs(n)) for e, n in zip(errors, numeric)]
    if not any(bad):
        return True
    if not raise_exception:
        return False
    rows = [f"{'input':>5}  {'analytic':>16}  {'numeric':>16}  {'error':>10}"]
    for i, (a, n, e, wrong) in enumerate(zip(analytic, numeric, errors, bad)):
        rows.append(
            f"{i:>5}  {a:>16.10g}  {n:>16.10g}  {e:>10.3g}" + ("  <-- mismatch" if wrong else "")
        )
    raise GradcheckError(
        f"gradcheck failed at inputs {xs} (eps={eps}, atol={atol}, rtol={rtol}):\n"
        + "\n".join(rows)
    )
