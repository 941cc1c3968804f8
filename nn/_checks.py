"""Argument checks and seeded generators for the transformer modules and the GPT.

Each check names the function, the parameter and what was expected: a wrong type
raises ``TypeError``, a wrong value ``ValueError``. The functions here are the
package's interface to this module, not part of ``nn``'s public API.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Mapping, Sequence
from typing import TypeAlias

__all__ = [
    "Seed",
    "check_bool",
    "check_choice",
    "check_int",
    "check_positive",
    "check_sequence",
    "check_token",
    "make_rng",
]

Seed: TypeAlias = int | random.Random | None
"""A seed: an int >= 0, a ``random.Random`` to draw from, or None for fresh randomness."""


def check_int(where: str, name: str, value: object, minimum: int = 1) -> int:
    """``value`` as an int >= ``minimum``; bool is refused even though it is an int.

    Args:
        where: the function or class being called, for the message.
        name: the parameter's name.
        value: what was passed.
        minimum: the smallest allowed value.

    Returns:
        The int.

    Example:
        >>> check_int("Linear", "in_features", 3)
        3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: {name} must be an int, got {type(value).__name__}")
    if int(value) < minimum:
        raise ValueError(f"{where}: {name} must be >= {minimum}, got {value}")
    return int(value)


def check_positive(where: str, name: str, value: object) -> float:
    """``value`` as a finite float > 0; bool is refused.

    Args:
        where: the function or class being called, for the message.
        name: the parameter's name.
        value: what was passed.

    Returns:
        The float.

    Example:
        >>> check_positive("RMSNorm", "eps", 1e-5)
        1e-05
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a real number, got {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = math.inf
    if not (math.isfinite(number) and number > 0.0):
        raise ValueError(f"{where}: {name} must be a finite number > 0, got {value!r}")
    return number


def check_bool(where: str, name: str, value: object) -> bool:
    """``value`` if it is a bool.

    Args:
        where: the function or class being called, for the message.
        name: the parameter's name.
        value: what was passed.

    Returns:
        The bool.

    Example:
        >>> check_bool("Linear", "bias", False)
        False
    """
    if not isinstance(value, bool):
        raise TypeError(f"{where}: {name} must be True or False, got {type(value).__name__}")
    return value


def check_choice(where: str, name: str, value: object, choices: Sequence[str]) -> str:
    """``value`` if it is one of ``choices``.

    Args:
        where: the function or class being called, for the message.
        name: the parameter's name.
        value: what was passed.
        choices: the allowed strings.

    Returns:
        The string.

    Example:
        >>> check_choice("FeedForward", "activation", "relu", ["relu", "relu2"])
        'relu'
    """
    if not isinstance(value, str):
        raise TypeError(f"{where}: {name} must be a str, got {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{where}: {name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def check_sequence(
    where: str, name: str, value: object, length: int | None = None
) -> Sequence[object]:
    """``value`` if it is a sequence (not a string or a mapping), of ``length`` items when given.

    Anything with a length and indexing counts, so a NumPy array row does too.

    Args:
        where: the function or class being called, for the message.
        name: the parameter's name.
        value: what was passed.
        length: the number of items required, or None for any.

    Returns:
        The sequence.

    Example:
        >>> check_sequence("Linear", "x", [1.0, 2.0], 2)
        [1.0, 2.0]
    """
    if isinstance(value, (str, bytes, Mapping)) or not (
        hasattr(value, "__len__") and hasattr(value, "__getitem__")
    ):
        raise TypeError(f"{where}: {name} must be a sequence, got {type(value).__name__}")
    if length is not None and len(value) != length:
        raise ValueError(f"{where}: {name} must have {length} items, got {len(value)}")
    return value  # type: ignore[return-value]


def check_token(where: str, name: str, value: object, limit: int) -> int:
    """``value`` as an index in ``[0, limit)``: a token id or a row of an embedding table.

    Args:
        where: the function or class being called, for the message.
        name: the parameter's name.
        value: what was passed.
        limit: one more than the largest allowed index.

    Returns:
        The int.

    Example:
        >>> check_token("Embedding", "index", 2, 5)
        2
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: {name} must be an int, got {type(value).__name__}")
    index = int(value)
    if not 0 <= index < limit:
        raise ValueError(f"{where}: {name} must be in [0, {limit}), got {index}")
    return index


def make_rng(where: str, seed: object) -> random.Random:
    """The generator to draw from: the one passed, or a new one seeded by an int or by the OS.

    Args:
        where: the function or class being called, for the message.
        seed: an int >= 0, a ``random.Random``, or None.

    Returns:
        A ``random.Random``; the global ``random`` state is never used.

    Example:
        >>> make_rng("GPT", 0).random() == make_rng("GPT", 0).random()
        True
    """
    if isinstance(seed, random.Random):
        return seed
    if seed is None:
        return random.Random()
    # random.Random(-s) is the same stream as random.Random(s): refuse the alias.
    return random.Random(check_int(where, "seed", seed, 0))
