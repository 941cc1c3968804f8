"""Every primitive: value and derivative against closed forms, gradcheck, and properties."""

from __future__ import annotations

import itertools
import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import bounded_floats, positive_floats

import autograd
from autograd import Value, gradcheck, gradgradcheck
from autograd.codegen import _base_namespace as _namespace
from autograd.ops import apply
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
    second: Callable[[float], float] = lambda x: 0.0


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _phi(x: float) -> float:
    """The standard normal density."""
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _cdf(x: float) -> float:
    """The standard normal CDF."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


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
    UnaryCase(
        "exp", Value.exp, math.exp, math.exp, (-2.0, 0.0, 1.5), bounded_floats(-5, 5), math.exp
    ),
    UnaryCase(
        "log",
        Value.log,
        math.log,
        lambda x: 1.0 / x,
        (0.1, 1.0, 7.0),
        positive_floats(),
        lambda x: -1.0 / x**2,
    ),
    UnaryCase(
        "sqrt",
        Value.sqrt,
        math.sqrt,
        lambda x: 0.5 / math.sqrt(x),
        (0.25, 1.0, 9.0),
        positive_floats(),
        lambda x: -0.25 * x**-1.5,
    ),
    UnaryCase(
        "sin",
        Value.sin,
        math.sin,
        math.cos,
        (-1.0, 0.0, 2.0),
        bounded_floats(-10, 10),
        lambda x: -math.sin(x),
    ),
    UnaryCase(
        "cos",
        Value.cos,
        math.cos,
        lambda x: -math.sin(x),
        (-1.0, 0.0, 2.0),
        bounded_floats(-10, 10),
        lambda x: -math.cos(x),
    ),
    UnaryCase(
        "tanh",
        Value.tanh,
        math.tanh,
        lambda x: 1.0 / math.cosh(x) ** 2,
        (-1.0, 0.0, 2.0),
        bounded_floats(-5, 5),
        lambda x: -2.0 * math.tanh(x) / math.cosh(x) ** 2,
    ),
    UnaryCase(
        "sigmoid",
        Value.sigmoid,
        _sigmoid,
        lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)),
        (-3.0, 0.0, 2.0),
        bounded_floats(-5, 5),
        lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)) * (1.0 - 2.0 * _sigmoid(x)),
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
    UnaryCase(
        "tan",
        Value.tan,
        math.tan,
        lambda x: 1.0 / math.cos(x) ** 2,
        (-1.0, 0.0, 1.2),
        bounded_floats(-1.4, 1.4),
        lambda x: 2.0 * math.tan(x) / math.cos(x) ** 2,
    ),
    UnaryCase(
        "atan",
        Value.atan,
        math.atan,
        lambda x: 1.0 / (1.0 + x * x),
        (-3.0, 0.0, 0.5),
        bounded_floats(-10, 10),
        lambda x: -2.0 * x / (1.0 + x * x) ** 2,
    ),
    UnaryCase(
        "log1p",
        Value.log1p,
        lambda x: math.log(1.0 + x),
        lambda x: 1.0 / (1.0 + x),
        (-0.5, 0.0, 3.0),
        bounded_floats(-0.99, 10),
        lambda x: -1.0 / (1.0 + x) ** 2,
    ),
    UnaryCase(
        "expm1",
        Value.expm1,
        lambda x: math.exp(x) - 1.0,
        math.exp,
        (-2.0, 0.5, 1.5),
        bounded_floats(-5, 5),
        math.exp,
    ),
    UnaryCase(
        "softplus",
        Value.softplus,
        lambda x: math.log(1.0 + math.exp(x)),
        _sigmoid,
        (-3.0, 0.0, 2.0),
        bounded_floats(-10, 10),
        lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)),
    ),
    UnaryCase(
        "erf",
        Value.erf,
        math.erf,
        lambda x: 2.0 / math.sqrt(math.pi) * math.exp(-x * x),
        (-1.0, 0.0, 0.5),
        bounded_floats(-4, 4),
        lambda x: -4.0 * x / math.sqrt(math.pi) * math.exp(-x * x),
    ),
    UnaryCase(
        "gelu",
        Value.gelu,
        lambda x: x * _cdf(x),
        lambda x: _cdf(x) + x * _phi(x),
        (-2.0, 0.0, 1.5),
        bounded_floats(-6, 6),
        lambda x: (2.0 - x * x) * _phi(x),
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
    BinaryCase(
        "maximum",
        lambda a, b: autograd.maximum(a, b),
        max,
        lambda a, b: (1.0, 0.0) if a > b else (0.0, 1.0),
        ((2.0, 0.5), (-3.0, 0.5)),
        st.tuples(bounded_floats(), bounded_floats()).filter(lambda p: abs(p[0] - p[1]) > 1e-3),
    ),
    BinaryCase(
        "minimum",
        lambda a, b: autograd.minimum(a, b),
        min,
        lambda a, b: (1.0, 0.0) if a < b else (0.0, 1.0),
        ((2.0, 0.5), (-3.0, 0.5)),
        st.tuples(bounded_floats(), bounded_floats()).filter(lambda p: abs(p[0] - p[1]) > 1e-3),
    ),
]


def _close(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=CLOSED_FORM_RTOL, abs_tol=CLOSED_FORM_ATOL)


class TestTable:
    def test_every_rule_is_tested(self) -> None:
        """Each row of the primitive table has closed-form cases here."""
        tested = {c.name for c in UNARY} | {c.name for c in BINARY} | {"sum", "dot", "max"}
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

    @pytest.mark.parametrize("case", UNARY, ids=lambda c: c.name)
    @given(data=st.data())
    def test_second_derivative_matches_closed_form_and_finite_differences(
        self, case: UnaryCase, data: st.DataObject
    ) -> None:
        """Over the domain grad(grad(op)) equals its closed form and differences of the gradient."""
        point = data.draw(case.domain)
        second = autograd.grad(autograd.grad(case.apply))(point)  # type: ignore[arg-type]
        assert math.isclose(second, case.second(point), rel_tol=1e-9, abs_tol=1e-9)
        assert gradgradcheck(case.apply, [point], atol=FD_ATOL, rtol=FD_RTOL)


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

    @pytest.mark.parametrize("case", BINARY, ids=lambda c: c.name)
    @given(data=st.data())
    def test_second_partials_match_finite_differences(
        self, case: BinaryCase, data: st.DataObject
    ) -> None:
        """Over the op's domain the Hessian is symmetric and equals differences of the gradient."""
        a, b = data.draw(case.domain)
        assert gradgradcheck(case.apply, [a, b], atol=FD_ATOL, rtol=FD_RTOL)
        h = autograd.hessian(case.apply)(a, b)
        assert math.isclose(h[0][1], h[1][0], rel_tol=1e-9, abs_tol=1e-12)

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

    def test_max_is_one_node_and_its_gradient_goes_to_the_largest(self) -> None:
        """max of n Values is one node; the largest input gets the whole gradient."""
        xs = [Value(1.0), Value(4.0), Value(-2.0)]
        top = autograd.max([*xs, 3.0])
        top.backward()
        assert (top.op, top.data, top.parents) == ("max", 4.0, tuple(xs))
        assert [x.grad for x in xs] == [0.0, 1.0, 0.0]

    def test_max_splits_the_gradient_evenly_at_ties(self) -> None:
        """At a k-way tie each tied input gets 1/k, as torch.amax."""
        xs = [Value(2.0), Value(2.0), Value(1.0), Value(2.0)]
        autograd.max(xs).backward()
        assert [x.grad for x in xs] == [1 / 3, 1 / 3, 0.0, 1 / 3]

    def test_max_of_numbers_is_a_float_and_of_nothing_an_error(self) -> None:
        """Numbers only give a float; an empty input raises ValueError naming max."""
        assert autograd.max([1, 5.5, -2]) == 5.5
        with pytest.raises(ValueError, match="max"):
            autograd.max([])

    @given(st.lists(bounded_floats(), min_size=1, max_size=8, unique=True))
    def test_max_matches_finite_differences(self, xs: list[float]) -> None:
        """Away from ties, max's gradient equals central differences."""
        ordered = sorted(xs)
        if len(xs) > 1 and ordered[-1] - ordered[-2] < 1e-3:
            return
        assert gradcheck(lambda *v: autograd.max(v), xs)
        assert gradgradcheck(lambda *v: autograd.max(v), xs)

    def test_max_in_a_stable_logsumexp(self) -> None:
        """(x_0 - m) - log(sum(exp(x - m))), m = max(x), is exactly -log 2 for huge equal inputs."""
        for big in (1e12, 1e300):
            xs = [Value(big), Value(big)]
            m = autograd.max(xs)
            log_p = (xs[0] - m) - autograd.log(autograd.sum([(x - m).exp() for x in xs]))
            assert log_p.data == -math.log(2.0)
            log_p.backward()
            assert [x.grad for x in xs] == [0.5, -0.5]


