"""Tests for nn.activation: activations as modules, alone and in Sequential."""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value, gelu, relu, sigmoid, tanh


class TestActivations:
    @pytest.mark.parametrize(
        ("module", "function"),
        [(nn.ReLU(), relu), (nn.Tanh(), tanh), (nn.Sigmoid(), sigmoid), (nn.GELU(), gelu)],
    )
    def test_each_item_as_the_function(self, module: nn.Module, function: object) -> None:
        """Each module applies its function to a Value, and to each item of a list."""
        xs = [Value(-1.5), Value(0.5)]
        assert [y.data for y in module(xs)] == [function(x).data for x in xs]  # type: ignore[operator]
        assert module(xs[0]).data == function(xs[0]).data  # type: ignore[operator]

    def test_no_parameters(self) -> None:
        """An activation module has no parameters."""
        assert nn.ReLU().parameters() == []

    def test_in_sequential_as_in_pytorch(self) -> None:
        """Sequential(Linear, ReLU, Linear) runs, trains and names its parameters as PyTorch."""
        model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.ReLU(), nn.Linear(3, 1, seed=1))
        (out,) = model([1.0, -2.0])
        out.backward()
        assert [name for name, _ in model.named_parameters()][:1] == ["0.weight.0.0"]
        assert any(p.grad != 0.0 for p in model.parameters())
        assert "(1): ReLU()" in repr(model)

    def test_refuses_a_str(self) -> None:
        """A str is refused with a TypeError naming the class."""
        with pytest.raises(TypeError, match=r"^Tanh: x must be"):
            nn.Tanh()("1.0")  # type: ignore[call-overload]

    def test_sigmoid_value(self) -> None:
        """Sigmoid of a Value is a Value, 1 / (1 + e^-x)."""
        assert math.isclose(nn.Sigmoid()(Value(1.0)).data, 1 / (1 + math.exp(-1.0)))
