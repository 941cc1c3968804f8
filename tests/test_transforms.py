"""grad, value_and_grad, hessian and gradients(): derivatives of any order."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given
from strategies import Expression, differentiable_cases

import autograd
from autograd import Value, grad, gradgradcheck, gradients, hessian, value_and_grad

#: Tolerance for comparing derivatives with closed forms.
RTOL = 1e-9
ATOL = 1e-12
#: Finite-difference tolerances for second derivatives over random graphs.
FD2_ATOL = 1e-4
FD2_RTOL = 1e-3


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# (name, f on Values or numbers, closed-form second derivative, point)
SECOND_DERIVATIVES: list[
    tuple[str, Callable[[object], object], Callable[[float], float], float]
] = [
    ("neg", lambda x: -x, lambda x: 0.0, 0.7),  # type: ignore[operator]
    ("abs", abs, lambda x: 0.0, -0.7),  # type: ignore[arg-type]
    ("exp", autograd.exp, math.exp, 0.7),  # type: ignore[arg-type]
    ("log", autograd.log, lambda x: -1.0 / x**2, 0.7),  # type: ignore[arg-type]
    ("sqrt", autograd.sqrt, lambda x: -0.25 * x**-1.5, 0.7),  # type: ignore[arg-type]
    ("sin", autograd.sin, lambda x: -math.sin(x), 0.7),  # type: ignore[arg-type]
    ("cos", autograd.cos, lambda x: -math.cos(x), 0.7),  # type: ignore[arg-type]
    ("tanh", autograd.tanh, lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2), 0.7),  # type: ignore[arg-type]
    ("sigmoid", autograd.sigmoid, lambda x: _sig(x) * (1 - _sig(x)) * (1 - 2 * _sig(x)), 0.7),  # type: ignore[arg-type]
    ("relu", autograd.relu, lambda x: 0.0, 0.7),  # type: ignore[arg-type]
    ("leaky_relu", autograd.leaky_relu, lambda x: 0.0, -0.7),  # type: ignore[arg-type]
    ("add", lambda x: x + x * x, lambda x: 2.0, 0.7),  # type: ignore[operator]
    ("sub", lambda x: 3.0 - x * x, lambda x: -2.0, 0.7),  # type: ignore[operator]
    ("mul", lambda x: x * x * x, lambda x: 6 * x, 0.7),  # type: ignore[operator]
    ("div", lambda x: 2.0 / x, lambda x: 4.0 / x**3, 0.7),  # type: ignore[operator]
    ("pow", lambda x: x**3.5, lambda x: 3.5 * 2.5 * x**1.5, 0.7),  # type: ignore[operator]
    ("rpow", lambda x: 3.0**x, lambda x: 3.0**x * math.log(3.0) ** 2, 0.7),  # type: ignore[operator]
    ("powvv", lambda x: x**x, lambda x: x**x * ((math.log(x) + 1) ** 2 + 1 / x), 0.7),  # type: ignore[operator]
    ("sum", lambda x: autograd.sum([x, x * x, 2.0]), lambda x: 2.0, 0.7),  # type: ignore[list-item]
    ("dot", lambda x: autograd.dot([x, x], [x, 3.0]), lambda x: 2.0, 0.7),  # type: ignore[list-item]
]


class TestGrad:
    def test_numbers_in_floats_out(self) -> None:
        """grad called with numbers returns a float."""
        d = grad(autograd.sin)(1.0)
        assert type(d) is float
        assert d == math.cos(1.0)

    @pytest.mark.parametrize("f", [autograd.sin, autograd.exp], ids=["sin", "exp"])
    def test_composes_to_the_fourth_derivative(self, f: Callable[[float], float]) -> None:
        """grad(grad(grad(grad(f)))) is the fourth derivative for sin and exp."""
        fourth = grad(grad(grad(grad(f))))
        for x in (-1.3, 0.0, 0.4, 2.0):
            assert math.isclose(fourth(x), f(x), rel_tol=RTOL, abs_tol=ATOL)
        third = grad(grad(grad(f)))
        expected_third = -math.cos(0.4) if f is autograd.sin else math.exp(0.4)
        assert math.isclose(third(0.4), expected_third, rel_tol=RTOL)

    @pytest.mark.parametrize(
        ("name", "f", "second", "x"), SECOND_DERIVATIVES, ids=[c[0] for c in SECOND_DERIVATIVES]
    )
    def test_second_derivative_of_every_op(
        self, name: str, f: Callable[[object], object], second: Callable[[float], float], x: float
    ) -> None:
        """grad(grad(f)) equals the closed-form second derivative for every op."""
        assert math.isclose(grad(grad(f))(x), second(x), rel_tol=RTOL, abs_tol=ATOL)
        assert gradgradcheck(lambda v: f(v), [x])  # type: ignore[arg-type, return-value]

    def test_argnums_tuple_and_passthrough(self) -> None:
        """A tuple of argnums gives a tuple; other arguments pass through unchanged."""

        def f(x: Value, y: Value, scale: float) -> Value:
            assert type(scale) is int
            return x * y * scale

        dx, dy = grad(f, argnums=(0, 1))(2.0, 3.0, 10)
        assert (dx, dy) == (30.0, 20.0)
        assert grad(f, argnums=1)(2.0, 3.0, 10) == 20.0

    def test_values_in_values_out(self) -> None:
        """Called with a Value, grad returns a Value connected to the graph."""
        x = Value(0.5)
        d = grad(autograd.sin)(x)
        assert isinstance(d, Value)
        d.backward()
        assert math.isclose(x.grad, -math.sin(0.5), rel_tol=RTOL)

    def test_constant_function(self) -> None:
        """A function that ignores its input has derivative 0 at every order."""
        assert grad(lambda x: 5.0)(1.0) == 0.0
        assert grad(grad(lambda x: 5.0))(1.0) == 0.0

    def test_zero_valued_gradient_keeps_higher_derivatives(self) -> None:
        """At x = 0, x**3 has f' = f'' = 0 but f''' = 6: zeros are not pruned."""
        f = lambda x: x * x * x  # noqa: E731
        assert grad(grad(grad(f)))(0.0) == 6.0

    @pytest.mark.parametrize(
        ("argnums", "error"),
        [
            (-1, ValueError),
            ((0, 0), ValueError),
            ((), TypeError),
            ("0", TypeError),
            (True, TypeError),
        ],
    )
    def test_bad_argnums(self, argnums: object, error: type[Exception]) -> None:
        """Bad argnums raise naming argnums."""
        with pytest.raises(error, match="argnums"):
            grad(autograd.sin, argnums=argnums)  # type: ignore[arg-type]

    def test_argnums_out_of_range(self) -> None:
        """An argnum past the call's arguments raises ValueError."""
        with pytest.raises(ValueError, match="out of range"):
            grad(autograd.sin, argnums=1)(1.0)

    def test_bad_argument_and_result(self) -> None:
        """A non-number argument or result raises TypeError naming the type."""
        with pytest.raises(TypeError, match="str"):
            grad(autograd.sin)("1")
        with pytest.raises(TypeError, match="list"):
            grad(lambda x: [x])(1.0)