class TestNewOpEdges:
    def test_tan_at_infinity_is_a_domain_error(self) -> None:
        """tan(+-inf) raises ValueError naming tan, like sin and cos."""
        with pytest.raises(ValueError, match="tan"):
            Value(math.inf).tan()

    def test_log1p_domain_and_accuracy(self) -> None:
        """log1p raises for x <= -1 and is exact where log(1 + x) rounds away x."""
        for bad in (-1.0, -2.0):
            with pytest.raises(ValueError, match="log1p"):
                autograd.log1p(bad)
        assert autograd.log1p(1e-20) == 1e-20

    def test_expm1_accuracy_overflow_and_far_left_derivative(self) -> None:
        """expm1 is exact near 0, overflows to inf, and its derivative stays e^x far left."""
        assert autograd.expm1(1e-20) == 1e-20
        assert autograd.expm1(1000.0) == math.inf
        x = Value(-50.0)
        x.expm1().backward()
        assert x.grad == math.exp(-50.0)

    @pytest.mark.parametrize("x", [-1000.0, -40.0, 0.0, 40.0, 1000.0])
    def test_softplus_is_stable_for_large_inputs(self, x: float) -> None:
        """softplus is finite and exact at +-1000; its gradient is sigmoid."""
        v = Value(x)
        out = v.softplus()
        out.backward()
        expected = x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))
        assert out.data == expected
        assert v.grad == _sigmoid_exact(x)

    def test_gelu_matches_pytorch_numbers_and_its_far_tail(self) -> None:
        """gelu is x Phi(x) in the exact erf form, accurate where 1 + erf cancels."""
        assert autograd.gelu(1.0) == pytest.approx(0.8413447460685429, rel=1e-15)
        assert autograd.gelu(-1.0) == pytest.approx(-0.15865525393145707, rel=1e-15)
        tail = autograd.gelu(-10.0)
        assert tail == pytest.approx(-10.0 * 7.61985302416047e-24, rel=1e-12)
        assert autograd.gelu(0.0) == 0.0

    def test_maximum_and_minimum_split_a_tie(self) -> None:
        """At a == b both inputs get half the gradient, as torch.maximum and torch.minimum."""
        for f in (autograd.maximum, autograd.minimum):
            a, b = Value(1.5), Value(1.5)
            f(a, b).backward()
            assert (a.grad, b.grad) == (0.5, 0.5)

    def test_maximum_as_a_method_and_with_numbers(self) -> None:
        """Value.maximum takes a number; numbers only give a float; bad operands name the op."""
        assert Value(1.0).maximum(3).data == 3.0
        assert autograd.minimum(2, -1.5) == -1.5
        with pytest.raises(TypeError, match="maximum"):
            Value(1.0).maximum("3")  # type: ignore[arg-type]

    @pytest.mark.parametrize("name", ["maximum", "minimum"])
    def test_maximum_and_minimum_propagate_nan(self, name: str) -> None:
        """A NaN on either side gives NaN, and the gradient reaches both inputs."""
        a, b = Value(math.nan), Value(1.0)
        out = apply(name, a, b)
        out.backward()  # type: ignore[union-attr]
        assert math.isnan(out.data)  # type: ignore[union-attr]
        assert (a.grad, b.grad) == (1.0, 1.0)
        assert math.isnan(autograd.max([1.0, math.nan, 2.0]))


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

    @pytest.mark.parametrize("op", sorted(name for name in BUILT_IN_OPS if RULES[name].arity == 1))
    def test_nan_passes_through_unary_ops(self, op: str) -> None:
        """Every unary op maps NaN to NaN (relu(nan) is nan, not 0)."""
        value = apply(op, Value(math.nan))
        assert math.isnan(value.data)  # type: ignore[union-attr]

    @pytest.mark.parametrize("op", sorted(name for name in BUILT_IN_OPS if RULES[name].arity == 2))
    def test_nan_passes_through_binary_ops(self, op: str) -> None:
        """Every binary op with a NaN operand gives NaN."""
        assert math.isnan(RULES[op].forward(math.nan, 2.0))
        assert math.isnan(RULES[op].forward(2.0, math.nan)) or op == "leaky_relu"

    def test_nan_passes_through_nary_ops(self) -> None:
        """sum, dot and max propagate NaN."""
        assert math.isnan(autograd.sum([Value(math.nan), 1.0]).data)
        assert math.isnan(autograd.dot([Value(math.nan)], [1.0]).data)
        assert math.isnan(autograd.max([Value(1.0), math.nan]).data)


