"""``compile``: trace a function once, then run its forward and backward pass as plain Python.

Building a graph of Values costs far more than the arithmetic it records. A
function whose graph has the same shape on every call (a network's loss, say)
can be *traced* once: called on Values, its graph is turned into Python source,
one line per node, for the forward pass and for the reverse sweep over plain
floats. That source is compiled with Python's own :func:`compile` and reused.

Everything the generated code knows about an op comes from its row of
:data:`autograd.rules.RULES`, so it computes exactly what the dynamic engine computes:

* a row's ``code`` spells its forward as source (``t2 = t1 + t0``); rows without
  it are called (``t5 = exp_(t3)``), so domain checks, overflow handling and the
  branches inside ``relu``, ``abs``, ``max`` and ``pow`` run on every call;
* a row's ``code_vjp`` spells its chain rule inline (``g_x0 += x1 * g_t2`` for
  ``mul``), the same float expression as its ``vjp`` (a test holds them equal);
  rows without it, and ``@autograd.op`` ops, call their ``vjp``;
* gradients accumulate in the same order as :func:`autograd.gradients`, and a
  node whose gradient is exactly 0 is skipped (``if g_t5:``) unless its row says
  its local derivatives are ``finite``, as ``backward()`` does.

Only the op table's code goes into the source: labels and other strings never
do, and a custom op's name appears in a comment only when it is an identifier.
"""

from __future__ import annotations

import builtins
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import CodeType, FrameType
from typing import Any

from . import mode
from .graph import topological_order
from .rules import BUILT_IN_OPS, RULES, Rule
from .value import Value, as_number, number_type_message

__all__ = ["Compiled", "Program", "TraceError", "compile", "tracing"]


class TraceError(RuntimeError):
    """Python control flow depended on a traced Value, which a trace cannot follow."""


# --- source -----------------------------------------------------------------------


def _literal(x: float) -> str:
    """A float as source: its repr, in parentheses when negative; names for inf and NaN."""
    # float() first: a closed-over Value's data may have been set to a NumPy scalar or
    # a float subclass, whose repr is not a plain number (or not even safe source).
    x = float(x)
    if math.isnan(x):
        return "nan_"
    if math.isinf(x):
        return "inf_" if x > 0.0 else "(-inf_)"
    text = repr(x)
    return f"({text})" if text.startswith("-") else text


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


# --- code generation --------------------------------------------------------------


class Program:
    """A recorded graph as generated Python: a forward function and a backward one.

    ``outputs`` are Values computed from ``inputs`` (leaves). Leaves that are not
    inputs are constants: their current ``data`` is written into the code.
    Gradients are taken with respect to the first ``n_wrt`` inputs.

    The generated functions take one float per input:

    * ``forward(*xs)`` returns the tuple of outputs;
    * ``backward(*xs, *seeds)`` returns ``(outputs, grads)``: the outputs and
      ``sum_k seeds[k] * d outputs[k] / d input_i`` for each of the first ``n_wrt``
      inputs (a vector-Jacobian product; one output with seed 1.0 is the gradient).

    Args:
        outputs: the Values to compute.
        inputs: distinct leaf Values standing for the arguments, in order.
        n_wrt: how many of the inputs (from the first) to differentiate; all by default.

    Raises:
        TypeError: if an output or input is not a Value.
        ValueError: if the inputs are not distinct leaves or ``n_wrt`` is out of range.

    Example:
        >>> from autograd import Value
        >>> x, y = Value(2.0), Value(3.0)
        >>> program = Program([x * y + x], [x, y])
        >>> program.forward(4.0, 5.0), program.backward(4.0, 5.0, 1.0)
        ((24.0,), ((24.0,), (6.0, 4.0)))
    """

    def __init__(
        self, outputs: Sequence[Value], inputs: Sequence[Value], n_wrt: int | None = None
    ) -> None:
        for where, values in (("outputs", outputs), ("inputs", inputs)):
            for index, v in enumerate(values):
                if not isinstance(v, Value):
                    raise TypeError(
                        f"Program {where} must be Values, got {type(v).__name__} at index {index}"
                    )
        if len(set(inputs)) != len(inputs) or any(x.rule is not None for x in inputs):
            raise ValueError("Program inputs must be distinct leaf Values")
        self.n_inputs = len(inputs)
        self.n_outputs = len(outputs)
        self.n_wrt = self.n_inputs if n_wrt is None else n_wrt
        if not 0 <= self.n_wrt <= self.n_inputs:
            raise ValueError(f"Program n_wrt must be in [0, {self.n_inputs}], got {n_wrt!r}")
        generator = _Generator(outputs, inputs, self.n_wrt)
        self.source = generator.source
        namespace = _namespace()
        namespace.update(generator.bindings)
        exec(builtins.compile(self.source, "<autograd.compile>", "exec"), namespace)
        self.forward: Callable[..., tuple[float, ...]] = namespace["forward"]
        self.backward: Callable[..., tuple[tuple[float, ...], tuple[float, ...]]] = namespace[
            "backward"
        ]