class TestValueAndGrad:
    def test_value_and_gradient(self) -> None:
        """value_and_grad returns f's value and its derivative as floats."""
        value, d = value_and_grad(lambda x: x * x * x)(2.0)
        assert (value, d) == (8.0, 12.0)

    def test_nested_returns_values(self) -> None:
        """Inside another grad, value and derivative are Values."""
        x = Value(2.0)
        value, d = value_and_grad(lambda v: v * v)(x)
        assert isinstance(value, Value) and isinstance(d, Value)
        assert (value.data, d.data) == (4.0, 4.0)


class TestHessian:
    def test_two_variable_closed_form(self) -> None:
        """The Hessian of x**2 y + sin(x y) equals its closed form."""

        def f(x: Value, y: Value) -> Value:
            return x * x * y + (x * y).sin()

        x, y = 0.7, -1.3
        s, c = math.sin(x * y), math.cos(x * y)
        expected = [
            [2 * y - y * y * s, 2 * x + c - x * y * s],
            [2 * x + c - x * y * s, -x * x * s],
        ]
        actual = hessian(f)(x, y)
        for row, expected_row in zip(actual, expected, strict=True):
            for a, e in zip(row, expected_row, strict=True):
                assert math.isclose(a, e, rel_tol=RTOL, abs_tol=ATOL)

    def test_returns_floats(self) -> None:
        """The Hessian is a list of lists of floats."""
        h = hessian(lambda x, y: x * y)(1.0, 2.0)
        assert h == [[0.0, 1.0], [1.0, 0.0]]
        assert all(type(v) is float for row in h for v in row)

    @given(differentiable_cases(n_inputs=3, max_steps=6))
    def test_symmetric_on_random_graphs(self, case: tuple[Expression, list[float]]) -> None:
        """Mixed partials commute: the Hessian of any random graph is symmetric."""
        expr, xs = case
        h = hessian(expr)(*xs)
        for i in range(3):
            for j in range(i):
                assert math.isclose(h[i][j], h[j][i], rel_tol=1e-9, abs_tol=1e-9)

    @pytest.mark.parametrize("result", [None, "x", [1.0]], ids=["None", "str", "list"])
    def test_a_result_that_is_no_number_raises_as_grad_does(self, result: object) -> None:
        """f returning None or a str raises grad's TypeError, not a matrix of zeros."""
        f = lambda x, y: result  # noqa: E731
        with pytest.raises(TypeError) as from_grad:
            grad(f)(1.0, 2.0)
        with pytest.raises(TypeError) as from_hessian:
            hessian(f)(1.0, 2.0)
        expected = f"the result of f must be a Value or a real number, got {type(result).__name__}"
        assert str(from_grad.value) == f"grad: {expected}"
        assert str(from_hessian.value) == f"hessian: {expected}"

    def test_a_number_result_has_a_zero_hessian(self) -> None:
        """f returning a number (a constant) still has the Hessian of zeros."""
        assert hessian(lambda x, y: 3)(1.0, 2.0) == [[0.0, 0.0], [0.0, 0.0]]

    def test_called_with_values_it_composes(self) -> None:
        """Given Values, hessian gives Values connected to them: d/dx (d2/dy2 y**3 at x) = 6."""
        assert grad(lambda x: hessian(lambda y: y**3)(x)[0][0])(1.0) == 6.0


