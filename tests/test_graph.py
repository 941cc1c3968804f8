"""Graph traversal and backward(): order, accumulation, depth, memory, random graphs."""

from __future__ import annotations

import gc
import math
import sys
import weakref

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import Expression, bounded_floats, differentiable_cases, expressions, to_values

import autograd
import nn
from autograd import Value, gradcheck, gradients
from autograd.graph import float_sweep, topological_order

#: Finite-difference tolerances for random expression graphs.
FD_ATOL = 1e-5
FD_RTOL = 1e-4


class TestTopologicalOrder:
    def test_parents_come_before_children_and_root_is_last(self) -> None:
        """Every node appears once, after all of its parents, with the root last."""
        a, b = Value(1.0), Value(2.0)
        c = a * b
        d = c + a
        e = d * c
        order = topological_order(e)
        assert order[-1] is e
        assert len(order) == len(set(order)) == 5
        position = {node: i for i, node in enumerate(order)}
        for node in order:
            for parent in node.parents:
                assert position[parent] < position[node]

    def test_order_is_deterministic(self) -> None:
        """The same graph gives the same order every time."""
        xs = to_values([1.0, 2.0, 3.0])
        y = autograd.sum([x * x for x in xs]) * xs[0]
        assert topological_order(y) == topological_order(y)


class TestBackward:
    def test_square_gives_two_x(self) -> None:
        """x * x has gradient 2x: both edges count."""
        x = Value(3.0)
        (x * x).backward()
        assert x.grad == 6.0

    def test_fan_out_accumulates(self) -> None:
        """A node used by several consumers sums their contributions."""
        x = Value(2.0)
        y = x * 3.0
        z = y * y + y.exp() + x
        z.backward()
        expected = (2 * y.data + math.exp(y.data)) * 3.0 + 1.0
        assert math.isclose(x.grad, expected, rel_tol=1e-12)

    def test_backward_twice_doubles_leaves_and_keeps_intermediates(self) -> None:
        """A second backward doubles leaf grads and leaves intermediate grads unchanged."""
        x = Value(2.0)
        y = x * x
        z = y * 3.0
        z.backward()
        first = (x.grad, y.grad, z.grad)
        z.backward()
        assert x.grad == 2 * first[0]
        assert (y.grad, z.grad) == first[1:]

    def test_seed_scales_every_gradient(self) -> None:
        """backward(grad=g) multiplies every gradient by g."""
        x = Value(1.5)
        x.tanh().backward(grad=2.0)
        assert math.isclose(x.grad, 2.0 * (1 - math.tanh(1.5) ** 2), rel_tol=1e-12)

    def test_backward_on_a_leaf_accumulates_the_seed(self) -> None:
        """backward() on a leaf adds the seed to its own grad."""
        x = Value(1.0)
        x.backward()
        x.backward(3.0)
        assert x.grad == 4.0

    def test_bad_seed_is_a_type_error(self) -> None:
        """A non-number seed raises TypeError naming its type."""
        with pytest.raises(TypeError, match="str"):
            Value(1.0).backward("1")  # type: ignore[arg-type]

    def test_zero_gradient_contributes_nothing_even_through_infinite_derivative(self) -> None:
        """A node whose gradient is 0 adds exactly 0 to its parents, even where d/dx = inf."""
        x = Value(0.0)
        y = x.sqrt() * 0.0  # sqrt'(0) = inf, but the node's gradient is 0
        y.backward()
        assert x.grad == 0.0

    def test_forward_numbers_are_used(self) -> None:
        """Changing a leaf's data after the forward pass does not change the gradients."""
        x, w = Value(2.0), Value(5.0)
        y = x * w
        x.data, w.data = 100.0, 100.0
        y.backward()
        assert (x.grad, w.grad) == (5.0, 2.0)

    def test_deep_chain_of_a_million_ops(self) -> None:
        """A chain of 1,000,000 ops works under the default recursion limit."""
        assert sys.getrecursionlimit() <= 10_000
        x = Value(1.0)
        y = x
        for _ in range(1_000_000):
            y = y + 1.0
        y.backward()
        assert x.grad == 1.0
        assert y.data == 1_000_001.0
        del y  # freeing the chain must not recurse either

    def test_cost_is_linear_in_a_diamond_stack(self) -> None:
        """Shared nodes are visited once: 60 stacked diamonds give 2**60 paths but 121 nodes."""
        x = Value(1.0)
        y = x
        for _ in range(60):
            y = y * 1.0 + y * 1.0
        assert len(topological_order(y)) == 1 + 60 * 3
        y.backward()
        assert x.grad == 2.0**60


