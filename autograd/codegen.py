"""Code generation: a recorded graph as Python source, on floats or on NumPy arrays.

A :class:`Program` turns the graph of some output Values into two functions, one
line per node: ``forward``, and ``backward``, which runs the forward lines and then
the reverse sweep. Everything the code knows about an op comes from its row of
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

**Batched programs.** Inputs named as *per sample* hold a NumPy array with one
number per sample; the others are *shared* numbers (a model's parameters). A
pass over the graph marks every node computed from a per-sample input as per
sample; its line runs the row's :class:`~autograd.rules.ArrayForm` (``t5 =
exp_array(t3)``), or the row's float functions sample by sample where a row has
none. Shared nodes keep their float lines. Where a per-sample node passes
gradient to a shared one, the per-sample contributions are added up by one
reduction (``g_x0 += add_samples(x3 * g_t2)``). Per-sample lines are not guarded for
a zero gradient: the caller reruns the float program sample by sample when a
NaN shows that one of them needed the guard.

**Layers as matrix products.** In a batched program, ``dot`` nodes that multiply
shared inputs (weights) with the same per-sample values (a layer's neurons, fed
the same inputs) are computed together: their per-sample operands are stacked
once into a k x N array ``S`` and the weights into an m x k matrix ``W``, the
forward is ``W @ S`` and the backward ``G @ S.T`` for the weights and ``W.T @ G``
for the inputs, which NumPy hands to BLAS. A one-input op applied to every row
of such a matrix (a layer's activations) runs once on the whole matrix, and the
next layer multiplies that matrix directly: a network's layers become a few
matrix operations, as in PyTorch. A matrix product adds the terms of each sum in
its own order, so these results may differ from the float program's in the last
bits, like NumPy's ``exp``.

**Checked programs** (``anomaly=True``, what ``detect_anomaly`` runs) test every
forward value and every gradient contribution for NaN and inf, and raise
``FloatingPointError`` naming the op, as the dynamic engine does.

Only the op table's code goes into the source: labels and other strings never
do, and a custom op's name appears in a comment only when it is an identifier.
"""

from __future__ import annotations

import builtins
import functools
import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from .graph import topological_order
from .rules import BUILT_IN_OPS, RULES, Rule
from .value import Value

__all__ = ["Program"]


