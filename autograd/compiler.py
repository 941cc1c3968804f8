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

from . import checks, mode
from .codegen import Program
from .value import Value, to_number

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

    Examples:
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
        # Record nodes, even inside no_grad; a grad inside f that closes over an input
        # stays connected to it, so the trace holds its derivative's graph.
        with mode.default_mode(), mode.differentiating(inputs):
            yield
        if errors:  # f caught the error and went on: the trace is still not valid
            raise errors[0]
    finally:
        if guard:
            sys.setprofile(previous)
        # The error's traceback holds check's frame, which holds this list: emptied, the
        # list holds no error, so no cycle keeps the traced Values alive after the error.
        errors.clear()


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
        self,
        f: Callable[..., Any],
        batch_argnums: int | Sequence[int] | None = None,
        has_aux: bool = False,
    ) -> None:
        self.f = checks.function("compile", "f", f)
        checks.flag("compile", "has_aux", has_aux)
        self.batch_argnums = _check_batch_argnums(batch_argnums)
        self._batched = frozenset(self.batch_argnums)  # for the membership tests of each call
        self.has_aux = has_aux
        self.programs: dict[int, Program] = {}
        self._aux_single: dict[int, bool] = {}  # per program: the aux is one Value, not a list
        self._latest: Program | None = None
        self.__name__ = getattr(f, "__name__", type(f).__name__)
        self.__doc__ = getattr(f, "__doc__", None)

    def __repr__(self) -> str:
        return f"<compiled {self.__name__}>"

    @property
    def backend(self) -> str:
        """``"numpy"`` when batched calls run on NumPy arrays, else ``"python"`` (floats)."""
        return "numpy" if self.batch_argnums and _numpy() is not None else "python"

    # --- tracing, and the programs of a trace -------------------------------------

    def _program(self, xs: tuple[Any, ...]) -> tuple[Program, tuple[float, ...]]:
        program = self.programs.get(len(xs))
        if program is not None and set(map(type, xs)) <= _FLOAT:  # the common case, in C
            return self._checked(program, len(xs)), xs
        where = f"compiled {self.__name__}"
        numbers = [to_number(where, f"argument {index}", x) for index, x in enumerate(xs)]
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
        return program.checked()

    def _trace(self, numbers: Sequence[float]) -> Program:
        """Call ``f`` on one fresh leaf per number and generate the program of its graph."""
        leaves = [Value(x) for x in numbers]
        name = f"compile({self.__name__}) tracing {len(leaves)} argument(s)"
        with tracing(name, leaves):
            out = self.f(*leaves)
        if self.has_aux:
            if not isinstance(out, tuple) or len(out) != 2:
                raise TypeError(
                    f"{name}: with has_aux=True the function must return a pair "
                    f"(value, aux), got {type(out).__name__}"
                )
            out, aux = out
            single = not isinstance(aux, (list, tuple))
            self._aux_single[len(numbers)] = single
            extra = [_as_value(name, "the aux of f", a) for a in ([aux] if single else aux)]
        else:
            extra = []
        return Program([_as_value(name, "the result of f", out), *extra], leaves)

    def _result(self, n: int, outs: Sequence[Any]) -> Any:
        """The value, or ``(value, aux)`` with ``has_aux``, from a program's outputs."""
        if not self.has_aux:
            return outs[0]
        return outs[0], (outs[1] if self._aux_single[n] else list(outs[1:]))

    # --- the public calls ------------------------------------------------------------

    def __call__(self, *xs: Any) -> Any:
        """``f(*xs)`` from the compiled forward pass: a float, or one per sample if batched.

        With ``has_aux=True`` it is ``(value, aux)``.
        """
        if self.batch_argnums:
            return self._result(len(xs), self._batched_forward(xs))
        program, numbers = self._program(xs)
        return self._result(len(xs), program.forward(*numbers))

    def value_and_grad(self, *xs: Any, reduce: str = "sum") -> tuple[Any, tuple[Any, ...]]:
        """``(f(*xs), (df/dx_0, df/dx_1, ...))``: the value and one partial per argument.

        For a batched call the value is the sum (``reduce="sum"``) or the mean
        (``reduce="mean"``) of the per-sample values, and every gradient is a
        derivative of it: a float for each shared argument, one number per sample
        for each batched argument (sample i's derivative, divided by N for the mean).
        With ``has_aux=True`` the value is ``(value, aux)``, the aux not reduced
        (one number per sample for a batched call) and not differentiated.
        """
        checks.choice(f"compiled {self.__name__}.value_and_grad", "reduce", reduce, _REDUCTIONS)
        if self.batch_argnums:
            value, aux, grads = self._batched_value_and_grad(xs, reduce)
            return self._result(len(xs), [value, *aux]), tuple(grads)
        program, numbers = self._program(xs)
        outs, float_grads = program.backward(*numbers, 1.0, *[0.0] * (program.n_outputs - 1))
        return self._result(len(xs), outs), float_grads

    def grad(self, *xs: Any, reduce: str = "sum") -> tuple[Any, ...]:
        """``(df/dx_0, df/dx_1, ...)``: one partial per argument (see :meth:`value_and_grad`)."""
        return self.value_and_grad(*xs, reduce=reduce)[1]

    @property
    def source(self) -> str:
        """The generated code of the latest call's trace: ``forward``, then ``backward``."""
        if self._latest is None:
            raise RuntimeError(
                f"compile({self.__name__}).source: no source yet; call it once first "
                f"(the first call traces {self.__name__} and generates the code)"
            )
        return self._latest.source

    # --- batched calls --------------------------------------------------------------

    def _batch(self, xs: tuple[Any, ...]) -> tuple[int, list[Any]]:
        """The batch size and the arguments as floats and float arrays, traced on sample 0."""
        where = f"compiled {self.__name__}"
        if len(xs) <= max(self.batch_argnums):
            raise ValueError(
                f"{where}: batch_argnums {self.batch_argnums} is out of range for a call "
                f"with {len(xs)} argument(s)"
            )
        np = _numpy()
        n: int | None = None
        args: list[Any] = []
        for index, x in enumerate(xs):
            if index not in self._batched:
                args.append(to_number(where, f"argument {index}", x))
                continue
            column = _column(where, index, x, np)
            if n is None:
                n = len(column)
            elif len(column) != n:
                raise ValueError(
                    f"{where}: batched arguments must have the same length: argument "
                    f"{self.batch_argnums[0]} has {n} samples, argument {index} has {len(column)}"
                )
            args.append(column)
        assert n is not None  # batch_argnums is never empty here
        if n == 0:
            raise ValueError(f"{where}: needs at least one sample, got empty batched arguments")
        first = [float(a[0]) if i in self._batched else a for i, a in enumerate(args)]
        try:  # the trace runs f on the first sample
            self._traced(first)
        except (ValueError, ZeroDivisionError) as error:
            raise type(error)(f"{error} (sample 0)") from None
        return n, args

    def _batched_forward(self, xs: tuple[Any, ...]) -> list[Any]:
        """Every output of ``f``, one number per sample."""
        n, args = self._batch(xs)
        program = self.programs[len(args)]
        outs, _ = run_batch(program, args, n, self.batch_argnums)
        self._latest = program.batched_on(self.batch_argnums) if _numpy() else program
        return outs

    def _batched_value_and_grad(
        self, xs: tuple[Any, ...], reduce: str
    ) -> tuple[float, list[Any], list[Any]]:
        """The summed (or averaged) value, the aux outputs per sample, and the gradients."""
        n, args = self._batch(xs)
        program = self.programs[len(args)]
        seeds = [1.0] + [0.0] * (program.n_outputs - 1)
        outs, grads = run_batch(program, args, n, self.batch_argnums, seeds)
        self._latest = program.batched_on(self.batch_argnums) if _numpy() else program
        value = _total(outs[0])
        assert grads is not None
        if reduce == "mean":
            value /= n
            grads = [_divided(g, n) for g in grads]
        return value, outs[1:], grads