def _namespace() -> dict[str, Any]:
    """The names generated code may use: each built-in row's forward and vjp, inf and NaN."""
    namespace: dict[str, Any] = {"__builtins__": {}, "inf_": math.inf, "nan_": math.nan}
    namespace["sum"] = builtins.sum
    for op in BUILT_IN_OPS:
        namespace[f"{op}_"] = RULES[op].forward
        namespace[f"{op}_vjp"] = RULES[op].vjp
    return namespace


class _Generator:
    """Writes the source of a :class:`Program`: names, forward lines, then the reverse sweep."""

    def __init__(self, outputs: Sequence[Value], inputs: Sequence[Value], n_wrt: int) -> None:
        self.names: dict[Value, str] = {x: f"x{i}" for i, x in enumerate(inputs)}
        self.custom: dict[Rule, str] = {}  # a custom op's row -> its name in the namespace
        self.bindings: dict[str, Any] = {}  # the custom ops' functions, by those names
        self.assigned: set[Value] = set()  # the gradients written so far
        order: list[Value] = []
        seen: set[Value] = set()
        for out in outputs:
            for node in topological_order(out):
                if node not in seen:
                    seen.add(node)
                    order.append(node)
        interior = [node for node in order if node.rule is not None]
        for k, node in enumerate(interior):
            self.names[node] = f"t{k}"
        # Nodes that need a gradient: the wrt inputs and anything computed from them.
        active: set[Value] = set(inputs[:n_wrt])
        for node in interior:
            if any(type(a) is not float and a in active for a in node.operands):
                active.add(node)
        params = ", ".join(f"x{i}" for i in range(len(inputs)))
        forward = [self._forward_line(node) for node in interior]
        results = _tuple([self._operand(out) for out in outputs])
        seeds = ", ".join(f"s{k}" for k in range(len(outputs)))
        objective = " + ".join(f"s{k} * {self._operand(out)}" for k, out in enumerate(outputs))
        lines = [
            f"def forward({params}):",
            *forward,
            f"    return {results}",
            "",
            "",
            f"def backward({', '.join(p for p in (params, seeds) if p)}):",
            *forward,
            f"    # backward: g_v is d({objective})/dv; nodes in reverse order, each adding",
            "    # its gradient times its local partials into its inputs' gradients",
            *self._backward_lines(outputs, interior, active),
            f"    return {results}, {self._grads(inputs[:n_wrt])}",
        ]
        self.source = "\n".join(lines) + "\n"

    def _operand(self, a: Value | float) -> str:
        if type(a) is float:
            return _literal(a)
        name = self.names.get(a)  # type: ignore[arg-type]
        return _literal(a.data) if name is None else name  # type: ignore[union-attr]

    def _function(self, rule: Rule) -> str:
        """The namespace name of a row's forward (its vjp adds ``vjp``); custom ops are numbered."""
        if rule.name in BUILT_IN_OPS:
            return f"{rule.name}_"
        if rule not in self.custom:
            name = f"op{len(self.custom)}_"
            self.custom[rule] = name
            self.bindings[name], self.bindings[name + "vjp"] = rule.forward, rule.vjp
        return self.custom[rule]

    def _comment(self, rule: Rule) -> str:
        if rule.name in BUILT_IN_OPS or rule.name.isidentifier():
            return rule.name
        return "a custom op"

    def _forward_line(self, node: Value) -> str:
        rule: Rule = node.rule  # type: ignore[assignment]
        args = [self._operand(a) for a in node.operands]
        if rule.code is not None:
            expression = rule.code(*args)
        else:
            expression = f"{self._function(rule)}({', '.join(args)})"
        return f"    {self.names[node]} = {expression}  # {self._comment(rule)}"

    def _backward_lines(
        self, outputs: Sequence[Value], interior: list[Value], active: set[Value]
    ) -> list[str]:
        lines: list[str] = []
        assigned = self.assigned
        for k, out in enumerate(outputs):
            if out in active:
                grad = f"g_{self.names[out]}"
                lines.append(f"    {grad} {'+=' if out in assigned else '='} s{k}")
                assigned.add(out)
        for node in reversed(interior):
            if node not in assigned:
                continue  # no path to an output: its gradient is zero
            lines += self._node_backward(node, active, assigned)
        return lines

    def _node_backward(self, node: Value, active: set[Value], assigned: set[Value]) -> list[str]:
        rule: Rule = node.rule  # type: ignore[assignment]
        name = self.names[node]
        g = f"g_{name}"
        args = [self._operand(a) for a in node.operands]
        if rule.code_vjp is not None:
            contributions = list(rule.code_vjp(g, *args, name))
            setup = []
        else:  # call the row's vjp
            contributions = [f"d_{name}[{i}]" for i in range(len(args))]
            setup = [f"d_{name} = {self._function(rule)}vjp({', '.join([g, *args, name])})"]
        guarded = not rule.finite
        pre: list[str] = []
        body: list[str] = []
        for a, c in zip(node.operands, contributions):
            if type(a) is float or a not in active:
                continue
            target = f"g_{self.names[a]}"
            if guarded and a not in assigned:
                pre.append(f"    {target} = 0.0")
                assigned.add(a)
            first = a not in assigned
            assigned.add(a)
            if c == f"-{g}":
                body.append(f"{target} = -{g}" if first else f"{target} -= {g}")
            else:
                body.append(f"{target} {'=' if first else '+='} {c}")
        if not body:
            return []
        comment = f"    # {name}: {self._comment(rule)}"
        if not guarded:
            return [comment, *(f"    {line}" for line in [*setup, *body])]
        # Skipping a zero gradient keeps 0 * inf from turning into NaN, as backward() does.
        inner = [*setup, *body]
        return [comment, *pre, f"    if {g}:", *(f"        {line}" for line in inner)]

    def _grads(self, wrt: Sequence[Value]) -> str:
        """The gradients as a tuple display; 0.0 for an input no output depends on."""
        return _tuple([f"g_{self.names[x]}" if x in self.assigned else "0.0" for x in wrt])


