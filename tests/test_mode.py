"""no_grad and detect_anomaly: scope, threads, tasks and messages."""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from typing import Any

import pytest

from autograd import Value, detect_anomaly, enable_grad, mode, no_grad, scope, scope_of


class TestNoGrad:
    def test_nothing_is_recorded_inside(self) -> None:
        """Results computed inside no_grad are leaves."""
        x = Value(2.0)
        with no_grad():
            y = x * x + 1
        assert (y.data, y.op, y.parents) == (5.0, "", ())
        z = x * x
        assert z.op == "mul"

    def test_as_decorator(self) -> None:
        """no_grad decorates a function; recording resumes after it returns."""

        @no_grad()
        def square(v: Value) -> Value:
            return v * v

        x = Value(3.0)
        assert square(x).parents == ()
        assert (x * x).parents == (x, x)

    def test_nesting_and_reuse(self) -> None:
        """One no_grad object can be nested and reused."""
        guard = no_grad()
        x = Value(1.0)
        with guard:
            with guard:
                assert (x + 1).parents == ()
            assert (x + 1).parents == ()
        assert (x + 1).parents == (x,)

    def test_restored_after_an_exception(self) -> None:
        """Leaving no_grad by an exception restores recording."""
        x = Value(1.0)
        with pytest.raises(RuntimeError), no_grad():
            raise RuntimeError
        assert (x + 1).parents == (x,)

    def test_per_thread(self) -> None:
        """no_grad in one thread does not affect another."""
        x = Value(1.0)
        inside = threading.Event()
        release = threading.Event()
        seen: list[tuple[Value, ...]] = []

        def worker() -> None:
            with no_grad():
                inside.set()
                release.wait(5)

        thread = threading.Thread(target=worker)
        thread.start()
        inside.wait(5)
        seen.append((x * 2).parents)
        release.set()
        thread.join()
        assert seen == [(x,)]

    def test_per_asyncio_task(self) -> None:
        """no_grad in one asyncio task does not affect another running concurrently."""
        x = Value(1.0)

        async def quiet(entered: asyncio.Event, done: asyncio.Event) -> None:
            with no_grad():
                entered.set()
                await done.wait()

        async def loud(entered: asyncio.Event, done: asyncio.Event) -> tuple[Value, ...]:
            await entered.wait()
            parents = (x * 2).parents
            done.set()
            return parents

        async def main() -> tuple[Value, ...]:
            entered, done = asyncio.Event(), asyncio.Event()
            _, parents = await asyncio.gather(quiet(entered, done), loud(entered, done))
            return parents

        assert asyncio.run(main()) == (x,)


class TestDetectAnomaly:
    def test_forward_inf_names_op_and_line(self) -> None:
        """The first inf in forward raises FloatingPointError naming the op and the user line."""
        x = Value(1000.0)
        with (
            pytest.raises(FloatingPointError, match=r"exp produced inf.*test_mode\.py:\d+"),
            detect_anomaly(),
        ):
            x.exp()

    def test_forward_nan_from_arithmetic(self) -> None:
        """inf - inf inside the block raises naming sub."""
        inf = Value(math.inf)
        with pytest.raises(FloatingPointError, match="sub produced nan"), detect_anomaly():
            _ = inf - math.inf

    def test_backward_inf_names_op_and_creation_line(self) -> None:
        """A non-finite gradient in backward names the op and where its node was created."""
        x = Value(0.0)
        with detect_anomaly():
            y = x.sqrt()  # sqrt'(0) = inf
        with (
            detect_anomaly(),
            pytest.raises(
                FloatingPointError, match=r"backward of sqrt gave inf.*test_mode\.py:\d+"
            ),
        ):
            y.backward()

    def test_backward_outside_block_is_unchecked(self) -> None:
        """Outside detect_anomaly, an infinite gradient is simply stored."""
        x = Value(0.0)
        x.sqrt().backward()
        assert x.grad == math.inf

    def test_finite_work_is_unaffected(self) -> None:
        """Inside the block, finite computations give the usual results."""
        x = Value(2.0)
        with detect_anomaly():
            y = (x * x).tanh()
            y.backward()
        assert math.isclose(x.grad, 4 * (1 - math.tanh(4.0) ** 2), rel_tol=1e-12)

    def test_as_decorator(self) -> None:
        """detect_anomaly works as a decorator too."""

        @detect_anomaly()
        def blow_up(v: Value) -> Value:
            return v.exp()

        with pytest.raises(FloatingPointError):
            blow_up(Value(800.0))
        assert Value(800.0).exp().data == math.inf

    def test_combines_with_no_grad(self) -> None:
        """Inside both, nothing is recorded and anomalies are still caught."""
        with no_grad(), detect_anomaly():
            y = Value(2.0) * 3
            assert y.parents == ()
            with pytest.raises(FloatingPointError):
                Value(1000.0).exp()


