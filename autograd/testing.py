"""Hypothesis strategies and assertions for testing gradients (needs the ``hypothesis`` extra).

Use them in your own test suite to property-test ops you write::

    import math
    from hypothesis import given
    from autograd import op
    from autograd.testing import assert_gradients_close, domain

    @op(derivative=lambda x: 1.0 / (1.0 + x * x))
    def arctan(x):
        return math.atan(x)

    @given(domain(low=-5.0, high=5.0))
    def test_arctan_gradient(x):
        assert_gradients_close(arctan, [x], order=2)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "autograd.testing needs Hypothesis: pip install 'chainrule[hypothesis]'"
    ) from error

from . import functions as F
from .gradcheck import gradcheck, gradgradcheck

__all__ = [
    "Expression",
    "assert_gradients_close",
    "differentiable_cases",
    "domain",
    "expressions",
]

#: Where each op's inputs are drawn by default: inside its domain, where it is well conditioned.
_DOMAINS: dict[str, tuple[float, float]] = {
    "log": (1e-2, 10.0),
    "sqrt": (1e-2, 10.0),
    "exp": (-10.0, 10.0),
}
_DEFAULT_DOMAIN = (-3.0, 3.0)


def domain(
    op: str | None = None, *, low: float | None = None, high: float | None = None
) -> st.SearchStrategy[float]:
    """Finite floats inside an op's domain: positive for ``log`` and ``sqrt``, else bounded.

    Args:
        op: a built-in op's name, or None for the default range [-3, 3].
        low: override the lower bound.
        high: override the upper bound.

    Returns:
        A Hypothesis strategy of floats.

    Example:
        >>> from hypothesis import given
        >>> @given(domain("log"))
        ... def test_positive(x):
        ...     assert x > 0
        >>> test_positive()
    """
    default_low, default_high = _DOMAINS.get(op or "", _DEFAULT_DOMAIN)
    lo = default_low if low is None else low
    hi = default_high if high is None else high
    if not lo < hi:
        raise ValueError(f"domain() needs low < high, got {lo} and {hi}")
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


# Each step names an op and the earlier nodes it reads (the inputs come first).
# Guards keep every op inside its domain and well conditioned: log and sqrt read
# 1 + a*a, division divides by 1 + b*b, pow raises a base in (0.5, 2.5) to a power
# in (-2, 2), exp reads 2 tanh(a). Constants appear on either side of the binary ops.
_STEPS: dict[str, Callable[..., Any]] = {
    "neg": lambda a: -a,
    "abs": abs,
    "exp": lambda a: F.exp(F.tanh(a) * 2.0),
    "log": lambda a: F.log(1.0 + a * a),
    "sqrt": lambda a: F.sqrt(1.0 + a * a),
    "sin": F.sin,
    "cos": F.cos,
    "tanh": F.tanh,
    "sigmoid": F.sigmoid,
    "relu": F.relu,
    "leaky_relu": lambda a: F.leaky_relu(a, 0.1),
    "square": lambda a: a**2,
    "cube": lambda a: F.tanh(a) ** 3,
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: F.tanh(a) * b,
    "div": lambda a, b: a / (1.0 + b * b),
    "pow": lambda a, b: (1.5 + F.tanh(a)) ** (2.0 * F.tanh(b)),
    "const_sub": lambda a, b: 0.5 - a + b,
    "const_mul": lambda a, b: 0.5 * a * 3.0 + b,
    "const_div": lambda a, b: 2.0 / (2.0 + F.sin(a)) + b,
    "const_pow": lambda a, b: 2.0 ** F.tanh(a) * b,
    "sum": lambda *xs: F.sum([*xs, 1.0]),
    "dot": lambda *xs: F.dot(xs[: len(xs) // 2], xs[len(xs) // 2 : 2 * (len(xs) // 2)]),
}
_UNARY: tuple[str, ...] = ("neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid")
_UNARY += ("relu", "leaky_relu", "square", "cube")
_BINARY = ("add", "sub", "mul", "div", "pow", "const_sub", "const_mul", "const_div", "const_pow")
_NARY = ("sum", "dot")
#: Steps with a kink at 0, where no derivative exists.
_KINKED = frozenset({"abs", "relu", "leaky_relu"})


@dataclass(frozen=True)
class Expression:
    """A random expression graph over ``n_inputs`` inputs, as a list of steps.

    Call it with Values (to build a graph) or with floats (to evaluate). Steps
    read earlier nodes, so nodes are shared and the graph is a DAG, not a tree.
    """

    n_inputs: int
    steps: tuple[tuple[str, tuple[int, ...]], ...]

    def __call__(self, *inputs: Any) -> Any:
        """Evaluate on Values or floats; returns the last node."""
        nodes: list[Any] = list(inputs)
        for name, reads in self.steps:
            nodes.append(_STEPS[name](*(nodes[i] for i in reads)))
        return nodes[-1]

    def kink_distance(self, *inputs: float) -> float:
        """How close any kinked op's argument comes to its kink at 0 (inf if none)."""
        nodes: list[Any] = list(inputs)
        distance = math.inf
        for name, reads in self.steps:
            args = [nodes[i] for i in reads]
            if name in _KINKED:
                distance = min(distance, abs(float(args[0])))
            nodes.append(_STEPS[name](*args))
        return distance

    def __repr__(self) -> str:
        names = [f"x{i}" for i in range(self.n_inputs)]
        lines = []
        for k, (name, reads) in enumerate(self.steps):
            node = f"v{k}"
            lines.append(f"{node} = {name}({', '.join(names[i] for i in reads)})")
            names.append(node)
        return f"Expression({'; '.join(lines)})"


