"""``compile``: trace a function once, then run its forward and backward pass as plain Python.

Building a graph of Values costs far more than the arithmetic it records. A
function whose graph has the same shape on every call (a network's loss, say)
can be *traced* once: called on Values, its graph is turned into Python source,
one line per node, for the forward pass and for the reverse sweep (see
:mod:`autograd.codegen`). That source is compiled with Python's own
:func:`compile` and reused. With ``batch_argnums`` the same trace runs a whole
batch per call, on NumPy arrays holding one number per sample.
"""

from __future__ import annotations

import array
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import CodeType, FrameType
from typing import Any

from . import mode
from .codegen import Program
from .value import Value, as_number, number_type_message

__all__ = ["Compiled", "Program", "TraceError", "compile", "tracing"]


class TraceError(RuntimeError):
    """Python control flow depended on a traced Value, which a trace cannot follow."""


# --- tracing: catching Python control flow on traced Values ----------------------

#: The Value methods that turn a Value into a bool or a float, by the code they run.
_GUARDED: dict[CodeType, str] = {
    Value.__bool__.__code__: "bool()",
    Value.__float__.__code__: "float()",
    Value.__lt__.__code__: "a < comparison",
    Value.__le__.__code__: "a <= comparison",
    Value.__gt__.__code__: "a > comparison",
    Value.__ge__.__code__: "a >= comparison",
}


_SWITCH_ENTER = mode.no_grad.__enter__.__code__  # shared by the mode switches


class _Dependence:
    """Answers "does this Value depend on a traced input?", remembering what it has seen."""

    def __init__(self, inputs: Sequence[Value]) -> None:
        self.known: dict[Value, bool] = dict.fromkeys(inputs, True)

    def __call__(self, node: object) -> bool:
        if not isinstance(node, Value):
            return False
        known = self.known
        stack = [node]
        while stack:  # depth-first, without recursion, like topological_order
            top = stack[-1]
            if top in known:
                stack.pop()
                continue
            pending = [a for a in top.operands if type(a) is not float and a not in known]
            if pending:
                stack.extend(pending)  # type: ignore[arg-type]
                continue
            stack.pop()
            known[top] = any(type(a) is not float and known[a] for a in top.operands)  # type: ignore[index]
        return known[node]


@contextmanager
def tracing(name: str, inputs: Sequence[Value]) -> Iterator[None]:
    """Context manager: record a graph, and refuse Python branches on Values that depend on inputs.

    Inside it, ``bool()``, ``float()`` and ``< <= > >=`` on a Value computed from
    ``inputs`` raise :class:`TraceError` naming the trace: the traced code would
    otherwise follow the branch taken at the trace point on every later call.
    Values that do not depend on ``inputs`` (constants of the trace) may be
    compared freely. Reading ``.data`` cannot be noticed, so do not branch on it.

    The check uses :func:`sys.setprofile` for the current thread while the block
    runs (a profile function already set in Python is chained and restored): the
    engine itself has no tracing hook, so its hot path pays nothing. Under a
    profiler installed from C, such as :mod:`cProfile`, the check is skipped
    rather than stop the profiler. Recording is switched on inside, even within
    ``no_grad``.

    Args:
        name: what to call the trace in error messages.
        inputs: the Values that are the trace's inputs.

    Example:
        >>> from autograd import Value
        >>> x = Value(1.0)
        >>> with tracing("demo", [x]):
        ...     bool(x * 2)
        Traceback (most recent call last):
        autograd.compiler.TraceError: demo: bool() on a traced Value ...
    """
    depends = _Dependence(inputs)
    # The first error, kept because f may catch it: a profile function that raises
    # is removed by CPython, so nothing later in the trace would be checked.
    errors: list[TraceError] = []

    def check(frame: FrameType, event: str, arg: Any) -> None:
        if event != "call":
            return
        if frame.f_code is _SWITCH_ENTER and isinstance(frame.f_locals.get("self"), mode.no_grad):
            errors.append(
                TraceError(
                    f"{name}: no_grad inside a function being compiled; the values made "
                    "inside it would be frozen at their traced numbers"
                )
            )
            raise errors[-1]
        what = _GUARDED.get(frame.f_code)
        if what is None:
            return
        local = frame.f_locals
        if depends(local.get("self")) or depends(local.get("other")):
            errors.append(
                TraceError(
                    f"{name}: {what} on a traced Value while tracing; Python control flow "
                    "that depends on an input would be frozen into the compiled code. "
                    "Use an op that branches inside (relu, abs, leaky_relu) or call the "
                    "function without compiling it."
                )
            )
            raise errors[-1]

    previous = sys.getprofile()
    # A profile function written in Python is called first and restored after; a
    # profiler installed from C (cProfile) cannot be restored, so it is left alone.
    guard = previous is None or callable(previous)
    hook = check if previous is None else _chained(previous, check)
    if guard:
        sys.setprofile(hook)
    try:
        with mode.default_mode():  # record nodes, even inside no_grad
            yield
        if errors:  # f caught the error and went on: the trace is still not valid
            raise errors[0]
    finally:
        if guard:
            sys.setprofile(previous)


