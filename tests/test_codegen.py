"""autograd.codegen: a recorded graph as Python source, on floats, on arrays, and checked."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, op
from autograd.codegen import Program

#: How close generated gradients must be to the dynamic engine's.
GRAD_TOL = 1e-9


def _close(a: float, b: float, tol: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= tol * max(1.0, abs(a), abs(b))


class TestProgram:
    def test_vector_jacobian_product(self) -> None:
        """Seeded outputs give the seeded sum of their gradients, for the first n_wrt inputs."""
        x, y, z = Value(0.5), Value(-1.5), Value(2.0)
        a, b = (x * y).tanh(), x * z + y
        program = Program([a, b, a], [x, y, z], n_wrt=2)
        outputs, grads = program.backward(0.5, -1.5, 2.0, 1.0, 3.0, 0.5)
        assert outputs == (a.data, b.data, a.data)
        want = autograd.gradients(a * 1.5 + b * 3.0, [x, y])
        assert all(_close(g, w, GRAD_TOL) for g, w in zip(grads, want))
        assert program.forward(0.5, -1.5, 2.0) == outputs

    def test_inputs_must_be_distinct_leaves(self) -> None:
        """Inputs that repeat or are not leaves are refused."""
        x = Value(1.0)
        with pytest.raises(ValueError, match="distinct leaf"):
            Program([x * 2], [x, x])
        with pytest.raises(ValueError, match="distinct leaf"):
            Program([x * 2], [x * 3])

    def test_argument_checks(self) -> None:
        """Outputs and inputs must be Values and n_wrt must count some of the inputs."""
        x = Value(1.0)
        with pytest.raises(TypeError, match="outputs must be Values, got float at index 1"):
            Program([x, 2.0], [x])  # type: ignore[list-item]
        with pytest.raises(ValueError, match="n_wrt"):
            Program([x * 2], [x], n_wrt=2)
        assert Program([x * 2], [x], n_wrt=0).backward(3.0, 1.0) == ((6.0,), ())

    def test_batched_positions_must_be_inputs(self) -> None:
        """A batched position past the inputs is refused."""
        x = Value(1.0)
        with pytest.raises(ValueError, match="batched"):
            Program([x * 2], [x], batched=[1])


class TestBatchedProgram:
    def test_per_sample_and_shared_nodes(self) -> None:
        """Nodes of a per-sample input run on arrays; shared ones stay floats; gradients reduce."""
        np = pytest.importorskip("numpy")
        w, x = Value(0.5), Value(2.0)
        shared, out = w.exp(), (w.exp() * x).sin()
        program = Program([out, shared], [w, x], batched=[1])
        assert program.per_sample_outputs == (True, False)
        source = program.source
        assert "t0 = exp_(x0)" in source  # shared: the float function
        assert "sin_array(" in source  # per sample: the array form
        assert "add_samples(" in source  # the shared input's gradient: one reduction
        (y, e), (dw, dx) = program.backward(0.5, np.array([1.0, 2.0]), np.ones(2), 0.0)
        assert e == math.exp(0.5)
        for i, xi in enumerate((1.0, 2.0)):
            assert math.isclose(y[i], math.sin(math.exp(0.5) * xi), rel_tol=1e-15)
            assert math.isclose(dx[i], math.cos(math.exp(0.5) * xi) * math.exp(0.5), rel_tol=1e-15)
        want_dw = sum(math.cos(math.exp(0.5) * xi) * math.exp(0.5) * xi for xi in (1.0, 2.0))
        assert math.isclose(dw, want_dw, rel_tol=1e-14)

    def test_rows_without_an_array_form_run_sample_by_sample(self) -> None:
        """erf and custom ops have no array form: their float functions run per sample."""
        np = pytest.importorskip("numpy")

        @op(derivative=lambda a: 3.0 * a * a, name="cube_for_codegen")
        def cube(a: float) -> float:
            return a**3

        x = Value(0.5)
        program = Program([cube(x.erf())], [x], batched=[0])
        assert "erf_each(" in program.source and "op0_each(" in program.source
        xs = np.array([-1.0, 0.0, 0.7])
        (out,), (dx,) = program.backward(xs, np.ones(3))
        for i, xi in enumerate(xs):
            assert out[i] == math.erf(xi) ** 3
            want = 3.0 * math.erf(xi) ** 2 * 2.0 / math.sqrt(math.pi) * math.exp(-xi * xi)
            assert math.isclose(dx[i], want, rel_tol=1e-14, abs_tol=1e-300)

    def test_no_in_place_addition_on_arrays(self) -> None:
        """An array shared by several gradient names is never changed in place (no +=)."""
        np = pytest.importorskip("numpy")
        x = Value(1.0)
        a = x + x
        program = Program([autograd.sum([a, a, x])], [x], batched=[0])
        seed = np.ones(2)
        _, (dx,) = program.backward(np.array([1.0, 2.0]), seed)
        assert list(dx) == [5.0, 5.0] and list(seed) == [1.0, 1.0]


class TestCheckedProgram:
    def test_forward_values_are_checked(self) -> None:
        """A checked program raises FloatingPointError naming the op that produced an inf."""
        x = Value(1.0)
        program = Program([x.exp() * 0.0], [x], anomaly=True)
        assert program.forward(1.0) == (0.0,)
        with pytest.raises(FloatingPointError, match="exp produced inf"):
            program.forward(1000.0)

    def test_gradient_contributions_are_checked(self) -> None:
        """A checked program raises naming the op whose backward gave a NaN or inf."""
        x = Value(1.0)
        program = Program([x.sqrt() + x], [x], anomaly=True)
        assert program.backward(4.0, 1.0)[1] == (1.25,)
        with pytest.raises(FloatingPointError, match="backward of sqrt gave inf for its input 0"):
            program.backward(0.0, 1.0)

    def test_unchecked_programs_give_inf(self) -> None:
        """Without the check the same program gives inf, as the dynamic engine does."""
        x = Value(1.0)
        assert Program([x.sqrt() + x], [x]).backward(0.0, 1.0)[1] == (math.inf,)


def _network(args: tuple[Any, ...], widths: list[int], activations: list[str], skip: bool) -> Any:
    """A small MLP on Values: weights first in ``args``, then two inputs; optional skip sum."""
    *weights, x0, x1 = args
    inputs: list[Any] = [x0, x1]
    offset = 0
    first_hidden: list[Any] = []
    for index, (width, activation) in enumerate(zip(widths, activations)):
        outputs = []
        for _ in range(width):
            row = weights[offset : offset + len(inputs)]
            offset += len(inputs) + 1
            z = autograd.dot([*row, weights[offset - 1]], [*inputs, 1.0])
            outputs.append(z if activation == "linear" else getattr(z, activation)())
        if index == 0:
            first_hidden = outputs
        inputs = outputs[::-1] if index % 2 else outputs  # later layers read rows reordered
    out = autograd.sum(inputs)
    return out + first_hidden[0] * 0.5 if skip else out  # a row used on its own too


def _weight_count(widths: list[int]) -> int:
    count, nin = 0, 2
    for width in widths:
        count += width * (nin + 1)
        nin = width
    return count


class TestLayers:
    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(st.integers(1, 4), min_size=1, max_size=3),
        st.lists(st.sampled_from(["relu", "tanh", "sigmoid", "linear"]), min_size=3, max_size=3),
        st.booleans(),
        st.integers(0, 2**16),
    )
    def test_layers_as_matrices_equal_the_float_program(
        self, widths: list[int], activations: list[str], skip: bool, seed: int
    ) -> None:
        """A network batched as matrix products gives each sample's float value and gradient."""
        np = pytest.importorskip("numpy")
        rng = random.Random(seed)
        p = _weight_count(widths)
        weights = [rng.uniform(-1.0, 1.0) for _ in range(p)]
        xs = [[rng.uniform(-2.0, 2.0) for _ in range(5)] for _ in range(2)]
        leaves = [Value(v) for v in [*weights, xs[0][0], xs[1][0]]]
        out = _network(tuple(leaves), widths, activations, skip)
        scalar = Program([out], leaves)
        batched = scalar.batched_on([p, p + 1])
        assert "@" in batched.source  # the layers are matrix products
        (values,), grads = batched.backward(*weights, np.array(xs[0]), np.array(xs[1]), np.ones(5))
        total = [0.0] * (p + 2)
        for i in range(5):
            (value,), g = scalar.backward(*weights, xs[0][i], xs[1][i], 1.0)
            assert math.isclose(values[i], value, rel_tol=1e-10, abs_tol=1e-12)
            for k in range(p):
                total[k] += g[k]
            for k in (p, p + 1):
                assert math.isclose(grads[k][i], g[k], rel_tol=1e-10, abs_tol=1e-12)
        for k in range(p):
            assert math.isclose(grads[k], total[k], rel_tol=1e-10, abs_tol=1e-12)

    def test_a_mlp_is_a_few_matrix_operations(self) -> None:
        """Each layer is one product; its activation runs once on the whole matrix."""
        pytest.importorskip("numpy")
        widths = [4, 3, 1]
        p = _weight_count(widths)
        leaves = [Value(0.1 * (k % 7) - 0.3) for k in range(p + 2)]
        out = _network(tuple(leaves), widths, ["relu", "relu", "linear"], skip=False)
        forward = Program([out], leaves).batched_on([p, p + 1]).source.split("def backward")[0]
        assert forward.count(" = relu_array(Z") == 2
        assert forward.count("stack_(") == 1  # only the inputs are stacked; layers pass matrices
