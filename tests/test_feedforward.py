"""Tests for nn.feedforward: each activation's output and gradient worked by hand, sizes, errors."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value, gradcheck
from nn import FeedForward
from nn.feedforward import ACTIVATIONS

#: Exact arithmetic up to a few roundings.
RTOL = 1e-12


def _tiny(activation: str) -> FeedForward:
    """n_embd 1, hidden 2, no bias: fc1 = [[1], [-2]], fc2 = [[3, 0.5]]."""
    ff = FeedForward(1, 2, activation, bias=False, seed=0)
    ff.load_state_dict(
        {
            "fc1.weight.0.0": 1.0,
            "fc1.weight.1.0": -2.0,
            "fc2.weight.0.0": 3.0,
            "fc2.weight.0.1": 0.5,
        }
    )
    return ff


class TestActivations:
    def test_relu_by_hand(self) -> None:
        """x = 1.5: hidden (1.5, -3) -> relu (1.5, 0) -> 3 * 1.5 = 4.5; d/dx = 3 * 1 * 1 = 3."""
        x = Value(1.5)
        (y,) = _tiny("relu")([x])
        y.backward()
        assert (y.data, x.grad) == (4.5, 3.0)

    def test_squared_relu_by_hand(self) -> None:
        """x = 1.5: relu^2 gives (2.25, 0) -> 3 * 2.25 = 6.75; d/dx = 3 * 2 * 1.5 = 9."""
        x = Value(1.5)
        (y,) = _tiny("relu2")([x])
        y.backward()
        assert (y.data, x.grad) == (6.75, 9.0)

    def test_squared_relu_is_flat_below_zero(self) -> None:
        """For x < 0 only the second hidden unit is on: 0.5 * (2 * 0.5)^2 at x = -0.5."""
        x = Value(-0.5)
        (y,) = _tiny("relu2")([x])
        y.backward()
        assert y.data == 0.5  # hidden (-0.5, 1) -> (0, 1) -> 0.5 * 1
        assert x.grad == 0.5 * 2 * 1.0 * -2.0

    def test_gelu_is_the_exact_erf_form(self) -> None:
        """gelu(x) = (x / 2)(1 + erf(x / sqrt 2)): x = 1.5 gives 3 * gelu(1.5) + 0.5 * gelu(-3)."""

        def gelu(z: float) -> float:
            return 0.5 * z * (1 + math.erf(z / math.sqrt(2)))

        (y,) = _tiny("gelu")([1.5])
        assert y.data == pytest.approx(3 * gelu(1.5) + 0.5 * gelu(-3.0), rel=1e-12)

    def test_gelu_gradient_by_hand(self) -> None:
        """gelu'(z) = Phi(z) + z phi(z); d/dx = 3 gelu'(1.5) * 1 + 0.5 gelu'(-3) * -2 at x = 1.5."""

        def slope(z: float) -> float:
            density = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
            return 0.5 * (1 + math.erf(z / math.sqrt(2))) + z * density

        x = Value(1.5)
        (y,) = _tiny("gelu")([x])
        y.backward()
        assert x.grad == pytest.approx(3 * slope(1.5) - 2 * 0.5 * slope(-3.0), rel=1e-12)


class TestFeedForward:
    def test_default_hidden_size_is_four_times(self) -> None:
        """hidden_dim defaults to 4 * n_embd; with biases there are 2 * 4n^2 + 4n + n parameters."""
        ff = FeedForward(3, seed=0)
        assert ff.hidden_dim == 12
        assert len(ff.parameters()) == 2 * 36 + 12 + 3

    def test_names(self) -> None:
        """The two linear maps are fc1 and fc2."""
        assert [name for name, _ in FeedForward(1, 1, bias=False, seed=0).named_parameters()] == [
            "fc1.weight.0.0",
            "fc2.weight.0.0",
        ]

    @pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
    def test_gradients_match_finite_differences(self, activation: str) -> None:
        """Gradients with respect to the inputs pass gradcheck."""
        ff = FeedForward(2, 5, activation, seed=3)
        assert gradcheck(lambda a, b: autograd.dot(ff([a, b]), [1.0, -2.0]), [0.37, -0.81])

    def test_seeds(self) -> None:
        """The same seed gives the same weights; fc1 draws before fc2."""
        assert FeedForward(2, seed=5).state_dict() == FeedForward(2, seed=5).state_dict()

    def test_repr(self) -> None:
        """repr shows the sizes and the activation, then the two linear maps."""
        assert repr(FeedForward(2, 3, "relu2", seed=0)).splitlines()[0] == (
            "FeedForward(n_embd=2, hidden_dim=3, activation='relu2'"
        )

    @pytest.mark.parametrize(
        ("kwargs", "error", "word"),
        [
            ({"n_embd": 0}, ValueError, "n_embd"),
            ({"n_embd": 2, "hidden_dim": 0}, ValueError, "hidden_dim"),
            ({"n_embd": 2, "activation": "swish"}, ValueError, "activation"),
            ({"n_embd": 2, "activation": None}, TypeError, "activation"),
        ],
    )
    def test_bad_arguments(
        self, kwargs: dict[str, object], error: type[Exception], word: str
    ) -> None:
        """Bad constructor arguments raise an error naming FeedForward and the argument."""
        with pytest.raises(error, match=f"FeedForward: {word}"):
            FeedForward(**kwargs)  # type: ignore[arg-type]