def _chained(first: Any, then: Callable[[FrameType, str, Any], None]) -> Callable[..., None]:
    """A profile function that calls ``first`` and then ``then``."""

    def both(frame: FrameType, event: str, arg: Any) -> None:
        first(frame, event, arg)
        then(frame, event, arg)

    return both


# --- the public face: compile(f) ---------------------------------------------------


_FLOAT = {float}
_REDUCTIONS = ("sum", "mean")


class Compiled:
    """A function compiled by :func:`compile`: call it, or ask for its gradient.

    It traces ``f`` on the first call with a given number of arguments and keeps
    one :class:`Program` per number of arguments (and, for batched calls, one that
    runs on NumPy arrays). Under :class:`autograd.detect_anomaly` it runs a checked
    program that stops at the first NaN or inf, naming the op (and the sample).
    """

    def __init__(
        self, f: Callable[..., Any], batch_argnums: int | Sequence[int] | None = None
    ) -> None:
        if not callable(f):
            raise TypeError(f"compile() expects a callable, got {type(f).__name__}")
        self.f = f
        self.batch_argnums = _check_batch_argnums(batch_argnums)
        # A set for the membership tests of every call: a tuple costs O(n) per argument,
        # which a GPT's 460 batched and 4,240 shared arguments turn into ~20 ms a call.
        self._batched = frozenset(self.batch_argnums)
        self.programs: dict[int, Program] = {}
        self._variants: dict[tuple[int, str], Program] = {}  # batched and checked programs
        self._latest: Program | None = None
        self.__name__ = getattr(f, "__name__", type(f).__name__)
        self.__doc__ = getattr(f, "__doc__", None)

    def __repr__(self) -> str:
        return f"<compiled {self.__name__}>"

    @property
    def backend(self) -> str:
        """``"numpy"`` when batched calls run on NumPy arrays, else ``"python"`` (floats)."""
        return "numpy" if self.batch_argnums and _numpy() is not None else "python"

    # --- one sample: every argument a number ------------------------------------

    def _program(self, xs: tuple[Any, ...]) -> tuple[Program, tuple[float, ...]]:
        program = self.programs.get(len(xs))
        if program is not None and set(map(type, xs)) <= _FLOAT:  # the common case, in C
            return self._checked(program, len(xs)), xs
        numbers = []
        for index, x in enumerate(xs):
            number = as_number(x)
            if number is None:
                raise TypeError(
                    number_type_message(f"compiled {self.__name__}() argument {index}", x)
                )
            numbers.append(number)
        return self._traced(numbers), tuple(numbers)

    def _traced(self, numbers: Sequence[float]) -> Program:
        """The float program for this many arguments; ``f`` is traced on ``numbers`` at first."""
        program = self.programs.get(len(numbers))
        if program is None:
            program = self._trace(numbers)
            self.programs[len(numbers)] = program
        self._latest = program
        return self._checked(program, len(numbers))

    def _checked(self, program: Program, n: int) -> Program:
        """``program``, or under ``detect_anomaly`` its variant that checks every number."""
        if not mode.current().anomaly:
            self._latest = program
            return program
        return self._variant(n, "checked")

    def _variant(self, n: int, kind: str) -> Program:
        """The ``"checked"`` or ``"numpy"`` program of the traced graph for ``n`` arguments."""
        variant = self._variants.get((n, kind))
        if variant is None:
            base = self.programs[n]
            outputs, inputs = base.graph
            if kind == "checked":
                variant = Program(outputs, inputs, anomaly=True)
            else:
                variant = Program(outputs, inputs, batched=self.batch_argnums)
            self._variants[(n, kind)] = variant
        return variant

    def _trace(self, numbers: Sequence[float]) -> Program:
        """Call ``f`` on one fresh leaf per number and generate the program of its graph."""
        leaves = [Value(x) for x in numbers]
        name = f"compile({self.__name__}) tracing {len(leaves)} argument(s)"
        with tracing(name, leaves):
            out = self.f(*leaves)
        if not isinstance(out, Value):
            number = as_number(out)
            if number is None:
                raise TypeError(
                    f"{name}: the function must return a Value or a real number, "
                    f"got {type(out).__name__}"
                )
            out = Value(number)  # independent of the inputs: every derivative is 0
        return Program([out], leaves)

    # --- the public calls ------------------------------------------------------------

    def __call__(self, *xs: Any) -> Any:
        """``f(*xs)`` from the compiled forward pass: a float, or one per sample if batched."""
        if self.batch_argnums:
            return self._batched_forward(xs)
        program, numbers = self._program(xs)
        return program.forward(*numbers)[0]

    def value_and_grad(self, *xs: Any, reduce: str = "sum") -> tuple[float, tuple[Any, ...]]:
        """``(f(*xs), (df/dx_0, df/dx_1, ...))``: the value and one partial per argument.

        For a batched call the value is the sum (``reduce="sum"``) or the mean
        (``reduce="mean"``) of the per-sample values, and every gradient is a
        derivative of it: a float for each shared argument, one number per sample
        for each batched argument (sample i's derivative, divided by N for the mean).
        """
        if reduce not in _REDUCTIONS:
            raise ValueError(
                f"compiled {self.__name__}.value_and_grad() reduce must be 'sum' or 'mean', "
                f"got {reduce!r}"
            )
        if self.batch_argnums:
            return self._batched_value_and_grad(xs, reduce)
        program, numbers = self._program(xs)
        values, grads = program.backward(*numbers, 1.0)
        return values[0], grads

    def grad(self, *xs: Any, reduce: str = "sum") -> tuple[Any, ...]:
        """``(df/dx_0, df/dx_1, ...)``: one partial per argument (see :meth:`value_and_grad`)."""
        return self.value_and_grad(*xs, reduce=reduce)[1]

    @property
    def source(self) -> str:
        """The generated code of the latest call's trace: ``forward``, then ``backward``."""
        if self._latest is None:
            raise RuntimeError(f"compile({self.__name__}) has not been traced yet: call it first")
        return self._latest.source

    # --- batched calls --------------------------------------------------------------

    def _batch(self, xs: tuple[Any, ...]) -> tuple[int, list[Any]]:
        """The batch size and the arguments as floats and float arrays, traced on sample 0."""
        where = f"compiled {self.__name__}()"
        if len(xs) <= max(self.batch_argnums):
            raise ValueError(
                f"{where} batch_argnums {self.batch_argnums} is out of range for a call "
                f"with {len(xs)} argument(s)"
            )
        np = _numpy()
        n: int | None = None
        args: list[Any] = []
        for index, x in enumerate(xs):
            if index not in self._batched:
                number = as_number(x)
                if number is None:
                    raise TypeError(number_type_message(f"{where} argument {index}", x))
                args.append(number)
                continue
            column = _column(where, index, x, np)
            if n is None:
                n = len(column)
            elif len(column) != n:
                raise ValueError(
                    f"{where} batched arguments must have the same length: argument "
                    f"{self.batch_argnums[0]} has {n} samples, argument {index} has {len(column)}"
                )
            args.append(column)
        assert n is not None  # batch_argnums is never empty here
        if n == 0:
            raise ValueError(f"{where} needs at least one sample, got empty batched arguments")
        first = [float(a[0]) if i in self._batched else a for i, a in enumerate(args)]
        try:  # the trace runs f on the first sample
            self._traced(first)
        except (ValueError, ZeroDivisionError) as error:
            raise type(error)(f"{error} (sample 0)") from None
        return n, args

    def _batched_forward(self, xs: tuple[Any, ...]) -> Any:
        n, args = self._batch(xs)
        np = _numpy()
        if np is None or mode.current().anomaly:
            return array.array("d", (out for out, _ in self._samples(n, args, seed=None)))
        variant = self._variant(len(args), "numpy")
        self._latest = variant
        with np.errstate(all="ignore"):
            out = variant.forward(*args)[0]
        return np.array(np.broadcast_to(out, (n,)), dtype=np.float64)

    def _batched_value_and_grad(
        self, xs: tuple[Any, ...], reduce: str
    ) -> tuple[float, tuple[Any, ...]]:
        n, args = self._batch(xs)
        np = _numpy()
        if np is None or mode.current().anomaly:
            value, grads = self._summed_samples(n, args)
        else:
            variant = self._variant(len(args), "numpy")
            self._latest = variant
            seed = np.ones(n) if variant.per_sample_outputs[0] else float(n)
            with np.errstate(all="ignore"):  # no RuntimeWarning: overflow gives inf, as in floats
                (out,), raw = variant.backward(*args, seed)
                value = float(np.sum(out)) if variant.per_sample_outputs[0] else n * float(out)
            grads = [
                np.array(np.broadcast_to(g, (n,)), dtype=np.float64)
                if i in self._batched
                else float(g)
                for i, g in enumerate(raw)
            ]
            # NaN where a sample's zero gradient met an infinite local derivative, which
            # per-sample code does not guard: the float program, sample by sample, does.
            if value != value or any(
                g != g if type(g) is float else np.isnan(g).any() for g in grads
            ):
                value, grads = self._summed_samples(n, args)
        if reduce == "mean":
            value /= n
            grads = [
                array.array("d", (v / n for v in g)) if type(g) is array.array else g / n
                for g in grads
            ]
        return value, tuple(grads)

    def _samples(self, n: int, args: list[Any], seed: float | None) -> Iterator[tuple[Any, Any]]:
        """Run the float program on each sample in turn: (output, grads or None) per sample."""
        program = self._checked(self.programs[len(args)], len(args))
        # Python floats, not NumPy scalars: the float program must run on floats.
        columns = [
            a.tolist() if k in self._batched and not isinstance(a, list) else a
            for k, a in enumerate(args)
        ]
        for i in range(n):
            sample = [a[i] if k in self._batched else a for k, a in enumerate(columns)]
            try:
                if seed is None:
                    yield program.forward(*sample)[0], None
                else:
                    (out,), grads = program.backward(*sample, seed)
                    yield out, grads
            except (ValueError, ZeroDivisionError, FloatingPointError) as error:
                raise type(error)(f"{error} (sample {i})") from None

    def _summed_samples(self, n: int, args: list[Any]) -> tuple[float, list[Any]]:
        """The per-sample programs' values and gradients, summed over the samples."""
        np = _numpy()
        value = 0.0
        shared = [0.0] * len(args)
        per_sample: dict[int, list[float]] = {k: [] for k in self.batch_argnums}
        for out, grads in self._samples(n, args, seed=1.0):
            value += out
            for k, g in enumerate(grads):
                if k in per_sample:
                    per_sample[k].append(g)
                else:
                    shared[k] += g
        grads = [
            (np.array(per_sample[k]) if np is not None else array.array("d", per_sample[k]))
            if k in per_sample
            else shared[k]
            for k in range(len(args))
        ]
        return value, grads


