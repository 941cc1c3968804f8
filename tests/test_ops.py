"""Module functions: numbers in give floats, Values in give nodes; n-ary sum and dot."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value

UNARY_NAMES = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "leaky_relu"]


class TestUnaryFunctions:
    @pytest.mark.parametrize("name", UNARY_NAMES)
    def test_number_in_float_out(self, name: str) -> None:
        """Given a number, each function returns a plain float."""
        out = getattr(autograd, name)(2)
        assert type(out) is float

    @pytest.mark.parametrize("name", UNARY_NAMES)
    def test_value_in_same_as_method(self, name: str) -> None:
        """Given a Value, each function builds the same node as the method."""
        x = Value(0.7)
        via_function = getattr(autograd, name)(x)
        via_method = getattr(x, name)()
        assert via_function.op == via_method.op == name
        assert via_function.data == via_method.data
        assert via_function.parents == (x,)

    @pytest.mark.parametrize("name", UNARY_NAMES)
    def test_bad_input_is_a_type_error(self, name: str) -> None:
        """A non-number raises TypeError naming the function and the type."""
        with pytest.raises(
            TypeError, match=rf"^{name}: x must be a Value or a real number, got str"
        ):
            getattr(autograd, name)("2")

    def test_leaky_relu_slope(self) -> None:
        """leaky_relu takes a negative slope, which may itself be a Value."""
        assert autograd.leaky_relu(-2.0, 0.5) == -1.0
        slope = Value(0.5)
        out = autograd.leaky_relu(-2.0, slope)
        out.backward()
        assert out.data == -1.0
        assert slope.grad == -2.0
        with pytest.raises(TypeError, match="negative_slope"):
            autograd.leaky_relu(Value(1.0), "0.1")  # type: ignore[call-overload]


class TestSum:
    def test_numbers_only_give_a_float(self) -> None:
        """sum of numbers is a float; the empty sum is 0.0."""
        assert autograd.sum([1, 2.5]) == 3.5
        assert autograd.sum([]) == 0.0
        assert type(autograd.sum([])) is float

    def test_one_node_however_many_inputs(self) -> None:
        """sum of n Values is one node with n parents, from any iterable."""
        xs = [Value(float(i)) for i in range(100)]
        total = autograd.sum(x for x in xs)
        assert isinstance(total, Value)
        assert len(total.parents) == 100
        assert all(not p.parents for p in total.parents)

    def test_bad_item_is_named(self) -> None:
        """A bad item raises TypeError naming its type and index."""
        with pytest.raises(
            TypeError, match=r"^sum: values\[1\] must be a Value or a real number, got str"
        ):
            autograd.sum([Value(1.0), "x"])

    def test_not_in_star_exports(self) -> None:
        """`from autograd import *` does not shadow the builtin sum."""
        assert "sum" not in autograd.__all__
        namespace: dict[str, object] = {}
        exec("from autograd import *", namespace)
        assert "sum" not in namespace


class TestDot:
    def test_numbers_only_give_a_float(self) -> None:
        """dot of numbers is a float; empty vectors give 0.0."""
        assert autograd.dot([1, 2], [3, 4]) == 11.0
        assert autograd.dot([], []) == 0.0

    def test_constants_on_one_side_are_not_parents(self) -> None:
        """dot(weights, numbers) has only the weights as parents."""
        w = [Value(1.0), Value(2.0)]
        out = autograd.dot([3.0, 4.0], w)
        assert out.parents == tuple(w)
        assert out.data == 11.0

    def test_mixed_sides(self) -> None:
        """Either vector may mix Values and numbers."""
        a = Value(2.0)
        out = autograd.dot([a, 3.0], [5.0, a])
        out.backward()
        assert out.data == 16.0
        assert a.grad == 8.0

    def test_length_mismatch_is_a_value_error(self) -> None:
        """Vectors of different lengths raise ValueError naming both lengths."""
        with pytest.raises(ValueError, match="2 and 3"):
            autograd.dot([Value(1.0), 2.0], [1.0, 2.0, 3.0])

    def test_bad_item_is_named(self) -> None:
        """A bad item raises TypeError naming the side, type and index."""
        with pytest.raises(
            TypeError, match=r"^dot: ys\[0\] must be a Value or a real number, got NoneType"
        ):
            autograd.dot([Value(1.0)], [None])  # type: ignore[list-item]

    def test_large_dot_is_exact_for_integers(self) -> None:
        """A long dot product of small integers is exact."""
        n = 1000
        out = autograd.dot([Value(1.0)] * n, list(range(n)))
        assert out.data == math.fsum(range(n))
