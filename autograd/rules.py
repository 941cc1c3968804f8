"""The primitive table: every operation's forward function and its local derivatives.

This is the one place where calculus lives. Each row of ``RULES`` is a primitive:

* ``forward(*inputs)`` computes the result from plain floats, raising a clear
  error outside the operation's domain (domains follow Python's :mod:`math`).
* ``partials(*inputs, out)`` returns ``d out / d input_i`` for every input, in
  input order, given the inputs and the forward result ``out``.

The partials are written with arithmetic operators and the small dispatching
helpers below, so the same function works on floats (what ``backward()`` uses)
and on Values (what differentiating a derivative needs). Branches compare with
``<`` and ``>`` or go through ``float(x)``: on a Value ``==`` is identity.

Subtraction and division are primitives rather than ``a + (-b)`` and
``a * b**-1`` because composing them would double the nodes on hot paths.
``sum`` and ``dot`` are n-ary: one node however many inputs, which is what
makes a neuron cheap.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = ["BUILT_IN_OPS", "RULES", "Rule"]

_INF = math.inf
_NAN = math.nan


class Rule(NamedTuple):
    """One primitive: how to compute it and its local partial derivatives."""

    forward: Callable[..., float]
    partials: Callable[..., tuple[Any, ...]]


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


def _log(a: float) -> float:
    if a <= 0.0:
        raise ValueError(f"log: math domain error, log is defined for x > 0, got x = {a!r}")
    return math.log(a)


def _sqrt(a: float) -> float:
    if a < 0.0:
        raise ValueError(f"sqrt: math domain error, sqrt is defined for x >= 0, got x = {a!r}")
    return math.sqrt(a)


def _sin(a: float) -> float:
    if math.isinf(a):
        raise ValueError(f"sin: math domain error, sin is not defined at x = {a!r}")
    return math.sin(a)


def _cos(a: float) -> float:
    if math.isinf(a):
        raise ValueError(f"cos: math domain error, cos is not defined at x = {a!r}")
    return math.cos(a)


def _sigmoid(a: float) -> float:
    # Two branches so that exp never overflows: exact and finite for any finite a.
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)  # also reached by NaN, which then passes through
    return e / (1.0 + e)


def _relu(a: float) -> float:
    return 0.0 if a <= 0.0 else a  # NaN fails the test and passes through


def _leaky_relu(a: float, slope: float) -> float:
    return a * slope if a < 0.0 else a


def _sum(*xs: float) -> float:
    return sum(xs, 0.0)


def _dot(*xs_then_ys: float) -> float:
    n = len(xs_then_ys) // 2
    return sum(map(operator.mul, xs_then_ys[:n], xs_then_ys[n:]), 0.0)


# --- helpers that dispatch on float or Value, so partials serve every order ---


def _log_of(x: Any) -> Any:
    return _log(x) if isinstance(x, float) else x.log()


def _sin_of(x: Any) -> Any:
    return _sin(x) if isinstance(x, float) else x.sin()


def _pow_of(x: Any, y: Any) -> Any:
    # float ** float raises OverflowError; _pow gives +-inf there, like the forward pass.
    return _pow(x, y) if isinstance(x, float) and isinstance(y, float) else x**y


def _cos_of(x: Any) -> Any:
    return _cos(x) if isinstance(x, float) else x.cos()


# --- partial derivatives: (*inputs, out) -> one partial per input -------------


def _pow_partials(a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    """d/da a**b = b * a**(b - 1) and d/db a**b = a**b * log(a).

    Edges follow PyTorch: d/da is 0 where b == 0 (by the formula, and set at a == 0)
    and +inf at a == 0 for 0 < b < 1;
    d/db is 0 at a == 0 (not 0 * log 0) and NaN for a < 0, where a**b is real
    only at integer b and so has no derivative in b.
    """
    fa, fb = float(a), float(b)
    if fb == 0.0 and (fa == 0.0 or isinstance(b, float)):
        # 0 exactly, as in PyTorch (the formula could give 0 * inf); a Value exponent
        # away from a == 0 keeps the formula, whose derivative in b is not 0.
        d_base: Any = 0.0
    elif fa == 0.0 and fb < 1.0:
        d_base = _INF
    else:
        d_base = b * _pow_of(a, b - 1.0)
    if fa > 0.0:
        d_exponent: Any = out * _log_of(a)
    elif fa == 0.0:
        d_exponent = 0.0
    else:
        d_exponent = _NAN
    return d_base, d_exponent


def _abs_partials(a: Any, out: Any) -> tuple[float]:
    """d/da |a| = sign(a), with 0 at a == 0 as in PyTorch."""
    return (1.0 if a > 0.0 else -1.0 if a < 0.0 else 0.0,)


def _sqrt_partials(a: Any, out: Any) -> tuple[Any]:
    """d/da sqrt(a) = 1 / (2 sqrt(a)), which is +inf at a == 0 as in PyTorch."""
    return (_INF if float(out) == 0.0 else 0.5 / out,)


def _relu_partials(a: Any, out: Any) -> tuple[float]:
    """d/da max(a, 0) = 1 for a > 0, else 0 (0 at the kink, as in PyTorch)."""
    return (1.0 if a > 0.0 else 0.0,)


def _leaky_relu_partials(a: Any, slope: Any, out: Any) -> tuple[Any, Any]:
    """d/da = 1 for a > 0, else slope (slope at the kink, as in PyTorch); d/dslope = min(a, 0)."""
    if a > 0.0:
        return 1.0, 0.0
    return slope, a


def _sum_partials(*xs_and_out: Any) -> tuple[float, ...]:
    """d/dx_i (x_1 + ... + x_n) = 1."""
    return (1.0,) * (len(xs_and_out) - 1)


def _dot_partials(*xs_ys_and_out: Any) -> tuple[Any, ...]:
    """d/dx_i sum_j x_j y_j = y_i and d/dy_i = x_i: the two halves swap."""
    n = (len(xs_ys_and_out) - 1) // 2
    return xs_ys_and_out[n : 2 * n] + xs_ys_and_out[:n]


RULES: dict[str, Rule] = {
    # d/da (a + b) = 1, d/db = 1
    "add": Rule(operator.add, lambda a, b, out: (1.0, 1.0)),
    # d/da (a - b) = 1, d/db = -1
    "sub": Rule(operator.sub, lambda a, b, out: (1.0, -1.0)),
    # d/da (a * b) = b, d/db = a
    "mul": Rule(operator.mul, lambda a, b, out: (b, a)),
    # d/da (a / b) = 1 / b, d/db = -a / b**2 = -out / b
    "div": Rule(_div, lambda a, b, out: (1.0 / b, -out / b)),
    "pow": Rule(_pow, _pow_partials),
    # d/da (-a) = -1
    "neg": Rule(operator.neg, lambda a, out: (-1.0,)),
    "abs": Rule(abs, _abs_partials),
    # d/da exp(a) = exp(a): reuse the output
    "exp": Rule(_exp, lambda a, out: (out,)),
    # d/da log(a) = 1 / a
    "log": Rule(_log, lambda a, out: (1.0 / a,)),
    "sqrt": Rule(_sqrt, _sqrt_partials),
    # d/da sin(a) = cos(a)
    "sin": Rule(_sin, lambda a, out: (_cos_of(a),)),
    # d/da cos(a) = -sin(a)
    "cos": Rule(_cos, lambda a, out: (-_sin_of(a),)),
    # d/da tanh(a) = 1 - tanh(a)**2; primitive because composing it from exp
    # overflows for large |a| and loses accuracy near 0
    "tanh": Rule(math.tanh, lambda a, out: (1.0 - out * out,)),
    # d/da sigmoid(a) = sigmoid(a) * (1 - sigmoid(a)); primitive for the same reason
    "sigmoid": Rule(_sigmoid, lambda a, out: (out * (1.0 - out),)),
    "relu": Rule(_relu, _relu_partials),
    "leaky_relu": Rule(_leaky_relu, _leaky_relu_partials),
    "sum": Rule(_sum, _sum_partials),
    "dot": Rule(_dot, _dot_partials),
}

#: The ops that ship with the library; ``@autograd.op`` adds rows under other names.
BUILT_IN_OPS = frozenset(RULES)