class TestLiveOrder:
    def test_backward_does_not_go_past_a_relu_that_was_off(self) -> None:
        """What only an off relu leads to is left out of backward()'s order; the rest is kept."""
        x, w = Value(-1.0), Value(3.0)
        h = x * w
        off = h.relu()  # its input, -3, is <= 0
        out = off + x
        assert set(topological_order(out, live=True)) == {x, off, out}
        assert set(topological_order(out)) == {x, w, h, off, out}
        out.backward()
        assert (x.grad, w.grad, h.grad, off.grad) == (1.0, 0.0, 0.0, 1.0)

    @pytest.mark.parametrize("a", [0.0, -0.0, -2.5, math.nan, -math.inf])
    def test_every_off_input_stops_the_search(self, a: float) -> None:
        """A relu input <= 0 or NaN passes back exactly 0, so the sort stops there."""
        x = Value(a)
        y = (x * 2.0).relu()
        assert topological_order(y, live=True) == [y]
        y.backward()
        assert x.grad == 0.0

    def test_an_on_relu_is_followed(self) -> None:
        """A relu whose input was > 0 passes its gradient back as before."""
        x = Value(2.0)
        y = (x * 3.0).relu()
        assert topological_order(y, live=True) == topological_order(y)
        y.backward()
        assert x.grad == 3.0

    def test_a_node_behind_an_off_relu_is_reached_through_another_path(self) -> None:
        """A node that an off relu and a live path both lead to gets its full gradient."""
        x = Value(-2.0)
        h = x * 5.0
        out = h.relu() + h * h
        out.backward()
        assert (h.grad, x.grad) == (2 * h.data, 2 * h.data * 5.0)

    def test_nodes_only_an_off_relu_leads_to_keep_their_grad(self) -> None:
        """backward() leaves their grad as it was: a None leaf stays None (PyTorch gives 0)."""
        x, w = Value(-1.0), Value(3.0)
        h = x * w
        h.backward()  # another root reaches h: h.grad = 1, x.grad = 3, w.grad = -1
        x.grad = None  # type: ignore[assignment]
        h.relu().backward()
        assert (x.grad, w.grad, h.grad) == (None, -1.0, 1.0)

    @pytest.mark.parametrize("anomaly", [False, True])
    def test_an_off_relus_own_input_keeps_its_grad(self, anomaly: bool) -> None:
        """An off relu passes nothing to its input, even a leaf whose grad is None or -0.0."""
        w, v = Value(-1.0), Value(-2.0)
        w.grad, v.grad = None, -0.0  # type: ignore[assignment]
        out = w.relu() * 2.0 + v.relu()
        if anomaly:
            with autograd.detect_anomaly():
                out.backward()
        else:
            out.backward()
        assert w.grad is None
        assert math.copysign(1.0, v.grad) == -1.0

    def test_a_relu_network_gets_the_gradients_of_the_full_sweep(self) -> None:
        """On an MLP with dead neurons and inactive samples, backward() equals gradients()."""
        model = nn.MLP(2, [8, 8, 1], seed=3)
        X = [[0.5, -1.0], [-2.0, 0.25], [1.5, 1.5], [-0.5, -0.5]]
        y = [1.0, -1.0, 1.0, -1.0]
        losses = [(1.0 - t * model(x)).relu() for x, t in zip(X, y, strict=True)]
        loss = autograd.sum(losses)
        params = model.parameters()
        assert len(topological_order(loss, live=True)) < len(topological_order(loss))
        loss.backward()
        expected = gradients(loss, params)
        assert any(g != 0.0 for g in expected)
        for p, g in zip(params, expected, strict=True):
            assert math.isclose(p.grad, g, rel_tol=1e-12, abs_tol=1e-15)


