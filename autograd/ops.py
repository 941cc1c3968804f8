"""The primitives as functions: ``autograd.exp(x)``, ``maximum(a, b)``, ``sum(xs)``.

Each function is its row of :data:`autograd.rules.RULES` and shows that row's doc.
Given a Value it builds a graph node (``exp(x)`` is ``x.exp()``); given only numbers
it returns a plain float and builds nothing.

Examples:
    >>> from autograd import Value, exp, maximum
    >>> exp(0.0)
    1.0
    >>> m = maximum(Value(2.0), 3.0)
    >>> m.backward()
    >>> m.data, m.op
    (3.0, 'maximum')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, overload

from . import checks
from .rules import RULES
from .value import Scalar, Value, as_number, as_operand, binary, record, to_operand, unary

# The functions `from autograd import *` gives; sum and max are left out, since
# they would shadow the builtins (autograd.sum and autograd.max still work).
__all__ = [
    "atan",
    "cos",
    "dot",
    "erf",
    "exp",
    "expm1",
    "gelu",
    "leaky_relu",
    "log",
    "log1p",
    "maximum",
    "minimum",
    "relu",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "tan",
    "tanh",
]


# What each kind of function takes and gives, after its row's doc.
_UNARY_ARGS = """

Args:
    x: a Value or a real number.

Returns:
    A Value (a node of the graph) if ``x`` is a Value, else a float.
"""
_BINARY_ARGS = """

Args:
    a: a Value or a real number.
    b: a Value or a real number.

Returns:
    A Value (a node of the graph) if either input is a Value, else a float.
"""
_NARY_ARGS = """

Args:
    values: an iterable of Values and real numbers.

Returns:
    A Value (one node, whatever the number of inputs) if any input is a Value, else a float.
