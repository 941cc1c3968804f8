"""The primitive table: everything the library knows about each operation, one row per op.

This is the one place where calculus lives. Each row of ``RULES`` is a primitive:

* ``forward(*inputs)`` computes the result from plain floats, raising a clear
  error outside the operation's domain (domains follow Python's :mod:`math`).
* ``vjp(g, *inputs, out)`` applies the chain rule: given ``g = d loss / d out``
  it returns ``g * d out / d input_i`` for every input, in input order. Written
  with ``g`` inside, a ``1 / x``-shaped derivative becomes ``g / x``, which stays
  finite where ``1 / x`` alone would overflow (x = 1e-310). With ``g = 1.0`` it
  gives the local partial derivatives, which drawings label edges with.
* ``doc`` is the op's one docstring: ``autograd.<name>`` and ``Value.<name>`` show it.
* ``code`` and ``code_vjp`` spell ``forward`` and ``vjp`` as Python source for
  :func:`autograd.compile` (None: the generated code calls the row's function);
  ``finite`` says no local derivative can be infinite, so generated code need not
  guard a zero gradient; ``array`` is the op on NumPy arrays, one element per
  sample, for batched programs; ``symbol`` is how drawings name the op; ``domain``
  and ``kink`` tell :mod:`autograd.testing` where to draw inputs.

A derivative is written with arithmetic operators and the small dispatching
helpers below, so the same function works on floats (what ``backward()`` uses)
and on Values (what differentiating a derivative needs). Branches compare with
``<`` and ``>`` or go through ``float(x)``: on a Value ``==`` is identity. A
derivative that is zero by construction is the float ``0.0``, so differentiating
it again builds nothing.

The primitive set is small. ``sub`` and ``div`` are primitives rather than
``a + (-b)`` and ``a * b**-1`` because composing them would double the nodes on
hot paths; ``tanh``, ``sigmoid``, ``log1p``, ``expm1``, ``softplus`` and ``gelu``
because composing them loses accuracy or overflows. ``sum``, ``dot`` and ``max``
are n-ary: one node however many inputs, which is what makes a neuron cheap and
lets compiled code take a stable ``logsumexp`` without branching in Python.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

__all__ = ["BUILT_IN_OPS", "RULES", "ArrayForm", "Rule"]

_INF = math.inf
_NAN = math.nan
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_TWO_PI = 1.0 / math.sqrt(2.0 * math.pi)


class ArrayForm(NamedTuple):
    """An op on NumPy arrays holding one number per sample: what batched programs run.

    Each function takes the ``numpy`` module first, so that the engine core imports
    nothing; ``+ - * /`` and ``where`` on arrays act element by element, so an
    array form computes for each sample what the float functions compute.

    Attributes:
        forward: ``(np, *inputs) -> array``; outside the domain it raises the float
            forward's own error for the first offending sample, naming that sample.
            None: the row's ``code`` works on arrays as written.
        vjp: ``(np, g, *inputs, out) -> contributions``; None: the row's
            ``code_vjp`` works on arrays as written. Where ``g`` is NaN or infinite
            it may give NaN where the float vjp gives 0 (``inf * 0``): batched
            programs rerun a batch whose gradients hold a NaN on floats, sample by
            sample, so such a NaN never reaches a result.
    """

    forward: Callable[..., Any] | None = None
    vjp: Callable[..., tuple[Any, ...]] | None = None


class Rule(NamedTuple):
    """One primitive: how to compute it, its chain rule, and how every part of the library shows it.

    Attributes:
        name: the op's name, as ``Value.op`` shows it.
        forward: the result from floats; raises outside the domain.
        vjp: ``(g, *inputs, out) -> g * d out / d input_i`` for each input.
        doc: the docstring of ``autograd.<name>`` and ``Value.<name>``.
        arity: the number of inputs; None for n-ary ops.
        symbol: the operator a drawing shows (``"+"``); ``""`` shows the name.
        code: the forward as source, from the inputs' source; None calls ``forward``.
        code_vjp: ``vjp`` as source, from the source of g, the inputs and out;
            None calls ``vjp``.
        finite: no local derivative can be infinite, so a zero gradient needs no guard.
        array: the op on NumPy arrays (see :class:`ArrayForm`); None: batched programs
            apply ``forward`` and ``vjp`` to one sample at a time (slower, same numbers).
        domain: the ranges ``autograd.testing`` draws inputs from, inside the op's
            domain where it is well conditioned: one per input, the last one
            serving every further input (of an n-ary op).
        kink: how far the inputs are from a point with no derivative; None if smooth.
    """

    name: str
    forward: Callable[..., float]
    vjp: Callable[..., tuple[Any, ...]]
    doc: str
    arity: int | None = 1
    symbol: str = ""
    code: Callable[..., str] | None = None
    code_vjp: Callable[..., tuple[str, ...]] | None = None
    finite: bool = False
    array: ArrayForm | None = None
    domain: tuple[tuple[float, float], ...] = ((-3.0, 3.0),)
    kink: Callable[..., float] | None = None


# --- forward functions on floats, with the domain checks of Python's math -----


def _div(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"div: division by zero ({a!r} / {b!r})")
    return a / b


def _pow(a: float, b: float) -> float:
    if a == 0.0 and b < 0.0:
        raise ZeroDivisionError(f"pow: 0 cannot be raised to a negative power ({a!r} ** {b!r})")
    if a < 0.0 and math.isfinite(b) and not b.is_integer():
        raise ValueError(
            f"pow: a negative base to a non-integer power is not real ({a!r} ** {b!r})"
        )
    try:
        return math.pow(a, b)
    except OverflowError:
        # A range error, not a domain error: the result is infinite, as in PyTorch.
        negative = a < 0.0 and b.is_integer() and b % 2.0 == 1.0
        return -_INF if negative else _INF


def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:  # exp(710) and beyond: +inf, as in PyTorch
        return _INF


def _expm1(a: float) -> float:
    try:
        return math.expm1(a)
    except OverflowError:
        return _INF


def _log(a: float) -> float:
    if a <= 0.0:
        raise ValueError(f"log: math domain error, log is defined for x > 0, got x = {a!r}")
    return math.log(a)


def _log1p(a: float) -> float:
    if a <= -1.0:
        raise ValueError(f"log1p: math domain error, log1p is defined for x > -1, got x = {a!r}")
    return math.log1p(a)


def _sqrt(a: float) -> float:
    if a < 0.0:
        raise ValueError(f"sqrt: math domain error, sqrt is defined for x >= 0, got x = {a!r}")
    return math.sqrt(a)


def _periodic(name: str, f: Callable[[float], float]) -> Callable[[float], float]:
    """``f`` with Python's error at +-inf named after the op (sin, cos and tan)."""

    def forward(a: float) -> float:
        if math.isinf(a):
            raise ValueError(f"{name}: math domain error, {name} is not defined at x = {a!r}")
        return f(a)

    forward.__name__ = f"_{name}"
    return forward


