"""Value: construction, attributes, operators, comparisons and conversions."""

from __future__ import annotations

import fractions
import gc
import math

import pytest

import autograd
from autograd import Value


class TestConstruction:
    @pytest.mark.parametrize("number", [3, 2.5, fractions.Fraction(1, 4), -0.0, math.inf])
    def test_real_numbers_are_stored_as_float(self, number: float) -> None:
        """Any real number is accepted and stored as a Python float."""
        v = Value(number)
        assert type(v.data) is float
        assert v.data == float(number)

    def test_numpy_scalars_are_accepted(self) -> None:
        """NumPy float and int scalars become Python floats."""
        np = pytest.importorskip("numpy")
        for number in (np.float64(1.5), np.float32(0.25), np.int64(3)):
            v = Value(number)
            assert type(v.data) is float
            assert v.data == float(number)

    @pytest.mark.parametrize(
        ("bad", "name"),
        [
            (True, "bool"),
            (1j, "complex"),
            ("1.0", "str"),
            (None, "NoneType"),
            ([1.0], "list"),
            ((1.0,), "tuple"),
            ({}, "dict"),
            (object(), "object"),
        ],
    )
    def test_non_real_input_is_a_type_error_naming_the_type(self, bad: object, name: str) -> None:
        """Non-real inputs (bool, complex, str, None, lists) raise TypeError naming the type."""
        with pytest.raises(TypeError, match=f"got {name}"):
            Value(bad)  # type: ignore[arg-type]

    def test_numpy_bool_is_rejected(self) -> None:
        """NumPy's bool is rejected like Python's."""
        np = pytest.importorskip("numpy")
        with pytest.raises(TypeError, match="bool"):
            Value(np.bool_(True))

    def test_a_value_is_rejected_with_a_hint(self) -> None:
        """Value(Value(1)) says to use .data."""
        with pytest.raises(TypeError, match=r"use its \.data"):
            Value(Value(1.0))  # type: ignore[arg-type]

    @pytest.mark.parametrize("huge", [10**400, -(10**400), 2**1024])
    def test_an_int_too_large_for_a_float_is_a_value_error(self, huge: int) -> None:
        """Value(10**400) says the int is past float range, rather than a bare OverflowError."""
        with pytest.raises(ValueError, match=r"^Value: data must be a real number within float"):
            Value(huge)
        x = Value(1.0)
        for combine in (lambda: x * huge, lambda: huge + x, lambda: x**huge):
            with pytest.raises(ValueError, match="too large for a float"):
                combine()
        with pytest.raises(ValueError, match=r"^exp: x must be a real number within float"):
            autograd.exp(huge)
        with pytest.raises(ValueError, match=r"^sum: values\[1\] must be a real number within"):
            autograd.sum([x, huge])

    def test_label_must_be_a_string(self) -> None:
        """A non-string label raises TypeError."""
        with pytest.raises(TypeError, match="label"):
            Value(1.0, label=3)  # type: ignore[arg-type]