def _check_batch_argnums(batch_argnums: object) -> tuple[int, ...]:
    """``batch_argnums`` as a sorted tuple of distinct indices (empty for None)."""
    if batch_argnums is None:
        return ()
    indices = (batch_argnums,) if isinstance(batch_argnums, int) else batch_argnums
    if not isinstance(indices, (tuple, list)) or not indices:
        raise TypeError(
            "compile() batch_argnums must be an int or a non-empty tuple of ints, "
            f"got {batch_argnums!r}"
        )
    for index in indices:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"compile() batch_argnums must hold ints, got {index!r}")
        if index < 0:
            raise ValueError(f"compile() batch_argnums must hold ints >= 0, got {index}")
    if len(set(indices)) != len(indices):
        raise ValueError(f"compile() batch_argnums has a repeated index: {batch_argnums!r}")
    return tuple(sorted(indices))


def _column(where: str, index: int, x: object, np: Any) -> Any:
    """A batched argument as a 1-D float64 array (a list of floats without NumPy)."""
    if np is not None and isinstance(x, np.ndarray):
        if x.ndim != 1 or x.dtype.kind not in "fiu":
            raise ValueError(
                f"{where} argument {index} must be a 1-D array of real numbers, "
                f"got shape {x.shape} and dtype {x.dtype}"
            )
        return x.astype(np.float64)
    if not isinstance(x, (list, tuple)):
        raise TypeError(
            f"{where} argument {index} is batched: it must be a list, a tuple or a 1-D "
            f"NumPy array of numbers, got {type(x).__name__}"
        )
    numbers = []
    for i, item in enumerate(x):
        number = as_number(item)
        if number is None:
            raise TypeError(number_type_message(f"{where} argument {index} item {i}", item))
        numbers.append(number)
    return numbers if np is None else np.array(numbers, dtype=np.float64)