_SIN, _COS, _TAN = (
    _periodic(n, f) for n, f in (("sin", math.sin), ("cos", math.cos), ("tan", math.tan))
)


def _sigmoid(a: float) -> float:
    # Two branches so that exp never overflows: exact and finite for any finite a.
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)  # also reached by NaN, which then passes through
    return e / (1.0 + e)


def _softplus(a: float) -> float:
    # max(a, 0) + log(1 + e^-|a|): exp never overflows, and for large |a| the
    # result is a or 0 to the last bit instead of log(1 + e^1000) = inf.
    return (a if a > 0.0 else 0.0) + math.log1p(math.exp(-abs(a)))


def _gelu(a: float) -> float:
    # x * Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2, which keeps its relative
    # accuracy far into the left tail where 1 + erf(x / sqrt 2) cancels to 0.
    return 0.5 * a * math.erfc(-a * _SQRT_HALF)


def _relu(a: float) -> float:
    return 0.0 if a <= 0.0 else a  # NaN fails the test and passes through


def _leaky_relu(a: float, slope: float) -> float:
    return a * slope if a < 0.0 else a


def _maximum(a: float, b: float) -> float:
    if a != a or b != b:  # NaN in, NaN out, as torch.maximum
        return _NAN
    return a if a >= b else b


def _minimum(a: float, b: float) -> float:
    if a != a or b != b:
        return _NAN
    return a if a <= b else b


def _sum(*xs: float) -> float:
    return sum(xs, 0.0)


