"""Math functions that take a Value or a plain number, and the n-ary ``sum`` and ``dot``.

Given a Value they build a graph node (``exp(x)`` is ``x.exp()``); given only
numbers they return a plain float and build nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import overload

from .rules import RULES
from .value import Scalar, Value, _binary, _operand, _real, _record, _unary

__all__ = [
    "cos",
    "dot",
    "exp",
    "leaky_relu",
    "log",
    "relu",
    "sigmoid",
    "sin",
    "sqrt",
    "sum",
    "tanh",
]


def _apply_unary(op: str, x: Scalar) -> Scalar:
    if isinstance(x, Value):
        return _unary(op, x)
    number = _real(x)
    if number is None:
        raise TypeError(f"{op}() expects a Value or a real number, got {type(x).__name__}")
    return RULES[op].forward(number)


@overload
def exp(x: Value) -> Value: ...
@overload
def exp(x: float) -> float: ...
def exp(x: Scalar) -> Scalar:
    """``e ** x``. Overflow gives +inf, as in PyTorch.

    Example:
        >>> exp(0.0)
        1.0
    """
    return _apply_unary("exp", x)


@overload
def log(x: Value) -> Value: ...
@overload
def log(x: float) -> float: ...
def log(x: Scalar) -> Scalar:
    """The natural logarithm; ``ValueError`` for x <= 0.

    Example:
        >>> log(1.0)
        0.0
    """
    return _apply_unary("log", x)


@overload
def sqrt(x: Value) -> Value: ...
@overload
def sqrt(x: float) -> float: ...
def sqrt(x: Scalar) -> Scalar:
    """The square root; ``ValueError`` for x < 0. Its derivative at 0 is +inf.

    Example:
        >>> sqrt(9)
        3.0
    """
    return _apply_unary("sqrt", x)


@overload
def sin(x: Value) -> Value: ...
@overload
def sin(x: float) -> float: ...
def sin(x: Scalar) -> Scalar:
    """The sine of x radians; ``ValueError`` at +-inf.

    Example:
        >>> sin(0.0)
        0.0
    """
    return _apply_unary("sin", x)


@overload
def cos(x: Value) -> Value: ...
@overload
def cos(x: float) -> float: ...
def cos(x: Scalar) -> Scalar:
    """The cosine of x radians; ``ValueError`` at +-inf.

    Example:
        >>> cos(0.0)
        1.0
    """
    return _apply_unary("cos", x)


@overload
def tanh(x: Value) -> Value: ...
@overload
def tanh(x: float) -> float: ...
def tanh(x: Scalar) -> Scalar:
    """The hyperbolic tangent, finite and exact for any input.

    Example:
        >>> tanh(1000.0)
        1.0
    """
    return _apply_unary("tanh", x)


@overload
def sigmoid(x: Value) -> Value: ...
@overload
def sigmoid(x: float) -> float: ...
def sigmoid(x: Scalar) -> Scalar:
    """The logistic function ``1 / (1 + e ** -x)``, finite and exact for any input.

    Example:
        >>> sigmoid(0.0), sigmoid(-1000.0)
        (0.5, 0.0)
    """
    return _apply_unary("sigmoid", x)


@overload
def relu(x: Value) -> Value: ...
@overload
def relu(x: float) -> float: ...
def relu(x: Scalar) -> Scalar:
    """``max(x, 0)``, with derivative 0 at 0 as in PyTorch; NaN passes through.

    Example:
        >>> relu(-2.0), relu(3.0)
        (0.0, 3.0)
    """
    return _apply_unary("relu", x)


@overload
def leaky_relu(x: Value, negative_slope: Scalar = ...) -> Value: ...
@overload
def leaky_relu(x: float, negative_slope: Value) -> Value: ...
@overload
def leaky_relu(x: float, negative_slope: float = ...) -> float: ...
def leaky_relu(x: Scalar, negative_slope: Scalar = 0.01) -> Scalar:
    """``x`` where positive, else ``negative_slope * x``; the derivative at 0 is the slope.

    Example:
        >>> leaky_relu(-2.0), leaky_relu(-2.0, negative_slope=0.5)
        (-0.02, -1.0)
    """
    a, slope = _operand(x), _operand(negative_slope)
    if a is None:
        raise TypeError(f"leaky_relu() expects a Value or a real number, got {type(x).__name__}")
    if slope is None:
        raise TypeError(
            "leaky_relu() negative_slope expects a Value or a real number, "
            f"got {type(negative_slope).__name__}"
        )
    if isinstance(a, Value) or isinstance(slope, Value):
        return _binary("leaky_relu", a, slope)
    return RULES["leaky_relu"].forward(a, slope)


def _collect(
    where: str, items: Iterable[Scalar], operands: list[Value | float], numbers: list[float]
) -> bool:
    """Append each item's operand and number, naming the first bad item; True if any is a Value.

    One pass with the common types checked inline: this loop runs for every
    input of every neuron.
    """
    any_value = False
    start = len(operands)
    for item in items:
        kind = type(item)
        if kind is Value:
            operands.append(item)
            numbers.append(item.data)  # type: ignore[union-attr]
            any_value = True
        elif kind is float:
            operands.append(item)
            numbers.append(item)  # type: ignore[arg-type]
        else:
            operand = _operand(item)
            if operand is None:
                raise TypeError(
                    f"{where} expects Values or real numbers, "
                    f"got {kind.__name__} at index {len(operands) - start}"
                )
            operands.append(operand)
            if isinstance(operand, Value):
                numbers.append(operand.data)
                any_value = True
            else:
                numbers.append(operand)
    return any_value


@overload
def sum(values: Iterable[Value]) -> Value: ...
@overload
def sum(values: Iterable[Scalar]) -> Scalar: ...
def sum(values: Iterable[Scalar]) -> Scalar:  # shadows the builtin on purpose
    """The sum of many Values and numbers as ONE node with many parents.

    ``d/dx_i (x_1 + ... + x_n) = 1``. A chain ``x_1 + x_2 + ...`` would make n - 1
    nodes; this makes one. Numbers only give a float; an empty input gives 0.0.
    Not exported by ``from autograd import *`` since it would shadow ``sum``.

    Args:
        values: an iterable of Values and real numbers.

    Returns:
        A Value if any input is a Value, else a float.

    Example:
        >>> from autograd import Value
        >>> import autograd
        >>> xs = [Value(1.0), Value(2.0), 3.0]
        >>> total = autograd.sum(xs)
        >>> total.data, len(total.parents)
        (6.0, 2)
    """
    operands: list[Value | float] = []
    numbers: list[float] = []
    any_value = _collect("sum()", values, operands, numbers)
    data = RULES["sum"].forward(*numbers)
    return _record("sum", data, tuple(operands), tuple(numbers)) if any_value else data


@overload
def dot(xs: Iterable[Value], ys: Iterable[Scalar]) -> Value: ...
@overload
def dot(xs: Iterable[Scalar], ys: Iterable[Value]) -> Value: ...
@overload
def dot(xs: Iterable[Scalar], ys: Iterable[Scalar]) -> Scalar: ...
def dot(xs: Iterable[Scalar], ys: Iterable[Scalar]) -> Scalar:
    """``x_1 * y_1 + ... + x_n * y_n`` as ONE node; either side may hold Values or numbers.

    ``d/dx_i = y_i`` and ``d/dy_i = x_i``. This is a neuron's weighted sum:
    one node instead of 2n - 1. Numbers only give a float; empty inputs give 0.0.

    Args:
        xs: the first vector.
        ys: the second vector, of the same length.

    Returns:
        A Value if any input is a Value, else a float.

    Raises:
        ValueError: when the lengths differ.

    Example:
        >>> from autograd import Value, dot
        >>> w = [Value(2.0), Value(-1.0)]
        >>> out = dot(w, [3.0, 4.0])
        >>> out.backward()
        >>> out.data, w[0].grad, w[1].grad
        (2.0, 3.0, 4.0)
    """
    operands: list[Value | float] = []
    numbers: list[float] = []
    any_value = _collect("dot() xs", xs, operands, numbers)
    n = len(operands)
    any_value = _collect("dot() ys", ys, operands, numbers) or any_value
    if len(operands) != 2 * n:
        raise ValueError(f"dot() needs vectors of equal length, got {n} and {len(operands) - n}")
    data = RULES["dot"].forward(*numbers)
    return _record("dot", data, tuple(operands), tuple(numbers)) if any_value else data
