"""Every primitive: value and derivative against closed forms, gradcheck, and properties."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import bounded_floats, positive_floats

import autograd
from autograd import Value, gradcheck
from autograd.rules import BUILT_IN_OPS, RULES

#: Tolerance for comparing analytic derivatives with their closed forms.
CLOSED_FORM_RTOL = 1e-12
CLOSED_FORM_ATOL = 1e-12
#: Finite-difference tolerances for the property tests.
FD_ATOL = 1e-5
FD_RTOL = 1e-4


@dataclass(frozen=True)
class UnaryCase:
    """A unary op, its float function, its closed-form derivative and points to try."""

    name: str
    apply: Callable[[Value], Value]
    value: Callable[[float], float]
    derivative: Callable[[float], float]
    points: tuple[float, ...]
    domain: st.SearchStrategy[float]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


UNARY = [
    UnaryCase(
        "neg", lambda v: -v, lambda x: -x, lambda x: -1.0, (-2.0, 0.5, 3.0), bounded_floats()
    ),
    UnaryCase(
        "abs",
        abs,
        abs,
        lambda x: math.copysign(1.0, x),
        (-2.0, 0.5, 3.0),
        bounded_floats().filter(lambda x: abs(x) > 1e-3),
    ),
    UnaryCase("exp", Value.exp, math.exp, math.exp, (-2.0, 0.0, 1.5), bounded_floats(-5, 5)),
    UnaryCase("log", Value.log, math.log, lambda x: 1.0 / x, (0.1, 1.0, 7.0), positive_floats()),
    UnaryCase(
        "sqrt",
        Value.sqrt,
        math.sqrt,
        lambda x: 0.5 / math.sqrt(x),
        (0.25, 1.0, 9.0),
        positive_floats(),
    ),
    UnaryCase("sin", Value.sin, math.sin, math.cos, (-1.0, 0.0, 2.0), bounded_floats(-10, 10)),
    UnaryCase(
        "cos",
        Value.cos,
        math.cos,
        lambda x: -math.sin(x),
        (-1.0, 0.0, 2.0),
        bounded_floats(-10, 10),
    ),
    UnaryCase(
        "tanh",
        Value.tanh,
        math.tanh,
        lambda x: 1.0 / math.cosh(x) ** 2,
        (-1.0, 0.0, 2.0),
        bounded_floats(-5, 5),
    ),
    UnaryCase(
        "sigmoid",
        Value.sigmoid,
        _sigmoid,
        lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)),
        (-3.0, 0.0, 2.0),
        bounded_floats(-5, 5),
    ),
    UnaryCase(
        "relu",
        Value.relu,
        lambda x: max(x, 0.0),
        lambda x: 1.0 if x > 0 else 0.0,
        (-2.0, 0.5, 3.0),
        bounded_floats().filter(lambda x: abs(x) > 1e-3),
    ),
    UnaryCase(
        "leaky_relu",
        Value.leaky_relu,
        lambda x: x if x > 0 else 0.01 * x,
        lambda x: 1.0 if x > 0 else 0.01,
        (-2.0, 0.5, 3.0),
        bounded_floats().filter(lambda x: abs(x) > 1e-3),
    ),
]


@dataclass(frozen=True)
class BinaryCase:
    """A binary op with its closed-form partials."""

    name: str
    apply: Callable[[Value, Value], Value]
    value: Callable[[float, float], float]
    partials: Callable[[float, float], tuple[float, float]]
    points: tuple[tuple[float, float], ...]
    domain: st.SearchStrategy[tuple[float, float]]


BINARY = [
    BinaryCase(
        "add",
        lambda a, b: a + b,
        lambda a, b: a + b,
        lambda a, b: (1.0, 1.0),
        ((1.0, 2.0), (-3.0, 0.5)),
        st.tuples(bounded_floats(), bounded_floats()),
    ),
    BinaryCase(
        "sub",
        lambda a, b: a - b,
        lambda a, b: a - b,
        lambda a, b: (1.0, -1.0),
        ((1.0, 2.0), (-3.0, 0.5)),
        st.tuples(bounded_floats(), bounded_floats()),
    ),
    BinaryCase(
        "mul",
        lambda a, b: a * b,
        lambda a, b: a * b,
        lambda a, b: (b, a),
        ((1.0, 2.0), (-3.0, 0.5)),
        st.tuples(bounded_floats(), bounded_floats()),
    ),
    BinaryCase(
        "div",
        lambda a, b: a / b,
        lambda a, b: a / b,
        lambda a, b: (1 / b, -a / b**2),
        ((1.0, 2.0), (-3.0, 0.5)),
        st.tuples(bounded_floats(), bounded_floats().filter(lambda b: abs(b) > 0.1)),
    ),
    BinaryCase(
        "pow",
        lambda a, b: a**b,
        lambda a, b: a**b,
        lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
        ((2.0, 3.0), (0.5, -1.5), (3.0, 0.5)),
        st.tuples(positive_floats(0.1, 4.0), bounded_floats(-3, 3)),
    ),
    BinaryCase(
        "leaky_relu",
        lambda a, s: a.leaky_relu(s),
        lambda a, s: a if a > 0 else s * a,
        lambda a, s: (1.0, 0.0) if a > 0 else (s, a),
        ((2.0, 0.2), (-3.0, 0.2)),
        st.tuples(bounded_floats().filter(lambda x: abs(x) > 1e-3), bounded_floats(0, 1)),
    ),
]


def _close(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=CLOSED_FORM_RTOL, abs_tol=CLOSED_FORM_ATOL)


class TestTable:
    def test_every_rule_is_tested(self) -> None:
        """Each row of the primitive table has closed-form cases here."""
        tested = {c.name for c in UNARY} | {c.name for c in BINARY} | {"sum", "dot"}
        assert tested == BUILT_IN_OPS


class TestUnaryOps:
    @pytest.mark.parametrize("case", UNARY, ids=lambda c: c.name)
    def test_value_and_derivative_match_closed_form(self, case: UnaryCase) -> None:
        """At several points the op's value and gradient equal the closed forms."""
        for point in case.points:
            x = Value(point)
            y = case.apply(x)
            y.backward()
            assert y.op == case.name
            assert _close(y.data, case.value(point))
            assert _close(x.grad, case.derivative(point))

    @pytest.mark.parametrize("case", UNARY, ids=lambda c: c.name)
    def test_gradcheck_at_points(self, case: UnaryCase) -> None:
        """gradcheck accepts the op's gradient at several points."""
        for point in case.points:
            assert gradcheck(case.apply, [point])

    @pytest.mark.parametrize("case", UNARY, ids=lambda c: c.name)
    @given(data=st.data())
    def test_gradient_matches_finite_differences(
        self, case: UnaryCase, data: st.DataObject
    ) -> None:
        """Over the op's domain the analytic gradient equals central differences."""
        point = data.draw(case.domain)
        assert gradcheck(case.apply, [point], atol=FD_ATOL, rtol=FD_RTOL)
        x = Value(point)
        case.apply(x).backward()
        assert math.isclose(x.grad, case.derivative(point), rel_tol=1e-9, abs_tol=1e-12)