class TestAttributes:
    def test_leaf_defaults(self) -> None:
        """A new Value is a leaf with zero grad and no label."""
        v = Value(2.0)
        assert (v.data, v.grad, v.label, v.op, v.parents) == (2.0, 0.0, "", "", ())
        assert type(v.grad) is float

    def test_label_is_writable(self) -> None:
        """label can be set after construction."""
        v = Value(1.0, label="w")
        v.label = "bias"
        assert v.label == "bias"

    def test_nodes_have_no_label_until_given_one(self) -> None:
        """A node made by an operation has label "", and takes one like a leaf does."""
        y = Value(1.0) * 2
        assert (y.label, repr(y)) == ("", "Value(data=2.0, grad=0.0)")
        y.label = "y"
        assert (y.label, repr(y)) == ("y", "Value(data=2.0, grad=0.0, label='y')")

    def test_op_and_parents_are_read_only(self) -> None:
        """op and parents cannot be assigned."""
        v = Value(1.0) * 2
        with pytest.raises(AttributeError):
            v.op = "add"  # type: ignore[misc]
        with pytest.raises(AttributeError):
            v.parents = ()  # type: ignore[misc]

    def test_parents_keep_operand_order_and_duplicates(self) -> None:
        """x * x keeps both edges; x - y lists x then y; constants are not parents."""
        x, y = Value(3.0), Value(1.0)
        assert (x * x).parents == (x, x)
        assert (x - y).parents == (x, y)
        assert (y - x).parents == (y, x)
        assert (2 - x).parents == (x,)

    def test_no_instance_dict(self) -> None:
        """Values use slots: arbitrary attributes cannot be added."""
        with pytest.raises(AttributeError):
            Value(1.0).extra = 1  # type: ignore[attr-defined]

    def test_operands_and_saved_of_every_kind_of_node(self) -> None:
        """operands and saved hold one item per input, for one, two and n inputs and leaves."""
        x, y = Value(3.0), Value(-1.0)
        cases = [
            (x, (), ()),
            (x.exp(), (x,), (3.0,)),
            (x.tanh(), (x,), (3.0,)),
            (x * y, (x, y), (3.0, -1.0)),
            (2 - x, (2.0, x), (2.0, 3.0)),
            (x**2, (x, 2.0), (3.0, 2.0)),
            (x.maximum(y), (x, y), (3.0, -1.0)),
            (autograd.sum([x]), (x,), (3.0,)),
            (autograd.sum([x, y]), (x, y), (3.0, -1.0)),
            (autograd.dot([x, 2.0], [y, x]), (x, 2.0, y, x), (3.0, 2.0, -1.0, 3.0)),
        ]
        with autograd.no_grad():
            cases.append((x * y, (), ()))
        for node, operands, saved in cases:
            assert (node.operands, node.saved) == (operands, saved)

    def test_a_dot_node_keeps_its_two_vectors_apart(self) -> None:
        """A dot node holds xs and ys in x and y, their numbers in a and b (see Value)."""
        x, y = Value(3.0), Value(-1.0)
        node = autograd.dot([x, 2.0], [y, x])
        assert (node.x, node.y, node.a, node.b) == ((x, 2.0), (y, x), (3.0, 2.0), (-1.0, 3.0))

    def test_a_node_is_one_object_for_the_cyclic_gc(self) -> None:
        """A two-input node keeps its operands and their numbers in slots, not in tuples."""
        x, y = Value(3.0), Value(-1.0)
        for node in (x * y, x + 2.0, x.exp(), x**2):
            assert not [r for r in gc.get_referents(node) if type(r) is tuple]


class TestOperators:
    @pytest.mark.parametrize(
        ("expr", "expected"),
        [
            (lambda x: x + 2, 5.0),
            (lambda x: 2 + x, 5.0),
            (lambda x: x - 2, 1.0),
            (lambda x: 2 - x, -1.0),
            (lambda x: x * 2, 6.0),
            (lambda x: 2 * x, 6.0),
            (lambda x: x / 2, 1.5),
            (lambda x: 6 / x, 2.0),
            (lambda x: x**2, 9.0),
            (lambda x: 2**x, 8.0),
            (lambda x: x ** Value(2.0), 9.0),
            (lambda x: -x, -3.0),
            (lambda x: +x, 3.0),
            (lambda x: abs(-x), 3.0),
        ],
    )
    def test_arithmetic_with_numbers_on_either_side(self, expr, expected: float) -> None:  # type: ignore[no-untyped-def]
        """Operators accept a Value or a number on either side."""
        out = expr(Value(3.0))
        assert isinstance(out, Value)
        assert out.data == expected

    def test_unary_plus_is_identity(self) -> None:
        """+x is x itself and builds no node."""
        x = Value(1.0)
        assert +x is x

    @pytest.mark.parametrize("bad", ["a", None, [1.0], True, 1j])
    def test_mixing_with_unsupported_operand_is_a_type_error(self, bad: object) -> None:
        """Arithmetic with a non-real operand raises TypeError naming its type."""
        x = Value(1.0)
        name = type(bad).__name__
        for op in (
            lambda: x + bad,
            lambda: bad + x,
            lambda: x * bad,
            lambda: bad * x,
            lambda: x - bad,
            lambda: x / bad,
            lambda: x**bad,
            lambda: bad**x,
        ):
            with pytest.raises(TypeError, match=name):
                op()

    def test_pow_with_modulo_is_unsupported(self) -> None:
        """Three-argument pow is a TypeError."""
        with pytest.raises(TypeError):
            pow(Value(2.0), 3, 5)  # type: ignore[call-overload]

    def test_numpy_scalar_on_the_left(self) -> None:
        """np.float64 * Value gives a Value, not a NumPy object array."""
        np = pytest.importorskip("numpy")
        out = np.float64(2.0) * Value(3.0)
        assert isinstance(out, Value)
        assert out.data == 6.0


