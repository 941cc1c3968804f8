"""Hypothesis strategies shared by the test suite: bounded numbers and random expression graphs."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

import autograd
from autograd import Value

#: Inputs stay in a range where every composed op is well conditioned.
INPUT_BOUND = 2.0
#: How close to a kink (relu, abs, leaky_relu at 0) an argument may come before the
#: example is rejected: finite differences across a kink disagree with any derivative.
KINK_MARGIN = 1e-3


def bounded_floats(
    low: float = -INPUT_BOUND, high: float = INPUT_BOUND
) -> st.SearchStrategy[float]:
    """Finite floats in [low, high]."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def positive_floats(low: float = 1e-2, high: float = 10.0) -> st.SearchStrategy[float]:
    """Finite floats in [low, high], for log and sqrt."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


# Each step names an op and the earlier nodes it reads (inputs come first). Guards
# keep every op in its domain: log and sqrt read 1 + a*a, division divides by
# 1 + b*b, pow raises a base in (0.5, 2.5) to an exponent in (-2, 2).
UNARY_STEPS = (
    "neg",
    "abs",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "leaky_relu",
    "square",
    "cube",
)
BINARY_STEPS = ("add", "sub", "mul", "div", "pow", "rsub_const", "mul_const", "const_div")
NARY_STEPS = ("sum", "dot")


@dataclass(frozen=True)
class Expression:
    """A random expression graph over ``n_inputs`` inputs, as a list of steps."""

    n_inputs: int
    steps: tuple[tuple[str, tuple[int, ...]], ...]

    def __call__(self, *inputs: Any) -> Any:
        """Evaluate on Values or floats; returns the last node."""
        return self.evaluate(inputs)[0]

    def evaluate(self, inputs: Sequence[Any]) -> tuple[Any, float]:
        """The last node and the smallest distance of any kink argument to its kink."""
        nodes: list[Any] = list(inputs)
        margin = math.inf
        for name, reads in self.steps:
            args = [nodes[i] for i in reads]
            if name in ("abs", "relu", "leaky_relu"):
                margin = min(margin, abs(float(args[0])))
            nodes.append(_STEP_FUNCTIONS[name](*args))
        return nodes[-1], margin


def _square(a: Any) -> Any:
    return a**2


_STEP_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "neg": lambda a: -a,
    "abs": abs,
    "exp": lambda a: autograd.exp(autograd.tanh(a) * 2.0),
    "log": lambda a: autograd.log(1.0 + a * a),
    "sqrt": lambda a: autograd.sqrt(1.0 + a * a),
    "sin": autograd.sin,
    "cos": autograd.cos,
    "tanh": autograd.tanh,
    "sigmoid": autograd.sigmoid,
    "relu": autograd.relu,
    "leaky_relu": lambda a: autograd.leaky_relu(a, 0.1),
    "square": _square,
    "cube": lambda a: autograd.tanh(a) ** 3,
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: autograd.tanh(a) * b,
    "div": lambda a, b: a / (1.0 + b * b),
    "pow": lambda a, b: (1.5 + autograd.tanh(a)) ** (2.0 * autograd.tanh(b)),
    "rsub_const": lambda a, b: 0.5 - a + b,
    "mul_const": lambda a, b: 0.5 * a * 3.0 + b,
    "const_div": lambda a, b: 2.0 / (2.0 + autograd.sin(a)) + b,
    "sum": lambda *xs: autograd.sum([*xs, 1.0]),
    "dot": lambda *xs: autograd.dot(xs[: len(xs) // 2], xs[len(xs) // 2 : 2 * (len(xs) // 2)]),
}


@st.composite
def expressions(draw: st.DrawFn, n_inputs: int = 3, max_steps: int = 8) -> Expression:
    """A random expression over ``n_inputs`` inputs using every op, with shared subexpressions.

    Each step reads earlier nodes chosen at random, so nodes are reused (fan-out)
    and the graph is a DAG, not a tree.
    """
    steps: list[tuple[str, tuple[int, ...]]] = []
    n_steps = draw(st.integers(1, max_steps))
    for k in range(n_steps):
        available = n_inputs + k
        index = st.integers(0, available - 1)
        kind = draw(st.sampled_from(("unary", "binary", "nary")))
        if kind == "unary":
            steps.append((draw(st.sampled_from(UNARY_STEPS)), (draw(index),)))
        elif kind == "binary":
            steps.append((draw(st.sampled_from(BINARY_STEPS)), (draw(index), draw(index))))
        else:
            reads = tuple(draw(st.lists(index, min_size=2, max_size=6)))
            steps.append((draw(st.sampled_from(NARY_STEPS)), reads))
    return Expression(n_inputs, tuple(steps))


def to_values(xs: Sequence[float]) -> list[Value]:
    """Fresh leaves holding ``xs``."""
    return [Value(x) for x in xs]
