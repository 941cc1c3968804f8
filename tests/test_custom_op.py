"""@autograd.op: user-defined primitives of any order, and their error messages."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import GradcheckError, Value, grad, gradcheck, gradgradcheck, op
from autograd.rules import RULES


@op(derivative=lambda x: 1.0 / (1.0 + x * x))
def arctan(x: float) -> float:
    return math.atan(x)


@op(derivative=lambda x, y: (y * autograd.cos(x * y), x * autograd.cos(x * y)))
def sin_of_product(x: float, y: float) -> float:
    return math.sin(x * y)


class TestCustomOp:
    def test_value_name_and_gradient(self) -> None:
        """A custom op computes its value, records its name and backpropagates."""
        x = Value(1.0)
        y = arctan(x)
        y.backward()
        assert y.op == "arctan"
        assert y.parents == (x,)
        assert y.data == math.atan(1.0)
        assert x.grad == 0.5

    def test_numbers_only_give_a_float(self) -> None:
        """Called with numbers only, a custom op returns a float."""
        assert arctan(1.0) == math.atan(1.0)
        assert type(arctan(1)) is float

    def test_two_inputs_with_a_constant(self) -> None:
        """A tuple of partials maps to the inputs; constants get none."""
        x = Value(0.5)
        out = sin_of_product(x, 3.0)
        out.backward()
        assert math.isclose(x.grad, 3.0 * math.cos(1.5), rel_tol=1e-12)
        assert out.parents == (x,)

    def test_all_orders_when_derivative_uses_autograd(self) -> None:
        """A derivative written with autograd's functions differentiates again."""
        second = grad(grad(arctan))(0.5)
        assert math.isclose(second, -2 * 0.5 / (1 + 0.25) ** 2, rel_tol=1e-12)
        assert gradgradcheck(lambda a, b: sin_of_product(a, b), [0.3, -1.1])

    def test_gradcheck_catches_a_wrong_derivative(self) -> None:
        """A deliberately wrong derivative is caught: exception, and False without raising."""

        @op(derivative=lambda x: 2.0 * math.cos(x), name="bad_sin")
        def bad_sin(x: float) -> float:
            return math.sin(x)

        with pytest.raises(GradcheckError, match="mismatch"):
            gradcheck(bad_sin, [0.3])
        assert gradcheck(bad_sin, [0.3], raise_exception=False) is False

    def test_wrong_arity_call(self) -> None:
        """Calling with the wrong number of arguments raises TypeError naming the op."""
        with pytest.raises(TypeError, match=r"arctan\(\) takes 1"):
            arctan(Value(1.0), 2.0)

    def test_non_number_argument(self) -> None:
        """A non-number argument raises TypeError naming the op and the type."""
        with pytest.raises(
            TypeError, match=r"^arctan: inputs\[0\] must be a Value or a real number, got str"
        ):
            arctan("1")

    def test_non_number_result(self) -> None:
        """A value that is not a real number raises TypeError naming the op."""

        @op(derivative=lambda x: 1.0)
        def broken(x: float) -> float:
            return "no"  # type: ignore[return-value]

        with pytest.raises(TypeError, match="'broken' returned str"):
            broken(Value(1.0))

    def test_wrong_number_of_partials(self) -> None:
        """A derivative returning the wrong number of partials raises ValueError naming the op."""

        @op(derivative=lambda x, y: (1.0,))
        def two_in(x: float, y: float) -> float:
            return x + y

        with pytest.raises(ValueError, match=r"'two_in'.*1 partial"):
            two_in(Value(1.0), Value(2.0)).backward()

    def test_non_number_partial(self) -> None:
        """A partial that is not a number raises TypeError naming the op."""

        @op(derivative=lambda x: "1")
        def odd(x: float) -> float:
            return x

        with pytest.raises(TypeError, match=r"'odd'.*partial 0"):
            odd(Value(1.0)).backward()

    def test_derivative_of_wrong_arity_is_refused(self) -> None:
        """A derivative that cannot take the op's inputs is refused at decoration."""
        with pytest.raises(TypeError, match=r"'pair'.*2 input"):

            @op(derivative=lambda x: 1.0)
            def pair(x: float, y: float) -> float:
                return x * y

    def test_builtin_names_are_refused(self) -> None:
        """A custom op may not take a built-in op's name."""
        with pytest.raises(ValueError, match="'exp' is a built-in"):
            op(derivative=lambda x: x, name="exp")(math.exp)
        assert RULES["exp"].forward(0.0) == 1.0

    def test_varargs_are_refused(self) -> None:
        """Functions with *args are refused: the arity must be fixed."""
        with pytest.raises(TypeError, match="fixed positional"):
            op(derivative=lambda *xs: xs)(lambda *xs: 0.0)