def run_batch(
    program: Program,
    args: list[Any],
    n: int,
    batched: Sequence[int],
    seeds: Sequence[float] | None = None,
) -> tuple[list[Any], list[Any] | None]:
    """Run a float program on a batch: its outputs per sample, and with seeds, its gradients.

    The inputs at ``batched`` hold ``n`` numbers each (float arrays, or lists
    without NumPy); the others are numbers shared by every sample. With NumPy the
    program's array variant runs once over the whole batch; without it, or inside
    ``detect_anomaly``, the program runs sample by sample (checked), and an error
    names the sample. With ``seeds`` (one per output, the same for every sample) the
    gradients are ``sum_i sum_k seeds[k] d out_k(sample i) / d input``: a number
    for each shared input, ``n`` numbers for each batched one.

    This is what :class:`Compiled` runs for batched calls; ``nn.fit`` runs it on
    the program of a model's per-sample loss.

    Args:
        program: the float program of one sample (see :class:`Program`).
        args: one argument per program input.
        n: the number of samples, >= 1.
        batched: the positions of the per-sample arguments.
        seeds: None for the outputs alone.

    Returns:
        ``(outputs, grads)``: each output as ``n`` numbers, and the gradients (None
        without seeds).
    """
    np = _numpy()
    # A set: membership is tested for every argument, and a GPT's program has thousands.
    positions = frozenset(batched)
    if np is None or mode.current().anomaly:
        return _per_sample(program, args, n, positions, seeds)
    variant = program.batched_on(sorted(positions))
    per_sample = variant.per_sample_outputs
    with np.errstate(all="ignore"):  # no RuntimeWarning: overflow gives inf, as in floats
        if seeds is None:
            raw_outs = variant.forward(*args)
            grads = None
        else:
            # An output that depends on no sample (a function of the parameters alone)
            # is the same for every sample: its seed counts n times.
            seeded = [
                np.full(n, seed) if sample else n * seed for seed, sample in zip(seeds, per_sample)
            ]
            raw_outs, raw_grads = variant.backward(*args, *seeded)
            grads = [
                np.array(np.broadcast_to(g, (n,)), dtype=np.float64) if i in positions else float(g)
                for i, g in enumerate(raw_grads)
            ]
            # NaN where a sample's zero gradient met an infinite local derivative, which
            # per-sample code does not guard: the float program, sample by sample, does.
            if any(g != g if type(g) is float else np.isnan(g).any() for g in grads):
                return _per_sample(program, args, n, positions, seeds)
    outs = [np.array(np.broadcast_to(out, (n,)), dtype=np.float64) for out in raw_outs]
    return outs, grads