class TestBinaryOps:
    @pytest.mark.parametrize("case", BINARY, ids=lambda c: c.name)
    def test_value_and_partials_match_closed_form(self, case: BinaryCase) -> None:
        """At several points the value and both partials equal the closed forms."""
        for a, b in case.points:
            x, y = Value(a), Value(b)
            out = case.apply(x, y)
            out.backward()
            assert out.op == case.name
            assert _close(out.data, case.value(a, b))
            da, db = case.partials(a, b)
            assert _close(x.grad, da)
            assert _close(y.grad, db)

    @pytest.mark.parametrize("case", BINARY, ids=lambda c: c.name)
    @given(data=st.data())
    def test_gradient_matches_finite_differences(
        self, case: BinaryCase, data: st.DataObject
    ) -> None:
        """Over the op's domain both partials equal central differences and closed forms."""
        a, b = data.draw(case.domain)
        assert gradcheck(case.apply, [a, b], atol=FD_ATOL, rtol=FD_RTOL)
        x, y = Value(a), Value(b)
        case.apply(x, y).backward()
        da, db = case.partials(a, b)
        assert math.isclose(x.grad, da, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(y.grad, db, rel_tol=1e-9, abs_tol=1e-12)

    @pytest.mark.parametrize("case", BINARY[:5], ids=lambda c: c.name)
    def test_constant_on_either_side(self, case: BinaryCase) -> None:
        """With a number on one side the other side's partial is unchanged."""
        a, b = case.points[0]
        da, db = case.partials(a, b)
        x = Value(a)
        case.apply(x, b).backward()  # type: ignore[arg-type]
        assert _close(x.grad, da)
        y = Value(b)
        out = case.apply(a, y)  # type: ignore[arg-type]
        out.backward()
        assert _close(y.grad, db)
        assert out.parents == (y,)


class TestNaryOps:
    def test_sum_is_one_node_with_unit_partials(self) -> None:
        """sum of n Values is one node whose partials are all 1."""
        xs = [Value(float(i)) for i in range(5)]
        total = autograd.sum([*xs, 10.0])
        total.backward()
        assert total.op == "sum"
        assert total.parents == tuple(xs)
        assert total.data == 20.0
        assert [x.grad for x in xs] == [1.0] * 5

    def test_dot_partials_swap(self) -> None:
        """d/dx_i dot(x, y) = y_i and d/dy_i = x_i."""
        xs = [Value(1.0), Value(2.0), Value(3.0)]
        ys = [Value(-1.0), Value(0.5), Value(4.0)]
        out = autograd.dot(xs, ys)
        out.backward()
        assert out.op == "dot"
        assert out.data == 1.0 * -1.0 + 2.0 * 0.5 + 3.0 * 4.0
        assert [x.grad for x in xs] == [-1.0, 0.5, 4.0]
        assert [y.grad for y in ys] == [1.0, 2.0, 3.0]

    @given(st.lists(st.tuples(bounded_floats(), bounded_floats()), min_size=1, max_size=8))
    def test_dot_matches_finite_differences(self, pairs: list[tuple[float, float]]) -> None:
        """dot's gradient equals central differences for any vectors."""
        flat = [x for pair in pairs for x in pair]
        n = len(pairs)

        def f(*v: Value) -> Value:
            return autograd.dot(v[0::2], v[1::2])

        assert len(flat) == 2 * n
        assert gradcheck(f, flat, atol=FD_ATOL, rtol=FD_RTOL)

    @given(st.lists(bounded_floats(), min_size=1, max_size=10))
    def test_sum_matches_finite_differences(self, xs: list[float]) -> None:
        """sum's gradient equals central differences for any inputs."""
        assert gradcheck(lambda *v: autograd.sum(v), xs)


class TestDomains:
    @pytest.mark.parametrize(
        ("build", "error", "message"),
        [
            (lambda: Value(0.0).log(), ValueError, "log"),
            (lambda: Value(-1.0).log(), ValueError, "log"),
            (lambda: Value(-1.0).sqrt(), ValueError, "sqrt"),
            (lambda: Value(-8.0) ** (1 / 3), ValueError, "pow"),
            (lambda: (-8.0) ** Value(0.5), ValueError, "pow"),
            (lambda: Value(1.0) / 0, ZeroDivisionError, "div"),
            (lambda: 1.0 / Value(0.0), ZeroDivisionError, "div"),
            (lambda: Value(0.0) ** -1, ZeroDivisionError, "pow"),
            (lambda: Value(0.0) ** Value(-0.5), ZeroDivisionError, "pow"),
            (lambda: Value(math.inf).sin(), ValueError, "sin"),
            (lambda: Value(-math.inf).cos(), ValueError, "cos"),
            (lambda: autograd.log(0.0), ValueError, "log"),
            (lambda: autograd.sqrt(-4), ValueError, "sqrt"),
        ],
    )
    def test_out_of_domain_raises_naming_the_op(
        self, build: Callable[[], object], error: type[Exception], message: str
    ) -> None:
        """Out-of-domain inputs raise the math module's error type with the op's name."""
        with pytest.raises(error, match=message):
            build()

    def test_negative_base_integer_power_is_real(self) -> None:
        """A negative base to an integer power works; its exponent partial is NaN."""
        x, n = Value(-2.0), Value(3.0)
        out = x**n
        out.backward()
        assert out.data == -8.0
        assert x.grad == 12.0
        assert math.isnan(n.grad)

    def test_exp_overflow_is_inf(self) -> None:
        """exp overflow gives +inf as in PyTorch (a range error, not a domain error)."""
        assert Value(1000.0).exp().data == math.inf
        assert autograd.exp(1000.0) == math.inf

    def test_pow_overflow_is_signed_inf(self) -> None:
        """An overflowing power is +-inf, with the sign of an odd power of a negative base."""
        assert (Value(10.0) ** 400).data == math.inf
        assert (Value(-10.0) ** 401).data == -math.inf

    @pytest.mark.parametrize("x", [-1000.0, -50.0, 0.0, 50.0, 1000.0])
    def test_sigmoid_and_tanh_finite_everywhere(self, x: float) -> None:
        """sigmoid and tanh are finite and exact for any finite input, with finite gradients."""
        for op, exact in ((Value.sigmoid, _sigmoid_exact), (Value.tanh, math.tanh)):
            v = Value(x)
            out = op(v)
            out.backward()
            assert out.data == exact(x)
            assert math.isfinite(v.grad)

    def test_result_is_never_complex(self) -> None:
        """Every op returns a float, never a complex number."""
        for out in (Value(-8.0) ** 3, Value(4.0) ** 0.5, 2.0 ** Value(-1.0)):
            assert type(out.data) is float


def _sigmoid_exact(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))