def _dot(*xs_then_ys: float) -> float:
    n = len(xs_then_ys) // 2
    return sum(map(operator.mul, xs_then_ys[:n], xs_then_ys[n:]), 0.0)


def _max(*xs: float) -> float:
    if not xs:
        raise ValueError("max: the maximum of no numbers is undefined")
    for x in xs:
        if x != x:  # NaN anywhere gives NaN, as torch.amax
            return x
    return max(xs)


# --- helpers that dispatch on float or Value, so derivatives serve every order --


def _log_of(x: Any) -> Any:
    return _log(x) if isinstance(x, float) else x.log()


def _exp_of(x: Any) -> Any:
    return _exp(x) if isinstance(x, float) else x.exp()


def _sin_of(x: Any) -> Any:
    return math.sin(x) if isinstance(x, float) else x.sin()


def _cos_of(x: Any) -> Any:
    return math.cos(x) if isinstance(x, float) else x.cos()


def _sigmoid_of(x: Any) -> Any:
    return _sigmoid(x) if isinstance(x, float) else x.sigmoid()


def _pow_of(x: Any, y: Any) -> Any:
    # float ** float raises OverflowError; _pow gives +-inf there, like the forward pass.
    return _pow(x, y) if isinstance(x, float) and isinstance(y, float) else x**y


def _normal_cdf_of(x: Any) -> Any:
    """Phi(x), the standard normal CDF: erfc on floats, 1 + erf on Values."""
    if isinstance(x, float):
        return 0.5 * math.erfc(-x * _SQRT_HALF)
    return 0.5 * (1.0 + (x * _SQRT_HALF).erf())


def _tuple_source(items: Sequence[str]) -> str:
    """A tuple display of source snippets: ``(a,)`` or ``(a, b)``."""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


# --- the chain rule of each op whose rule needs more than a line ----------------