class TestMemory:
    def test_dropped_graph_is_freed_without_the_cycle_collector(self) -> None:
        """Nodes hold no reference cycles: a graph dies by reference counting alone."""
        gc.disable()
        try:
            x = Value(2.0)
            y = (x * x).exp() + autograd.dot([x, x], [1.0, 2.0])
            y.backward()
            ref = weakref.ref(y)
            inner = weakref.ref(y.parents[0])
            del y
            assert ref() is None
            assert inner() is None
        finally:
            gc.enable()

    def test_values_accept_weak_references(self) -> None:
        """Values keep __weakref__ among their slots."""
        v = Value(1.0)
        assert weakref.ref(v)() is v


class TestRandomGraphs:
    @given(differentiable_cases(n_inputs=3))
    def test_backward_matches_finite_differences(
        self, case: tuple[Expression, list[float]]
    ) -> None:
        """Random compositions of every op agree with central differences."""
        expr, xs = case
        assert gradcheck(expr, xs, atol=FD_ATOL, rtol=FD_RTOL)

    @given(expressions(n_inputs=2), st.lists(bounded_floats(), min_size=2, max_size=2))
    def test_values_equal_float_evaluation(self, expr: Expression, xs: list[float]) -> None:
        """Evaluating on Values gives exactly the float result."""
        out = expr(*to_values(xs))
        expected = expr(*xs)
        assert out.data == expected or (math.isnan(out.data) and math.isnan(expected))


class TestInlinedFastPaths:
    @given(differentiable_cases(n_inputs=3))
    def test_backward_equals_table_driven_gradients(
        self, case: tuple[Expression, list[float]]
    ) -> None:
        """backward()'s inlined rules give exactly what the rule table gives on the same order."""
        expr, xs = case
        leaves = to_values(xs)
        out = expr(*leaves)
        out.backward()
        # backward()'s order leaves out what only off relus lead to, which can change
        # the order of sums into a shared node (see test_backward_equals_gradients).
        table = float_sweep(topological_order(out, live=True))
        assert [leaf.grad for leaf in leaves] == [table.get(leaf, 0.0) for leaf in leaves]

    @given(differentiable_cases(n_inputs=3))
    def test_backward_equals_gradients(self, case: tuple[Expression, list[float]]) -> None:
        """backward() and gradients() (whose order visits every node) agree to rounding."""
        expr, xs = case
        leaves = to_values(xs)
        out = expr(*leaves)
        out.backward()
        for leaf, g in zip(leaves, gradients(out, leaves), strict=True):
            assert leaf.grad == pytest.approx(g, rel=1e-12, abs=1e-300, nan_ok=True)


class TestSubnormals:
    def test_log_of_a_subnormal_has_a_finite_gradient(self) -> None:
        """At x = 1e-310, d/dx x log x = log x + 1 (about -712.8): g / x, not g * (1 / x) = inf."""
        x = Value(1e-310)
        (x * x.log()).backward()
        assert x.grad == math.log(1e-310) + 1.0

    def test_dividing_by_a_subnormal_has_finite_gradients(self) -> None:
        """(a / x) * x at a = x = 1e-310 has d/da = 1 and d/dx = 0, not inf and NaN."""
        a, x = Value(1e-310), Value(1e-310)
        ((a / x) * x).backward()
        assert (a.grad, x.grad) == (1.0, 0.0)

    def test_gradients_and_compile_agree(self) -> None:
        """gradients() and compiled code apply the chain rule in the same overflow-free order."""
        f = lambda x: x * x.log()  # noqa: E731
        want = math.log(1e-310) + 1.0
        assert autograd.grad(f)(1e-310) == want
        assert autograd.compile(f).grad(1e-310) == (want,)