def _numpy() -> Any:
    """The numpy module, or None when it is not installed (batched calls then loop in Python)."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - exercised only without the numpy extra
        return None
    return numpy


def compile(  # shadows the builtin on purpose
    f: Callable[..., Any], *, batch_argnums: int | Sequence[int] | None = None
) -> Compiled:
    """Compile ``f``: trace it once, then run its forward and backward pass as generated Python.

    On the first call with a given number of arguments, ``f`` is called on one
    fresh Value per argument and the graph it builds becomes Python source
    over plain floats, one line per node (see ``.source``). Later calls with
    that many arguments run the generated code and build no graph, giving the
    dynamic engine's numbers (branches inside ops such as ``relu`` and ``abs`` are
    taken afresh on every call) many times faster.

    A trace has the shape of the graph at the trace point, so:

    * Python control flow must not depend on a traced Value: ``if x > 0:``,
      ``bool(x)`` or ``float(x)`` on one raises :class:`TraceError` while tracing
      (see :func:`tracing`; not under cProfile). Reading ``x.data`` cannot be
      noticed, so do not branch on it either.
    * Values that ``f`` closes over instead of taking as arguments are
      *constants* of the trace: their data at tracing time is written into the
      code, and later changes are not seen. Pass what changes as arguments
      (``nn.fit(compile=True)`` passes the parameters as arguments).

    **Batches.** ``batch_argnums`` names the positional arguments that hold one
    number per sample (a list, a tuple or a 1-D NumPy array, all of the same length
    N); the others are shared numbers, such as a model's parameters. One trace then
    serves the whole batch: with NumPy installed every per-sample value is an array
    and each call runs the program once over all N samples (``cf.backend`` is
    ``"numpy"``); without it, the float program runs once per sample, with the same
    results (``"python"``). ``cf(*xs)`` returns the N outputs, and
    ``cf.value_and_grad(*xs, reduce="sum" | "mean")`` the summed (or averaged)
    output with its gradient: a float per shared argument, N numbers per batched one.

    Not exported by ``from autograd import *``, since it would shadow ``compile``.

    Args:
        f: a function of positional number arguments returning a Value (or a number).
        batch_argnums: the index, or tuple of indices, of the per-sample arguments.

    Returns:
        A :class:`Compiled` function: ``cf(*xs)`` gives the value as a float,
        ``cf.value_and_grad(*xs)`` gives ``(value, grads)`` with one partial per
        argument, ``cf.grad(*xs)`` the partials alone, ``cf.source`` the code.

    Example:
        >>> import autograd
        >>> cf = autograd.compile(lambda x, y: x * y + x.exp())
        >>> cf.value_and_grad(0.0, 3.0)
        (1.0, (4.0, 0.0))
        >>> print(cf.source.split("def backward")[0].strip())
        def forward(x0, x1):
            t0 = exp_(x0)  # exp
            t1 = x0 * x1  # mul
            t2 = t1 + t0  # add
            return (t2,)
    """
    return Compiled(f, batch_argnums)