def expressions(n_inputs: int = 2, *, max_steps: int = 8) -> st.SearchStrategy[Expression]:
    """Random differentiable expression graphs over ``n_inputs`` inputs using every built-in op.

    Args:
        n_inputs: how many inputs the expression takes.
        max_steps: the most operations in one expression.

    Returns:
        A Hypothesis strategy of :class:`Expression`.

    Example:
        >>> from hypothesis import given
        >>> @given(expressions(n_inputs=2))
        ... def test_builds(expr):
        ...     assert isinstance(expr(0.5, -0.25), float)
        >>> test_builds()
    """
    if n_inputs < 1 or max_steps < 1:
        raise ValueError(
            f"expressions() needs n_inputs >= 1 and max_steps >= 1, got {n_inputs}, {max_steps}"
        )

    @st.composite
    def build(draw: st.DrawFn) -> Expression:
        steps: list[tuple[str, tuple[int, ...]]] = []
        for k in range(draw(st.integers(1, max_steps))):
            index = st.integers(0, n_inputs + k - 1)
            kind = draw(st.sampled_from(("unary", "binary", "nary")))
            if kind == "unary":
                steps.append((draw(st.sampled_from(_UNARY)), (draw(index),)))
            elif kind == "binary":
                steps.append((draw(st.sampled_from(_BINARY)), (draw(index), draw(index))))
            else:
                reads = tuple(draw(st.lists(index, min_size=2, max_size=6)))
                steps.append((draw(st.sampled_from(_NARY)), reads))
        return Expression(n_inputs, tuple(steps))

    return build()


def differentiable_cases(
    n_inputs: int = 2,
    *,
    max_steps: int = 8,
    low: float = -2.0,
    high: float = 2.0,
    kink_margin: float = 1e-3,
) -> st.SearchStrategy[tuple[Expression, list[float]]]:
    """Pairs ``(expression, point)`` where no kinked op is within ``kink_margin`` of its kink.

    Args:
        n_inputs: how many inputs.
        max_steps: the most operations in one expression.
        low: the smallest input.
        high: the largest input.
        kink_margin: the closest a relu/abs/leaky_relu argument may come to 0.

    Returns:
        A Hypothesis strategy of ``(Expression, list of floats)``.
    """
    point = st.lists(domain(low=low, high=high), min_size=n_inputs, max_size=n_inputs)
    return st.tuples(expressions(n_inputs, max_steps=max_steps), point).filter(
        lambda case: case[0].kink_distance(*case[1]) > kink_margin
    )


def assert_gradients_close(
    f: Callable[..., object],
    inputs: Sequence[float],
    *,
    order: int = 1,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> None:
    """Assert that ``f``'s derivatives match finite differences, with a readable table if not.

    Args:
        f: takes one Value per input and returns a Value.
        inputs: the point to check at.
        order: 1 checks the gradient; 2 checks the gradient and the second partials.
        eps: the finite-difference step.
        atol: the absolute tolerance.
        rtol: the relative tolerance.

    Raises:
        autograd.GradcheckError: (an ``AssertionError``) listing each input's
            analytic and numeric derivative and the error.

    Example:
        >>> assert_gradients_close(lambda x, y: (x * y).tanh(), [0.5, -1.0], order=2)
    """
    if order not in (1, 2):
        raise ValueError(f"assert_gradients_close() order must be 1 or 2, got {order!r}")
    gradcheck(f, inputs, eps=eps, atol=atol, rtol=rtol)
    if order == 2:
        gradgradcheck(f, inputs, eps=eps, atol=atol, rtol=rtol)