#: Inputs that reach every branch and edge of a row: signed zeros, subnormals, huge, inf, NaN.
EDGE_INPUTS = (0.0, -0.0, 5e-324, -5e-324, 1e-310, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0)
EDGE_INPUTS += (1e300, -1e300, math.inf, -math.inf, math.nan)
ANY_INPUT = st.sampled_from(EDGE_INPUTS) | st.floats()
#: Number exponents for x ** b: the edge floats, ints (small, past 2**53, past 2**1023).
POW_EXPONENTS = (*EDGE_INPUTS, 0.3, -2.5, 0, 1, 2, 3, -1, -2, 2**53 + 1, 2**1023 + 1, -(2**1023))
#: The rows that operators build (``x + y``), rather than a function of the same name.
OPERATORS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "neg": "-", "abs": "abs"}


def _same(a: float, b: float) -> bool:
    """Bit for bit equal, treating every NaN as the same."""
    if math.isnan(a) and math.isnan(b):
        return True
    return struct.pack("<d", a) == struct.pack("<d", b)


def _inputs(data: st.DataObject, name: str) -> list[float]:
    """Operands for the row ``name``: its arity, or 1 to 6 for an n-ary row (even for dot)."""
    arity = RULES[name].arity
    if arity is None:
        arity = data.draw(st.integers(1, 3)) * 2 if name == "dot" else data.draw(st.integers(1, 6))
    return [data.draw(ANY_INPUT) for _ in range(arity)]


