"""``Value``: a float that remembers how it was computed, and its operators."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any, TypeAlias

from . import checks, graph, mode
from .rules import RULES, Rule

__all__ = ["Scalar", "Value", "scope_of"]


def _unary_method(name: str) -> Callable[[Value], Value]:
    """``Value.<name>()``: the node of the one-input primitive ``name``, documented by its row."""
    rule = RULES[name]

    def method(self: Value) -> Value:
        return unary(rule, self)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = rule.doc
    return method


def _binary_method(name: str) -> Callable[[Value, Scalar], Value]:
    """``Value.<name>(other)``: the node of the two-input primitive ``name``, ``self`` first."""
    rule = RULES[name]

    def method(self: Value, other: Scalar) -> Value:
        operand = as_operand(other)
        if operand is None:
            operand = to_operand(f"Value.{name}", "other", other)  # raises, naming what is wrong
        return binary(rule, self, operand)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = rule.doc
    return method


class Value:
    """A scalar node of a computation graph.

    A Value holds a number (``data``), the gradient that ``backward()`` computes
    for it (``grad``), and how it was made: the name of the operation (``op``,
    ``""`` for a leaf) and the Values it was computed from (``parents``).

    Arithmetic with Values or real numbers on either side builds new Values:
    ``+ - * / **``, unary ``-`` and ``+``, ``abs()``; as does every method named
    after a primitive of :data:`autograd.rules.RULES` (``exp log tanh relu
    maximum ...``). Comparisons ``< <= > >=`` compare ``data`` and return a bool;
    ``==`` is identity and Values hash by identity, so they can be dictionary keys.

    The node interface, which the engine's own modules (graph, compiler, drawings)
    read instead of private attributes: ``rule``, the row of ``RULES`` that made the
    node (None for a leaf); ``operands``, its inputs in order, Values and plain
    floats for constants such as the 2 in ``x * 2``; ``saved``, the inputs' numbers
    at the forward pass, which derivatives use so that editing a leaf's ``data``
    later does not change them; and ``mark``, scratch space for graph traversals.
    ``operands`` and ``saved`` are read from four fields, which the graph sweeps read
    directly: ``x`` and ``y``, the first and second operand (``y`` is None for a
    one-input op), and ``a`` and ``b``, their numbers (as the rows name them). A node
    of an n-input op (``sum``, ``max``, a custom op of three or more inputs) keeps the
    tuples ``operands`` in ``x`` and ``saved`` in ``a``, and None in ``y`` and ``b``;
    a ``dot`` node keeps its two vectors apart, ``xs`` in ``x`` and ``ys`` in ``y``,
    their numbers in ``a`` and ``b``. A leaf has None in all four.

    Args:
        data: a real number (int, float, ``numbers.Real``, NumPy scalars); it is
            stored as a Python float. bool, complex, str, None, containers and
            Values are rejected with ``TypeError``, an int too large for a float
            with ``ValueError``.
        label: an optional name, shown by ``repr`` and in drawings.

    Examples:
        >>> x = Value(2.0, label="x")
        >>> y = x * x + 3 * x
        >>> y.backward()
        >>> y.data, x.grad
        (10.0, 7.0)
    """

    # No per-node closures and no __dict__: a node is these slots and nothing else.
    # mark is the token of the last topological sort that reached the node: marking
    # nodes instead of keeping a set of them keeps the sort's cost per node flat
    # (268 -> 136 ns per node on a 1e6-node chain, where the set falls out of cache).
    # Nodes leave _label empty (see label): the cyclic GC visits every filled slot of
    # every node in each collection, and one slot fewer is ~1% of a tiny GPT's step.
    # Operands and their numbers live in slots x, y, a, b, not in two tuples per node:
    # one object per node for the cyclic GC to count and visit instead of three. The
    # tiny GPT's step (GC on) goes from 61 to 35 ms, a 1e6-node chain's forward pass
    # from 1578 to 1059 ns per node (GC on), and a node from 232 to 136 bytes.
    __slots__ = ("__weakref__", "_label", "a", "b", "data", "grad", "mark", "rule", "x", "y")

    # Make NumPy hand mixed arithmetic (np.float64(2) * x) to our reflected operators.
    __array_ufunc__ = None

    data: float
    grad: float
    rule: Rule | None
    # See the class docstring: x and a hold a tuple for an n-input op (y and b too for a
    # dot), else one item.
    x: Any  # Value | float | tuple[Value | float, ...] | None
    y: Any  # Value | float | tuple[Value | float, ...] (a dot's) | None
    a: Any  # float | tuple[float, ...] | None
    b: Any  # float | tuple[float, ...] (a dot's) | None
    mark: object

    def __init__(self, data: float, label: str = "") -> None:
        number = as_number(data)
        if number is None:
            number = to_number("Value", "data", data)
        if not isinstance(label, str):
            checks.instance("Value", "label", label, str, "a str")
        self.data = number
        self.grad = 0.0
        self.label = label
        self.rule = self.x = self.y = self.a = self.b = self.mark = None

    @property
    def label(self) -> str:
        """The Value's name (``""`` if it has none), shown by ``repr`` and in drawings."""
        try:
            return self._label
        except AttributeError:  # an empty slot: a node made by an operation
            return ""

    @label.setter
    def label(self, label: str) -> None:
        self._label = label

    @property
    def op(self) -> str:
        """The name of the operation that made this Value (``""`` for a leaf)."""
        rule = self.rule
        return "" if rule is None else rule.name

    @property
    def operands(self) -> tuple[Value | float, ...]:
        """The inputs in order, Values and constant floats (``()`` for a leaf)."""
        return _joined(self.x, self.y)

    @property
    def saved(self) -> tuple[float, ...]:
        """The inputs' numbers at the forward pass, one per operand (``()`` for a leaf)."""
        return _joined(self.a, self.b)

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in operand order (``()`` for a leaf)."""
        return tuple(a for a in self.operands if isinstance(a, Value))

    def backward(self, grad: float = 1.0) -> None:
        """Apply the chain rule from this Value to every Value it depends on.

        Visits the graph once, in reverse topological order, without recursion.
        Like PyTorch: gradients *accumulate* (``+=``) into leaves across calls,
        so call ``zero_grad()`` on your model or optimizer (or set
        ``x.grad = 0.0``, or None as in PyTorch) between steps; intermediate nodes' ``grad`` is
        recomputed from scratch on every call. A node whose gradient is exactly 0
        contributes exactly 0 to its parents, even where a local derivative is
        infinite (``sqrt`` at 0). A ``relu`` whose input was <= 0 passes back
        exactly 0, so backward() does not visit what only such relus lead to (a
        neuron that is off, a sample whose hinge loss is 0): those nodes keep the
        ``grad`` they had, which is 0.0 for a node made since the last backward(),
        and a leaf's None stays None.

        Args:
            grad: the gradient of the final objective with respect to this Value
                (the seed); 1.0 for a loss.

        Examples:
            >>> x = Value(3.0)
            >>> y = x * x
            >>> y.backward()
            >>> y.backward()
            >>> x.grad  # 6 + 6: leaves accumulate
            12.0
        """
        seed = as_number(grad)
        if seed is None:
            seed = to_number("Value.backward", "grad", grad)
        graph.backward(self, seed)

    # --- arithmetic; each reflected operator says which side is which ---------
    # An operand that is neither a Value nor a real number raises a TypeError
    # naming its type rather than returning NotImplemented: Python's fallbacks
    # would blame the Value instead ("can't multiply sequence by non-int of type
    # 'Value'" for x * "a").

    # add, sub and mul, the ops of every chain, loss and micrograd-style sum, skip the
    # generic path: they compute the row's forward (an operator) inline, and make the
    # node with record()'s four lines inline, which saves a Python call: a + b goes
    # from 248 to 216 ns per node (GC off, benchmarks/run.py's per-op rows). An int
    # operand (2 * x, and builtin sum()'s 0 + x) becomes a float inline too, without
    # _coerce's three calls: 0 + x goes from 470 to 290 ns. A node's fields are set at
    # most three to a line: Python assigns three or fewer without building a tuple, which
    # takes a + b from 189 to 172 ns and relu from 166 to 150 (the same for every op).
    # tests/test_rules.py::TestRowsAgree holds them equal to their rows.
    def __add__(self, other: Scalar) -> Value:
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        elif type(other) is int and -_HUGE < other < _HUGE:  # past it, float() overflows
            other = b = float(other)
        else:
            other, b = _coerce("+", self, other, reflected=False)
        a = self.data
        out = _new_value(Value)  # record(), inline
        out.data, out.grad, out.mark = a + b, 0.0, None
        out.rule, out.x, out.y = _ADD, self, other
        out.a, out.b = a, b
        return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)

    def __radd__(self, other: Scalar) -> Value:  # other + self
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        elif type(other) is int and -_HUGE < other < _HUGE:  # past it, float() overflows
            other = b = float(other)
        else:
            other, b = _coerce("+", self, other, reflected=True)
        a = self.data
        out = _new_value(Value)  # record(), inline
        out.data, out.grad, out.mark = b + a, 0.0, None
        out.rule, out.x, out.y = _ADD, other, self
        out.a, out.b = b, a
        return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)

    def __sub__(self, other: Scalar) -> Value:
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        elif type(other) is int and -_HUGE < other < _HUGE:  # past it, float() overflows
            other = b = float(other)
        else:
            other, b = _coerce("-", self, other, reflected=False)
        a = self.data
        out = _new_value(Value)  # record(), inline
        out.data, out.grad, out.mark = a - b, 0.0, None
        out.rule, out.x, out.y = _SUB, self, other
        out.a, out.b = a, b
        return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)

    def __rsub__(self, other: Scalar) -> Value:  # other - self
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        elif type(other) is int and -_HUGE < other < _HUGE:  # past it, float() overflows
            other = b = float(other)
        else:
            other, b = _coerce("-", self, other, reflected=True)
        a = self.data
        out = _new_value(Value)  # record(), inline
        out.data, out.grad, out.mark = b - a, 0.0, None
        out.rule, out.x, out.y = _SUB, other, self
        out.a, out.b = b, a
        return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)

    def __mul__(self, other: Scalar) -> Value:
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        elif type(other) is int and -_HUGE < other < _HUGE:  # past it, float() overflows
            other = b = float(other)
        else:
            other, b = _coerce("*", self, other, reflected=False)
        a = self.data
        out = _new_value(Value)  # record(), inline
        out.data, out.grad, out.mark = a * b, 0.0, None
        out.rule, out.x, out.y = _MUL, self, other
        out.a, out.b = a, b
        return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)

    def __rmul__(self, other: Scalar) -> Value:  # other * self
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        elif type(other) is int and -_HUGE < other < _HUGE:  # past it, float() overflows
            other = b = float(other)
        else:
            other, b = _coerce("*", self, other, reflected=True)
        a = self.data
        out = _new_value(Value)  # record(), inline
        out.data, out.grad, out.mark = b * a, 0.0, None
        out.rule, out.x, out.y = _MUL, other, self
        out.a, out.b = b, a
        return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)

    def __truediv__(self, other: Scalar) -> Value:
        operand = as_operand(other)
        if operand is None:
            raise _operand_error("/", self, other)
        return binary(_DIV, self, operand)

    def __rtruediv__(self, other: Scalar) -> Value:  # other / self
        operand = as_operand(other)
        if operand is None:
            raise _operand_error("/", other, self)
        return binary(_DIV, operand, self)

    def __pow__(self, other: Scalar, modulo: None = None) -> Value:
        # x ** 2 and x ** -0.5, micrograd-style code's powers, inline as mul: 506 -> 235 ns
        # per node, of which 40 come from converting an int by trying float() rather than
        # comparing it with _HUGE first. For a base > 0, math.pow (the row's forward) can
        # only overflow, which the row makes +inf; any other base takes the row's forward,
        # errors included.
        if type(other) is int and modulo is None:
            try:  # noqa: SIM105 - contextlib.suppress would cost a call per node
                other = float(other)
            except OverflowError:  # past float range: the generic path below says so
                pass
        if type(other) is float and modulo is None:
            a, b = self.data, other
            if a > 0.0:
                try:
                    data = _math_pow(a, b)
                except OverflowError:
                    data = _INF
            else:
                data = _POW.forward(a, b)
            out = _new_value(Value)  # record(), inline
            out.data, out.grad, out.mark = data, 0.0, None
            out.rule, out.x, out.y = _POW, self, b
            out.a, out.b = a, b
            return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)
        operand = as_operand(other)
        if operand is None:
            raise _operand_error("**", self, other)
        if modulo is not None:
            raise TypeError("pow() with a modulus is not supported for Values")
        return binary(_POW, self, operand)

    def __rpow__(self, other: Scalar) -> Value:  # other ** self
        operand = as_operand(other)
        if operand is None:
            raise _operand_error("**", other, self)
        return binary(_POW, operand, self)

    def __neg__(self) -> Value:
        return unary(_NEG, self)

    def __pos__(self) -> Value:
        return self  # +x is x itself, as for numbers: no node

    def __abs__(self) -> Value:
        return unary(_ABS, self)

    # --- the primitives as methods: each is its row's op, and shows its row's doc.
    # autograd.<name>, the module function, also takes plain numbers.

    # exp, log and relu, the other one-input ops of micrograd-style code, compute their
    # row's forward inline as the operators do: two Python frames instead of four, which
    # takes exp from 268 to 216 ns per node, log from 312 to 263, relu from 248 to 192.
    def exp(self) -> Value:  # noqa: D102 - the row's doc
        a = self.data
        try:
            out = _math_exp(a)
        except OverflowError:  # exp(710) and beyond: +inf, as the row
            out = _INF
        return _unary_node(_EXP, out, self, a)

    def log(self) -> Value:  # noqa: D102 - the row's doc
        a = self.data
        # x <= 0 raises the row's error; NaN takes the row's path and comes out NaN
        return _unary_node(_LOG, _math_log(a) if a > 0.0 else _LOG.forward(a), self, a)

    def relu(self) -> Value:  # noqa: D102 - the row's doc
        a = self.data
        return _unary_node(_RELU, 0.0 if a <= 0.0 else a, self, a)  # NaN passes through

    exp.__doc__, log.__doc__, relu.__doc__ = (RULES[n].doc for n in ("exp", "log", "relu"))
    expm1 = _unary_method("expm1")
    log1p = _unary_method("log1p")
    sqrt = _unary_method("sqrt")
    sin = _unary_method("sin")
    cos = _unary_method("cos")
    tan = _unary_method("tan")
    atan = _unary_method("atan")
    tanh = _unary_method("tanh")
    sigmoid = _unary_method("sigmoid")
    softplus = _unary_method("softplus")
    erf = _unary_method("erf")
    gelu = _unary_method("gelu")
    maximum = _binary_method("maximum")
    minimum = _binary_method("minimum")

    def leaky_relu(self, negative_slope: Scalar = 0.01) -> Value:  # noqa: D102 - the row's doc
        slope = to_operand("Value.leaky_relu", "negative_slope", negative_slope)
        return binary(_LEAKY_RELU, self, slope)

    leaky_relu.__doc__ = RULES["leaky_relu"].doc

    # --- comparisons and conversions: they read data and build nothing --------

    def __lt__(self, other: Scalar) -> bool:
        number = _number_of(other)
        return NotImplemented if number is None else self.data < number

    def __le__(self, other: Scalar) -> bool:
        number = _number_of(other)
        return NotImplemented if number is None else self.data <= number

    def __gt__(self, other: Scalar) -> bool:
        number = _number_of(other)
        return NotImplemented if number is None else self.data > number

    def __ge__(self, other: Scalar) -> bool:
        number = _number_of(other)
        return NotImplemented if number is None else self.data >= number

    def __bool__(self) -> bool:
        return self.data != 0.0

    def __float__(self) -> float:
        return self.data

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # --- PyTorch's spellings, for habits: each is one line over what is above ------

    def item(self) -> float:
        """The number this Value holds, ``data``, as ``torch.Tensor.item()`` returns it.

        Examples:
            >>> Value(2.5).item()
            2.5
        """
        return self.data

    def detach(self) -> Value:
        """A new leaf holding the same ``data``: gradients do not flow back through it.

        Unlike PyTorch's ``detach()``, which shares storage, the result is a copy:
        changing its ``data`` later leaves this Value as it is.

        Examples:
            >>> x = Value(3.0)
            >>> y = x.detach() * x
            >>> y.backward()
            >>> x.grad  # only the second factor's path: 3.0, not 6.0
            3.0
        """
        return Value(self.data)

    def abs(self) -> Value:
        """``abs(self)``: ``|x|``, with ``d/dx |x| = sign(x)`` (0 at 0).

        Examples:
            >>> Value(-2.0).abs().data
            2.0
        """
        return abs(self)

    def pow(self, exponent: Scalar) -> Value:
        """``self ** exponent``, as ``torch.Tensor.pow``.

        Args:
            exponent: a Value or a real number.

        Examples:
            >>> Value(3.0).pow(2).data
            9.0
        """
        return self**exponent


Scalar: TypeAlias = Value | float
"""An operand: a Value or a plain real number."""


def scope_of(node: Value) -> tuple[str, ...]:
    """The path of :class:`autograd.scope` names ``node`` was created in (``()`` if none was open).

    Args:
        node: a Value.

    Returns:
        The scope names, outermost first.

    Raises:
        TypeError: ``node`` is not a Value.
    """
    checks.instance("scope_of", "node", node, Value, "a Value")
    return mode.node_scopes.get(node, ())


# --- operand checking -----------------------------------------------------------


def as_number(x: object) -> float | None:
    """``x`` as a Python float if it is a real number a float can hold (bool excluded), else None.

    The fast test; :func:`to_number` raises the error that names what is wrong.
    """
    kind = type(x)
    if kind is float:
        return x  # type: ignore[return-value]
    try:
        if kind is int:
            return float(x)  # type: ignore[arg-type]
        if isinstance(x, numbers.Real) and not isinstance(x, bool):
            return float(x)
    except OverflowError:  # an int past float range: to_number says so
        pass
    return None


def as_operand(x: object) -> Value | float | None:
    """``x`` as an operand (a Value, or a constant float), or None if unsupported."""
    return x if isinstance(x, Value) else as_number(x)


def to_number(where: str, name: str, x: object) -> float:
    """``x`` as a float, or the error of :func:`autograd.checks.number` naming where and name.

    TypeError for what is not a real number (a Value gets a hint to use its ``data``),
    ValueError for an int too large for a float.
    """
    number = as_number(x)
    if number is not None:
        return number
    if isinstance(x, Value):
        raise TypeError(f"{where}: {name} must be a real number, got Value; use its .data")
    return checks.number(where, name, x)


def to_operand(where: str, name: str, x: object) -> Value | float:
    """``x`` as an operand (a Value or a float), or the error naming ``where`` and ``name``."""
    operand = as_operand(x)
    if operand is not None:
        return operand
    return checks.number(where, name, x, what="a Value or a real number")


def _coerce(
    symbol: str, value: Value, other: object, *, reflected: bool
) -> tuple[Value | float, float]:
    """The slow path of the inlined operators: ``other`` as (operand, number), or TypeError."""
    operand = as_operand(other)
    if operand is None:
        raise (
            _operand_error(symbol, other, value)
            if reflected
            else _operand_error(symbol, value, other)
        )
    return operand, operand.data if isinstance(operand, Value) else operand


def _number_of(x: object) -> float | None:
    """The number a Value holds, or a real number as a float, or None."""
    return x.data if isinstance(x, Value) else as_number(x)


def _operand_error(symbol: str, left: object, right: object) -> TypeError | ValueError:
    """The error for ``left <symbol> right`` where one side is not a float-sized real number."""
    for side in (left, right):
        if not isinstance(side, (Value, bool)) and isinstance(side, numbers.Real):
            return ValueError(
                f"{symbol}: the operand {checks.shown(side)} is too large for a float; "
                "a Value combines with real numbers within float range"
            )
    return TypeError(
        f"unsupported operand type(s) for {symbol}: {type(left).__name__!r} and "
        f"{type(right).__name__!r}; a Value combines with Values and real numbers only"
    )


# --- node creation: the hot path ----------------------------------------------

_new_value = object.__new__
_HUGE = 2**1023  # ints of smaller magnitude convert to float exactly enough; larger go the slow way
_current_mode = mode.current
_DEFAULT_MODE = mode.DEFAULT
# The rows that operators use, looked up once.
_ADD, _SUB, _MUL, _DIV, _POW = (RULES[op] for op in ("add", "sub", "mul", "div", "pow"))
_NEG, _ABS, _LEAKY_RELU = RULES["neg"], RULES["abs"], RULES["leaky_relu"]
_EXP, _LOG, _RELU, _DOT = (RULES[op] for op in ("exp", "log", "relu", "dot"))
_math_exp, _math_log, _math_pow, _INF = math.exp, math.log, math.pow, math.inf


Operands: TypeAlias = tuple[Value | float, ...]  # a node's inputs, Values and constants
Numbers: TypeAlias = tuple[float, ...]  # their numbers at the forward pass


def _joined(first: Any, second: Any) -> tuple[Any, ...]:
    """One tuple from a node's two fields, ``x y`` (operands) or ``a b`` (saved); see Value.

    A tuple in the first is an n-input node's (a dot's second vector is in the second
    field); otherwise the fields hold one item each, None where there is none.
    """
    if type(first) is tuple:
        return first if second is None else first + second
    if second is not None:
        return (first, second)
    return () if first is None else (first,)


def record(rule: Rule, data: float, operands: Operands, saved: Numbers) -> Value:
    """A new Value holding ``data``, made by ``rule`` from ``operands``.

    The one way nodes are made: operators, methods, ``autograd`` functions and custom
    ops all come here (the hottest operators repeat its lines inline, and one-input
    ops skip its tuples). ``saved`` are the operands' numbers, which derivatives use;
    both go into the node's fields ``x y a b`` (see :class:`Value`). Outside the default
    mode it also honours ``no_grad`` (the result is a leaf), ``scope``
    and ``detect_anomaly``.
    """
    if rule is _DOT:  # its two vectors apart
        n = len(operands) >> 1
        return record_dot(data, operands[:n], operands[n:], saved[:n], saved[n:])
    out: Value = _new_value(Value)
    # Three fields to a line (see Value.__add__), y and b None unless set below, the
    # arity read once: 138.4M -> 136.6M instructions per step of micrograd's demo.
    out.data, out.grad, out.mark = data, 0.0, None
    out.rule, out.y, out.b = rule, None, None
    if (arity := rule.arity) == 2:
        (out.x, out.y), (out.a, out.b) = operands, saved
    elif arity == 1:
        (out.x,), (out.a,) = operands, saved
    else:  # n inputs: the tuples themselves
        out.x, out.a = operands, saved
    return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)


def record_dot(data: float, xs: Operands, ys: Operands, a: Numbers, b: Numbers) -> Value:
    """``record(RULES["dot"], data, xs + ys, a + b)``, with the two vectors kept apart.

    A layer's neurons all read one input vector, so their dot nodes share one tuple
    of inputs (``ys``) and one of their numbers (``b``) instead of a copy each.
    """
    out: Value = _new_value(Value)
    out.data, out.grad, out.mark = data, 0.0, None
    out.rule, out.x, out.y = _DOT, xs, ys
    out.a, out.b = a, b
    return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)


def _unary_node(rule: Rule, data: float, x: Value, a: float) -> Value:
    """``record(rule, data, (x,), (a,))`` without the two tuples: one-input ops come here."""
    out: Value = _new_value(Value)
    out.data, out.grad, out.mark = data, 0.0, None
    out.rule, out.x, out.y = rule, x, None
    out.a, out.b = a, None
    return out if _current_mode() is _DEFAULT_MODE else _in_mode(out)


def _in_mode(out: Value) -> Value:
    """``out``, a node just made, as the recording mode in force wants it (see :func:`record`)."""
    current = _current_mode()
    name, data, saved = out.op, out.data, out.saved
    if not current.record:  # inside no_grad the result is a leaf
        out.rule = out.x = out.y = out.a = out.b = None
    elif current.scope:
        mode.node_scopes[out] = current.scope
    if current.anomaly:
        site = mode.user_site()
        if not math.isfinite(data):
            raise FloatingPointError(
                f"detect_anomaly: {name} produced {data!r} from inputs {saved!r} at {site}"
            )
        if current.record:
            mode.creation_sites[out] = site
    return out


def unary(rule: Rule, x: Value) -> Value:
    """The node ``rule(x)`` of a one-input primitive."""
    a = x.data
    return _unary_node(rule, rule.forward(a), x, a)


def binary(rule: Rule, x: Value | float, y: Value | float) -> Value:
    """The node ``rule(x, y)`` of a two-input primitive; either operand may be a constant."""
    a = x.data if isinstance(x, Value) else x
    b = y.data if isinstance(y, Value) else y
    return record(rule, rule.forward(a, b), (x, y), (a, b))
