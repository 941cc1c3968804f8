"""Tests for nn.norm: RMSNorm and LayerNorm values and derivatives against worked formulas."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value, gradcheck
from nn import LayerNorm, RMSNorm

#: Exact arithmetic up to a few roundings.
RTOL = 1e-12


class TestRMSNorm:
    def test_values_by_hand(self) -> None:
        """x = (3, 4), eps = 3.5: mean square 12.5, rms = sqrt(16) = 4, so y = w * (0.75, 1)."""
        norm = RMSNorm(2, eps=3.5)
        norm.load_state_dict({"weight.0": 2.0, "weight.1": -1.0})
        assert [y.data for y in norm([3.0, 4.0])] == [1.5, -1.0]

    def test_gradients_by_hand(self) -> None:
        """d y_0/d x_k = w_0 (delta_0k / r - x_0 x_k / (n r^3)) and d y_0/d w_0 = x_0 / r."""
        norm = RMSNorm(2, eps=3.5)
        norm.load_state_dict({"weight.0": 2.0, "weight.1": -1.0})
        x = [Value(3.0), Value(4.0)]
        norm(x)[0].backward()
        # r = 4, n = 2: 2 * (1/4 - 9/128) and 2 * (-12/128)
        assert x[0].grad == pytest.approx(0.359375, rel=RTOL)
        assert x[1].grad == pytest.approx(-0.1875, rel=RTOL)
        assert [w.grad for w in norm.weight] == [0.75, 0.0]

    def test_default_eps_is_pytorchs(self) -> None:
        """The default eps is 1e-5, added to the mean square before the square root."""
        y = RMSNorm(2)([3.0, 4.0])
        assert y[0].data == pytest.approx(3 / math.sqrt(12.5 + 1e-5), rel=RTOL)

    def test_zero_vector_stays_finite(self) -> None:
        """eps keeps the output and the gradient finite at x = 0."""
        x = [Value(0.0), Value(0.0)]
        out = RMSNorm(2)(x)
        autograd.sum(out).backward()
        assert [y.data for y in out] == [0.0, 0.0]
        assert all(math.isfinite(xi.grad) for xi in x)

    def test_gradients_match_finite_differences(self) -> None:
        """Gradients with respect to the inputs pass gradcheck."""
        norm = RMSNorm(3)
        norm.load_state_dict({"weight.0": 0.5, "weight.1": -2.0, "weight.2": 1.5})
        assert gradcheck(
            lambda a, b, c: autograd.dot(norm([a, b, c]), [1.0, 2.0, 3.0]), [0.3, -1.1, 2.0]
        )

    def test_parameters(self) -> None:
        """The only parameters are the gains weight.i, starting at 1."""
        assert RMSNorm(2).state_dict() == {"weight.0": 1.0, "weight.1": 1.0}

    def test_repr(self) -> None:
        """repr shows the size and eps."""
        assert repr(RMSNorm(4)) == "RMSNorm(4, eps=1e-05)"


class TestLayerNorm:
    def test_values_by_hand(self) -> None:
        """x = (1, 3), eps = 3: mu = 2, var = 1, s = 2, xhat = (-0.5, 0.5), y = w xhat + b."""
        norm = LayerNorm(2, eps=3.0)
        norm.load_state_dict({"weight.0": 2.0, "weight.1": 1.0, "bias.0": 0.5, "bias.1": -0.5})
        assert [y.data for y in norm([1.0, 3.0])] == [-0.5, 0.0]

    def test_gradients_by_hand(self) -> None:
        """d y_0/d x_k = (w_0 / s)(delta_0k - 1/n - xhat_0 xhat_k / n); d y_0/d w_0 = xhat_0."""
        norm = LayerNorm(2, eps=3.0)
        norm.load_state_dict({"weight.0": 2.0, "weight.1": 1.0, "bias.0": 0.5, "bias.1": -0.5})
        x = [Value(1.0), Value(3.0)]
        norm(x)[0].backward()
        # w_0 / s = 1; 1 - 1/2 - 0.25/2 and 0 - 1/2 + 0.25/2
        assert x[0].grad == pytest.approx(0.375, rel=RTOL)
        assert x[1].grad == pytest.approx(-0.375, rel=RTOL)
        assert [w.grad for w in norm.weight] == [-0.5, 0.0]
        assert [b.grad for b in norm.bias] == [1.0, 0.0]

    def test_variance_is_biased(self) -> None:
        """The variance divides by n, as in PyTorch: (0, 2) has var 1, so y_1 = 1/sqrt(1 + eps)."""
        y = LayerNorm(2)([0.0, 2.0])
        assert y[1].data == pytest.approx(1 / math.sqrt(1 + 1e-5), rel=RTOL)

    def test_gradients_match_finite_differences(self) -> None:
        """Gradients with respect to the inputs pass gradcheck."""
        norm = LayerNorm(3)
        norm.load_state_dict(
            {
                "weight.0": 0.5,
                "weight.1": -2.0,
                "weight.2": 1.5,
                "bias.0": 0.1,
                "bias.1": 0.0,
                "bias.2": -0.3,
            }
        )
        assert gradcheck(
            lambda a, b, c: autograd.dot(norm([a, b, c]), [1.0, 2.0, 3.0]), [0.3, -1.1, 2.0]
        )

    def test_parameters(self) -> None:
        """Gains start at 1 and biases at 0, named weight.i and bias.i."""
        assert LayerNorm(1).state_dict() == {"weight.0": 1.0, "bias.0": 0.0}


class TestErrors:
    @pytest.mark.parametrize("cls", [RMSNorm, LayerNorm])
    @pytest.mark.parametrize(
        ("kwargs", "error", "word"),
        [
            ({"dim": 0}, ValueError, "dim"),
            ({"dim": 2.0}, TypeError, "dim"),
            ({"dim": 2, "eps": 0.0}, ValueError, "eps"),
            ({"dim": 2, "eps": "1"}, TypeError, "eps"),
        ],
    )
    def test_bad_arguments(
        self,
        cls: type[RMSNorm | LayerNorm],
        kwargs: dict[str, object],
        error: type[Exception],
        word: str,
    ) -> None:
        """Bad constructor arguments raise an error naming the class and the argument."""
        with pytest.raises(error, match=f"{cls.__name__}: {word}"):
            cls(**kwargs)  # type: ignore[arg-type]

    @pytest.mark.parametrize("cls", [RMSNorm, LayerNorm])
    def test_wrong_input_length(self, cls: type[RMSNorm | LayerNorm]) -> None:
        """An input of the wrong length is a ValueError naming the class."""
        with pytest.raises(ValueError, match=f"{cls.__name__}: x must have 2 items, got 1"):
            cls(2)([1.0])

    @pytest.mark.parametrize("cls", [RMSNorm, LayerNorm])
    def test_bad_entry_is_named(self, cls: type[RMSNorm | LayerNorm]) -> None:
        """An entry that is not a number is refused by the class's name and its index."""
        with pytest.raises(TypeError, match=rf"{cls.__name__}: x\[0\] must be a Value or a real"):
            cls(2)([None, 1.0])  # type: ignore[list-item]