def _forward(name: str, xs: list[float]) -> float:
    """The row's forward, skipping (through Hypothesis) inputs outside its domain."""
    try:
        return RULES[name].forward(*xs)
    except (ValueError, ZeroDivisionError):
        assume(False)
        raise


class TestRowsAgree:
    """Every notation of an op (source code, inlined fast paths, methods) equals its row."""

    @pytest.mark.parametrize("name", sorted(n for n in BUILT_IN_OPS if RULES[n].code))
    @given(data=st.data())
    def test_code_is_the_forward(self, name: str, data: st.DataObject) -> None:
        """A row's ``code``, run as Python, is its forward bit for bit, edges included."""
        xs = _inputs(data, name)
        want = _forward(name, xs)
        names = [f"a{i}" for i in range(len(xs))]
        got = eval(RULES[name].code(*names), {**_namespace(), **dict(zip(names, xs))})  # type: ignore[misc]
        assert _same(got, want)

    @pytest.mark.parametrize("name", sorted(n for n in BUILT_IN_OPS if RULES[n].code_vjp))
    @given(data=st.data())
    def test_code_vjp_is_the_vjp(self, name: str, data: st.DataObject) -> None:
        """A row's ``code_vjp``, run as Python, is its vjp bit for bit, edges included."""
        xs = _inputs(data, name)
        g = data.draw(ANY_INPUT)
        out = _forward(name, xs)
        names = [f"a{i}" for i in range(len(xs))]
        namespace = {**_namespace(), **dict(zip(names, xs)), "g": g, "out": out}
        got = [eval(c, namespace) for c in RULES[name].code_vjp("g", *names, "out")]  # type: ignore[misc]
        want = RULES[name].vjp(g, *xs, out)
        assert len(got) == len(want) == len(xs)
        assert all(_same(a, b) for a, b in zip(got, want))

    @pytest.mark.parametrize("name", sorted(BUILT_IN_OPS))
    @given(data=st.data())
    def test_backward_adds_exactly_the_vjp(self, name: str, data: st.DataObject) -> None:
        """backward(), inlined (add, mul, sum, dot) or generic, adds each input's vjp exactly."""
        xs = _inputs(data, name)
        g = data.draw(ANY_INPUT.filter(lambda v: v != 0.0))
        out_data = _forward(name, xs)
        constant = len(xs) == 2 and data.draw(st.booleans())  # a number on the right
        leaves = [Value(x) for x in xs]
        operands: list[Value | float] = [*leaves[:-1], xs[-1]] if constant else list(leaves)
        out = apply(name, *operands)
        assert isinstance(out, Value)
        assert _same(out.data, out_data)
        out.backward(g)
        want = RULES[name].vjp(g, *xs, out_data)
        for leaf, contribution in zip(leaves[:-1] if constant else leaves, want):
            assert _same(leaf.grad, 0.0 + contribution)

    @given(ANY_INPUT, ANY_INPUT)
    def test_operators_compute_their_rows_forward(self, a: float, b: float) -> None:
        """+, - and * (inlined in Value) give their rows' forward bit for bit, edges included."""
        for name, apply_operator in (
            ("add", lambda x, y: x + y),
            ("sub", lambda x, y: x - y),
            ("mul", lambda x, y: x * y),
        ):
            want = RULES[name].forward(a, b)
            for left, right in ((Value(a), Value(b)), (Value(a), b), (a, Value(b))):
                out = apply_operator(left, right)
                assert (out.op, out.saved) == (name, (a, b))
                assert _same(out.data, want)

    @given(ANY_INPUT, st.integers(-(2**60), 2**60))
    def test_int_operands_become_their_float(self, a: float, k: int) -> None:
        """An int on either side of + - * (inlined: builtin sum starts with 0) is float(k)."""
        for name, apply_operator in (
            ("add", lambda x, y: x + y),
            ("sub", lambda x, y: x - y),
            ("mul", lambda x, y: x * y),
        ):
            for left, right, want in (
                (Value(a), k, (a, float(k))),
                (k, Value(a), (float(k), a)),
            ):
                out = apply_operator(left, right)
                assert (out.op, out.saved) == (name, want)
                assert [type(x) for x in out.operands].count(float) == 1
                assert _same(out.data, RULES[name].forward(*want))

    @pytest.mark.parametrize("name", ["exp", "log", "relu"])
    @given(a=ANY_INPUT)
    def test_inlined_methods_compute_their_rows_forward(self, name: str, a: float) -> None:
        """exp, log and relu (inlined in Value) give their rows' forward or error, bit for bit."""
        try:
            want = RULES[name].forward(a)
        except ValueError as error:
            with pytest.raises(ValueError, match=f"^{re.escape(str(error))}$"):
                getattr(Value(a), name)()
            return
        out = getattr(Value(a), name)()
        assert (out.op, out.saved) == (name, (a,))
        assert _same(out.data, want)

    @given(ANY_INPUT, ANY_INPUT | st.integers(-5, 5))
    def test_power_with_a_number_computes_its_rows_forward(self, a: float, b: float) -> None:
        """x ** b for a number b (inlined in Value) is the row's forward or error, bit for bit."""
        try:
            want = RULES["pow"].forward(a, float(b))
        except (ValueError, ZeroDivisionError) as error:
            with pytest.raises(type(error), match=f"^{re.escape(str(error))}$"):
                Value(a) ** b
            return
        out = Value(a) ** b
        assert (out.op, out.saved, type(out.operands[1])) == ("pow", (a, float(b)), float)
        assert _same(out.data, want)

    def test_power_with_a_number_is_the_row_on_edge_inputs(self) -> None:
        """x ** b (inlined) on every edge base is the row's forward, error and vjp, bit for bit.

        The exponents cover 0 ** negative, a negative base to a non-integer power, int
        exponents (converted as float() does, past 2**1023 too), NaN and the infinities.
        """
        for a, b in itertools.product(EDGE_INPUTS, POW_EXPONENTS):
            try:
                want = RULES["pow"].forward(a, float(b))
            except (ValueError, ZeroDivisionError) as error:
                with pytest.raises(type(error), match=f"^{re.escape(str(error))}$"):
                    Value(a) ** b
                continue
            x = Value(a)
            out = x**b
            assert (out.op, out.operands, out.saved) == ("pow", (x, float(b)), (a, float(b)))
            assert type(out.operands[1]) is float
            assert _same(out.data, want)
            out.backward(1.5)
            assert _same(x.grad, 0.0 + RULES["pow"].vjp(1.5, a, float(b), want)[0])

    def test_power_with_an_int_past_float_range_is_the_generic_error(self) -> None:
        """x ** k for an int k too large for a float raises the operators' ValueError."""
        for k in (2**1024, -(2**1024), 10**400):
            with pytest.raises(ValueError, match=r"^\*\*: the operand -?\d+.* too large for"):
                Value(2.0) ** k

    def test_power_with_a_modulus_or_a_non_number_is_refused_as_before(self) -> None:
        """pow(x, 2, 5) and x ** "2" raise the generic path's TypeErrors, not the fast path's."""
        for exponent in (2, 2.0):
            with pytest.raises(TypeError, match=r"^pow\(\) with a modulus is not supported"):
                pow(Value(2.0), exponent, 5)  # type: ignore[call-overload]
        with pytest.raises(TypeError, match=r"^unsupported operand type\(s\) for \*\*: 'Value'"):
            Value(2.0) ** "2"  # type: ignore[operator]
        with pytest.raises(TypeError, match=r"'Value' and 'bool'"):
            Value(2.0) ** True

    @pytest.mark.parametrize("name", sorted(BUILT_IN_OPS))
    def test_every_row_is_an_operator_or_a_function(self, name: str) -> None:
        """Each row is an operator or an autograd function showing the row's doc, and a
        one- or two-input row that is no operator is also a Value method."""
        rule = RULES[name]
        if name in OPERATORS:
            return
        function = getattr(autograd, name)
        assert function.__doc__.startswith(rule.doc)
        if rule.arity is not None:
            method = getattr(Value, name)
            assert method.__doc__ == rule.doc
            out = method(Value(0.5), *([0.25] * (rule.arity - 1)))
            assert out.op == name


