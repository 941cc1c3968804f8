"""Tests for nn.container: Sequential's order, names, indexing and errors."""

from __future__ import annotations

import pytest

from autograd import Value
from nn import Linear, Module, RMSNorm, Sequential


class Double(Module):
    """Multiply each entry by 2."""

    def forward(self, x: list[Value | float]) -> list[Value | float]:
        return [2 * xi for xi in x]


class AddOne(Module):
    """Add 1 to each entry."""

    def forward(self, x: list[Value | float]) -> list[Value | float]:
        return [xi + 1 for xi in x]


class TestSequential:
    def test_applies_in_order(self) -> None:
        """Sequential(f, g)(x) is g(f(x)): (3 * 2) + 1, not (3 + 1) * 2."""
        assert Sequential(Double(), AddOne())([3.0]) == [7.0]
        assert Sequential(AddOne(), Double())([3.0]) == [8.0]

    def test_names_are_positions(self) -> None:
        """Children are named 0, 1, ... so parameters are 0.weight.0.0 as in PyTorch."""
        model = Sequential(Linear(1, 1, bias=False, seed=0), RMSNorm(1))
        assert [name for name, _ in model.named_parameters()] == ["0.weight.0.0", "1.weight.0"]
        assert model[1].weight[0].label == "1.weight.0"  # type: ignore[attr-defined]

    def test_len_iter_and_indexing(self) -> None:
        """len, iteration and [i] (negative too) see the modules in order."""
        a, b = Double(), AddOne()
        model = Sequential(a, b)
        assert len(model) == 2
        assert list(model) == [a, b]
        assert model[0] is a
        assert model[-1] is b

    def test_empty_is_the_identity(self) -> None:
        """With no modules the input comes back unchanged."""
        x = [1.0, 2.0]
        assert Sequential()(x) is x

    def test_repr_lists_the_modules(self) -> None:
        """repr shows each module under its position."""
        assert repr(Sequential(RMSNorm(2))) == "Sequential(\n  (0): RMSNorm(2, eps=1e-05)\n)"

    def test_not_a_module(self) -> None:
        """An argument that is not a Module is a TypeError naming its position."""
        with pytest.raises(
            TypeError, match=r"Sequential: modules\[1\] must be a Module, got function"
        ):
            Sequential(Double(), lambda x: x)  # type: ignore[arg-type]
