"""Tests for nn.linear: Linear's outputs and gradients by hand, its graph, init and errors."""

from __future__ import annotations

import math
import random
import statistics

import pytest

import autograd
from autograd import Value, gradcheck
from nn import Linear

#: Relative tolerance on a standard deviation estimated from a few thousand draws.
STD_RTOL = 0.1


def _affine(bias: bool = True) -> Linear:
    """Linear(2, 2) with W = [[1, 2], [3, -1]] and, with bias, b = [0.5, -1]."""
    layer = Linear(2, 2, bias, seed=0)
    state = {"weight.0.0": 1.0, "weight.0.1": 2.0, "weight.1.0": 3.0, "weight.1.1": -1.0}
    if bias:
        state |= {"bias.0": 0.5, "bias.1": -1.0}
    layer.load_state_dict(state)
    return layer


class TestForward:
    def test_values_by_hand(self) -> None:
        """y = W x + b: for x = (2, -3), y_0 = 2 - 6 + 0.5 and y_1 = 6 + 3 - 1."""
        assert [y.data for y in _affine()([2.0, -3.0])] == [-3.5, 8.0]

    def test_without_bias(self) -> None:
        """With bias=False, y = W x and there are no bias parameters."""
        layer = _affine(bias=False)
        assert [y.data for y in layer([2.0, -3.0])] == [-4.0, 9.0]
        assert layer.bias is None
        assert len(layer.parameters()) == 4

    def test_gradients_by_hand(self) -> None:
        """For L = y_0 + 2 y_1: dW_0 = x, dW_1 = 2x, db = (1, 2), dx = W_0 + 2 W_1."""
        layer = _affine()
        x = [Value(2.0), Value(-3.0)]
        y = layer(x)
        (y[0] + 2 * y[1]).backward()
        grads = {name: p.grad for name, p in layer.named_parameters()}
        assert grads == {
            "weight.0.0": 2.0,
            "weight.0.1": -3.0,
            "weight.1.0": 4.0,
            "weight.1.1": -6.0,
            "bias.0": 1.0,
            "bias.1": 2.0,
        }
        assert [xi.grad for xi in x] == [7.0, 0.0]

    def test_one_dot_node_per_output(self) -> None:
        """Each output is one dot node whose parents are its row, its bias and the input."""
        layer = _affine()
        x = [Value(1.0), Value(2.0)]
        y = layer(x)
        assert [node.op for node in y] == ["dot", "dot"]
        assert y[1].parents == (*layer.weight[1], layer.bias[1], *x)  # type: ignore[index]

    def test_gradients_match_finite_differences(self) -> None:
        """Gradients with respect to the inputs pass gradcheck."""
        layer = Linear(3, 2, seed=4)
        assert gradcheck(lambda a, b, c: autograd.sum(layer([a, b, c])), [0.3, -1.2, 0.8])

    def test_parameter_names_follow_pytorch(self) -> None:
        """Parameters are weight.<out>.<in> then bias.<out>, as PyTorch's weight[out, in]."""
        names = [name for name, _ in Linear(2, 2, seed=0).named_parameters()]
        assert names == ["weight.0.0", "weight.0.1", "weight.1.0", "weight.1.1", "bias.0", "bias.1"]

    def test_repr(self) -> None:
        """repr shows the sizes and whether there is a bias."""
        assert (
            repr(Linear(3, 4, False, seed=0)) == "Linear(in_features=3, out_features=4, bias=False)"
        )


class TestInit:
    def test_default_is_pytorch_uniform(self) -> None:
        """By default weights and biases come from U(-k, k) with k = 1/sqrt(in_features)."""
        layer = Linear(16, 200, seed=0)
        k = 1 / math.sqrt(16)
        values = [p.data for p in layer.parameters()]
        assert all(-k <= v <= k for v in values)
        assert statistics.pstdev(values) == pytest.approx(k / math.sqrt(3), rel=STD_RTOL)

    def test_std_draws_normal_weights_and_zero_biases(self) -> None:
        """With std, weights come from N(0, std^2) and biases are 0."""
        layer = Linear(20, 200, std=0.08, seed=0)
        weights = [w.data for row in layer.weight for w in row]
        assert statistics.pstdev(weights) == pytest.approx(0.08, rel=STD_RTOL)
        assert all(b.data == 0.0 for b in layer.bias or [])

    def test_seeds(self) -> None:
        """One seed gives the same weights; another gives others; a Random is drawn from."""
        assert Linear(3, 2, seed=1).state_dict() == Linear(3, 2, seed=1).state_dict()
        assert Linear(3, 2, seed=1).state_dict() != Linear(3, 2, seed=2).state_dict()
        rng = random.Random(9)
        first, second = Linear(3, 2, seed=rng), Linear(3, 2, seed=rng)
        assert first.state_dict() != second.state_dict()


class TestErrors:
    @pytest.mark.parametrize(
        ("kwargs", "error", "word"),
        [
            ({"in_features": 0, "out_features": 1}, ValueError, "in_features"),
            ({"in_features": 1, "out_features": 2.0}, TypeError, "out_features"),
            ({"in_features": 1, "out_features": 1, "bias": 1}, TypeError, "bias"),
            ({"in_features": 1, "out_features": 1, "std": 0.0}, ValueError, "std"),
            ({"in_features": 1, "out_features": 1, "seed": -1}, ValueError, "seed"),
        ],
    )
    def test_bad_arguments(
        self, kwargs: dict[str, object], error: type[Exception], word: str
    ) -> None:
        """Bad constructor arguments raise an error naming Linear and the argument."""
        with pytest.raises(error, match=f"Linear: {word}"):
            Linear(**kwargs)  # type: ignore[arg-type]

    def test_wrong_input_length(self) -> None:
        """An input of the wrong length is a ValueError stating both lengths."""
        with pytest.raises(ValueError, match="Linear: x must have 2 items, got 3"):
            _affine()([1.0, 2.0, 3.0])

    def test_input_not_a_sequence(self) -> None:
        """An input that is not a sequence is a TypeError."""
        with pytest.raises(TypeError, match="Linear: x must be a sequence"):
            _affine()(1.0)

    @pytest.mark.parametrize(
        ("entry", "error", "message"),
        [
            ("2", TypeError, r"Linear: x\[1\] must be a Value or a real number, got str"),
            (True, TypeError, r"Linear: x\[1\] must be a Value or a real number, got bool"),
            (10**400, ValueError, r"Linear: x\[1\] must be a number a float can hold"),
        ],
    )
    def test_bad_entry_is_named(self, entry: object, error: type[Exception], message: str) -> None:
        """An entry that is not a number is refused by Linear's name and its index, not dot's."""
        with pytest.raises(error, match=message):
            _affine()([1.0, entry])  # type: ignore[list-item]

    def test_numpy_rows_and_scalars_are_inputs(self) -> None:
        """A NumPy row (and its float64 or int64 entries) works as a list of floats does."""
        numpy = pytest.importorskip("numpy")
        expected = [y.data for y in _affine()([3.0, 4.0])]
        assert [y.data for y in _affine()(numpy.array([3.0, 4.0]))] == expected
        assert [y.data for y in _affine()(numpy.array([3, 4]))] == expected
