"""Tests for nn.functional: softmax, log_softmax, logsumexp and element-wise activations."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, gradcheck
from nn import functional as F

#: Agreement expected between two float computations of the same quantity.
REL_TOL = 1e-12

logits = st.lists(st.floats(-1000.0, 1000.0, allow_nan=False), min_size=1, max_size=8)


class TestSoftmax:
    @given(logits)
    def test_sums_to_one(self, xs: list[float]) -> None:
        """softmax returns probabilities in [0, 1] that sum to 1, for logits up to +-1000."""
        ps = F.softmax(xs)
        assert all(0.0 <= p <= 1.0 for p in ps)
        assert math.fsum(ps) == pytest.approx(1.0, rel=1e-9)

    def test_known_values(self) -> None:
        """softmax([0, log 3]) is [1/4, 3/4]."""
        assert F.softmax([0.0, math.log(3.0)]) == pytest.approx([0.25, 0.75], rel=REL_TOL)

    def test_gradient(self) -> None:
        """The gradient of softmax's first output passes gradcheck."""
        assert gradcheck(lambda a, b, c: F.softmax([a, b, c])[0], [0.5, -1.0, 2.0])

    def test_values_in_values_out(self) -> None:
        """Values in give Values out, connected to the inputs."""
        x = [Value(1.0), Value(2.0)]
        out = F.softmax(x)
        assert all(isinstance(p, Value) for p in out)
        out[1].backward()
        assert x[0].grad == pytest.approx(-out[0].data * out[1].data, rel=REL_TOL)

    @pytest.mark.parametrize("f", [F.softmax, F.log_softmax, F.logsumexp])
    def test_empty_is_an_error(self, f: object) -> None:
        """An empty input raises ValueError."""
        with pytest.raises(ValueError, match="empty"):
            f([])  # type: ignore[operator]


class TestLogSoftmax:
    @given(logits)
    def test_finite_and_normalised(self, xs: list[float]) -> None:
        """log_softmax is finite, <= 0, and its exponentials sum to 1, for logits up to +-1000."""
        out = F.log_softmax(xs)
        assert all(math.isfinite(v) and v <= 0.0 for v in out)
        assert math.fsum(math.exp(v) for v in out) == pytest.approx(1.0, rel=1e-9)

    @given(st.lists(st.floats(-20.0, 20.0), min_size=1, max_size=8))
    def test_is_log_of_softmax(self, xs: list[float]) -> None:
        """Where softmax does not underflow, log_softmax equals log(softmax)."""
        expected = [math.log(p) for p in F.softmax(xs)]
        assert F.log_softmax(xs) == pytest.approx(expected, rel=1e-9, abs=1e-12)

    def test_far_logit_is_exact(self) -> None:
        """A logit 1000 below the other gets log-probability -1000, not -inf."""
        assert F.log_softmax([0.0, -1000.0]) == [0.0, -1000.0]

    def test_gradient(self) -> None:
        """The gradient of log_softmax passes gradcheck."""
        assert gradcheck(lambda a, b, c: F.log_softmax([a, b, c])[1], [0.5, -1.0, 2.0])

    def test_logsumexp_of_large_values(self) -> None:
        """logsumexp([1000, 1000]) is 1000 + log 2, with no overflow."""
        assert F.logsumexp([1000.0, 1000.0]) == pytest.approx(1000.0 + math.log(2.0), rel=REL_TOL)


class TestActivations:
    def test_elementwise(self) -> None:
        """relu, tanh and sigmoid apply their function to each element."""
        xs = [-2.0, 0.0, 3.0]
        assert F.relu(xs) == [0.0, 0.0, 3.0]
        assert F.tanh(xs) == [math.tanh(x) for x in xs]
        assert F.sigmoid(xs) == pytest.approx([1 / (1 + math.exp(-x)) for x in xs], rel=REL_TOL)

    def test_values_build_nodes(self) -> None:
        """Given Values, each activation builds one node per element."""
        out = F.tanh([Value(0.5), Value(-0.5)])
        assert [v.op for v in out] == ["tanh", "tanh"]  # type: ignore[union-attr]

    def test_not_a_sequence(self) -> None:
        """softmax of something that is not a sequence raises TypeError."""
        with pytest.raises(TypeError, match="sequence"):
            F.softmax(3.0)  # type: ignore[arg-type]