class TestScope:
    def test_nodes_record_their_nested_scope(self) -> None:
        """Nodes created inside nested scopes carry the scope path."""
        x = Value(1.0)
        with scope("model"):
            a = x * 2
            with scope("layer"):
                b = a + 1
        c = b * 3
        assert scope_of(a) == ("model",)
        assert scope_of(b) == ("model", "layer")
        assert scope_of(c) == ()
        assert scope_of(x) == ()

    def test_no_scope_records_nothing(self) -> None:
        """Outside any scope the mode is the default one and no node is recorded."""
        assert mode.current() is mode.DEFAULT
        before = len(mode.node_scopes)
        _ = Value(1.0) * 2
        assert len(mode.node_scopes) == before
        assert not mode.scope_open()

    def test_scope_is_restored_after_exception_and_per_thread(self) -> None:
        """Leaving a scope by an exception restores the outer scope."""
        with pytest.raises(KeyError), scope("a"):
            raise KeyError
        assert mode.current() is mode.DEFAULT

    def test_scope_name_must_be_a_string(self) -> None:
        """A non-string name raises TypeError."""
        with pytest.raises(TypeError, match="str"):
            scope(3)  # type: ignore[arg-type]

    def test_no_grad_inside_scope_records_no_scope(self) -> None:
        """Leaves made inside no_grad get no scope entry."""
        with scope("s"), no_grad():
            y = Value(1.0) * 2
        assert scope_of(y) == ()

    def test_scope_as_decorator(self) -> None:
        """scope(name) decorates a function: nodes made in each call get the scope."""

        @scope("helper")
        def double(v: Value) -> Value:
            return v * 2

        assert scope_of(double(Value(1.0))) == ("helper",)
        assert mode.current() is mode.DEFAULT


class TestSharedSwitches:
    def test_one_instance_across_asyncio_tasks(self) -> None:
        """One no_grad object entered by overlapping tasks restores each task's own mode."""
        guard = no_grad()
        ops: list[str] = []

        async def task(delay: float) -> None:
            with guard:
                await asyncio.sleep(delay)
            ops.append((Value(1.0) * 2).op)

        async def main() -> None:
            await asyncio.gather(task(0.02), task(0.01))

        asyncio.run(main())
        assert ops == ["mul", "mul"]

    def test_one_instance_across_threads(self) -> None:
        """One no_grad object entered by overlapping threads leaves no thread stuck in it."""
        guard = no_grad()
        first_in = threading.Event()
        second_out = threading.Event()
        after: dict[str, str] = {}

        def first() -> None:
            with guard:
                first_in.set()
                second_out.wait(5)
            after["first"] = (Value(1.0) * 2).op

        def second() -> None:
            first_in.wait(5)
            with guard:
                pass
            second_out.set()
            after["second"] = (Value(1.0) * 2).op

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert after == {"first": "mul", "second": "mul"}

    def test_decorates_coroutine_functions(self) -> None:
        """@no_grad() on an async def switches the mode while its body runs."""

        @no_grad()
        async def inside() -> str:
            await asyncio.sleep(0)
            return (Value(1.0) * 2).op

        assert asyncio.run(inside()) == ""
        assert (Value(1.0) * 2).op == "mul"

    def test_enable_grad_inside_no_grad(self) -> None:
        """enable_grad records again inside no_grad, and no_grad resumes after it."""
        x = Value(2.0)
        with no_grad():
            with enable_grad():
                assert (x * x).op == "mul"
            assert (x * x).op == ""

    def test_anomaly_does_not_blame_an_inf_left_from_before(self) -> None:
        """A leaf holding inf from an earlier call is not blamed on a finite new contribution."""
        x = Value(1.0)
        x.grad = math.inf
        with detect_anomaly():
            y = x * 2.0
            y.backward()
        assert x.grad == math.inf


def records() -> bool:
    """Whether an operation made here and now records a node."""
    return (Value(1.0) * 2.0).op == "mul"


