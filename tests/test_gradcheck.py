"""gradcheck: passes correct gradients, catches wrong ones, reports a readable table."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import GradcheckError, Value, gradcheck, op


class TestGradcheck:
    def test_correct_gradient_passes(self) -> None:
        """A correct gradient returns True."""
        assert gradcheck(lambda x, y: (x * y).tanh() + x.exp() / y, [0.3, 1.7]) is True

    def test_wrong_rule_is_caught_with_a_table(self) -> None:
        """A deliberately wrong derivative rule raises GradcheckError with a table."""
        wrong_sin = op(derivative=lambda a: 2.0 * autograd.cos(a), name="wrong_sin")(math.sin)
        with pytest.raises(GradcheckError) as info:
            gradcheck(lambda x, y: wrong_sin(x) * y, [0.5, 2.0])
        message = str(info.value)
        assert "analytic" in message and "numeric" in message and "error" in message
        assert "mismatch" in message
        lines = message.splitlines()
        assert lines[2].lstrip().startswith("0") and "mismatch" in lines[2]
        assert "mismatch" not in lines[3]

    def test_wrong_rule_returns_false_without_raising(self) -> None:
        """With raise_exception=False a mismatch returns False."""
        wrong_exp = op(derivative=lambda a: autograd.exp(a) + 1.0, name="wrong_exp")(math.exp)
        assert gradcheck(wrong_exp, [0.1], raise_exception=False) is False

    def test_nan_gradient_is_a_mismatch(self) -> None:
        """NaN on either side fails the check."""
        assert gradcheck(lambda x: x * math.nan, [1.0], raise_exception=False) is False

    def test_constant_function_has_zero_gradient(self) -> None:
        """f returning a number (independent of inputs) has gradient 0 everywhere."""
        assert gradcheck(lambda x: 3.0, [1.0])

    def test_function_may_use_numbers_and_functions(self) -> None:
        """f may mix module functions, constants and n-ary nodes."""
        assert gradcheck(
            lambda a, b, c: autograd.dot([a, b], [c, 2.0]) + autograd.sigmoid(a), [0.1, -0.4, 1.3]
        )

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"eps": 0.0}, "eps"),
            ({"eps": -1e-3}, "eps"),
            ({"atol": -1.0}, "atol"),
            ({"rtol": math.nan}, "rtol"),
        ],
    )
    def test_bad_tolerances_are_value_errors(self, kwargs: dict[str, float], message: str) -> None:
        """Non-positive eps or negative tolerances raise ValueError naming them."""
        with pytest.raises(ValueError, match=message):
            gradcheck(Value.exp, [0.0], **kwargs)  # type: ignore[arg-type]

    def test_bad_inputs_are_type_errors(self) -> None:
        """Non-number inputs raise TypeError naming the entry."""
        with pytest.raises(TypeError, match=r"^gradcheck: inputs\[1\] must be a real number"):
            gradcheck(lambda x, y: x * y, [1.0, "2"])  # type: ignore[list-item]

    def test_bad_output_is_a_type_error(self) -> None:
        """f returning something that is not a number raises TypeError."""
        with pytest.raises(TypeError, match="list"):
            gradcheck(lambda x: [x], [1.0])


class TestGradcheckSideEffects:
    def test_closed_over_values_keep_their_grad(self) -> None:
        """Checking f does not add into the grad of Values f closes over."""
        w = Value(2.0)
        w.grad = 0.5
        assert gradcheck(lambda x: x * w, [3.0])
        assert w.grad == 0.5

    def test_works_inside_no_grad(self) -> None:
        """gradcheck records its own graph even when called inside no_grad."""
        with autograd.no_grad():
            assert gradcheck(lambda x: x * x, [3.0])

    def test_bool_tolerance_is_rejected(self) -> None:
        """A bool is not a tolerance: a TypeError, as for any other wrong type."""
        with pytest.raises(TypeError, match=r"^gradcheck: eps must be a real number, got bool"):
            gradcheck(Value.exp, [0.0], eps=True)