"""


class UnaryFunction(Protocol):
    """A one-input primitive: a Value in gives a Value, a number in gives a float."""

    @overload
    def __call__(self, x: Value) -> Value: ...
    @overload
    def __call__(self, x: float) -> float: ...


class BinaryFunction(Protocol):
    """A two-input primitive: a Value on either side gives a Value, numbers give a float."""

    @overload
    def __call__(self, a: Value, b: Scalar) -> Value: ...
    @overload
    def __call__(self, a: Scalar, b: Value) -> Value: ...
    @overload
    def __call__(self, a: float, b: float) -> float: ...


class NaryFunction(Protocol):
    """An n-input primitive over an iterable: any Value in gives a Value, numbers give a float."""

    @overload
    def __call__(self, values: Iterable[Value]) -> Value: ...
    @overload
    def __call__(self, values: Iterable[Scalar]) -> Scalar: ...


def _unary_function(name: str) -> UnaryFunction:
    """``autograd.<name>(x)`` for the one-input primitive ``name``, documented by its row."""
    rule = RULES[name]

    def function(x: Scalar) -> Scalar:
        if isinstance(x, Value):
            return unary(rule, x)
        number = as_number(x)
        if number is None:
            number = checks.number(name, "x", x, what="a Value or a real number")
        return rule.forward(number)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = rule.doc + _UNARY_ARGS
    return function  # type: ignore[return-value]


def _binary_function(name: str) -> BinaryFunction:
    """``autograd.<name>(a, b)`` for the two-input primitive ``name``, documented by its row."""
    rule = RULES[name]

    def function(a: Scalar, b: Scalar) -> Scalar:
        x, y = as_operand(a), as_operand(b)
        if x is None or y is None:  # raise, naming what is wrong
            x, y = to_operand(name, "a", a), to_operand(name, "b", b)
        if isinstance(x, Value) or isinstance(y, Value):
            return binary(rule, x, y)
        return rule.forward(x, y)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = rule.doc + _BINARY_ARGS
    return function  # type: ignore[return-value]


def collect_operands(
    where: str,
    name: str,
    items: Iterable[Scalar],
    operands: list[Value | float],
    numbers: list[float],
) -> bool:
    """Append each item's operand and number, naming the first bad item; True if any is a Value.

    The shared intake of the n-ary primitives and custom ops. One pass with the
    common types checked inline: this loop runs for every input of every neuron.
    Messages name ``where`` (the function) and ``name`` (the parameter), or
    ``name[i]`` for a bad item.

    Raises:
        TypeError: ``items`` is not iterable (or is a str), or an item is neither a
            Value nor a real number.
        ValueError: an item is an int too large for a float.
    """
    try:
        if isinstance(items, (str, bytes)):
            raise TypeError
        iterator = iter(items)
    except TypeError:
        raise TypeError(
            f"{where}: {name} must be an iterable of Values and real numbers, "
            f"got {type(items).__name__}"
        ) from None
    any_value = False
    start = len(operands)
    for item in iterator:
        kind = type(item)
        if kind is Value:
            operands.append(item)
            numbers.append(item.data)  # type: ignore[union-attr]
            any_value = True
        elif kind is float:
            operands.append(item)
            numbers.append(item)  # type: ignore[arg-type]
        else:
            operand = to_operand(where, f"{name}[{len(operands) - start}]", item)
            operands.append(operand)
            if isinstance(operand, Value):
                numbers.append(operand.data)
                any_value = True
            else:
                numbers.append(operand)
    return any_value


def apply(name: str, *args: Scalar) -> Scalar:
    """Apply the primitive ``name`` of :data:`autograd.rules.RULES` to its operands.

    The generic form of every function here, for code that walks the table
    (``autograd.testing`` does): ``apply("exp", x)`` is ``exp(x)`` and
    ``apply("dot", *xs, *ys)`` is ``dot(xs, ys)``.

    Args:
        name: the op's name, built in or made with ``@autograd.op``.
        args: its operands, Values or real numbers.

    Returns:
        A Value if any operand is a Value, else a float.

    Raises:
        ValueError: ``name`` is not an op, or the number of operands is wrong for it.
        TypeError: an operand is neither a Value nor a real number.

    Examples:
        >>> apply("maximum", 2.0, 3.0)
        3.0
    """
    rule = RULES.get(name)
    if rule is None:
        raise ValueError(f"apply: name must be an op of the table, got {checks.shown(name)}")
    expected = rule.arity
    if (expected is not None and len(args) != expected) or (name == "dot" and len(args) % 2):
        wanted = "an even number of" if expected is None else str(expected)
        raise ValueError(f"apply: {name} takes {wanted} operands, got {len(args)}")
    operands: list[Value | float] = []
    numbers: list[float] = []
    any_value = collect_operands(name, "operands", args, operands, numbers)
    data = rule.forward(*numbers)
    return record(rule, data, tuple(operands), tuple(numbers)) if any_value else data


def _nary_function(name: str) -> NaryFunction:
    """``autograd.<name>(values)`` for the n-input primitive ``name`` over one iterable."""
    rule = RULES[name]

    def function(values: Iterable[Scalar]) -> Scalar:
        operands: list[Value | float] = []
        numbers: list[float] = []
        any_value = collect_operands(name, "values", values, operands, numbers)
        data = rule.forward(*numbers)
        return record(rule, data, tuple(operands), tuple(numbers)) if any_value else data

    function.__name__ = function.__qualname__ = name
    function.__doc__ = rule.doc + _NARY_ARGS
    return function  # type: ignore[return-value]


exp = _unary_function("exp")
expm1 = _unary_function("expm1")
log = _unary_function("log")
log1p = _unary_function("log1p")
sqrt = _unary_function("sqrt")
sin = _unary_function("sin")
cos = _unary_function("cos")
tan = _unary_function("tan")
atan = _unary_function("atan")
tanh = _unary_function("tanh")
sigmoid = _unary_function("sigmoid")
softplus = _unary_function("softplus")
erf = _unary_function("erf")
gelu = _unary_function("gelu")
relu = _unary_function("relu")
maximum = _binary_function("maximum")
minimum = _binary_function("minimum")
sum = _nary_function("sum")  # shadows the builtin on purpose; left out of `import *`
max = _nary_function("max")  # likewise


@overload
def leaky_relu(x: Value, negative_slope: Scalar = ...) -> Value: ...
@overload
def leaky_relu(x: float, negative_slope: Value) -> Value: ...
@overload
def leaky_relu(x: float, negative_slope: float = ...) -> float: ...
def leaky_relu(x: Scalar, negative_slope: Scalar = 0.01) -> Scalar:  # noqa: D103 - the row's doc
    a = to_operand("leaky_relu", "x", x)
    slope = to_operand("leaky_relu", "negative_slope", negative_slope)
    if isinstance(a, Value) or isinstance(slope, Value):
        return binary(RULES["leaky_relu"], a, slope)
    return RULES["leaky_relu"].forward(a, slope)


leaky_relu.__doc__ = (
    RULES["leaky_relu"].doc
    + """

Args:
    x: a Value or a real number.
    negative_slope: the slope for x < 0, a Value or a real number.

Returns:
    A Value if either input is a Value, else a float.
"""
)


@overload
def dot(xs: Iterable[Value], ys: Iterable[Scalar]) -> Value: ...
@overload
def dot(xs: Iterable[Scalar], ys: Iterable[Value]) -> Value: ...
@overload
def dot(xs: Iterable[Scalar], ys: Iterable[Scalar]) -> Scalar: ...
def dot(xs: Iterable[Scalar], ys: Iterable[Scalar]) -> Scalar:  # noqa: D103 - the row's doc
    operands: list[Value | float] = []
    numbers: list[float] = []
    any_value = collect_operands("dot", "xs", xs, operands, numbers)
    n = len(operands)
    any_value = collect_operands("dot", "ys", ys, operands, numbers) or any_value
    if len(operands) != 2 * n:
        raise ValueError(
            f"dot: xs and ys must have the same length, got {n} and {len(operands) - n}"
        )
    data = RULES["dot"].forward(*numbers)
    return record(RULES["dot"], data, tuple(operands), tuple(numbers)) if any_value else data


dot.__doc__ = (
    RULES["dot"].doc
    + """

Args:
    xs: the first vector, Values and real numbers.
    ys: the second vector, of the same length.

Returns:
    A Value (one node) if any input is a Value, else a float.

Raises:
    ValueError: when the lengths differ.
"""
)
