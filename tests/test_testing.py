"""autograd.testing: the public strategies and assertion, used as a user would."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from autograd import GradcheckError, Value, op
from autograd.graph import topological_order
from autograd.rules import BUILT_IN_OPS
from autograd.testing import (
    _STEPS,
    _UNARY,
    Expression,
    assert_gradients_close,
    differentiable_cases,
    domain,
    expressions,
)


@op(derivative=lambda x: 1.0 / (1.0 + x * x))
def arctan(x: float) -> float:
    return math.atan(x)


class TestWorkedExample:
    @given(domain(low=-5.0, high=5.0))
    def test_users_own_op_first_and_second_order(self, x: float) -> None:
        """The README's five-line property test of a custom op passes."""
        assert_gradients_close(arctan, [x], order=2)


class TestStrategies:
    @given(domain("log"))
    def test_log_domain_is_positive(self, x: float) -> None:
        """domain('log') draws positive numbers."""
        assert x > 0

    def test_domain_needs_low_below_high(self) -> None:
        """domain() with low >= high raises ValueError."""
        with pytest.raises(ValueError, match="low < high"):
            domain(low=1.0, high=1.0)

    @given(expressions(n_inputs=2, max_steps=5))
    def test_expressions_evaluate_on_floats(self, expr: Expression) -> None:
        """A drawn expression evaluates on floats to a float and has a readable repr."""
        assert isinstance(expr(0.3, -0.6), float)
        assert repr(expr).startswith("Expression(v0 = ")

    @given(differentiable_cases(n_inputs=2))
    def test_cases_keep_away_from_kinks(self, case: tuple[Expression, list[float]]) -> None:
        """differentiable_cases never puts a kinked op's argument within the margin of 0."""
        expr, xs = case
        assert expr.kink_distance(*xs) > 1e-3

    def test_expressions_use_every_builtin_op(self) -> None:
        """Every built-in op appears in the graphs that expression steps build."""
        seen: set[str] = set()
        for step in _STEPS:
            reads = (0,) if step in _UNARY else (0, 0)
            out = Expression(1, ((step, reads),))(Value(0.3))
            seen |= {node.op for node in topological_order(out)}
        assert seen >= BUILT_IN_OPS


class TestAssertGradientsClose:
    def test_wrong_derivative_fails_with_table(self) -> None:
        """A wrong derivative fails with the gradcheck table."""

        @op(derivative=lambda x: 3.0 * x * x + 1.0, name="almost_cube")
        def almost_cube(x: float) -> float:
            return x**3

        with pytest.raises(GradcheckError, match="analytic"):
            assert_gradients_close(almost_cube, [0.5])

    def test_wrong_second_derivative_fails_only_at_order_two(self) -> None:
        """A derivative whose own derivative is wrong passes order 1 and fails order 2."""

        @op(derivative=lambda x: math.cos(float(x)), name="flat_sin")
        def flat_sin(x: float) -> float:
            return math.sin(x)

        assert_gradients_close(flat_sin, [0.4])
        with pytest.raises(AssertionError):
            assert_gradients_close(flat_sin, [0.4], order=2)

    def test_bad_order(self) -> None:
        """order must be 1 or 2."""
        with pytest.raises(ValueError, match="order"):
            assert_gradients_close(arctan, [0.1], order=3)