def _pow_vjp(g: Any, a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    """d/da a**b = b * a**(b - 1) and d/db a**b = a**b * log(a), times g.

    Edges follow PyTorch: d/da is 0 where b == 0 (by the formula, and set at a == 0)
    and +inf at a == 0 for 0 < b < 1; d/db is 0 at a == 0 (not 0 * log 0) and NaN
    for a < 0, where a**b is real only at integer b and so has no derivative in b.
    That NaN is ``out * nan`` rather than a constant, so it stays connected to the
    graph and second derivatives through it are NaN too, as in PyTorch.
    """
    fa, fb = float(a), float(b)
    if fb == 0.0 and (fa == 0.0 or isinstance(b, float)):
        # 0 exactly, as in PyTorch (the formula could give 0 * inf); a Value exponent
        # away from a == 0 keeps the formula, whose derivative in b is not 0.
        d_base: Any = 0.0
    elif fa == 0.0 and fb < 1.0:
        d_base = _INF * g
    else:
        d_base = b * _pow_of(a, b - 1.0) * g
    if fa > 0.0:
        d_exponent: Any = out * _log_of(a) * g
    elif fa == 0.0:
        d_exponent = 0.0
    else:
        d_exponent = out * _NAN * g
    return d_base, d_exponent


def _abs_vjp(g: Any, a: Any, out: Any) -> tuple[Any]:
    """d/da |a| = sign(a), with 0 at a == 0 as in PyTorch."""
    return (g if a > 0.0 else -g if a < 0.0 else 0.0,)


def _sqrt_vjp(g: Any, a: Any, out: Any) -> tuple[Any]:
    """d/da sqrt(a) = 1 / (2 sqrt(a)), which is +inf at a == 0 as in PyTorch."""
    return (_INF * g if float(out) == 0.0 else 0.5 / out * g,)


def _leaky_relu_vjp(g: Any, a: Any, slope: Any, out: Any) -> tuple[Any, Any]:
    """d/da = 1 for a > 0, else slope (slope at the kink, as in PyTorch); d/dslope = min(a, 0)."""
    if a > 0.0:
        return g, 0.0
    return slope * g, a * g


def _maximum_vjp(g: Any, a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    """d/da max(a, b) = 1 where a > b, 0 where a < b, and 1/2 at a tie, as torch.maximum."""
    fa, fb = float(a), float(b)
    if fa == fb:
        return 0.5 * g, 0.5 * g
    if fa > fb:
        return g, 0.0
    return (0.0, g) if fa < fb else (g, g)  # a NaN on either side: both get g, as in PyTorch


def _minimum_vjp(g: Any, a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    """d/da min(a, b) = 1 where a < b, 0 where a > b, and 1/2 at a tie, as torch.minimum."""
    fa, fb = float(a), float(b)
    if fa == fb:
        return 0.5 * g, 0.5 * g
    if fa < fb:
        return g, 0.0
    return (0.0, g) if fa > fb else (g, g)


def _max_vjp(g: Any, *xs_and_out: Any) -> tuple[Any, ...]:
    """d/dx_i max(x) = 1/k for each of the k inputs equal to the max, else 0, as torch.amax.

    When the max is NaN the NaN inputs share the gradient instead.
    """
    *xs, out = xs_and_out
    top = float(out)
    is_nan = top != top
    winners = [(float(x) != float(x)) if is_nan else float(x) == top for x in xs]
    share = g if sum(winners) == 1 else g / sum(winners)
    return tuple(share if won else 0.0 for won in winners)


def _dot_vjp(g: Any, *xs_ys_and_out: Any) -> tuple[Any, ...]:
    """d/dx_i sum_j x_j y_j = y_i and d/dy_i = x_i: the two halves swap."""
    n = (len(xs_ys_and_out) - 1) // 2
    return tuple(d * g for d in xs_ys_and_out[n : 2 * n] + xs_ys_and_out[:n])


def _dot_source(*xs_then_ys: str) -> str:
    n = len(xs_then_ys) // 2
    pairs = [f"{x} * {y}" for x, y in zip(xs_then_ys[:n], xs_then_ys[n:])]
    return f"sum({_tuple_source(pairs)}, 0.0)"


def _dot_vjp_source(g: str, *xs_ys_and_out: str) -> tuple[str, ...]:
    n = (len(xs_ys_and_out) - 1) // 2
    return tuple(f"{d} * {g}" for d in xs_ys_and_out[n : 2 * n] + xs_ys_and_out[:n])


# --- the ops on NumPy arrays (``np`` is the numpy module, passed in) -----------


def _refuse(np: Any, bad: Any, forward: Callable[..., float], *inputs: Any) -> None:
    """Raise ``forward``'s own error at the first sample where ``bad`` holds, naming the sample."""
    if not np.any(bad):
        return
    i = int(np.argmax(bad))
    try:
        forward(*(float(x[i]) if np.ndim(x) else float(x) for x in inputs))
    except (ValueError, ZeroDivisionError) as error:
        raise type(error)(f"{error} (sample {i})") from None


def _checked(name: str, forward: Callable[[float], float], bad: Callable[..., Any]) -> Any:
    """The array forward of a one-input op: ``np.<name>``, refusing where ``bad(np, a)`` holds."""

    def array_forward(np: Any, a: Any) -> Any:
        _refuse(np, bad(np, a), forward, a)
        return getattr(np, name)(a)

    return array_forward


def _div_array(np: Any, a: Any, b: Any) -> Any:
    _refuse(np, b == 0.0, _div, a, b)
    return a / b


def _pow_array(np: Any, a: Any, b: Any) -> Any:
    not_integer = np.isfinite(b) & (np.floor(b) != b)
    _refuse(np, ((a == 0.0) & (b < 0.0)) | ((a < 0.0) & not_integer), _pow, a, b)
    return np.power(a, b)


def _pow_array_vjp(np: Any, g: Any, a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    """``_pow_vjp``, one sample per element: the same branches as selections."""
    d_base = np.where(
        b == 0.0,
        0.0,
        np.where((a == 0.0) & (b < 1.0), np.inf * g, b * np.power(a, b - 1.0) * g),
    )
    log_a = np.log(np.where(a > 0.0, a, 1.0))
    d_exponent = np.where(a > 0.0, out * log_a * g, np.where(a == 0.0, 0.0, out * np.nan * g))
    return d_base, d_exponent


def _sigmoid_array(np: Any, a: Any) -> Any:
    e = np.exp(a)
    return np.where(a >= 0.0, 1.0 / (1.0 + np.exp(-a)), e / (1.0 + e))


def _pick(np: Any, a: Any, b: Any, larger: bool) -> Any:
    """The maximum (or minimum) of a and b, NaN if either is, a at a tie: as the float forward."""
    keep_a = a >= b if larger else a <= b
    return np.where((a != a) | (b != b), np.nan, np.where(keep_a, a, b))


def _sum_array(np: Any, *xs: Any) -> Any:
    """``0.0 + x_1 + ... + x_n`` in the float forward's order, adding in place into one array."""
    total = 0.0
    for x in xs:
        # total is this function's own array once it is one, so += is safe and saves a copy
        total = total.__iadd__(x) if isinstance(total, np.ndarray) else total + x
    return total


def _dot_array(np: Any, *xs_then_ys: Any) -> Any:
    """``0.0 + x_1 y_1 + ... + x_n y_n`` in the float forward's order, in place like ``sum``."""
    n = len(xs_then_ys) // 2
    return _sum_array(np, *map(operator.mul, xs_then_ys[:n], xs_then_ys[n:]))


def _max_array(np: Any, *xs: Any) -> Any:
    top = xs[0]
    for x in xs[1:]:
        top = np.where((top != top) | (x != x), np.nan, np.where(top >= x, top, x))
    return top


def _max_array_vjp(np: Any, g: Any, *xs_and_out: Any) -> tuple[Any, ...]:
    *xs, out = xs_and_out
    is_nan = out != out
    winners = [np.where(is_nan, x != x, x == out) for x in xs]
    share = g / sum(winners)
    return tuple(np.where(won, share, 0.0) for won in winners)


def _max_kink(*xs: float) -> float:
    """How far the largest input is from the runner-up: a tie has no derivative."""
    top = sorted(xs, reverse=True)
    return _INF if len(top) < 2 else top[0] - top[1]


_TABLE = (
    Rule(
        "add",
        operator.add,
        lambda g, a, b, out: (g, g),
        "``a + b``. d/da = 1, d/db = 1.",
        arity=2,
        symbol="+",
        code=lambda a, b: f"{a} + {b}",
        code_vjp=lambda g, a, b, out: (g, g),
        finite=True,
        array=ArrayForm(),
    ),
    Rule(
        "sub",
        operator.sub,
        lambda g, a, b, out: (g, -g),
        "``a - b``. d/da = 1, d/db = -1.",
        arity=2,
        symbol="-",
        code=lambda a, b: f"{a} - {b}",
        code_vjp=lambda g, a, b, out: (g, f"-{g}"),
        finite=True,
        array=ArrayForm(),
    ),
    Rule(
        "mul",
        operator.mul,
        lambda g, a, b, out: (b * g, a * g),
        "``a * b``. d/da = b, d/db = a.",
        arity=2,
        symbol="*",
        code=lambda a, b: f"{a} * {b}",
        code_vjp=lambda g, a, b, out: (f"{b} * {g}", f"{a} * {g}"),
        array=ArrayForm(),
    ),
    Rule(
        "div",
        _div,
        # d/da = 1 / b and d/db = -a / b**2 = -out / b, applied as g / b so that
        # a subnormal b does not overflow before g scales it
        lambda g, a, b, out: (g / b, -(g * out) / b),
        "``a / b``; ``ZeroDivisionError`` for b == 0. d/da = 1 / b, d/db = -a / b**2.",
        arity=2,
        symbol="/",
        code_vjp=lambda g, a, b, out: (f"{g} / {b}", f"-({g} * {out}) / {b}"),
        array=ArrayForm(_div_array),
        domain=((-3.0, 3.0), (0.5, 2.5)),
    ),
    Rule(
        "pow",
        _pow,
        _pow_vjp,
        "``a ** b``. d/da = b a**(b - 1), d/db = a**b log a. ``ValueError`` for a negative "
        "base to a non-integer power, ``ZeroDivisionError`` for 0 to a negative one; "
        "overflow gives +-inf.",
        arity=2,
        symbol="**",
        array=ArrayForm(_pow_array, _pow_array_vjp),
        domain=((0.5, 2.5), (-2.0, 2.0)),
    ),
    Rule(
        "neg",
        operator.neg,
        lambda g, a, out: (-g,),
        "``-a``. d/da = -1.",
        code=lambda a: f"-{a}",
        code_vjp=lambda g, a, out: (f"-{g}",),
        finite=True,
        array=ArrayForm(),
    ),
    Rule(
        "abs",
        abs,
        _abs_vjp,
        "``|a|``. d/da = sign(a), 0 at a == 0 as in PyTorch.",
        code_vjp=lambda g, a, out: (f"({g} if {a} > 0.0 else -{g} if {a} < 0.0 else 0.0)",),
        finite=True,
        array=ArrayForm(
            lambda np, a: np.abs(a),
            lambda np, g, a, out: (np.where(a > 0.0, g, np.where(a < 0.0, -g, 0.0)),),
        ),
        kink=abs,
    ),
    Rule(
        "exp",
        _exp,
        lambda g, a, out: (out * g,),
        "``e ** x``; overflows to +inf, as in PyTorch. d/dx exp x = exp x.",
        code_vjp=lambda g, a, out: (f"{out} * {g}",),
        array=ArrayForm(lambda np, a: np.exp(a)),
        domain=((-10.0, 10.0),),
    ),
    Rule(
        "expm1",
        _expm1,
        # d/dx (e^x - 1) = e^x, computed afresh: out + 1 would round to 0 for x < -37
        lambda g, a, out: (_exp_of(a) * g,),
        "``e ** x - 1``, exact for small x where ``exp(x) - 1`` cancels; overflows to "
        "+inf. d/dx = e ** x.",
        code_vjp=lambda g, a, out: (f"exp_({a}) * {g}",),
        array=ArrayForm(lambda np, a: np.expm1(a), lambda np, g, a, out: (np.exp(a) * g,)),
        domain=((-10.0, 10.0),),
    ),
    Rule(
        "log",
        _log,
        lambda g, a, out: (g / a,),  # d/da log a = 1 / a, applied as g / a (see div)
        "The natural logarithm; ``ValueError`` for x <= 0. d/dx log x = 1 / x.",
        code_vjp=lambda g, a, out: (f"{g} / {a}",),
        array=ArrayForm(_checked("log", _log, lambda np, a: a <= 0.0)),
        domain=((1e-2, 10.0),),
    ),
    Rule(
        "log1p",
        _log1p,
        lambda g, a, out: (g / (1.0 + a),),  # d/da log(1 + a) = 1 / (1 + a)
        "``log(1 + x)``, exact for small x where ``log(1 + x)`` rounds 1 + x; "
        "``ValueError`` for x <= -1. d/dx = 1 / (1 + x).",
        code_vjp=lambda g, a, out: (f"{g} / (1.0 + {a})",),
        array=ArrayForm(_checked("log1p", _log1p, lambda np, a: a <= -1.0)),
        domain=((-0.9, 10.0),),
    ),
    Rule(
        "sqrt",
        _sqrt,
        _sqrt_vjp,
        "The square root; ``ValueError`` for x < 0. d/dx sqrt x = 1 / (2 sqrt x), "
        "+inf at 0 as in PyTorch.",
        code_vjp=lambda g, a, out: (f"(inf_ * {g} if {out} == 0.0 else 0.5 / {out} * {g})",),
        array=ArrayForm(
            _checked("sqrt", _sqrt, lambda np, a: a < 0.0),
            lambda np, g, a, out: (np.where(out == 0.0, np.inf * g, 0.5 / out * g),),
        ),
        domain=((1e-2, 10.0),),
    ),
    Rule(
        "sin",
        _SIN,
        lambda g, a, out: (_cos_of(a) * g,),  # d/da sin a = cos a
        "The sine of x radians; ``ValueError`` at +-inf. d/dx sin x = cos x.",
        code_vjp=lambda g, a, out: (f"cos_({a}) * {g}",),
        finite=True,
        array=ArrayForm(
            _checked("sin", _SIN, lambda np, a: np.isinf(a)),
            lambda np, g, a, out: (np.cos(a) * g,),
        ),
    ),
    Rule(
        "cos",
        _COS,
        lambda g, a, out: (-_sin_of(a) * g,),  # d/da cos a = -sin a
        "The cosine of x radians; ``ValueError`` at +-inf. d/dx cos x = -sin x.",
        code_vjp=lambda g, a, out: (f"-sin_({a}) * {g}",),
        finite=True,
        array=ArrayForm(
            _checked("cos", _COS, lambda np, a: np.isinf(a)),
            lambda np, g, a, out: (-np.sin(a) * g,),
        ),
    ),
    Rule(
        "tan",
        _TAN,
        lambda g, a, out: ((1.0 + out * out) * g,),  # d/da tan a = 1 + tan(a)**2
        "The tangent of x radians; ``ValueError`` at +-inf (near the poles it is large, "
        "not an error). d/dx tan x = 1 + tan(x)**2.",
        code_vjp=lambda g, a, out: (f"(1.0 + {out} * {out}) * {g}",),
        array=ArrayForm(_checked("tan", _TAN, lambda np, a: np.isinf(a))),
        domain=((-1.2, 1.2),),
    ),
    Rule(
        "atan",
        math.atan,
        lambda g, a, out: (g / (1.0 + a * a),),  # d/da atan a = 1 / (1 + a**2)
        "The arctangent, in (-pi/2, pi/2). d/dx atan x = 1 / (1 + x**2).",
        code_vjp=lambda g, a, out: (f"{g} / (1.0 + {a} * {a})",),
        finite=True,
        array=ArrayForm(lambda np, a: np.arctan(a)),
    ),
    Rule(
        "tanh",
        math.tanh,
        # primitive because composing it from exp overflows for large |a| and loses
        # accuracy near 0
        lambda g, a, out: ((1.0 - out * out) * g,),
        "The hyperbolic tangent, finite and exact for any input. d/dx tanh x = 1 - tanh(x)**2.",
        code_vjp=lambda g, a, out: (f"(1.0 - {out} * {out}) * {g}",),
        finite=True,
        array=ArrayForm(lambda np, a: np.tanh(a)),
    ),
    Rule(
        "sigmoid",
        _sigmoid,
        lambda g, a, out: (out * (1.0 - out) * g,),  # primitive for the same reason
        "The logistic function ``1 / (1 + e ** -x)``, finite and exact for any input. "
        "d/dx sigmoid x = sigmoid(x) (1 - sigmoid(x)).",
        code_vjp=lambda g, a, out: (f"{out} * (1.0 - {out}) * {g}",),
        finite=True,
        array=ArrayForm(_sigmoid_array),
    ),
    Rule(
        "softplus",
        _softplus,
        lambda g, a, out: (_sigmoid_of(a) * g,),  # d/da log(1 + e^a) = sigmoid(a)
        "``log(1 + e ** x)``, computed stably: x itself for large x, e ** x for very "
        "negative x, never overflowing. d/dx softplus x = sigmoid x.",
        code_vjp=lambda g, a, out: (f"sigmoid_({a}) * {g}",),
        finite=True,
        array=ArrayForm(
            lambda np, a: np.where(a > 0.0, a, 0.0) + np.log1p(np.exp(-np.abs(a))),
            lambda np, g, a, out: (_sigmoid_array(np, a) * g,),
        ),
    ),
    Rule(
        "erf",
        math.erf,
        lambda g, a, out: (_TWO_OVER_SQRT_PI * _exp_of(-(a * a)) * g,),
        "The error function. d/dx erf x = 2 / sqrt(pi) e ** -x**2.",
        code_vjp=lambda g, a, out: (f"{_TWO_OVER_SQRT_PI!r} * exp_(-({a} * {a})) * {g}",),
        finite=True,
    ),
    Rule(
        "gelu",
        _gelu,
        # d/da a Phi(a) = Phi(a) + a phi(a), with phi the standard normal density
        lambda g, a, out: (
            (_normal_cdf_of(a) + a * _INV_SQRT_TWO_PI * _exp_of(-0.5 * (a * a))) * g,
        ),
        "The Gaussian error linear unit ``x Phi(x)``, in the exact erf form (PyTorch's "
        "default), with Phi the standard normal CDF. d/dx = Phi(x) + x phi(x).",
        finite=True,
    ),
    Rule(
        "relu",
        _relu,
        lambda g, a, out: (g if a > 0.0 else 0.0,),
        "``max(x, 0)``; NaN passes through. d/dx = 1 for x > 0, else 0 (0 at the kink, "
        "as in PyTorch).",
        code_vjp=lambda g, a, out: (f"({g} if {a} > 0.0 else 0.0)",),
        finite=True,
        # maximum and a product, not where: 8x faster on a 16 x 10,000 layer; + 0.0 turns
        # the -0.0 they can give into the 0.0 of the float forward and vjp
        array=ArrayForm(
            lambda np, a: np.maximum(a, 0.0) + 0.0,
            lambda np, g, a, out: (g * (a > 0.0) + 0.0,),
        ),
        kink=abs,
    ),
    Rule(
        "leaky_relu",
        _leaky_relu,
        _leaky_relu_vjp,
        "``x`` where positive, else ``negative_slope * x``. d/dx = 1 for x > 0, else the "
        "slope (the slope at the kink, as in PyTorch).",
        arity=2,
        code_vjp=lambda g, a, s, out: (
            f"({g} if {a} > 0.0 else {s} * {g})",
            f"(0.0 if {a} > 0.0 else {a} * {g})",
        ),
        array=ArrayForm(
            lambda np, a, s: np.where(a < 0.0, a * s, a),
            lambda np, g, a, s, out: (
                np.where(a > 0.0, g, s * g),
                np.where(a > 0.0, 0.0, a * g),
            ),
        ),
        domain=((-3.0, 3.0), (0.0, 1.0)),
        kink=lambda a, slope: abs(a),
    ),
    Rule(
        "maximum",
        _maximum,
        _maximum_vjp,
        "The larger of a and b; NaN if either is NaN. The gradient goes to the larger "
        "input, split 1/2 and 1/2 at a tie, as ``torch.maximum``.",
        arity=2,
        finite=True,
        array=ArrayForm(
            lambda np, a, b: _pick(np, a, b, larger=True),
            lambda np, g, a, b, out: (
                np.where(a == b, 0.5 * g, np.where(a < b, 0.0, g)),
                np.where(a == b, 0.5 * g, np.where(a > b, 0.0, g)),
            ),
        ),
        kink=lambda a, b: abs(a - b),
    ),
    Rule(
        "minimum",
        _minimum,
        _minimum_vjp,
        "The smaller of a and b; NaN if either is NaN. The gradient goes to the smaller "
        "input, split 1/2 and 1/2 at a tie, as ``torch.minimum``.",
        arity=2,
        finite=True,
        array=ArrayForm(
            lambda np, a, b: _pick(np, a, b, larger=False),
            lambda np, g, a, b, out: (
                np.where(a == b, 0.5 * g, np.where(a > b, 0.0, g)),
                np.where(a == b, 0.5 * g, np.where(a < b, 0.0, g)),
            ),
        ),
        kink=lambda a, b: abs(a - b),
    ),
    Rule(
        "sum",
        _sum,
        lambda g, *xs_and_out: (g,) * (len(xs_and_out) - 1),  # d/dx_i (x_1 + ... + x_n) = 1
        "The sum of many Values and numbers as ONE node with many parents. "
        "d/dx_i (x_1 + ... + x_n) = 1.",
        arity=None,
        code=lambda *xs: f"sum({_tuple_source(xs)}, 0.0)",
        code_vjp=lambda g, *xs_and_out: (g,) * (len(xs_and_out) - 1),
        finite=True,
        array=ArrayForm(_sum_array),
    ),
    Rule(
        "dot",
        _dot,
        _dot_vjp,
        "``x_1 * y_1 + ... + x_n * y_n`` as ONE node. d/dx_i = y_i, d/dy_i = x_i.",
        arity=None,
        code=_dot_source,
        code_vjp=_dot_vjp_source,
        array=ArrayForm(_dot_array),
    ),
    Rule(
        "max",
        _max,
        _max_vjp,
        "The largest of many Values and numbers as ONE node; NaN if any is NaN. The "
        "gradient goes to the largest input, split evenly at ties, as ``torch.amax``.",
        arity=None,
        finite=True,
        array=ArrayForm(_max_array, _max_array_vjp),
        kink=_max_kink,
    ),
)

#: Every primitive by name; ``@autograd.op`` adds rows.
RULES: dict[str, Rule] = {rule.name: rule for rule in _TABLE}

#: The ops that ship with the library; ``@autograd.op`` adds rows under other names.
BUILT_IN_OPS = frozenset(RULES)
