"""Hypothesis strategies shared by the test suite, built on the public ``autograd.testing``."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from autograd import Value
from autograd.testing import Expression, differentiable_cases, domain, expressions

__all__ = [
    "Expression",
    "bounded_floats",
    "differentiable_cases",
    "expressions",
    "positive_floats",
    "to_values",
]

#: Inputs stay in a range where every composed op is well conditioned.
INPUT_BOUND = 2.0


def bounded_floats(
    low: float = -INPUT_BOUND, high: float = INPUT_BOUND
) -> st.SearchStrategy[float]:
    """Finite floats in [low, high]."""
    return domain(low=low, high=high)


def positive_floats(low: float = 1e-2, high: float = 10.0) -> st.SearchStrategy[float]:
    """Finite floats in [low, high], for log and sqrt."""
    return domain(low=low, high=high)


def to_values(xs: Sequence[float]) -> list[Value]:
    """Fresh leaves holding ``xs``."""
    return [Value(x) for x in xs]