class Program:
    """A recorded graph as generated Python: a forward function and a backward one.

    ``outputs`` are Values computed from ``inputs`` (leaves). Leaves that are not
    inputs are constants: their current ``data`` is written into the code.
    Gradients are taken with respect to the first ``n_wrt`` inputs.

    The generated functions take one number (or, for a per-sample input, one array)
    per input:

    * ``forward(*xs)`` returns the tuple of outputs;
    * ``backward(*xs, *seeds)`` returns ``(outputs, grads)``: the outputs and
      ``sum_k seeds[k] * d outputs[k] / d input_i`` for each of the first ``n_wrt``
      inputs (a vector-Jacobian product; one output with seed 1.0 is the gradient).

    In a batched program an output computed from a per-sample input is an array,
    its seed must be an array, and so is the gradient of a per-sample input; a
    shared input's gradient is the sum over the samples.

    Args:
        outputs: the Values to compute.
        inputs: distinct leaf Values standing for the arguments, in order.
        n_wrt: how many of the inputs (from the first) to differentiate; all by default.
        batched: the positions of the per-sample inputs (needs NumPy).
        anomaly: check every value and gradient for NaN and inf.

    Raises:
        TypeError: if an output or input is not a Value.
        ValueError: if the inputs are not distinct leaves, or ``n_wrt`` or a
            batched position is out of range.

    Examples:
        >>> from autograd import Value
        >>> x, y = Value(2.0), Value(3.0)
        >>> program = Program([x * y + x], [x, y])
        >>> program.forward(4.0, 5.0), program.backward(4.0, 5.0, 1.0)
        ((24.0,), ((24.0,), (6.0, 4.0)))
    """

    def __init__(
        self,
        outputs: Sequence[Value],
        inputs: Sequence[Value],
        n_wrt: int | None = None,
        *,
        batched: Sequence[int] = (),
        anomaly: bool = False,
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
        if any(not 0 <= i < self.n_inputs for i in batched):
            raise ValueError(f"Program batched positions must be in [0, {self.n_inputs})")
        self.batched = frozenset(batched)
        #: The traced graph, kept to generate the program's other variants from.
        self.graph = (tuple(outputs), tuple(inputs))
        writer = _Writer(outputs, inputs, self.n_wrt, self.batched, anomaly)
        self.source = writer.source
        #: For each output, whether it holds one number per sample (batched programs).
        self.per_sample_outputs = tuple(out in writer.per_sample for out in outputs)
        namespace = _namespace(writer, numpy=_numpy() if self.batched else None)
        exec(builtins.compile(self.source, "<autograd.compile>", "exec"), namespace)
        # Popped, not read: a function held by its own globals is a reference cycle, and
        # the program would outlive its last user until the cycle collector ran.
        self.forward: Callable[..., tuple[Any, ...]] = namespace.pop("forward")
        self.backward: Callable[..., tuple[tuple[Any, ...], tuple[Any, ...]]] = namespace.pop(
            "backward"
        )
        self._variants: dict[object, Program] = {}

    def checked(self) -> Program:
        """The same program with every value and gradient checked for NaN and inf (made once)."""
        return self._variant("checked", anomaly=True)

    def batched_on(self, positions: Sequence[int]) -> Program:
        """The same program with the inputs at ``positions`` per sample, on arrays (made once)."""
        return self._variant(tuple(sorted(positions)), batched=positions)

    def _variant(self, key: object, **options: Any) -> Program:
        variant = self._variants.get(key)
        if variant is None:
            outputs, inputs = self.graph
            variant = Program(outputs, inputs, self.n_wrt, **options)
            self._variants[key] = variant
        return variant


def _numpy() -> Any:
    """The numpy module; batched programs are its only users, so it is imported here."""
    import numpy

    return numpy


# --- the namespace generated code runs in --------------------------------------------


def _base_namespace() -> dict[str, Any]:
    """The names every row's ``code`` and ``code_vjp`` may use: built-in forwards, inf, NaN."""
    namespace: dict[str, Any] = {"__builtins__": {}, "inf_": math.inf, "nan_": math.nan}
    namespace["sum"] = builtins.sum
    for op in BUILT_IN_OPS:  # code templates may call any built-in row's forward (cos_)
        namespace[f"{op}_"] = RULES[op].forward
        namespace[f"{op}_vjp"] = RULES[op].vjp
    return namespace


def _namespace(writer: _Writer, numpy: Any) -> dict[str, Any]:
    """The names a program's code uses: the rows' functions, inf, NaN, and the checks."""
    namespace = _base_namespace()
    if numpy is not None:
        # NumPy imports some of its own modules on first use (matmul, reductions), which
        # looks __import__ up in the calling code's builtins: the only builtin given.
        namespace["__builtins__"] = {"__import__": builtins.__import__}
        namespace["add_samples"] = numpy.add.reduce  # one reduction over the samples
        namespace["stack_"], namespace["array_"] = numpy.stack, numpy.array
        namespace["zeros_like_"] = numpy.zeros_like
    for prefix, rule in writer.functions.items():
        namespace[prefix], namespace[prefix + "vjp"] = rule.forward, rule.vjp
        if numpy is None:
            continue
        form = rule.array
        if form is None:
            namespace[prefix + "each"] = _each(numpy, rule)
            namespace[prefix + "each_vjp"] = _each_vjp(numpy, rule)
            continue
        if form.forward is not None:
            namespace[prefix + "array"] = functools.partial(form.forward, numpy)
        if form.vjp is not None:
            namespace[prefix + "array_vjp"] = functools.partial(form.vjp, numpy)
    if writer.checks:
        namespace["check_value"] = functools.partial(_check_value, writer.checks)
        namespace["check_grad"] = functools.partial(_check_grad, writer.checks)
    return namespace


def _each(np: Any, rule: Rule) -> Callable[..., Any]:
    """A row's float forward applied sample by sample: for rows with no array form."""
    elementwise = np.frompyfunc(rule.forward, rule.arity or 1, 1)

    def forward(*inputs: Any) -> Any:
        try:
            return elementwise(*inputs).astype(np.float64)
        except (ValueError, ZeroDivisionError) as error:
            columns = np.broadcast_arrays(*inputs)
            for i in range(columns[0].shape[0]):  # find the first sample that fails
                try:
                    rule.forward(*(float(c[i]) for c in columns))
                except (ValueError, ZeroDivisionError) as first:
                    raise type(first)(f"{first} (sample {i})") from None
            raise error

    return forward


def _each_vjp(np: Any, rule: Rule) -> Callable[..., tuple[Any, ...]]:
    """A row's float vjp applied sample by sample: for rows with no array form."""
    n = rule.arity or 1
    # frompyfunc unpacks a tuple of results only when there are several of them.
    one = rule.vjp if n > 1 else (lambda *g_inputs_out: rule.vjp(*g_inputs_out)[0])
    elementwise = np.frompyfunc(one, n + 2, n)

    def vjp(*g_inputs_out: Any) -> tuple[Any, ...]:
        parts = elementwise(*g_inputs_out)
        parts = parts if n > 1 else (parts,)
        return tuple(np.asarray(p, dtype=object).astype(np.float64) for p in parts)

    return vjp


def _check_value(
    checks: list[tuple[str, int]], value: float, k: int, inputs: tuple[Any, ...]
) -> None:
    """Raise FloatingPointError if a forward value of a checked program is NaN or inf."""
    if not math.isfinite(value):
        raise FloatingPointError(
            f"detect_anomaly: {checks[k][0]} produced {value!r} from inputs {inputs!r} "
            "in compiled code"
        )


def _check_grad(checks: list[tuple[str, int]], contribution: float, k: int) -> None:
    """Raise FloatingPointError if a gradient contribution of a checked program is NaN or inf."""
    if not math.isfinite(contribution):
        op, index = checks[k]
        raise FloatingPointError(
            f"detect_anomaly: backward of {op} gave {contribution!r} for its input {index} "
            "in compiled code"
        )


# --- writing the source --------------------------------------------------------------


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


def _tuple(items: list[str]) -> str:
    """A tuple display of ``items``: ``()``, ``(a,)`` or ``(a, b)``."""
    if len(items) == 1:
        return f"({items[0]},)"
    return f"({', '.join(items)})"


class _Writer:
    """Writes the source of a :class:`Program`: names, forward lines, then the reverse sweep."""

    def __init__(
        self,
        outputs: Sequence[Value],
        inputs: Sequence[Value],
        n_wrt: int,
        batched: frozenset[int],
        anomaly: bool,
    ) -> None:
        self.names: dict[Value, str] = {x: f"x{i}" for i, x in enumerate(inputs)}
        self.functions: dict[str, Rule] = {}  # namespace prefix -> the row it calls
        self.custom = 0  # custom ops named so far
        self.assigned: set[Value] = set()  # the gradients written so far
        # Per-sample gradients held in an array of their own (not one shared with another
        # name, as g_t1 = g_t2 makes): those may be added to in place.
        self.owned: set[Value] = set()
        self.matrix_grads: set[int] = set()  # groups whose rows have a gradient matrix GM{k}
        self.anomaly = anomaly
        self.checks: list[tuple[str, int]] = []  # per anomaly check: (op, input index)
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
        # Per-sample nodes: the per-sample inputs and everything computed from them.
        self.per_sample: set[Value] = {inputs[i] for i in batched}
        # Nodes that need a gradient: the wrt inputs and anything computed from them.
        active: set[Value] = set(inputs[:n_wrt])
        for node in interior:
            operands = [a for a in node.operands if type(a) is not float]
            if any(a in self.per_sample for a in operands):
                self.per_sample.add(node)
            if any(a in active for a in operands):
                active.add(node)
        shared_inputs = {x for i, x in enumerate(inputs) if i not in batched}
        self.groups = _groups(interior, self.per_sample, shared_inputs) if batched else {}
        # Each group is computed at its first member and differentiated there, last in
        # the reverse sweep, when every member's gradient is complete.
        self.firsts: set[Value] = set()
        seen_groups: set[int] = set()
        for node in interior:
            group = self.groups.get(node)
            if group is not None and group.key not in seen_groups:
                seen_groups.add(group.key)
                self.firsts.add(node)
        params = ", ".join(f"x{i}" for i in range(len(inputs)))
        forward = [line for node in interior for line in self._forward_lines(node)]
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
        """The namespace prefix of a row's functions (``exp_``); custom ops are numbered."""
        for prefix, known in self.functions.items():
            if known is rule:
                return prefix
        if rule.name in BUILT_IN_OPS:
            prefix = f"{rule.name}_"
        else:
            prefix = f"op{self.custom}_"
            self.custom += 1
        self.functions[prefix] = rule
        return prefix

    def _comment(self, rule: Rule) -> str:
        if rule.name in BUILT_IN_OPS or rule.name.isidentifier():
            return rule.name
        return "a custom op"

    def _forward_lines(self, node: Value) -> list[str]:
        group = self.groups.get(node)
        if group is not None:
            return self._group_forward(group) if node in self.firsts else []
        rule: Rule = node.rule  # type: ignore[assignment]
        args = [self._operand(a) for a in node.operands]
        prefix = self._function(rule)
        form = rule.array
        if node not in self.per_sample:
            if rule.code is not None:
                expression = rule.code(*args)
            else:
                expression = f"{prefix}({', '.join(args)})"
        elif form is None:  # sample by sample, through the row's float function
            expression = f"{prefix}each({', '.join(args)})"
        elif form.forward is None:  # the row's code works on arrays as written
            expression = rule.code(*args)  # type: ignore[misc]
        else:
            expression = f"{prefix}array({', '.join(args)})"
        name = self.names[node]
        lines = [f"    {name} = {expression}  # {self._comment(rule)}"]
        if self.anomaly:
            self.checks.append((rule.name, 0))
            lines.append(f"    check_value({name}, {len(self.checks) - 1}, {_tuple(args)})")
        return lines

    def _backward_lines(
        self, outputs: Sequence[Value], interior: list[Value], active: set[Value]
    ) -> list[str]:
        lines: list[str] = []
        assigned = self.assigned
        for k, out in enumerate(outputs):
            if out in active:
                grad = f"g_{self.names[out]}"
                seed = f"{grad} + s{k}" if out in assigned else f"s{k}"  # not +=: see below
                lines.append(f"    {grad} = {seed}")
                assigned.add(out)
        for node in reversed(interior):
            group = self.groups.get(node)
            if group is None:
                reached = node in assigned
            else:  # the rows' gradients may come as a matrix (GM{k}) or row by row
                reached = group.key in self.matrix_grads or any(
                    m in assigned for m in group.members
                )
            if not reached:
                continue  # no path to an output: its gradient is zero
            lines += self._node_backward(node, active, assigned)
        return lines

    def _contributions(self, node: Value, g: str, args: list[str]) -> tuple[list[str], list[str]]:
        """Each input's share of the gradient as source, and the lines computing them first."""
        rule: Rule = node.rule  # type: ignore[assignment]
        name = self.names[node]
        prefix = self._function(rule)
        form = rule.array
        if node not in self.per_sample:
            code_vjp, call = rule.code_vjp, f"{prefix}vjp"
        elif form is None:
            code_vjp, call = None, f"{prefix}each_vjp"
        elif form.vjp is None:  # the row's code_vjp (or vjp) works on arrays as written
            code_vjp, call = rule.code_vjp, f"{prefix}vjp"
        else:
            code_vjp, call = None, f"{prefix}array_vjp"
        if code_vjp is not None:
            return list(code_vjp(g, *args, name)), []
        setup = f"d_{name} = {call}({', '.join([g, *args, name])})"
        return [f"d_{name}[{i}]" for i in range(len(args))], [setup]

    def _node_backward(self, node: Value, active: set[Value], assigned: set[Value]) -> list[str]:
        group = self.groups.get(node)
        if group is not None:
            # The first member comes last in reverse: every member's gradient is complete.
            return self._group_backward(group, active) if node in self.firsts else []
        rule: Rule = node.rule  # type: ignore[assignment]
        name = self.names[node]
        g = f"g_{name}"
        args = [self._operand(a) for a in node.operands]
        contributions, setup = self._contributions(node, g, args)
        per_sample = node in self.per_sample
        # A per-sample node is never guarded: see "Batched programs" above.
        guarded = not rule.finite and not per_sample
        pre: list[str] = []
        body: list[str] = []
        for index, (a, c) in enumerate(zip(node.operands, contributions)):
            if type(a) is float or a not in active:
                continue
            if per_sample and a not in self.per_sample:
                c = f"add_samples({c})"  # a shared input: add up the samples' contributions
            if guarded and a not in assigned:
                pre.append(f"    g_{self.names[a]} = 0.0")
                assigned.add(a)
            if self.anomaly:
                self.checks.append((rule.name, index))
                body.append(f"c_ = {c}")
                body.append(f"check_grad(c_, {len(self.checks) - 1})")
                c = "c_"
            body.append(self._add(a, c, fresh=c != g and not c.startswith("d_")))
        if not body:
            return []
        comment = f"    # {name}: {self._comment(rule)}"
        if not guarded:
            return [comment, *(f"    {line}" for line in [*setup, *body])]
        # Skipping a zero gradient keeps 0 * inf from turning into NaN, as backward() does.
        inner = [*setup, *body]
        return [comment, *pre, f"    if {g}:", *(f"        {line}" for line in inner)]

    def _add(self, a: Value, c: str, *, fresh: bool) -> str:
        """The line adding the contribution ``c`` into ``a``'s gradient (the first sets it).

        ``fresh`` says ``c`` makes an array of its own (an expression, not a name).
        """
        target = f"g_{self.names[a]}"
        first = a not in self.assigned
        self.assigned.add(a)
        if first:
            if a in self.per_sample and fresh:
                self.owned.add(a)
            return f"{target} = {c}"
        if a in self.per_sample and a not in self.owned:
            # Not +=: this array may be shared by several names (g_t3 = g_t4), and +=
            # would change it under all of them. The sum is a new array of its own.
            self.owned.add(a)
            return f"{target} = {target} + {c}"
        if c.startswith("-g_") and c[1:].isidentifier():
            return f"{target} -= {c[1:]}"
        return f"{target} += {c}"

    def _group_forward(self, group: _Group) -> list[str]:
        """A group's rows as one matrix ``Z{k}``: a layer of dots, or an op on every row."""
        k = group.key
        names = ", ".join(self.names[m] for m in group.members)
        if group.rule.name != "dot":  # an element-wise op on every row of its source's matrix
            source = f"Z{group.source.key}"  # type: ignore[union-attr]
            form = group.rule.array
            if form is not None and form.forward is not None:
                expression = f"{self._function(group.rule)}array({source})"
            else:
                expression = group.rule.code(source)  # type: ignore[misc]
            lines = [
                f"    # {names}: {group.rule.name}, on every row at once",
                f"    Z{k} = {expression}",
            ]
        else:
            if group.source is not None:  # the inputs are the rows of a matrix already
                stacked = f"Z{group.source.key}"
            else:
                stacked = f"stack_({_tuple([self._operand(a) for a in group.inputs])})"
            rows = [_tuple([self._operand(w) for w in ws]) for ws in group.weights]
            lines = [
                f"    # {names}: dot, as one matrix product",
                f"    S{k} = {stacked}",
                f"    W{k} = array_({_tuple(rows)})",
                f"    Z{k} = W{k} @ S{k}",
            ]
            if group.constants:
                rows = [_tuple([self._operand(w) for w in ws]) for ws in group.constant_weights]
                constants = _tuple([_literal(c) for c in group.constants])
                lines.append(f"    Z{k} += (array_({_tuple(rows)}) @ array_({constants}))[:, None]")
        lines += [f"    {self.names[m]} = Z{k}[{j}]" for j, m in enumerate(group.members)]
        return lines

    def _group_backward(self, group: _Group, active: set[Value]) -> list[str]:
        """A group's backward on matrices: the gradients of its rows stacked into ``G{k}``."""
        k = group.key
        lines = [
            f"    # {', '.join(self.names[m] for m in group.members)}: {group.rule.name}, rows"
        ]
        rows = [m in self.assigned for m in group.members]
        stacked = ""
        if any(rows):
            grads = [
                f"g_{self.names[m]}" if row else f"zeros_like_(Z{k}[0])"
                for m, row in zip(group.members, rows)
            ]
            stacked = f"stack_({_tuple(grads)})"
        matrix = k in self.matrix_grads
        if matrix and stacked:
            lines.append(f"    G{k} = GM{k} + {stacked}")
        else:
            lines.append(f"    G{k} = {f'GM{k}' if matrix else stacked}")
        if group.rule.name != "dot":
            source = group.source
            assert source is not None
            form = group.rule.array
            if form is not None and form.vjp is not None:
                call = f"{self._function(group.rule)}array_vjp(G{k}, Z{source.key}, Z{k})"
                contribution = f"{call}[0]"
            else:
                (contribution,) = group.rule.code_vjp(f"G{k}", f"Z{source.key}", f"Z{k}")  # type: ignore[misc]
            return [*lines, self._add_matrix(source, contribution)]
        weights = [(j, i, w) for j, ws in enumerate(group.weights) for i, w in enumerate(ws)]
        if any(type(w) is not float and w in active for _, _, w in weights):
            lines.append(f"    GW{k} = G{k} @ S{k}.T")
            for j, i, w in weights:
                if type(w) is not float and w in active:
                    lines.append(f"    {self._add(w, f'GW{k}[{j}, {i}]', fresh=False)}")
        constant_weights = [
            (j, i, w) for j, ws in enumerate(group.constant_weights) for i, w in enumerate(ws)
        ]
        if any(type(w) is not float and w in active for _, _, w in constant_weights):
            lines.append(f"    GB{k} = G{k}.sum(axis=1)")
            for j, i, w in constant_weights:
                if type(w) is not float and w in active:
                    term = f"{_literal(group.constants[i])} * GB{k}[{j}]"
                    lines.append(f"    {self._add(w, term, fresh=False)}")
        if any(a in active for a in group.inputs):
            if group.source is not None:
                lines.append(self._add_matrix(group.source, f"W{k}.T @ G{k}"))
            else:
                lines.append(f"    GS{k} = W{k}.T @ G{k}")
                for i, a in enumerate(group.inputs):
                    if a in active:
                        lines.append(f"    {self._add(a, f'GS{k}[{i}]', fresh=True)}")
        return lines

    def _add_matrix(self, group: _Group, contribution: str) -> str:
        """The line adding a matrix of gradients into the rows of ``group``."""
        k = group.key
        if k in self.matrix_grads:
            return f"    GM{k} = GM{k} + {contribution}"
        self.matrix_grads.add(k)
        return f"    GM{k} = {contribution}"

    def _grads(self, wrt: Sequence[Value]) -> str:
        """The gradients as a tuple display; 0.0 for an input no output depends on."""
        return _tuple([f"g_{self.names[x]}" if x in self.assigned else "0.0" for x in wrt])


class _Group(NamedTuple):
    """Nodes of a batched program computed together as the rows of one matrix ``Z{key}``.

    Either a layer of ``dot`` nodes, each ``dot(weights_j + constant_weights_j,
    inputs + constants)`` (or with the halves the other way round): the same
    per-sample ``inputs`` and ``constants``, each member its own shared weights; or
    one op of one input (``rule``) applied to every row of the group ``source``, in
    order. A dot layer whose inputs are the rows of a group, in any order, has that
    group as its ``source`` too, and multiplies its matrix without stacking the rows
    again (its weights are taken in the order of those rows).
    """

    key: int
    rule: Rule
    members: list[Value]
    source: _Group | None = None
    inputs: list[Any] = []  # noqa: RUF012 - NamedTuple defaults are never mutated here
    constants: list[Any] = []  # noqa: RUF012
    weights: list[list[Any]] = []  # noqa: RUF012
    constant_weights: list[list[Any]] = []  # noqa: RUF012


def _groups(
    interior: list[Value], per_sample: set[Value], shared_inputs: set[Value]
) -> dict[Value, _Group]:
    """The per-sample nodes of a batched program that are computed as rows of matrices.

    First the dot layers (per-sample dot nodes of shared inputs times per-sample
    values, grouped by those values), then, repeatedly, any one-input op with an
    array form applied to every row of a group, row by row in order.
    """
    groups: dict[Value, _Group] = {}
    layers: dict[tuple[Any, ...], list[tuple[Value, list[Any], list[Any]]]] = {}
    for node in interior:
        if node not in per_sample or node.rule is None or node.rule.name != "dot":
            continue
        n = len(node.operands) // 2
        halves = node.operands[:n], node.operands[n:]
        for weights, values in (halves, halves[::-1]):
            # weights: shared inputs or constants; values: per-sample nodes or constants
            if not all(type(w) is float or w in shared_inputs for w in weights):
                continue
            if not all(type(v) is float or v in per_sample for v in values):
                continue
            key = tuple(v if type(v) is float else id(v) for v in values)
            layers.setdefault(key, []).append((node, list(weights), list(values)))
            break
    for entries in layers.values():
        first: list[Any] = entries[0][2]
        at_inputs = [i for i, v in enumerate(first) if type(v) is not float]
        at_constants = [i for i, v in enumerate(first) if type(v) is float]
        if not at_inputs:
            continue  # nothing per sample to stack
        group = _Group(
            len({g.key for g in groups.values()}),
            entries[0][0].rule,  # type: ignore[arg-type]
            [node for node, _, _ in entries],
            None,
            [first[i] for i in at_inputs],
            [first[i] for i in at_constants],
            [[ws[i] for i in at_inputs] for _, ws, _ in entries],
            [[ws[i] for i in at_constants] for _, ws, _ in entries],
        )
        for node in group.members:
            groups[node] = group
    while True:  # element-wise ops on every row of a group, then ops on those, ...
        candidates: dict[tuple[int, int], dict[int, Value]] = {}
        for node in interior:
            rule = node.rule
            if node in groups or rule is None or rule.arity != 1 or rule.array is None:
                continue
            source = groups.get(node.operands[0])  # type: ignore[arg-type]
            if source is None:
                continue
            row = source.members.index(node.operands[0])  # type: ignore[arg-type]
            candidates.setdefault((id(rule), source.key), {}).setdefault(row, node)
        made = False
        for rows in candidates.values():
            some = next(iter(rows.values()))
            source = groups[some.operands[0]]  # type: ignore[index]
            if sorted(rows) != list(range(len(source.members))):
                continue  # not every row: leave these nodes to themselves
            number = len({g.key for g in groups.values()})
            members = [rows[j] for j in range(len(rows))]
            group = _Group(number, some.rule, members, source)  # type: ignore[arg-type]
            for node in group.members:
                groups[node] = group
            made = True
        if not made:
            break
    for node in list(groups):  # a dot layer fed every row of a group uses its matrix
        group = groups[node]
        if group.rule.name != "dot" or group.source is not None:
            continue
        source = groups.get(group.inputs[0])
        if source is None or len(set(group.inputs)) != len(group.inputs):
            continue
        if set(source.members) != set(group.inputs) or len(source.members) != len(group.inputs):
            continue
        # The rows may come in another order: take the weights in the rows' order instead.
        order = [group.inputs.index(m) for m in source.members]
        linked = group._replace(
            source=source,
            inputs=list(source.members),
            weights=[[ws[i] for i in order] for ws in group.weights],
        )
        for member in group.members:
            groups[member] = linked
    return groups