class TestComparisonsAndConversions:
    def test_ordering_compares_data(self) -> None:
        """< <= > >= compare data with Values or numbers and return bool."""
        a, b = Value(1.0), Value(2.0)
        assert (a < b, a <= b, a > b, a >= b) == (True, True, False, False)
        assert (a < 2, 2 > a, a >= 1, 0.5 <= a) == (True, True, True, True)
        assert type(a < b) is bool

    def test_ordering_with_unsupported_type_fails(self) -> None:
        """Comparing with a string raises TypeError."""
        with pytest.raises(TypeError):
            _ = Value(1.0) < "a"  # type: ignore[operator]

    def test_equality_is_identity_and_hash_is_identity(self) -> None:
        """== is identity, so equal numbers are distinct keys."""
        a, b = Value(1.0), Value(1.0)
        assert a == a
        assert a != b
        assert len({a, b}) == 2
        assert a != 1.0

    def test_bool_and_float(self) -> None:
        """bool(v) is data != 0 and float(v) is data."""
        assert bool(Value(0.0)) is False
        assert bool(Value(-2.0)) is True
        assert float(Value(2.5)) == 2.5

    def test_repr_shows_data_grad_and_label(self) -> None:
        """repr shows data and grad, and the label when there is one."""
        v = Value(2.0, label="x")
        assert repr(v) == "Value(data=2.0, grad=0.0, label='x')"
        assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"

    def test_format_spec_formats_data(self) -> None:
        """f-strings with a format spec format the number."""
        assert f"{Value(1 / 3):.3f}" == "0.333"
        assert f"{Value(1.0)}" == "Value(data=1.0, grad=0.0)"


class TestPyTorchSpellings:
    def test_item_returns_data(self) -> None:
        """item() returns the float a Value holds, as torch.Tensor.item()."""
        assert Value(2.5).item() == 2.5
        assert type(Value(3).item()) is float

    def test_detach_is_a_new_leaf_with_the_same_data(self) -> None:
        """detach() gives a leaf holding the same number, through which no gradient flows."""
        x = Value(3.0)
        y = x * 2.0
        d = y.detach()
        assert d is not y and d.data == 6.0 and d.op == "" and d.parents == ()
        (d * x).backward()
        assert x.grad == 6.0  # only through x: d is a constant for backward
        assert y.grad == 0.0

    def test_abs_is_abs(self) -> None:
        """x.abs() is |x|, with gradient sign(x)."""
        x = Value(-2.0)
        y = x.abs()
        y.backward()
        assert (y.data, y.op, x.grad) == (2.0, "abs", -1.0)

    @pytest.mark.parametrize("exponent", [2, 0.5, Value(3.0)])
    def test_pow_is_the_operator(self, exponent: float | Value) -> None:
        """x.pow(e) equals x ** e, for numbers and Values."""
        x = Value(4.0)
        assert x.pow(exponent).data == (x**exponent).data

    def test_pow_refuses_a_str(self) -> None:
        """x.pow("2") is refused with a TypeError naming the type."""
        with pytest.raises(TypeError, match="str"):
            Value(2.0).pow("2")  # type: ignore[arg-type]


class TestGradNone:
    def test_backward_after_grad_none_starts_from_zero(self) -> None:
        """p.grad = None, PyTorch's idiom, makes the next backward() start from 0."""
        x = Value(3.0)
        (x * x).backward()
        x.grad = None  # type: ignore[assignment]
        (x * x).backward()
        assert x.grad == 6.0

    def test_root_leaf_with_grad_none(self) -> None:
        """A leaf whose grad is None can itself be the root of backward()."""
        x = Value(1.0)
        x.grad = None  # type: ignore[assignment]
        x.backward()
        assert x.grad == 1.0
