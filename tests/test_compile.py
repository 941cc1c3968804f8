"""autograd.compile: generated code gives the dynamic engine's numbers, and tracing is checked."""

from __future__ import annotations

import ast
import contextlib
import gc
import math
import struct
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import Expression, bounded_floats, expressions

import autograd
from autograd import Value, no_grad, op
from autograd.compiler import Compiled, TraceError
from autograd.ops import apply
from autograd.rules import BUILT_IN_OPS, RULES
from autograd.testing import domain

#: How close a compiled value and gradient must be to the dynamic engine's.
VALUE_RTOL = 1e-12
GRAD_TOL = 1e-9


def _same(a: float, b: float) -> bool:
    """Bit for bit equal, treating every NaN as the same."""
    if math.isnan(a) and math.isnan(b):
        return True
    return struct.pack("<d", a) == struct.pack("<d", b)


def _close(a: float, b: float, tol: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def _dynamic(f: Any, xs: list[float]) -> tuple[float, tuple[float, ...]]:
    """The dynamic engine's value and gradient with respect to every argument."""
    value, grads = autograd.value_and_grad(f, argnums=tuple(range(len(xs))))(*xs)
    return value, grads


def _evaluate(f: Any, xs: list[float]) -> tuple[Any, Any]:
    """(result, error type): the dynamic engine's answer or the exception it raised."""
    try:
        return _dynamic(f, xs), None
    except (ValueError, ZeroDivisionError, OverflowError) as error:
        return None, type(error)


class TestEqualsDynamicEngine:
    @given(
        expressions(n_inputs=3, max_steps=10),
        st.lists(st.lists(bounded_floats(), min_size=3, max_size=3), min_size=2, max_size=4),
    )
    def test_random_graphs_at_other_points(
        self, expression: Expression, points: list[list[float]]
    ) -> None:
        """Traced at one point, a random graph gives the dynamic engine's numbers at every point.

        Evaluating away from the trace point flips relu, abs and leaky_relu branches.
        """
        cf = autograd.compile(expression)
        traced = False
        for xs in points:
            want, error = _evaluate(expression, xs)
            if error is not None:
                if traced:
                    with pytest.raises(error):
                        cf.value_and_grad(*xs)
                continue
            traced = True
            value, grads = cf.value_and_grad(*xs)
            assert _close(value, want[0], VALUE_RTOL)
            assert all(_close(g, w, GRAD_TOL) for g, w in zip(grads, want[1]))
            assert _close(cf(*xs), want[0], VALUE_RTOL)
            assert cf.grad(*xs) == grads

    def test_relu_and_abs_branches_flip(self) -> None:
        """relu and abs take their branch afresh on every call, as the dynamic engine does."""

        def f(x: Value, y: Value) -> Value:
            return (x * y).relu() + abs(x - y) + autograd.leaky_relu(y, 0.1)

        cf = autograd.compile(f)
        for xs in ([1.0, 2.0], [-1.0, 2.0], [3.0, -2.0], [-2.0, -3.0], [0.0, 0.0]):
            assert cf.value_and_grad(*xs) == _dynamic(f, xs)

    def test_every_built_in_op(self) -> None:
        """A function using every primitive gives the dynamic engine's numbers."""

        def f(x: Value, y: Value) -> Value:
            a = x * y + x - y / (1.0 + y * y) + (-x)
            b = (1.0 + x * x) ** y + abs(y).sqrt() + (2.0 + x.sin()).log() + y.cos()
            c = x.tanh() * y.sigmoid() + x.exp() + y.relu() + x.leaky_relu(y * 0.1)
            return autograd.sum([a, b, c, 1.0]) + autograd.dot([a, b], [c, 2.0])

        cf = autograd.compile(f)
        for xs in ([0.5, -1.5], [-0.7, 2.0], [1.3, 0.2]):
            value, grads = cf.value_and_grad(*xs)
            want = _dynamic(f, xs)
            assert _close(value, want[0], VALUE_RTOL)
            assert all(_close(g, w, GRAD_TOL) for g, w in zip(grads, want[1]))

    @pytest.mark.parametrize("name", sorted(BUILT_IN_OPS))
    @given(data=st.data())
    def test_every_row_compiles_to_the_dynamic_numbers(
        self, name: str, data: st.DataObject
    ) -> None:
        """Each row, compiled from the table alone, gives the dynamic value and gradient exactly.

        Exactly but for the sign of a zero gradient: compiled code assigns the first
        contribution where the dynamic sweep adds it to 0.0.
        """
        arity = RULES[name].arity or (4 if name == "dot" else 3)
        xs = [data.draw(domain(name, position=i)) for i in range(arity)]
        cf = autograd.compile(lambda *v: apply(name, *v))
        value, grads = cf.value_and_grad(*xs)
        want = _dynamic(lambda *v: apply(name, *v), xs)
        assert _same(value, want[0])
        assert all(_same(g, w) or g == w for g, w in zip(grads, want[1]))

    def test_zero_gradient_is_skipped_like_backward(self) -> None:
        """A zero upstream gradient times an infinite partial gives 0, not NaN."""

        def f(x: Value) -> Value:
            return x.sqrt() * 0.0 + x

        assert autograd.compile(f).grad(0.0) == _dynamic(f, [0.0])[1] == (1.0,)

    def test_domain_errors_at_call_time(self) -> None:
        """An input outside an op's domain raises the op's own error on a compiled call."""
        cf = autograd.compile(lambda x: x.log())
        assert cf(1.0) == 0.0
        with pytest.raises(ValueError, match="log is defined for x > 0"):
            cf(-1.0)

    def test_custom_op(self) -> None:
        """A custom op runs its registered forward and partials."""

        @op(derivative=lambda x, y: (y, x + 1.0), name="scaled product")
        def scaled(x: float, y: float) -> float:
            return x * y + y

        def f(x: Value, y: Value) -> Value:
            return scaled(x, y).tanh()

        cf = autograd.compile(f)
        assert cf.value_and_grad(0.3, -0.4) == _dynamic(f, [0.3, -0.4])
        assert "scaled product" not in cf.source
        assert "# a custom op" in cf.source

    def test_custom_op_with_an_identifier_name(self) -> None:
        """A custom op whose name is an identifier is named in the comment of its line."""

        @op(derivative=lambda x: 2.0 * x)
        def square_it(x: float) -> float:
            return x * x

        cf = autograd.compile(lambda x: square_it(x) + 1.0)
        assert cf.value_and_grad(3.0) == (10.0, (6.0,))
        assert "# square_it" in cf.source


class TestTracing:
    def test_comparison_on_a_traced_value_raises(self) -> None:
        """``if x > 0`` on a traced Value raises TraceError naming the trace."""

        def branchy(x: Value) -> Value:
            y = x * 2.0
            return y if y > 0 else -y

        with pytest.raises(TraceError, match=r"compile\(branchy\) tracing 1 argument"):
            autograd.compile(branchy)(1.0)

    @pytest.mark.parametrize(
        "use",
        [
            lambda v: bool(v),
            lambda v: float(v),
            lambda v: v < 1.0,
            lambda v: v <= 1.0,
            lambda v: 1.0 > v,
            lambda v: v >= 1.0,
            lambda v: max(v, 0.0),
        ],
    )
    def test_every_conversion_raises(self, use: Any) -> None:
        """bool(), float() and every ordering comparison on a traced Value raise."""

        def f(x: Value, y: Value) -> Value:
            use(x + y)
            return x

        with pytest.raises(TraceError, match="Python control flow"):
            autograd.compile(f)(1.0, 2.0)

    def test_comparing_constants_is_allowed(self) -> None:
        """Closed-over Values do not depend on the inputs, so branching on them is fine."""
        w = Value(2.0)

        def f(x: Value) -> Value:
            return x * w if w > 0 else x

        assert autograd.compile(f).value_and_grad(3.0) == (6.0, (2.0,))

    def test_closed_over_values_are_constants(self) -> None:
        """A closed-over Value's data is baked in at tracing; later changes are not seen."""
        w = Value(2.0, label="w")
        cf = autograd.compile(lambda x: x * w)
        assert cf.value_and_grad(3.0) == (6.0, (2.0,))
        w.data = 5.0
        assert cf.value_and_grad(3.0) == (6.0, (2.0,))

    def test_profile_function_is_restored(self) -> None:
        """Tracing leaves the thread's profile function as it found it, even after an error."""
        import sys

        before = sys.getprofile()
        with pytest.raises(TraceError):
            autograd.compile(lambda x: x * 2 if x else x)(1.0)
        assert sys.getprofile() is before

    def test_python_profile_function_is_chained(self) -> None:
        """A profile function set in Python keeps receiving events while tracing, then returns."""
        import sys

        events: list[str] = []

        def profiler(frame: Any, event: str, arg: Any) -> None:
            events.append(event)

        sys.setprofile(profiler)
        try:
            with pytest.raises(TraceError):
                autograd.compile(lambda x: x * 2 if x else x)(1.0)
            assert sys.getprofile() is profiler
        finally:
            sys.setprofile(None)
        assert "call" in events

    def test_cprofile_keeps_running(self) -> None:
        """Under cProfile (a profiler installed from C) tracing works and the profiler stays on."""
        import cProfile
        import sys

        profiler = cProfile.Profile()
        profiler.enable()
        try:
            installed = sys.getprofile()
            assert autograd.compile(lambda x: x * x).grad(3.0) == (6.0,)
            assert sys.getprofile() is installed
        finally:
            profiler.disable()

    def test_traces_inside_no_grad(self) -> None:
        """Tracing records the graph even when called inside no_grad."""
        cf = autograd.compile(lambda x: x * x)
        with no_grad():
            assert cf.value_and_grad(3.0) == (9.0, (6.0,))

    def test_arity_change_retraces(self) -> None:
        """A call with a new number of arguments traces again; each arity keeps its program."""
        calls: list[int] = []

        def total(*xs: Value) -> Value:
            calls.append(len(xs))
            return autograd.sum(xs) * xs[0]

        cf = autograd.compile(total)
        assert cf.value_and_grad(2.0) == (4.0, (4.0,))
        assert cf.value_and_grad(2.0, 3.0) == (10.0, (7.0, 2.0))
        assert cf.value_and_grad(1.0, 1.0) == (2.0, (3.0, 1.0))
        assert calls == [1, 2]
        assert sorted(cf.programs) == [1, 2]
        assert "x1" in cf.source

    def test_number_result_is_a_constant(self) -> None:
        """A function returning a number is a constant: every partial is 0."""
        assert autograd.compile(lambda x, y: 4.0).value_and_grad(1.0, 2.0) == (4.0, (0.0, 0.0))

    def test_input_as_output(self) -> None:
        """Returning an argument gives 1 for it and 0 for the others."""
        assert autograd.compile(lambda x, y: x).value_and_grad(5.0, 6.0) == (5.0, (1.0, 0.0))

    def test_argument_checks(self) -> None:
        """Arguments must be real numbers, not Values or strings, and f must return a number."""
        cf = autograd.compile(lambda x: x * 2)
        assert cf(3) == 6.0
        with pytest.raises(
            TypeError, match=r"argument 0 must be a real number, got Value; use its \.data"
        ):
            cf(Value(1.0))
        with pytest.raises(TypeError, match="got str"):
            cf("1")
        with pytest.raises(
            TypeError, match="the result of f must be a Value or a real number, got str"
        ):
            autograd.compile(lambda x: "no")(1.0)
        with pytest.raises(TypeError, match=r"^compile: f must be callable, got int"):
            autograd.compile(3)  # type: ignore[arg-type]

    def test_deep_chain(self) -> None:
        """A chain 10,000 nodes deep traces and compiles without a RecursionError."""

        def chain(x: Value) -> Value:
            for _ in range(5000):
                x = (x * 0.999).tanh()
            return x

        assert autograd.compile(chain).value_and_grad(0.5) == _dynamic(chain, [0.5])

    def test_source_before_a_call(self) -> None:
        """Reading source before any call raises a RuntimeError saying to call it once first."""
        with pytest.raises(RuntimeError, match=r"\.source: no source yet; call it once first"):
            _ = autograd.compile(lambda x: x).source


class TestSource:
    def test_is_valid_readable_python(self) -> None:
        """The source parses, has forward then backward, and a comment with the op on each line."""
        cf = autograd.compile(lambda x, y: (x * y + x.exp()).tanh())
        cf(1.0, 2.0)
        tree = ast.parse(cf.source)
        assert [node.name for node in tree.body if isinstance(node, ast.FunctionDef)] == [
            "forward",
            "backward",
        ]
        assert "    t1 = x0 * x1  # mul" in cf.source
        assert "    t3 = tanh_(t2)  # tanh" in cf.source
        assert "g_x0 += x1 * g_t1" in cf.source

    @given(expressions(n_inputs=2, max_steps=8), st.lists(bounded_floats(), min_size=2, max_size=2))
    def test_random_graphs_give_valid_python(self, expression: Expression, xs: list[float]) -> None:
        """Every generated source parses and every statement line names its op in a comment."""
        _, error = _evaluate(expression, xs)
        assume(error is None)
        cf = autograd.compile(expression)
        cf(*xs)
        ast.parse(cf.source)
        for line in cf.source.splitlines():
            if line.startswith("    t"):
                assert "  # " in line

    def test_labels_never_enter_the_source(self) -> None:
        """Labels, even ones that look like code, stay out of the generated source."""
        w = Value(2.0, label="w\nimport os")

        def f(x: Value) -> Value:
            y = x * w
            y.label = "'; raise SystemExit; '"
            return y.exp()

        cf = autograd.compile(f)
        cf(1.0)
        assert "import" not in cf.source
        assert "SystemExit" not in cf.source

    def test_non_finite_constants_are_names(self) -> None:
        """inf and NaN constants are bound names, not literals that would not parse."""
        big = Value(math.inf)
        cf = autograd.compile(lambda x: (x - big).exp() + x * -2.0)
        assert cf.value_and_grad(1.0) == (-2.0, (-2.0,))
        assert "(-inf_)" in cf.source or "inf_" in cf.source
        assert "(-2.0)" in cf.source


class TestExport:
    def test_not_in_star_import(self) -> None:
        """compile is autograd.compile but not in __all__, so it never shadows the builtin."""
        assert isinstance(autograd.compile(lambda x: x), Compiled)
        assert "compile" not in autograd.__all__


class TestReadme:
    def test_readme_shows_the_generated_source(self) -> None:
        """The README's listing is the whole source compile generates for its example."""
        import re
        from pathlib import Path

        readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
        listing = re.search(r"```text\n(def forward.*?)```", readme, flags=re.DOTALL)
        assert listing is not None
        cf = autograd.compile(lambda x, y: (x * y + x.exp()).tanh())
        cf(1.0, 2.0)
        assert cf.source == listing.group(1)


class TestReviewRegressions:
    def test_no_grad_inside_a_compiled_function_is_refused(self) -> None:
        """no_grad inside f would freeze values at their traced numbers: it raises TraceError."""

        def f(x: Value) -> Value:
            with no_grad():
                y = x * 2.0
            return x + y

        with pytest.raises(TraceError, match="no_grad"):
            autograd.compile(f)(1.0)

    def test_a_caught_trace_error_still_fails_the_trace(self) -> None:
        """f catching the TraceError does not let a branch on a traced Value through."""

        def f(x: Value) -> Value:
            with contextlib.suppress(TraceError):
                bool(x)
            return x * 2.0 if x > 0 else -x

        with pytest.raises(TraceError, match="bool"):
            autograd.compile(f)(1.0)

    def test_library_code_that_branched_on_data_now_compiles(self) -> None:
        """nn.functional's max shift is a max node now: logsumexp compiles, exact at 800."""
        import nn

        cf = autograd.compile(lambda a, b: nn.functional.logsumexp([a, b]))
        assert cf(800.0, 800.0) == 800.0 + math.log(2.0)
        assert cf.grad(800.0, 800.0) == (0.5, 0.5)

    def test_logsumexp_shifts_by_a_max_node_and_compiles(self) -> None:
        """nn.functional's max shift is an autograd.max node, so it compiles and stays exact."""
        import nn

        cf = autograd.compile(lambda a, b: nn.functional.logsumexp([a, b]))
        assert cf(800.0, 800.0) == nn.functional.logsumexp([800.0, 800.0])
        assert cf(-5.0, 1e300) == 1e300  # the other sample's maximum, not the traced one

    def test_constants_that_are_not_plain_floats_are_written_as_floats(self) -> None:
        """A closed-over Value whose data is a NumPy scalar becomes a plain float literal."""
        np = pytest.importorskip("numpy")
        c = Value(1.0)
        c.data = np.float64(2.5)
        cf = autograd.compile(lambda x: x * c)
        assert cf(2.0) == 5.0
        assert "np." not in cf.source and "float64" not in cf.source


# --- batched calls -------------------------------------------------------------------

#: Inputs for batched samples: ordinary numbers and the edges where ops branch or fail.
SAMPLE_INPUTS = st.sampled_from((0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -3.0, 1e-310, 1e300))
SAMPLE_INPUTS |= st.floats(-4.0, 4.0)


def _loop(
    f: Any, args: list[Any], batched: tuple[int, ...], *, arrays: bool = False
) -> tuple[float, list[Any]]:
    """Run f over the samples one at a time and sum: what a batched call must equal.

    With ``arrays=False`` each sample runs the float program (Python's math
    functions); with ``arrays=True`` it is a batch of one, so NumPy's exp, log, ...
    compute it. The two can differ in the last bit of an elementary function, which
    a cancellation later in a graph (a - b with a close to b) can make large; a
    batched call equals the second loop, or the first where it falls back to floats.
    """
    n = len(args[batched[0]])
    cf = autograd.compile(f, batch_argnums=batched) if arrays else autograd.compile(f)
    value, shared, per_sample = 0.0, [0.0] * len(args), {k: [] for k in batched}
    for i in range(n):
        if arrays:
            sample = [[a[i]] if k in batched else a for k, a in enumerate(args)]
            v, grads = cf.value_and_grad(*sample)
            grads = [g[0] if k in batched else g for k, g in enumerate(grads)]
        else:
            v, grads = cf.value_and_grad(*[a[i] if k in batched else a for k, a in enumerate(args)])
        value += v
        for k, g in enumerate(grads):
            if k in per_sample:
                per_sample[k].append(g)
            else:
                shared[k] += g
    return value, [per_sample.get(k, shared[k]) for k in range(len(args))]


def _sum_close(got: float, want: float, scale: float) -> bool:
    """Equal within 1e-12 of the size of the terms summed (NaN matches NaN)."""
    if math.isnan(got) or math.isnan(want):
        return math.isnan(got) and math.isnan(want)
    return got == want or abs(got - want) <= 1e-12 * max(scale, abs(want), 1e-300)


def _matches(
    got: tuple[Any, tuple[Any, ...]], want: tuple[float, list[Any]], scale: float, n: int
) -> bool:
    """A batched (value, grads) equals a loop's: within 1e-12 of the terms summed."""
    value, grads = got
    if not _sum_close(value, want[0], scale):
        return False
    for g, w in zip(grads, want[1]):
        if isinstance(w, list):  # a batched argument: one derivative per sample
            if len(g) != len(w) or not all(_sum_close(a, b, abs(b)) for a, b in zip(g, w)):
                return False
        elif not isinstance(g, float) or not (
            _sum_close(g, w, abs(w)) or math.isclose(g, w, rel_tol=1e-12, abs_tol=1e-12 * n)
        ):
            return False
    return True


def _assert_batch_equals_loop(f: Any, args: list[Any], batched: tuple[int, ...]) -> None:
    """compile(f, batch_argnums=batched) equals the per-sample loop, value and every gradient."""
    cf = autograd.compile(f, batch_argnums=batched)
    try:
        floats = _loop(f, args, batched)
    except (ValueError, ZeroDivisionError) as error:
        with pytest.raises(type(error), match=r"\(sample \d+\)"):
            cf.value_and_grad(*args)
        return
    got = cf.value_and_grad(*args)
    scale = sum(abs(v) for v in cf(*args))
    n = len(args[batched[0]])
    assert _matches(got, floats, scale, n) or _matches(
        got, _loop(f, args, batched, arrays=True), scale, n
    )


class TestBatched:
    @given(
        expressions(n_inputs=3, max_steps=10),
        st.lists(st.tuples(bounded_floats(), bounded_floats()), min_size=1, max_size=6),
        bounded_floats(),
    )
    def test_random_graphs_equal_the_per_sample_loop(
        self, expression: Expression, samples: list[tuple[float, float]], shared: float
    ) -> None:
        """Any graph of every op, batched over two inputs, equals the loop over its samples."""
        xs, ys = [s[0] for s in samples], [s[1] for s in samples]
        _assert_batch_equals_loop(expression, [xs, shared, ys], (0, 2))

    @pytest.mark.parametrize("name", sorted(BUILT_IN_OPS))
    @given(data=st.data())
    def test_every_row_at_its_edges_equals_the_loop(self, name: str, data: st.DataObject) -> None:
        """Each row, batched over edge inputs (kinks, zeros, subnormals, ties), equals the loop."""
        arity = RULES[name].arity or 3
        n = data.draw(st.integers(1, 6))
        args = [data.draw(st.lists(SAMPLE_INPUTS, min_size=n, max_size=n)) for _ in range(arity)]
        if arity > 1 and data.draw(st.booleans()):  # a shared operand, as a parameter
            args[0] = data.draw(SAMPLE_INPUTS)
        if arity > 1 and data.draw(st.booleans()):  # a tie in every sample
            args[-1] = list(args[0]) if isinstance(args[0], list) else args[-1]
        batched = tuple(k for k, a in enumerate(args) if isinstance(a, list))
        if name == "dot":
            args.append(data.draw(st.lists(SAMPLE_INPUTS, min_size=n, max_size=n)))
            batched = (*batched, len(args) - 1)
        _assert_batch_equals_loop(lambda *v: apply(name, *v), args, batched)

    def test_a_zero_gradient_through_an_infinite_derivative_is_zero_per_sample(self) -> None:
        """Where one sample's gradient is 0 and sqrt'(0) = inf, that sample gets 0, not NaN."""
        cf = autograd.compile(lambda x, w: (x.sqrt() * w).relu() + x, batch_argnums=0)
        value, (dx, dw) = cf.value_and_grad([0.0, 4.0], -1.0)
        assert value == 4.0
        assert list(dx) == [1.0, 1.0]  # relu is off in both samples; sqrt's inf never enters
        assert dw == 0.0

    def test_a_nan_only_in_a_shared_gradient_falls_back_to_the_samples(self) -> None:
        """A NaN that reaches only a shared argument's float gradient still reruns per sample.

        w wins both maximums, so only w's gradient meets 0 * sqrt'(0) on the array path.
        """
        cf = autograd.compile(
            lambda x, w: (autograd.maximum(x, w).sqrt() * -1.0).relu() + w, batch_argnums=0
        )
        value, (dx, dw) = cf.value_and_grad([-1.0, -2.0], 0.0)
        assert (value, list(dx), dw) == (0.0, [0.0, 0.0], 2.0)

    def test_many_shared_and_batched_arguments_interleaved(self) -> None:
        """Shared and batched arguments may alternate; each gets its own kind of gradient."""
        n = 40
        batched = tuple(range(1, n, 2))
        cf = autograd.compile(lambda *xs: autograd.dot(xs[0::2], xs[1::2]), batch_argnums=batched)
        args = [float(k) if k % 2 == 0 else [1.0, 2.0] for k in range(n)]
        value, grads = cf.value_and_grad(*args)
        assert value == 3.0 * sum(range(0, n, 2))
        assert [g if type(g) is float else list(g) for g in grads] == [
            3.0 if k % 2 == 0 else [float(k - 1)] * 2 for k in range(n)
        ]

    def test_outputs_and_mean(self) -> None:
        """cf(*args) gives the N outputs; reduce='mean' divides value and gradients by N."""
        cf = autograd.compile(lambda w, x: w * x * x, batch_argnums=1)
        assert list(cf(2.0, [1.0, 2.0, 3.0])) == [2.0, 8.0, 18.0]
        value, (dw, dx) = cf.value_and_grad(2.0, [1.0, 2.0, 3.0], reduce="mean")
        assert (value, dw, list(dx)) == (28.0 / 3, 14.0 / 3, [4.0 / 3, 8.0 / 3, 12.0 / 3])
        dw_sum, dx_sum = cf.grad(2.0, [1.0, 2.0, 3.0])
        assert (dw_sum, list(dx_sum)) == (14.0, [4.0, 8.0, 12.0])

    def test_arrays_lists_and_tuples_are_batches(self) -> None:
        """A batched argument may be a list, a tuple or a 1-D NumPy array; results are float64."""
        np = pytest.importorskip("numpy")
        cf = autograd.compile(lambda x, y: x * y, batch_argnums=(0, 1))
        out = cf(np.array([1, 2]), (3.0, 4.0))
        assert out.dtype == np.float64 and list(out) == [3.0, 8.0]
        _, (dx, dy) = cf.value_and_grad([1.0, 2.0], np.array([3.0, 4.0]))
        assert dx.dtype == np.float64 and (list(dx), list(dy)) == ([3.0, 4.0], [1.0, 2.0])

    def test_an_output_that_depends_on_no_sample(self) -> None:
        """A function of the shared arguments only is the same for every sample."""
        cf = autograd.compile(lambda w, x: w * w, batch_argnums=1)
        assert list(cf(3.0, [1.0, 2.0])) == [9.0, 9.0]
        value, (dw, dx) = cf.value_and_grad(3.0, [1.0, 2.0])
        assert (value, dw, list(dx)) == (18.0, 12.0, [0.0, 0.0])

    def test_domain_errors_name_the_op_and_the_first_sample(self) -> None:
        """A domain error raises the float program's exception type, naming op and sample."""
        cf = autograd.compile(lambda x: x.log(), batch_argnums=0)
        with pytest.raises(ValueError, match=r"log: .*\(sample 2\)"):
            cf([1.0, 2.0, -1.0, 0.0])
        cf = autograd.compile(lambda x, y: x / y, batch_argnums=1)
        with pytest.raises(ZeroDivisionError, match=r"div: .*\(sample 1\)"):
            cf.value_and_grad(1.0, [2.0, 0.0])
        cf = autograd.compile(lambda x: x.erf().log(), batch_argnums=0)  # erf runs per sample
        with pytest.raises(ValueError, match=r"log: .*\(sample 0\)"):
            cf([-1.0])

    def test_detect_anomaly_names_the_op_and_the_sample(self) -> None:
        """Under detect_anomaly a batched call stops at the first inf, naming op and sample."""
        cf = autograd.compile(lambda x: x.exp(), batch_argnums=0)
        with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match=r"exp.*sample 1"):
            cf([1.0, 1000.0])
        assert list(cf([1.0, 1000.0]))[1] == math.inf  # outside the block: inf, as in PyTorch

    def test_shared_gradients_are_one_reduction(self) -> None:
        """The source adds up a shared argument's per-sample contributions with one add_samples."""
        cf = autograd.compile(lambda w, x: (w * x).tanh(), batch_argnums=1)
        cf.value_and_grad(0.5, [1.0, 2.0])
        assert cf.backend == "numpy"
        assert "g_x0 = add_samples(x1 * g_t0)" in cf.source
        assert "tanh_array(t0)" in cf.source

    def test_without_numpy_the_float_program_runs_per_sample(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With NumPy missing, batched calls loop over the samples and give the same numbers."""
        f = lambda w, x: (w * x).sin() * x  # noqa: E731
        want = autograd.compile(f, batch_argnums=1).value_and_grad(0.5, [1.0, -2.0, 3.0])
        monkeypatch.setattr("autograd.compiler._numpy", lambda: None)
        cf = autograd.compile(f, batch_argnums=1)
        assert cf.backend == "python"
        value, (dw, dx) = cf.value_and_grad(0.5, [1.0, -2.0, 3.0])
        assert math.isclose(value, want[0], rel_tol=1e-12)
        assert math.isclose(dw, want[1][0], rel_tol=1e-12)
        assert list(dx) == pytest.approx(list(want[1][1]), rel=1e-12)
        assert list(cf(0.5, [1.0, 2.0])) == [math.sin(0.5), math.sin(1.0) * 2.0]

    @pytest.mark.parametrize(
        ("batch_argnums", "error", "match"),
        [
            ("0", TypeError, "batch_argnums"),
            ((), TypeError, "batch_argnums"),
            ((0, 0), ValueError, "repeated"),
            (-1, ValueError, ">= 0"),
            ((True,), TypeError, r"batch_argnums\[0\] must be an int, got bool"),
        ],
    )
    def test_bad_batch_argnums(self, batch_argnums: Any, error: type, match: str) -> None:
        """batch_argnums must be an int or a tuple of distinct ints >= 0."""
        with pytest.raises(error, match=match):
            autograd.compile(lambda x: x, batch_argnums=batch_argnums)

    @pytest.mark.parametrize(
        ("args", "error", "match"),
        [
            (([1.0, 2.0], [1.0]), ValueError, "same length"),
            (([], []), ValueError, "at least one sample"),
            ((1.0, [1.0]), TypeError, "argument 0 is batched"),
            ((["a"], [1.0]), TypeError, "argument 0 item 0"),
            (([1.0],), ValueError, "out of range"),
        ],
    )
    def test_bad_batches(self, args: tuple[Any, ...], error: type, match: str) -> None:
        """Batches must be sequences of numbers of one common, non-zero length."""
        cf = autograd.compile(lambda x, y: x * y, batch_argnums=(0, 1))
        with pytest.raises(error, match=match):
            cf(*args)

    def test_bad_reduce(self) -> None:
        """reduce must be 'sum' or 'mean'."""
        cf = autograd.compile(lambda x: x, batch_argnums=0)
        with pytest.raises(ValueError, match="reduce"):
            cf.value_and_grad([1.0], reduce="max")

    def test_two_dimensional_arrays_are_refused(self) -> None:
        """A batched NumPy argument must be 1-D."""
        np = pytest.importorskip("numpy")
        cf = autograd.compile(lambda x: x, batch_argnums=0)
        with pytest.raises(ValueError, match="1-D"):
            cf(np.ones((2, 2)))


class TestAnomaly:
    def test_compiled_forward_inf_raises_inside_detect_anomaly(self) -> None:
        """compile(exp)(1000) is inf, but inside detect_anomaly it raises naming exp."""
        cf = autograd.compile(lambda x: x.exp())
        assert cf(1000.0) == math.inf
        with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match="exp produced"):
            cf(1000.0)

    def test_compiled_backward_inf_raises_inside_detect_anomaly(self) -> None:
        """compile(sqrt(x) + x).grad(0) is inf, but inside detect_anomaly it names sqrt."""
        cf = autograd.compile(lambda x: x.sqrt() + x)
        assert cf.grad(0.0) == (math.inf,)
        with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match="sqrt"):
            cf.grad(0.0)


class TestAux:
    def test_aux_is_returned_not_differentiated(self) -> None:
        """With has_aux the function returns (value, aux); only value is differentiated."""
        cf = autograd.compile(lambda x, y: (x * y, [x + y, x.exp()]), has_aux=True)
        (value, aux), grads = cf.value_and_grad(2.0, 3.0)
        assert (value, aux, grads) == (6.0, [5.0, math.exp(2.0)], (3.0, 2.0))
        assert cf(2.0, 3.0) == (6.0, [5.0, math.exp(2.0)])

    def test_batched_aux_is_per_sample(self) -> None:
        """A batched call reduces the value and returns the aux per sample, unreduced."""
        cf = autograd.compile(lambda w, x: ((w * x) ** 2, w * x), batch_argnums=1, has_aux=True)
        (value, aux), (dw, dx) = cf.value_and_grad(2.0, [1.0, 3.0], reduce="mean")
        assert (value, list(aux)) == (20.0, [2.0, 6.0])
        assert (dw, list(dx)) == ((4.0 + 36.0) / 2, [4.0, 12.0])
        out, single = cf(2.0, [1.0, 3.0])
        assert (list(out), list(single)) == ([4.0, 36.0], [2.0, 6.0])

    def test_aux_must_be_a_pair(self) -> None:
        """A function compiled with has_aux must return a pair; has_aux must be a bool."""
        with pytest.raises(TypeError, match="pair"):
            autograd.compile(lambda x: x, has_aux=True)(1.0)
        with pytest.raises(TypeError, match="has_aux"):
            autograd.compile(lambda x: x, has_aux=1)  # type: ignore[arg-type]

    def test_aux_survives_the_float_fallback(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without NumPy the aux comes back per sample too."""
        monkeypatch.setattr("autograd.compiler._numpy", lambda: None)
        cf = autograd.compile(lambda w, x: (w * x, x + 1.0), batch_argnums=1, has_aux=True)
        (value, aux), (dw, dx) = cf.value_and_grad(2.0, [1.0, 3.0])
        assert (value, list(aux), dw, list(dx)) == (8.0, [2.0, 4.0], 4.0, [2.0, 2.0])


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    """Run the block with the cycle collector off, after collecting what came before."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class TestMemory:
    def test_dropped_compiled_function_is_freed_without_the_cycle_collector(self) -> None:
        """A compiled function and its generated code die by reference counting alone."""
        with collector_off():
            cf = autograd.compile(lambda x, y: x * y + x.exp())
            assert cf.grad(1.0, 2.0)[1] == 1.0
            with autograd.detect_anomaly():  # the checked variant too
                cf(1.0, 2.0)
            refs = [weakref.ref(cf), weakref.ref(cf.programs[2].backward)]
            refs += [weakref.ref(p.forward) for p in cf.programs[2]._variants.values()]
            del cf
            assert [ref() for ref in refs] == [None] * len(refs)
            assert gc.collect() == 0

    @pytest.mark.parametrize("swallow", [False, True], ids=["raised", "swallowed"])
    def test_caught_trace_error_frees_its_traced_values(self, swallow: bool) -> None:
        """A caught TraceError leaves no cycle: its traced Values die when it is dropped."""
        traced: list[weakref.ref[Value]] = []

        def f(x: Value) -> Value:
            traced.append(weakref.ref(x))
            y = x * 2.0
            with contextlib.suppress(TraceError) if swallow else contextlib.nullcontext():
                return y if y > 0 else -y  # swallowed, the trace still fails on return
            return y

        with collector_off():
            error = None
            try:
                autograd.compile(f)(1.0)
            except TraceError as caught:
                error = weakref.ref(caught)
            assert error is not None and error() is None
            assert traced and traced[0]() is None
            assert gc.collect() == 0