def _per_sample(
    program: Program,
    args: list[Any],
    n: int,
    batched: frozenset[int],
    seeds: Sequence[float] | None,
) -> tuple[list[Any], list[Any] | None]:
    """``run_batch`` on floats: the program once per sample, summing the gradients."""
    np = _numpy()
    if mode.current().anomaly:
        program = program.checked()
    # Python floats, not NumPy scalars: the float program must run on floats.
    columns = [
        a.tolist() if k in batched and not isinstance(a, list) else a for k, a in enumerate(args)
    ]
    outs: list[list[float]] = [[] for _ in range(program.n_outputs)]
    shared = [0.0] * len(args)
    per_sample: dict[int, list[float]] = {k: [] for k in batched}
    for i in range(n):
        sample = [a[i] if k in batched else a for k, a in enumerate(columns)]
        grads: tuple[float, ...] = ()
        try:
            if seeds is None:
                values = program.forward(*sample)
            else:
                values, grads = program.backward(*sample, *seeds)
        except (ValueError, ZeroDivisionError, FloatingPointError) as error:
            raise type(error)(f"{error} (sample {i})") from None
        for column, value in zip(outs, values):
            column.append(value)
        for k, g in enumerate(grads):
            if k in per_sample:
                per_sample[k].append(g)
            else:
                shared[k] += g
    gradients = None
    if seeds is not None:
        gradients = [
            _floats(np, per_sample[k]) if k in per_sample else shared[k] for k in range(len(args))
        ]
    return [_floats(np, column) for column in outs], gradients