class TestClosedOverOuterVariables:
    """An inner derivative called with numbers, of f closing over an outer grad's variable."""

    def test_inner_grad_stays_connected_to_the_outer_variable(self) -> None:
        """d/dx [x * d/dy (x y)] = d/dx x**2 = 2 at x = 1, as in HIPS autograd and PyTorch."""
        assert grad(lambda x: x * grad(lambda y: x * y)(2.0))(1.0) == 2.0

    def test_inner_value_and_grad_stays_connected(self) -> None:
        """The inner value and the inner derivative both depend on x: 2x and 2x at x = 1.5."""
        assert grad(lambda x: value_and_grad(lambda y: x * y)(2.0)[0])(1.5) == 2.0
        assert grad(lambda x: x * value_and_grad(lambda y: x * y)(2.0)[1])(1.5) == 3.0

    def test_three_levels(self) -> None:
        """Each level sees the ones around it: d/dx [d/dy (x y * d/dz (x y z))] at y=2 is 8x."""
        inner = lambda x, y: grad(lambda z: x * y * z)(1.0)  # noqa: E731
        middle = lambda x: grad(lambda y: x * y * inner(x, y))(2.0)  # noqa: E731
        assert grad(middle)(3.0) == 24.0

    def test_second_derivative_through_an_inner_grad(self) -> None:
        """grad(grad(x * d/dy (x y**2) at y=2)) = grad(grad(4 x**2)) = 8."""
        assert grad(grad(lambda x: x * grad(lambda y: x * y * y)(2.0)))(1.0) == 8.0

    def test_inner_hessian_stays_connected(self) -> None:
        """d/da of d2/dy2 (a y**2) is 2."""
        assert grad(lambda a: hessian(lambda y: a * y * y)(1.0)[0][0])(1.0) == 2.0

    def test_an_outer_variable_is_still_a_constant_of_the_inner_derivative(self) -> None:
        """No perturbation confusion: the inner derivative does not differentiate x."""
        assert grad(lambda x: grad(lambda y: x * y)(2.0) * 1.0)(5.0) == 1.0
        assert grad(lambda x: grad(lambda y: x + y)(2.0) * x)(5.0) == 1.0

    def test_the_result_is_a_float_unless_it_depends_on_an_outer_variable(self) -> None:
        """Inside another grad, a derivative that does not involve its variables is a float."""
        seen: list[object] = []

        def outer(x: Value) -> Value:
            seen.append(grad(lambda y: y * y)(3.0))
            seen.append(grad(lambda y: x * y)(3.0))
            return x

        grad(outer)(1.0)
        assert type(seen[0]) is float and seen[0] == 6.0
        assert isinstance(seen[1], Value) and seen[1].data == 1.0

    def test_closed_over_values_outside_any_derivative_are_constants(self) -> None:
        """A Value no derivative in progress differentiates (a parameter) gives floats as before."""
        w = Value(3.0)
        d = grad(lambda y: w * y * y)(2.0)
        assert type(d) is float and d == 12.0

    def test_gradcheck_and_compile_see_through_an_inner_grad(self) -> None:
        """gradcheck and a compiled trace agree with the nested grads: f(x) = 2 x**2."""
        f = lambda x: x * grad(lambda y: x * y * y)(1.0)  # noqa: E731
        assert autograd.gradcheck(f, [1.5])
        assert autograd.compile(f).value_and_grad(1.5) == (4.5, (6.0,))


