"""One validation policy: one-line argument checks (wrong type: TypeError; wrong value: ValueError).

Every check takes ``where`` (what the user called, e.g. ``"SGD"`` or ``"nn.save"``),
``name`` (the parameter, e.g. ``"lr"`` or ``"betas[0]"``) and the value, and returns the
value in the form the caller works with. Its messages read
``"{where}: {name} must be {expected}, got {what}"``: ``what`` is the type's name when
the type is wrong and a short repr (see :func:`shown`) when the value is. bool is never
a number here, even though it is an int.

This module imports only the standard library, so every layer of chainrule can use
it. It is an interface between chainrule's modules, not part of ``autograd.__all__``.

Examples:
    >>> from autograd import checks
    >>> checks.integer("Layer", "nout", 3, minimum=1)
    3
    >>> checks.real("SGD", "lr", "0.1", at_least=0)
    Traceback (most recent call last):
      ...
    TypeError: SGD: lr must be a real number, got str
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeGuard, TypeVar

__all__ = [
    "MAX_SHOWN",
    "MAX_SIZE",
    "choice",
    "flag",
    "function",
    "instance",
    "integer",
    "is_finite_real",
    "iterable",
    "number",
    "paired",
    "real",
    "scalar",
    "seed",
    "sequence",
    "shown",
    "size",
]

#: The largest count (samples, units, epochs, parameters of a layer) that :func:`size`
#: accepts: ten million, far more than a scalar engine trains in reasonable time (each
#: parameter is a Python object), yet refused long before memory runs out.
MAX_SIZE = 10_000_000
#: The longest repr of a bad value that a message shows.
MAX_SHOWN = 80

_T = TypeVar("_T")


def shown(value: object) -> str:
    """A short repr of ``value`` for an error message: at most ``MAX_SHOWN`` characters.

    It never raises: an int too long to print and an object whose ``repr`` fails are
    described instead.

    Args:
        value: anything.

    Returns:
        The repr, cut with ``...`` and the full length when it is long.

    Examples:
        >>> shown(2**1000)
        '107150860718626732094842504906000181056140481170553360744375... (302 characters)'
        >>> shown(None)
        'None'
    """
    if isinstance(value, (str, bytes)) and len(value) > MAX_SHOWN:
        text, length = repr(value[:MAX_SHOWN]), len(repr(value))  # no copy of a huge string
    else:
        try:
            text = repr(value)
        except Exception:  # an int past sys.get_int_max_str_digits, a broken __repr__
            if isinstance(value, int):
                return f"an int of {value.bit_length()} bits"
            return f"a {type(value).__name__} whose repr fails"
        length = len(text)
    if length > MAX_SHOWN:
        tail = f"... ({length} characters)"
        return text[: MAX_SHOWN - len(tail)] + tail
    return text


def _type_error(where: str, name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{where}: {name} must be {expected}, got {type(value).__name__}")


def _value_error(where: str, name: str, expected: str, value: object) -> ValueError:
    return ValueError(f"{where}: {name} must be {expected}, got {shown(value)}")


def integer(
    where: str,
    name: str,
    value: object,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    why: str = "",
) -> int:
    """``value`` as an ``int`` within the bounds (bool refused, NumPy ints accepted).

    Args:
        where: the function or class called.
        name: the parameter.
        value: what the caller passed.
        minimum: the smallest allowed value, if any.
        maximum: the largest allowed value, if any.
        why: text put after the bound in the message, e.g. ``" (one sample per class)"``.

    Returns:
        ``int(value)``.

    Raises:
        TypeError: if ``value`` is not an integer.
        ValueError: if it is out of bounds.

    Examples:
        >>> integer("batches", "batch_size", 0, minimum=1)
        Traceback (most recent call last):
          ...
        ValueError: batches: batch_size must be >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _type_error(where, name, "an int", value)
    number = int(value)
    if minimum is not None and number < minimum:
        raise _value_error(where, name, f">= {minimum}{why}", number)
    if maximum is not None and number > maximum:
        raise _value_error(where, name, f"<= {maximum}{why}", number)
    return number