class TestArrayForms:
    """Each row's op on NumPy arrays computes, per element, what its float functions compute."""

    @pytest.mark.parametrize("name", sorted(n for n in BUILT_IN_OPS if RULES[n].array))
    @given(data=st.data())
    def test_array_forward_and_vjp_are_the_float_ones_per_element(
        self, name: str, data: st.DataObject
    ) -> None:
        """Array forward and vjp equal the float ones element by element, edges included."""
        np = pytest.importorskip("numpy")
        from autograd.codegen import _base_namespace

        rule = RULES[name]
        form = rule.array
        assert form is not None
        width = len(_inputs(data, name))  # the number of inputs, drawn once for n-ary rows
        samples = [
            [data.draw(ANY_INPUT) for _ in range(width)]
            for _ in range(data.draw(st.integers(1, 5)))
        ]
        columns = [np.array([s[k] for s in samples]) for k in range(width)]
        try:
            outs = [rule.forward(*s) for s in samples]
        except (ValueError, ZeroDivisionError) as error:
            assert form.forward is not None  # a row whose code runs as written cannot fail
            with np.errstate(all="ignore"), pytest.raises(type(error), match=r"\(sample \d+\)"):
                form.forward(np, *columns)
            return
        names = [f"a{k}" for k in range(width)]
        with np.errstate(all="ignore"):
            if form.forward is not None:
                got = form.forward(np, *columns)
            else:
                got = eval(rule.code(*names), {**_base_namespace(), **dict(zip(names, columns))})  # type: ignore[misc]
            got = np.broadcast_to(got, (len(samples),))
            g = np.array([data.draw(ANY_INPUT) for _ in samples])
            out = np.array(outs)
            if form.vjp is not None:
                parts = form.vjp(np, g, *columns, out)
            elif rule.code_vjp is not None:
                namespace = {**_base_namespace(), **dict(zip(names, columns)), "g": g, "out": out}
                parts = [eval(c, namespace) for c in rule.code_vjp("g", *names, "out")]  # type: ignore[misc]
            else:
                parts = rule.vjp(g, *columns, out)
        for i, sample in enumerate(samples):
            assert _near(float(got[i]), outs[i])
            want = rule.vjp(float(g[i]), *sample, outs[i])
            for part, w in zip(parts, want):
                value = float(np.broadcast_to(part, (len(samples),))[i])
                # a NaN for an infinite or NaN g is allowed: batched runs redo it on floats
                assert _near(value, w) or (not math.isfinite(g[i]) and math.isnan(value))


def _near(a: float, b: float) -> bool:
    """Equal within 1e-12 relative (NumPy's exp or log may differ from math's in the last bit)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
