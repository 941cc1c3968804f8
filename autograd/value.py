"""``Value``: a float that remembers how it was computed, and its operators."""

from __future__ import annotations

import math
import numbers
from typing import TypeAlias

from . import graph, mode
from .rules import RULES

__all__ = ["Scalar", "Value"]


class Value:
    """A scalar node of a computation graph.

    A Value holds a number (``data``), the gradient that ``backward()`` computes
    for it (``grad``), and how it was made: the name of the operation (``op``,
    ``""`` for a leaf) and the Values it was computed from (``parents``).

    Arithmetic with Values or real numbers on either side builds new Values:
    ``+ - * / **``, unary ``-`` and ``+``, ``abs()``; as do the methods
    ``exp log sqrt sin cos tanh sigmoid relu leaky_relu``. Comparisons
    ``< <= > >=`` compare ``data`` and return a bool; ``==`` is identity and
    Values hash by identity, so they can be dictionary keys.

    Args:
        data: a real number (int, float, ``numbers.Real``, NumPy scalars); it is
            stored as a Python float. bool, complex, str, None, containers and
            Values are rejected with ``TypeError``.
        label: an optional name, shown by ``repr`` and in drawings.

    Example:
        >>> x = Value(2.0, label="x")
        >>> y = x * x + 3 * x
        >>> y.backward()
        >>> y.data, x.grad
        (10.0, 7.0)
    """

    # No per-node closures and no __dict__: a node is these slots and nothing else.
    # _args holds the operands in order: parent Values, and plain floats for
    # constants such as the 2 in ``x * 2``. _ctx holds the numbers of the forward
    # pass, so backward() is unaffected by later edits to a leaf's data.
    # _mark is the token of the last topological sort that reached the node: marking
    # nodes instead of keeping a set of them keeps the sort's cost per node flat
    # (268 -> 136 ns per node on a 1e6-node chain, where the set falls out of cache).
    __slots__ = ("__weakref__", "_args", "_ctx", "_mark", "_op", "data", "grad", "label")

    # Make NumPy hand mixed arithmetic (np.float64(2) * x) to our reflected operators.
    __array_ufunc__ = None

    data: float
    grad: float
    label: str
    _op: str
    _args: tuple[Value | float, ...]
    _ctx: tuple[float, ...]
    _mark: object

    def __init__(self, data: float, label: str = "") -> None:
        number = _real(data)
        if number is None:
            raise TypeError(_type_message("Value()", data))
        if not isinstance(label, str):
            raise TypeError(f"Value() label must be a str, got {type(label).__name__}")
        self.data = number
        self.grad = 0.0
        self.label = label
        self._op = ""
        self._args = ()
        self._ctx = ()
        self._mark = None

    @property
    def op(self) -> str:
        """The name of the operation that made this Value (``""`` for a leaf)."""
        return self._op

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in operand order (``()`` for a leaf)."""
        return tuple(a for a in self._args if isinstance(a, Value))

    def backward(self, grad: float = 1.0) -> None:
        """Apply the chain rule from this Value to every Value it depends on.

        Visits the graph once, in reverse topological order, without recursion.
        Like PyTorch: gradients *accumulate* (``+=``) into leaves across calls,
        so call ``zero_grad()`` on your model or optimizer (or set
        ``x.grad = 0.0``) between steps; intermediate nodes' ``grad`` is
        recomputed from scratch on every call. A node whose gradient is exactly 0
        contributes exactly 0 to its parents, even where a local derivative is
        infinite (``sqrt`` at 0).

        Args:
            grad: the gradient of the final objective with respect to this Value
                (the seed); 1.0 for a loss.

        Example:
            >>> x = Value(3.0)
            >>> y = x * x
            >>> y.backward()
            >>> y.backward()
            >>> x.grad  # 6 + 6: leaves accumulate
            12.0
        """
        seed = _real(grad)
        if seed is None:
            raise TypeError(_type_message("backward() grad", grad))
        graph.backward(self, seed)

    # --- arithmetic; each reflected operator says which side is which ---------
    # An operand that is neither a Value nor a real number raises a TypeError
    # naming its type rather than returning NotImplemented: Python's fallbacks
    # would blame the Value instead ("can't multiply sequence by non-int of type
    # 'Value'" for x * "a").

    # add, sub and mul, the ops of every chain and loss, skip the table lookup and
    # compute the row's forward (an operator) inline: node creation on a chain
    # y = y * c goes from 390 to about 230 ns. tests/test_value.py holds them equal
    # to RULES.
    def __add__(self, other: Scalar) -> Value:
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        else:
            other, b = _coerce("+", self, other, reflected=False)
        a = self.data
        return _record("add", a + b, (self, other), (a, b))

    def __radd__(self, other: Scalar) -> Value:  # other + self
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        else:
            other, b = _coerce("+", self, other, reflected=True)
        a = self.data
        return _record("add", b + a, (other, self), (b, a))

    def __sub__(self, other: Scalar) -> Value:
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        else:
            other, b = _coerce("-", self, other, reflected=False)
        a = self.data
        return _record("sub", a - b, (self, other), (a, b))

    def __rsub__(self, other: Scalar) -> Value:  # other - self
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        else:
            other, b = _coerce("-", self, other, reflected=True)
        a = self.data
        return _record("sub", b - a, (other, self), (b, a))

    def __mul__(self, other: Scalar) -> Value:
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        else:
            other, b = _coerce("*", self, other, reflected=False)
        a = self.data
        return _record("mul", a * b, (self, other), (a, b))

    def __rmul__(self, other: Scalar) -> Value:  # other * self
        if type(other) is Value:
            b = other.data
        elif type(other) is float:
            b = other
        else:
            other, b = _coerce("*", self, other, reflected=True)
        a = self.data
        return _record("mul", b * a, (other, self), (b, a))

    def __truediv__(self, other: Scalar) -> Value:
        operand = _operand(other)
        if operand is None:
            raise _operand_error("/", self, other)
        return _binary("div", self, operand)

    def __rtruediv__(self, other: Scalar) -> Value:  # other / self
        operand = _operand(other)
        if operand is None:
            raise _operand_error("/", other, self)
        return _binary("div", operand, self)

    def __pow__(self, other: Scalar, modulo: None = None) -> Value:
        operand = _operand(other)
        if operand is None:
            raise _operand_error("**", self, other)
        if modulo is not None:
            raise TypeError("pow() with a modulus is not supported for Values")
        return _binary("pow", self, operand)

    def __rpow__(self, other: Scalar) -> Value:  # other ** self
        operand = _operand(other)
        if operand is None:
            raise _operand_error("**", other, self)
        return _binary("pow", operand, self)

    def __neg__(self) -> Value:
        return _unary("neg", self)

    def __pos__(self) -> Value:
        return self  # +x is x itself, as for numbers: no node

    def __abs__(self) -> Value:
        return _unary("abs", self)

    # --- functions as methods; module functions of the same name also take numbers

    def exp(self) -> Value:
        """``e ** self``; overflows to +inf, as in PyTorch."""
        return _unary("exp", self)

    def log(self) -> Value:
        """The natural logarithm; ``ValueError`` for data <= 0."""
        return _unary("log", self)

    def sqrt(self) -> Value:
        """The square root; ``ValueError`` for data < 0. Its derivative at 0 is +inf."""
        return _unary("sqrt", self)

    def sin(self) -> Value:
        """The sine (radians); ``ValueError`` at +-inf."""
        return _unary("sin", self)

    def cos(self) -> Value:
        """The cosine (radians); ``ValueError`` at +-inf."""
        return _unary("cos", self)

    def tanh(self) -> Value:
        """The hyperbolic tangent; finite and exact for any input."""
        return _unary("tanh", self)

    def sigmoid(self) -> Value:
        """The logistic function ``1 / (1 + e ** -self)``; finite and exact for any input."""
        return _unary("sigmoid", self)

    def relu(self) -> Value:
        """``max(self, 0)``; its derivative at 0 is 0. NaN passes through."""
        return _unary("relu", self)

    def leaky_relu(self, negative_slope: Scalar = 0.01) -> Value:
        """``self`` where positive, else ``negative_slope * self``; derivative at 0 is the slope."""
        slope = _operand(negative_slope)
        if slope is None:
            raise TypeError(
                "leaky_relu() negative_slope expects a Value or a real number, "
                f"got {type(negative_slope).__name__}"
            )
        return _binary("leaky_relu", self, slope)

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


Scalar: TypeAlias = Value | float
"""An operand: a Value or a plain real number."""


# --- operand checking -----------------------------------------------------------


def _real(x: object) -> float | None:
    """``x`` as a Python float if it is a real number (bool excluded), else None."""
    kind = type(x)
    if kind is float:
        return x  # type: ignore[return-value]
    if kind is int:
        return float(x)  # type: ignore[arg-type]
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    return None


def _operand(x: object) -> Value | float | None:
    """``x`` as an operand (a Value, or a constant float), or None if unsupported."""
    return x if isinstance(x, Value) else _real(x)


def _coerce(
    symbol: str, value: Value, other: object, *, reflected: bool
) -> tuple[Value | float, float]:
    """The slow path of the inlined operators: ``other`` as (operand, number), or TypeError."""
    operand = _operand(other)
    if operand is None:
        raise (
            _operand_error(symbol, other, value)
            if reflected
            else _operand_error(symbol, value, other)
        )
    return operand, operand.data if isinstance(operand, Value) else operand


def _number_of(x: object) -> float | None:
    """The number a Value holds, or a real number as a float, or None."""
    return x.data if isinstance(x, Value) else _real(x)


def _operand_error(symbol: str, left: object, right: object) -> TypeError:
    """The TypeError for ``left <symbol> right`` where one side is not a real number."""
    return TypeError(
        f"unsupported operand type(s) for {symbol}: {type(left).__name__!r} and "
        f"{type(right).__name__!r}; a Value combines with Values and real numbers only"
    )


def _type_message(where: str, x: object) -> str:
    """The ``TypeError`` text for something that is not a real number."""
    if isinstance(x, Value):
        return f"{where} expects a real number, got a Value; use its .data"
    return f"{where} expects a real number, got {type(x).__name__}"


# --- node creation: the hot path ----------------------------------------------

_new_value = object.__new__
_current_mode = mode.current
_DEFAULT_MODE = mode.DEFAULT


def _record(op: str, data: float, args: tuple[Value | float, ...], ctx: tuple[float, ...]) -> Value:
    """A new Value holding ``data``; in the default mode it records how it was made."""
    out: Value = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._mark = None
    current = _current_mode()
    if current is _DEFAULT_MODE:
        out._op, out._args, out._ctx = op, args, ctx
        return out
    if current.record:
        out._op, out._args, out._ctx = op, args, ctx
        if current.scope:
            mode.node_scopes[out] = current.scope
    else:  # inside no_grad the result is a leaf
        out._op, out._args, out._ctx = "", (), ()
    if current.anomaly:
        site = mode.user_site()
        if not math.isfinite(data):
            raise FloatingPointError(
                f"detect_anomaly: {op} produced {data!r} from inputs {ctx!r} at {site}"
            )
        if current.record:
            mode.creation_sites[out] = site
    return out


def _unary(op: str, x: Value) -> Value:
    a = x.data
    return _record(op, RULES[op].forward(a), (x,), (a,))


def _binary(op: str, x: Value | float, y: Value | float) -> Value:
    a = x.data if isinstance(x, Value) else x
    b = y.data if isinstance(y, Value) else y
    return _record(op, RULES[op].forward(a, b), (x, y), (a, b))