class TestLargeLogits:
    @pytest.mark.parametrize("big", [1e16, 1e300, -1e300])
    def test_log_softmax_of_equal_logits_is_exactly_minus_log_n(self, big: float) -> None:
        """log_softmax([L, L]) is exactly [-log 2, -log 2] however large L is."""
        assert F.log_softmax([big, big]) == [-math.log(2), -math.log(2)]
        xs = [Value(big), Value(big), Value(big)]
        out = F.log_softmax(xs)
        assert [o.data for o in out] == [-math.log(3)] * 3  # type: ignore[union-attr]

    def test_log_softmax_gradient_is_exact(self) -> None:
        """d log_softmax(x)_0 / dx is onehot - softmax, exactly: what flows through m cancels."""
        xs = [Value(1e300), Value(1e300)]
        F.log_softmax(xs)[0].backward()  # type: ignore[union-attr]
        assert [x.grad for x in xs] == [0.5, -0.5]

    def test_logsumexp_of_huge_equal_inputs(self) -> None:
        """logsumexp([L, L]) is L + log 2 up to rounding, with no overflow."""
        assert F.logsumexp([1e300, 1e300]) == 1e300
        assert F.logsumexp([1000.0, 1000.0]) == pytest.approx(1000.0 + math.log(2), rel=REL_TOL)


class TestTraced:
    @pytest.mark.parametrize("f", [F.softmax, F.log_softmax])
    def test_the_maximum_is_a_node(self, f: Any) -> None:
        """The shift m is one autograd.max node over the inputs, not a number picked in Python."""
        xs = [Value(1.0), Value(3.0), Value(2.0)]
        shifted = f(xs)[0].parents[0]  # exp(x_0 - m) or (x_0 - m) - log(...)
        while shifted.op != "sub":
            shifted = shifted.parents[0]
        m = shifted.parents[1]
        assert (m.op, m.parents, m.data) == ("max", tuple(xs), 3.0)

    def test_compiles_and_batches(self) -> None:
        """log_softmax traces without a Python branch, and a batch picks each sample's maximum."""
        cf = autograd.compile(lambda a, b, c: F.log_softmax([a, b, c])[1], batch_argnums=(0, 1))
        a, b = [0.0, 5.0, 1e300], [1.0, -2.0, 1e300]
        got = cf(a, b, 0.5)
        for i in range(3):
            assert got[i] == F.log_softmax([a[i], b[i], 0.5])[1]
        _, (ga, gb, _) = cf.value_and_grad(a, b, 0.5)
        xs = [Value(a[1]), Value(b[1]), Value(0.5)]
        F.log_softmax(xs)[1].backward()  # type: ignore[union-attr]
        assert [ga[1], gb[1]] == pytest.approx([xs[0].grad, xs[1].grad], rel=REL_TOL)

    def test_gradient_equals_the_constant_shift(self) -> None:
        """The gradient with m a node equals onehot - softmax, the gradient with m a constant."""
        zs = [0.3, -1.2, 2.5, 2.5]
        xs = [Value(z) for z in zs]
        F.log_softmax(xs)[0].backward()  # type: ignore[union-attr]
        total = sum(math.exp(z) for z in zs)
        expected = [(1.0 if i == 0 else 0.0) - math.exp(z) / total for i, z in enumerate(zs)]
        assert [x.grad for x in xs] == pytest.approx(expected, rel=REL_TOL, abs=1e-15)


class TestElementTypes:
    @pytest.mark.parametrize(
        "f", [F.softmax, F.log_softmax, F.logsumexp, F.relu, F.tanh, F.sigmoid]
    )
    def test_bools_are_refused(self, f: object) -> None:
        """A bool element is a TypeError naming its index, not the number 1."""
        with pytest.raises(TypeError, match=r"xs\[0\] must be a Value or a real number, got bool"):
            f([True, False])  # type: ignore[operator]

    @pytest.mark.parametrize("f", [F.relu, F.tanh, F.sigmoid])
    def test_scalar_instead_of_a_sequence(self, f: object) -> None:
        """relu(3.0) is a TypeError naming xs, not "'float' object is not iterable"."""
        with pytest.raises(
            TypeError, match=r"xs must be a sequence of Values or numbers, got float"
        ):
            f(3.0)  # type: ignore[operator]