class TestKinksAndEdges:
    def test_relu_derivative_at_zero_is_zero(self) -> None:
        """relu'(0) = 0, as in PyTorch."""
        x = Value(0.0)
        x.relu().backward()
        assert x.grad == 0.0

    def test_abs_derivative_at_zero_is_zero(self) -> None:
        """abs'(0) = 0, as in PyTorch."""
        x = Value(0.0)
        abs(x).backward()
        assert x.grad == 0.0

    def test_leaky_relu_derivative_at_zero_is_slope(self) -> None:
        """leaky_relu'(0) is the negative slope, as in PyTorch."""
        x = Value(0.0)
        x.leaky_relu(0.2).backward()
        assert x.grad == 0.2

    def test_sqrt_derivative_at_zero_is_inf(self) -> None:
        """sqrt'(0) = +inf, as in PyTorch."""
        x = Value(0.0)
        x.sqrt().backward()
        assert x.grad == math.inf

    def test_pow_exponent_partial_at_zero_base_is_zero(self) -> None:
        """At base 0 the exponent's partial of x ** y is 0, not 0 * log(0)."""
        x, y = Value(0.0), Value(2.0)
        (x**y).backward()
        assert y.grad == 0.0
        assert x.grad == 0.0

    def test_pow_base_partial_with_zero_exponent_is_zero(self) -> None:
        """d/dx x ** 0 = 0 everywhere, including x = 0."""
        x = Value(0.0)
        out = x**0
        out.backward()
        assert out.data == 1.0
        assert x.grad == 0.0

    def test_pow_base_partial_at_zero_for_fractional_exponent_is_inf(self) -> None:
        """d/dx x ** 0.5 at 0 is +inf, like sqrt."""
        x = Value(0.0)
        (x**0.5).backward()
        assert x.grad == math.inf

    @pytest.mark.parametrize(
        "op", ["neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu"]
    )
    def test_nan_passes_through_unary_ops(self, op: str) -> None:
        """Every unary op maps NaN to NaN (relu(nan) is nan, not 0)."""
        out = getattr(autograd, op, None)
        value = out(Value(math.nan)) if out else getattr(Value(math.nan), f"__{op}__")()
        assert math.isnan(value.data)

    @pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "pow", "leaky_relu"])
    def test_nan_passes_through_binary_ops(self, op: str) -> None:
        """Every binary op with a NaN operand gives NaN."""
        assert math.isnan(RULES[op].forward(math.nan, 2.0))
        assert math.isnan(RULES[op].forward(2.0, math.nan)) or op == "leaky_relu"

    def test_nan_passes_through_nary_ops(self) -> None:
        """sum and dot propagate NaN."""
        assert math.isnan(autograd.sum([Value(math.nan), 1.0]).data)
        assert math.isnan(autograd.dot([Value(math.nan)], [1.0]).data)