class TestGenerators:
    """A mode lives in a ContextVar, which a generator shares with whoever resumes it."""

    def test_with_block_inside_a_generator_is_refused(self) -> None:
        """no_grad entered in a generator's body raises, and the caller keeps recording."""

        def batches() -> Iterator[int]:
            with no_grad():
                yield 1

        with pytest.raises(TypeError, match=r"no_grad\(\) cannot be entered inside the generator"):
            next(batches())
        assert records()

    @pytest.mark.parametrize("switch", [no_grad, enable_grad, detect_anomaly, lambda: scope("s")])
    def test_every_switch_is_refused_even_without_a_yield_in_the_block(
        self, switch: Callable[[], Any]
    ) -> None:
        """Each switch refuses a generator's body, which cannot say where its yields are."""

        def numbers() -> Iterator[float]:
            with switch():
                x = 1.0
            yield x

        with pytest.raises(TypeError, match="decorate the generator function"):
            next(numbers())

    def test_with_block_inside_an_async_generator_is_refused(self) -> None:
        """An async generator's body is refused too, naming it."""

        async def stream() -> AsyncIterator[int]:
            with no_grad():
                yield 1

        async def main() -> None:
            async for _ in stream():
                pass

        with pytest.raises(TypeError, match="inside the async generator 'stream'"):
            asyncio.run(main())

    def test_context_manager_generators_may_yield_inside(self) -> None:
        """contextmanager generators are let through: switching their with body is their job."""

        @contextlib.contextmanager
        def evaluating() -> Iterator[None]:
            with no_grad():
                yield

        @contextlib.asynccontextmanager
        async def evaluating_async() -> AsyncIterator[None]:
            with no_grad():
                yield

        async def main() -> bool:
            async with evaluating_async():
                return records()

        with evaluating():
            assert not records()
        assert records()
        assert asyncio.run(main()) is False
        assert records()

    def test_decorated_generator_is_switched_only_while_its_body_runs(self) -> None:
        """@no_grad() on a generator function: its body does not record, its caller does."""

        @no_grad()
        def steps() -> Generator[bool, str, str]:
            received = yield records()
            assert received == "go"
            yield records()
            return "done"

        generator = steps()
        assert next(generator) is False
        assert records()
        assert generator.send("go") is False
        assert records()
        with pytest.raises(StopIteration) as stop:
            next(generator)
        assert stop.value.value == "done"

    def test_decorated_generator_passes_thrown_errors_in_switched(self) -> None:
        """An error thrown into a decorated generator reaches its body, still switched."""

        @no_grad()
        def guarded() -> Iterator[str]:
            try:
                yield "started"
            except KeyError:
                yield f"caught, recording: {records()}"

        generator = guarded()
        next(generator)
        assert generator.throw(KeyError("k")) == "caught, recording: False"
        assert records()

    def test_closing_inside_enable_grad_keeps_recording(self) -> None:
        """Closing a paused generator inside enable_grad leaves recording on after it."""

        @no_grad()
        def numbers() -> Iterator[int]:
            yield 1
            yield 2

        generator = numbers()
        next(generator)
        with no_grad(), enable_grad():
            generator.close()
            assert records()
        assert records()

    def test_finishing_in_another_thread(self) -> None:
        """A decorated generator started here and finished in another thread raises nothing."""

        @no_grad()
        def numbers() -> Iterator[bool]:
            yield records()
            yield records()

        generator = numbers()
        assert next(generator) is False
        rest: list[bool] = []
        errors: list[BaseException] = []

        def finish() -> None:
            try:
                rest.extend(generator)
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        thread = threading.Thread(target=finish)
        thread.start()
        thread.join()
        assert (rest, errors) == ([False], [])
        assert records()

    def test_decorating_an_async_generator_is_refused(self) -> None:
        """Async generator functions cannot be decorated: the message says what to do."""
        with pytest.raises(TypeError, match="function or coroutine it calls"):

            @no_grad()
            async def stream() -> AsyncIterator[int]:
                yield 1

    def test_exit_in_another_thread_is_a_clear_error(self) -> None:
        """A switch entered here and exited in another thread says so (not IndexError)."""
        switch = no_grad()
        switch.__enter__()
        try:
            errors: list[BaseException] = []

            def leave() -> None:
                try:
                    switch.__exit__(None, None, None)
                except RuntimeError as error:
                    errors.append(error)

            thread = threading.Thread(target=leave)
            thread.start()
            thread.join()
            assert len(errors) == 1 and "another thread" in str(errors[0])
        finally:
            switch.__exit__(None, None, None)
        assert records()