class TestSecondOrderOnRandomGraphs:
    @given(differentiable_cases(n_inputs=2, max_steps=6))
    def test_second_derivatives_match_finite_differences(
        self, case: tuple[Expression, list[float]]
    ) -> None:
        """Every built-in op's second derivatives, composed at random, match finite differences."""
        expr, xs = case
        assert gradgradcheck(expr, xs, atol=FD2_ATOL, rtol=FD2_RTOL)


class TestGradients:
    def test_does_not_touch_grad(self) -> None:
        """gradients() computes derivatives without writing any .grad."""
        x, y = Value(2.0), Value(3.0)
        z = x * y
        assert gradients(z, [x, y]) == [3.0, 2.0]
        assert (x.grad, y.grad, z.grad) == (0.0, 0.0, 0.0)

    def test_unrelated_input_gets_zero(self) -> None:
        """An input the output does not depend on gets 0.0, or Value(0.0) with create_graph."""
        x, unrelated = Value(2.0), Value(5.0)
        y = x * x
        assert gradients(y, [unrelated]) == [0.0]
        (d,) = gradients(y, [unrelated], create_graph=True)
        assert isinstance(d, Value) and d.data == 0.0

    def test_intermediate_input(self) -> None:
        """The derivative with respect to an intermediate node counts all its uses."""
        x = Value(2.0)
        h = x * 3.0
        y = h * h + h
        assert gradients(y, [h]) == [2 * h.data + 1]

    def test_create_graph_gives_differentiable_values(self) -> None:
        """With create_graph the derivative is a Value whose gradient is the second derivative."""
        x = Value(1.5)
        (d,) = gradients(x.exp() * x, [x], create_graph=True)
        assert math.isclose(d.data, math.exp(1.5) * 2.5, rel_tol=RTOL)
        d.backward()
        assert math.isclose(x.grad, math.exp(1.5) * 3.5, rel_tol=RTOL)

    def test_bad_arguments(self) -> None:
        """A non-Value output or input raises TypeError."""
        with pytest.raises(TypeError, match="output"):
            gradients(1.0, [Value(1.0)])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^gradients: inputs\[1\] must be a Value, got float"):
            gradients(Value(1.0), [Value(1.0), 2.0])  # type: ignore[list-item]