def _tuple(items: list[str]) -> str:
    """A tuple display of ``items``: ``()``, ``(a,)`` or ``(a, b)``."""
    if len(items) == 1:
        return f"({items[0]},)"
    return f"({', '.join(items)})"


# --- the public face: compile(f) ---------------------------------------------------


_FLOAT = {float}


class Compiled:
    """A function compiled by :func:`compile`: call it, or ask for its gradient.

    It traces ``f`` on the first call with a given number of arguments and keeps
    one :class:`Program` per number of arguments.
    """

    def __init__(self, f: Callable[..., Any]) -> None:
        if not callable(f):
            raise TypeError(f"compile() expects a callable, got {type(f).__name__}")
        self.f = f
        self.programs: dict[int, Program] = {}
        self._latest: Program | None = None
        self.__name__ = getattr(f, "__name__", type(f).__name__)
        self.__doc__ = getattr(f, "__doc__", None)

    def __repr__(self) -> str:
        return f"<compiled {self.__name__}>"

    def _program(self, xs: tuple[Any, ...]) -> tuple[Program, tuple[float, ...]]:
        program = self.programs.get(len(xs))
        if program is not None and set(map(type, xs)) <= _FLOAT:  # the common case, in C
            self._latest = program
            return program, xs
        numbers = []
        for index, x in enumerate(xs):
            number = as_number(x)
            if number is None:
                raise TypeError(
                    number_type_message(f"compiled {self.__name__}() argument {index}", x)
                )
            numbers.append(number)
        program = self.programs.get(len(numbers))
        if program is None:
            program = self._trace(numbers)
            self.programs[len(numbers)] = program
        self._latest = program
        return program, tuple(numbers)

    def _trace(self, numbers: list[float]) -> Program:
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

    def __call__(self, *xs: float) -> float:
        """``f(*xs)`` as a float, from the compiled forward pass."""
        program, numbers = self._program(xs)
        return program.forward(*numbers)[0]

    def value_and_grad(self, *xs: float) -> tuple[float, tuple[float, ...]]:
        """``(f(*xs), (df/dx_0, df/dx_1, ...))``: the value and one partial per argument."""
        program, numbers = self._program(xs)
        values, grads = program.backward(*numbers, 1.0)
        return values[0], grads

    def grad(self, *xs: float) -> tuple[float, ...]:
        """``(df/dx_0, df/dx_1, ...)``: one partial per argument."""
        return self.value_and_grad(*xs)[1]

    @property
    def source(self) -> str:
        """The generated code of the latest call's trace: ``forward``, then ``backward``."""
        if self._latest is None:
            raise RuntimeError(f"compile({self.__name__}) has not been traced yet: call it first")
        return self._latest.source


def compile(f: Callable[..., Any]) -> Compiled:  # shadows the builtin on purpose
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

    Not exported by ``from autograd import *``, since it would shadow ``compile``.

    Args:
        f: a function of positional number arguments returning a Value (or a number).

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
    return Compiled(f)
