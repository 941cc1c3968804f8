"""autograd.testing: the public strategies and assertion, used as a user would."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given

from autograd import GradcheckError, Value, op
from autograd.graph import topological_order
from autograd.rules import BUILT_IN_OPS, RULES
from autograd.testing import (
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
        """A step of each built-in op builds its node on an input mapped into its domain."""
        for name in BUILT_IN_OPS:
            reads = (0,) * (RULES[name].arity or 2)
            out = Expression(1, ((name, reads),))(Value(0.3))
            assert out.op == name
            inner = {node.op for node in topological_order(out) if node.op}
            assert inner <= {name, "sigmoid", "mul", "add"}

    @given(expressions(n_inputs=2, max_steps=30))
    def test_drawn_steps_stay_inside_every_domain(self, expr: Expression) -> None:
        """Every drawn expression evaluates without a domain error and keeps its nodes bounded."""
        value = expr(1.9, -1.9)
        assert math.isfinite(value)

    def test_a_node_read_twice_is_mapped_once(self) -> None:
        """x * x through the same range reads one mapped node twice, keeping both edges."""
        out = Expression(1, (("mul", (0, 0)),))(Value(0.3))
        assert out.parents[0] is out.parents[1]

    def test_constants_appear_in_the_repr(self) -> None:
        """A constant operand is a float in the steps and is shown as a number."""
        expr = Expression(1, (("pow", (0, 1.5)),))
        assert repr(expr) == "Expression(v0 = pow(x0, 1.5))"
        assert expr(Value(0.3)).operands[1] == 1.5

    @given(domain("pow", position=1))
    def test_domain_of_a_later_input(self, x: float) -> None:
        """domain(op, position=i) draws from the row's range for input i."""
        assert -2.0 <= x <= 2.0

    def test_sizes_have_a_generous_limit(self) -> None:
        """Counts past checks.MAX_SIZE are refused up front, naming the parameter."""
        with pytest.raises(ValueError, match=r"^expressions: max_steps must be <= 10,000,000"):
            expressions(max_steps=10**9)
        with pytest.raises(ValueError, match=r"^differentiable_cases: n_inputs must be <= "):
            differentiable_cases(n_inputs=10**400)

    @pytest.mark.parametrize(
        ("n_inputs", "steps", "error", "match"),
        [
            (0, (), ValueError, "n_inputs must be >= 1"),
            (1, "exp", TypeError, "steps must be a sequence"),
            (1, (("nope", (0,)),), ValueError, r"steps\[0\]\[0\] must be the name of an op"),
            (
                1,
                (("exp", (0, 0)),),
                ValueError,
                r"steps\[0\]\[1\] has 2 reads, the wrong number for exp",
            ),
            (
                1,
                (("dot", (0, 0, 0)),),
                ValueError,
                r"steps\[0\]\[1\] has 3 reads, the wrong number for dot",
            ),
            (1, (("exp", (1,)),), ValueError, r"steps\[0\]\[1\]\[0\] must be <= 0"),
            (2, (("mul", (0, True)),), TypeError, r"steps\[0\]\[1\]\[1\] must be an int"),
        ],
    )
    def test_expressions_are_checked(
        self, n_inputs: int, steps: Any, error: type[Exception], match: str
    ) -> None:
        """An Expression built by hand must read earlier nodes through known ops."""
        with pytest.raises(error, match=f"^Expression: {match}"):
            Expression(n_inputs, steps)

    def test_domain_of_an_unknown_op(self) -> None:
        """domain() refuses a name that is not an op."""
        with pytest.raises(ValueError, match="op"):
            domain("nope")


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