class TestReviewRegressions:
    def test_nested_grad_keeps_inner_and_outer_variables_apart(self) -> None:
        """A closed-over outer variable is a constant for the inner grad (no confusion)."""
        assert grad(lambda x: grad(lambda y: x * y)(x))(3.0) == 1.0
        assert grad(lambda x: x * grad(lambda y: x + y)(x))(3.0) == 1.0

    def test_same_value_passed_twice_gives_separate_partials(self) -> None:
        """Passing one Value for two differentiated arguments gives each its own partial."""
        v = Value(3.0)
        da, db = grad(lambda a, b: a * b, argnums=(0, 1))(v, v)
        assert (da.data, db.data) == (3.0, 3.0)

    def test_derivatives_work_inside_no_grad(self) -> None:
        """grad, hessian and gradients(create_graph=True) record graphs even inside no_grad."""
        x = Value(3.0)
        y = x**3
        with autograd.no_grad():
            assert grad(lambda v: v * v)(3.0) == 6.0
            assert hessian(lambda v: v**3)(3.0) == [[18.0]]
            (d,) = gradients(y, [x], create_graph=True)
        assert gradients(d, [x]) == [18.0]

    @pytest.mark.parametrize(
        ("f", "x", "expected"),
        [
            (lambda v: 0.5**v, -1023.9, -(0.5**-1023.9) * math.log(2.0)),
            (lambda v: v**3, 1e200, math.inf),
            (lambda v: v**400, 10.0, math.inf),
            (lambda v: v**-1.5, 1e-200, -math.inf),
        ],
    )
    def test_pow_backward_overflows_to_inf_not_an_exception(
        self, f: Callable[[Value], Value], x: float, expected: float
    ) -> None:
        """A power's overflowing derivative is +-inf (or finite), never an OverflowError."""
        v = Value(x)
        f(v).backward()
        assert v.grad == pytest.approx(expected, rel=1e-12)


class TestNegativeBasePower:
    def test_hessian_is_symmetric_and_nan_propagates(self) -> None:
        """hessian(x ** y) at (-2, 3) is [[-12, nan], [nan, nan]], as in PyTorch."""
        h = hessian(lambda x, y: x**y)(-2.0, 3.0)
        assert h[0][0] == -12.0
        assert all(math.isnan(v) for v in (h[0][1], h[1][0], h[1][1]))

    def test_second_derivative_in_the_exponent_is_nan(self) -> None:
        """d2/dy2 (-2) ** y is NaN, not 0: the NaN first derivative stays on the graph."""
        assert math.isnan(grad(grad(lambda y: (-2.0) ** y))(3.0))


class TestAnomaly:
    def test_grad_stops_at_an_infinite_derivative(self) -> None:
        """grad(sqrt)(0) is inf, but inside detect_anomaly it raises naming sqrt."""
        assert grad(lambda x: x.sqrt())(0.0) == math.inf
        with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match="sqrt"):
            grad(lambda x: x.sqrt())(0.0)

    def test_value_and_grad_stops_at_an_overflowing_derivative(self) -> None:
        """d/dx 1/x at 1e-200 overflows to -inf; inside detect_anomaly that raises naming div."""
        assert value_and_grad(lambda x: 1 / x)(1e-200)[1] == -math.inf
        with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match="div"):
            value_and_grad(lambda x: 1 / x)(1e-200)