def size(where: str, name: str, value: object, *, minimum: int = 1, why: str = "") -> int:
    """``value`` as a count of things to make, an ``int`` from ``minimum`` to ``MAX_SIZE``.

    Args:
        where: the function or class called.
        name: the parameter, or an expression such as ``"(nin + 1) * nout"``.
        value: the count.
        minimum: the smallest allowed count.
        why: text put after the lower bound in the message.

    Returns:
        ``int(value)``.

    Raises:
        TypeError: if ``value`` is not an integer.
        ValueError: if it is below ``minimum`` or above ``MAX_SIZE``.

    Examples:
        >>> size("Layer", "nout", 20_000_000)
        Traceback (most recent call last):
          ...
        ValueError: Layer: nout must be <= 10,000,000 (chainrule's limit on sizes), got 20000000
    """
    number = integer(where, name, value, minimum=minimum, why=why)
    if number > MAX_SIZE:
        raise _value_error(where, name, f"<= {MAX_SIZE:,} (chainrule's limit on sizes)", number)
    return number


def seed(where: str, value: object, name: str = "seed") -> int | None:
    """A random seed: None (fresh randomness) or an ``int >= 0``.

    Negative seeds are refused because ``random.Random(-s)`` repeats ``random.Random(s)``.

    Args:
        where: the function or class called.
        value: the seed.
        name: the parameter.

    Returns:
        None or ``int(value)``.

    Raises:
        TypeError: if ``value`` is neither None nor an integer.
        ValueError: if it is negative.

    Examples:
        >>> seed("make_moons", None) is None
        True
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _type_error(where, name, "an int or None", value)
    return integer(where, name, value, minimum=0)


def _interval(low: float | None, low_open: bool, high: float | None, high_open: bool) -> str:
    """``"in [0, 1)"``, ``">= 0"`` and so on: the bounds as a message shows them."""
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low}"
    if high is not None:
        return f"{'<' if high_open else '<='} {high}"
    return ""


def _is_real(value: object) -> TypeGuard[numbers.Real]:
    """A real number, bool excluded.

    float and int are tested first: numbers.Real is an ABC, and an isinstance against
    it costs several times more (most of accuracy's time over 10,000 samples).
    """
    cls = type(value)
    return cls is float or cls is int or (cls is not bool and isinstance(value, numbers.Real))


def real(
    where: str,
    name: str,
    value: object,
    *,
    at_least: float | None = None,
    above: float | None = None,
    at_most: float | None = None,
    below: float | None = None,
    finite: bool = True,
) -> float:
    """``value`` as a ``float`` within the bounds; give at most one lower and one upper bound.

    An int too large for a float counts as infinite, so it is a ``ValueError`` like
    ``inf``, never an ``OverflowError``.

    Args:
        where: the function or class called.
        name: the parameter.
        value: any real number (int, float, Fraction, NumPy scalars), not bool.
        at_least: ``value >= at_least``.
        above: ``value > above``.
        at_most: ``value <= at_most``.
        below: ``value < below``.
        finite: refuse NaN and infinities. When False they pass unless a bound
            refuses them (NaN fails every bound).

    Returns:
        ``float(value)``.

    Raises:
        TypeError: if ``value`` is not a real number.
        ValueError: if it is out of bounds or not finite.

    Examples:
        >>> real("Adam", "betas[0]", 1.0, at_least=0, below=1)
        Traceback (most recent call last):
          ...
        ValueError: Adam: betas[0] must be in [0, 1), got 1.0
    """
    if not _is_real(value):
        raise _type_error(where, name, "a real number", value)
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = math.inf if value > 0 else -math.inf  # type: ignore[operator]
    low = above if above is not None else at_least
    high = below if below is not None else at_most
    ok = (
        (not finite or math.isfinite(number))
        and (low is None or (number > low if above is not None else number >= low))
        and (high is None or (number < high if below is not None else number <= high))
    )
    if not ok:
        bounds = _interval(low, above is not None, high, below is not None)
        if bounds.startswith("in "):
            expected = bounds
        else:
            expected = f"{'a finite number' if finite else 'a number'} {bounds}".rstrip()
        raise _value_error(where, name, expected, value)
    return number


def number(where: str, name: str, value: object, *, what: str = "a real number") -> float:
    """``value`` as a ``float``: a real number that a float can hold (NaN and infinities pass).

    Unlike :func:`real` and :func:`scalar`, an int too large for a float is refused
    rather than read as infinite: the engine's operands and ``Value(data)`` take it
    as a mistake, where Python's ``float()`` raises a bare ``OverflowError``.

    Args:
        where: the function or class called.
        name: the parameter.
        value: any real number (int, float, Fraction, NumPy scalars), not bool.
        what: the expectation as the message names it, e.g. ``"a Value or a real number"``.

    Returns:
        ``float(value)``.

    Raises:
        TypeError: if ``value`` is not a real number.
        ValueError: if it is too large for a float.

    Examples:
        >>> number("Value", "data", 10**400)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
          ...
        ValueError: Value: data must be a real number within float range (about +-1.8e308), ...
    """
    if not _is_real(value):
        raise _type_error(where, name, what, value)
    try:
        return float(value)
    except OverflowError:  # an int (or Fraction) too large for a float
        raise _value_error(
            where, name, "a real number within float range (about +-1.8e308)", value
        ) from None


def is_finite_real(value: object) -> bool:
    """True for a real number (bool excluded) that is finite as a float.

    A predicate, for checks that collect every bad entry before raising.

    Args:
        value: anything.

    Returns:
        Whether ``value`` is a finite real number.

    Examples:
        >>> [is_finite_real(v) for v in (1, 2.5, True, float("nan"), 10**400, "1")]
        [True, True, False, False, False, False]
    """
    if not _is_real(value):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond float range
        return False


def scalar(where: str, name: str, value: object, kind: type[_T]) -> _T | float:
    """``value`` itself if it is a ``kind`` (such as a Value), else a real number as a float.

    NaN and infinities pass: they are numbers an expression may hold.

    Args:
        where: the function or class called.
        name: the parameter, e.g. ``"xs[3]"``.
        value: what the caller passed.
        kind: the class taken as it is.

    Returns:
        ``value`` or ``float(value)``.

    Raises:
        TypeError: if ``value`` is neither a ``kind`` nor a real number.

    Examples:
        >>> scalar("softmax", "xs[0]", True, complex)
        Traceback (most recent call last):
          ...
        TypeError: softmax: xs[0] must be a complex or a real number, got bool
    """
    if isinstance(value, kind):
        return value
    if not _is_real(value):
        raise _type_error(where, name, f"a {kind.__name__} or a real number", value)
    try:
        return float(value)
    except OverflowError:  # an int too large for a float
        return math.inf if value > 0 else -math.inf  # type: ignore[operator]


def flag(where: str, name: str, value: object) -> bool:
    """``value`` if it is exactly True or False (NumPy's bool scalars are accepted too).

    A truthy string (``"no"``) or an array is refused rather than guessed at.

    Args:
        where: the function or class called.
        name: the parameter.
        value: the flag.

    Returns:
        A ``bool``.

    Raises:
        TypeError: for anything else.

    Examples:
        >>> flag("fit", "progress", "no")
        Traceback (most recent call last):
          ...
        TypeError: fit: progress must be True or False, got str
    """
    if value is True or value is False:
        return value
    kind = type(value)
    if kind.__module__ == "numpy" and kind.__name__ in ("bool_", "bool"):
        return bool(value)  # NumPy's bool scalar
    raise _type_error(where, name, "True or False", value)


def _alternatives(choices: Sequence[str]) -> str:
    """``'a'``, ``'a' or 'b'``, ``one of 'a', 'b' or 'c'``."""
    names = [repr(c) for c in choices]
    if len(names) <= 2:
        return " or ".join(names)
    return f"one of {', '.join(names[:-1])} or {names[-1]}"


def choice(where: str, name: str, value: object, choices: Sequence[str]) -> str:
    """``value`` if it is one of the names in ``choices``.

    Args:
        where: the function or class called.
        name: the parameter.
        value: the name given.
        choices: the allowed names.

    Returns:
        ``value``.

    Raises:
        TypeError: if ``value`` is not a str.
        ValueError: if it is not one of ``choices``.

    Examples:
        >>> choice("mse_loss", "reduction", "avg", ["mean", "sum"])
        Traceback (most recent call last):
          ...
        ValueError: mse_loss: reduction must be 'mean' or 'sum', got 'avg'
    """
    if not isinstance(value, str):
        raise _type_error(where, name, _alternatives(choices), value)
    if value not in choices:
        raise _value_error(where, name, _alternatives(choices), value)
    return value


def function(where: str, name: str, value: object) -> Callable[..., Any]:
    """``value`` if it is callable.

    Args:
        where: the function or class called.
        name: the parameter.
        value: the function given.

    Returns:
        ``value``.

    Raises:
        TypeError: if it is not callable.

    Examples:
        >>> function("fit", "loss", "mse")
        Traceback (most recent call last):
          ...
        TypeError: fit: loss must be callable, got str
    """
    if not callable(value):
        raise _type_error(where, name, "callable", value)
    return value


def instance(where: str, name: str, value: object, kind: type | tuple[type, ...], what: str) -> Any:
    """``value`` if it is an instance of ``kind``.

    Args:
        where: the function or class called.
        name: the parameter.
        value: what the caller passed.
        kind: the class required, or a tuple of classes (abstract ones included).
        what: the class as the message names it, e.g. ``"an nn.optim optimizer"``.

    Returns:
        ``value``.

    Raises:
        TypeError: if it is not a ``kind``.

    Examples:
        >>> instance("fit", "metrics", [], dict, "a dict")
        Traceback (most recent call last):
          ...
        TypeError: fit: metrics must be a dict, got list
    """
    if not isinstance(value, kind):
        raise _type_error(where, name, what, value)
    return value


def sequence(
    where: str, name: str, value: object, *, what: str = "a sequence", length: int | None = None
) -> Sequence[Any]:
    """``value`` if it is a sized, indexable collection such as a list, tuple or NumPy array.

    A str, bytes or mapping is refused, and so is a scalar or a one-shot iterator: the
    common mistakes where a collection belongs.

    Args:
        where: the function or class called.
        name: the parameter.
        value: the collection.
        what: the collection as the message names it, e.g. ``"a (low, high) pair"``.
        length: the number of items required, if fixed.

    Returns:
        ``value``.

    Raises:
        TypeError: if ``value`` is not such a collection.
        ValueError: if it has the wrong length.

    Examples:
        >>> sequence("mse_loss", "preds", 3.0)
        Traceback (most recent call last):
          ...
        TypeError: mse_loss: preds must be a sequence, got float
    """
    kind = type(value)
    if (
        isinstance(value, (str, bytes, Mapping))
        or not hasattr(kind, "__len__")
        or not hasattr(kind, "__getitem__")
    ):
        raise _type_error(where, name, what, value)
    if length is not None and len(value) != length:  # type: ignore[arg-type]
        raise _value_error(where, name, what, value)
    return value  # type: ignore[return-value]


def paired(where: str, name: str, value: object, other_name: str, other: object) -> int:
    """The common length of two non-empty sequences of the same length, such as X and y.

    Args:
        where: the function or class called.
        name: the first parameter, e.g. ``"X"``.
        value: the first sequence.
        other_name: the second parameter, e.g. ``"y"``.
        other: the second sequence.

    Returns:
        Their length, >= 1.

    Raises:
        TypeError: if either is not a sequence (see :func:`sequence`).
        ValueError: if their lengths differ, or both are empty.

    Examples:
        >>> paired("mse_loss", "preds", [1.0], "targets", [1.0, 2.0])
        Traceback (most recent call last):
          ...
        ValueError: mse_loss: preds and targets must have the same length, got 1 and 2
    """
    n = len(sequence(where, name, value))
    m = len(sequence(where, other_name, other))
    if n != m:
        raise ValueError(
            f"{where}: {name} and {other_name} must have the same length, got {n} and {m}"
        )
    if n == 0:
        raise ValueError(f"{where}: {name} and {other_name} are empty")
    return n


def iterable(where: str, name: str, value: object, *, what: str = "an iterable") -> list[Any]:
    """The items of ``value``, an iterable that is not a str or bytes, as a new list.

    Args:
        where: the function or class called.
        name: the parameter.
        value: the iterable (a generator is read once).
        what: the iterable as the message names it, e.g. ``"an iterable of Values"``.

    Returns:
        ``list(value)``.

    Raises:
        TypeError: if ``value`` is not iterable, or is a str or bytes.

    Examples:
        >>> iterable("clip_grad_norm", "params", 1.0, what="an iterable of Values")
        Traceback (most recent call last):
          ...
        TypeError: clip_grad_norm: params must be an iterable of Values, got float
    """
    if isinstance(value, (str, bytes)) or not hasattr(type(value), "__iter__"):
        raise _type_error(where, name, what, value)
    items: list[Any] = list(value)  # type: ignore[call-overload]
    return items