def _as_value(name: str, what: str, out: object) -> Value:
    """A traced output as a Value; a number is a constant (every derivative 0)."""
    checked = checks.scalar(name, what, out, Value)
    return checked if isinstance(checked, Value) else Value(checked)


def _total(values: Any) -> float:
    """The sum of one output over the samples (inf - inf is NaN, without a warning)."""
    np = _numpy()
    if np is None:
        return sum(values, 0.0)
    with np.errstate(all="ignore"):
        return float(np.sum(values))


def _floats(np: Any, numbers: list[float]) -> Any:
    """One number per sample: a float64 array, or an ``array.array`` without NumPy."""
    return array.array("d", numbers) if np is None else np.array(numbers, dtype=np.float64)


def _divided(g: Any, n: int) -> Any:
    """A gradient (a float, an array or an ``array.array``) divided by ``n``."""
    if type(g) is array.array:
        return array.array("d", (v / n for v in g))
    return g / n


def _check_batch_argnums(batch_argnums: object) -> tuple[int, ...]:
    """``batch_argnums`` as a sorted tuple of distinct indices (empty for None)."""
    if batch_argnums is None:
        return ()
    # An index is bounded like a size: a call with ten million arguments is a mistake.
    if isinstance(batch_argnums, int) and not isinstance(batch_argnums, bool):
        return (checks.size("compile", "batch_argnums", batch_argnums, minimum=0),)
    if not isinstance(batch_argnums, (tuple, list)) or not batch_argnums:
        raise TypeError(
            "compile: batch_argnums must be None, an int or a non-empty tuple of ints, "
            f"got {type(batch_argnums).__name__}"
        )
    indices = [
        checks.size("compile", f"batch_argnums[{i}]", index, minimum=0)
        for i, index in enumerate(batch_argnums)
    ]
    if len(set(indices)) != len(indices):
        raise ValueError(f"compile: batch_argnums has a repeated index: {batch_argnums!r}")
    return tuple(sorted(indices))


def _column(where: str, index: int, x: object, np: Any) -> Any:
    """A batched argument as a 1-D float64 array (a list of floats without NumPy)."""
    if np is not None and isinstance(x, np.ndarray):
        if x.ndim != 1 or x.dtype.kind not in "fiu":
            raise ValueError(
                f"{where}: argument {index} must be a 1-D array of real numbers, "
                f"got shape {x.shape} and dtype {x.dtype}"
            )
        return x.astype(np.float64)
    if not isinstance(x, (list, tuple)):
        raise TypeError(
            f"{where}: argument {index} is batched: it must be a list, a tuple or a 1-D "
            f"NumPy array of numbers, got {type(x).__name__}"
        )
    numbers = [to_number(where, f"argument {index} item {i}", item) for i, item in enumerate(x)]
    return numbers if np is None else np.array(numbers, dtype=np.float64)


def _numpy() -> Any:
    """The numpy module, or None when it is not installed (batched calls then loop in Python)."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - exercised only without the numpy extra
        return None
    return numpy


def compile(  # shadows the builtin on purpose
    f: Callable[..., Any],
    *,
    batch_argnums: int | Sequence[int] | None = None,
    has_aux: bool = False,
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
        batch_argnums: the index, or tuple of distinct indices, of the per-sample
            arguments (each from 0 to ten million, chainrule's limit on sizes).
        has_aux: ``f`` returns ``(value, aux)``, where ``aux`` is a Value or a list of
            them computed along (a model's predictions beside its loss, say): calls
            return ``(value, aux)``, and only ``value`` is reduced and differentiated,
            as in JAX.

    Returns:
        A :class:`Compiled` function: ``cf(*xs)`` gives the value as a float,
        ``cf.value_and_grad(*xs)`` gives ``(value, grads)`` with one partial per
        argument, ``cf.grad(*xs)`` the partials alone, ``cf.source`` the code.

    Raises:
        TypeError: ``f`` is not callable or ``batch_argnums`` is not an int or a
            tuple of ints; when called, an argument is not a real number.
        ValueError: ``batch_argnums`` holds a negative, repeated or too large index.

    Examples:
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
    return Compiled(f, batch_argnums, has_aux)
