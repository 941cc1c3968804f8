"""Functions over lists of Values: ``softmax``, ``log_softmax`` and element-wise activations."""

from __future__ import annotations

from collections.abc import Sequence

import autograd
from autograd import Scalar

__all__ = ["log_softmax", "logsumexp", "relu", "sigmoid", "softmax", "tanh"]


def _data(x: Scalar) -> float:
    # float(x), not x.data: autograd.compile notices float() on a traced Value and
    # refuses to freeze this data-dependent choice into compiled code.
    return float(x)


def _check(where: str, xs: Sequence[Scalar]) -> None:
    if isinstance(xs, (str, bytes)) or not isinstance(xs, Sequence):
        raise TypeError(
            f"{where}: expects a sequence of Values or numbers, got {type(xs).__name__}"
        )
    if not xs:
        raise ValueError(f"{where}: expects at least one element, got an empty sequence")


def logsumexp(xs: Sequence[Scalar]) -> Scalar:
    """``log(exp(x_1) + ... + exp(x_n))``, computed without overflow.

    With ``m = max(x)``: ``logsumexp(x) = m + log(sum_j exp(x_j - m))``. Every
    ``x_j - m <= 0``, so no ``exp`` overflows, and the largest term is 1, so the
    ``log`` never sees 0. ``m`` is taken as a constant: the gradient is the same
    either way (``d/dx_i = softmax(x)_i``) and the graph is smaller.

    Args:
        xs: a non-empty sequence of Values or numbers.

    Returns:
        A Value if any input is a Value, else a float.

    Example:
        >>> round(logsumexp([1000.0, 1000.0]), 6)
        1000.693147
    """
    _check("logsumexp", xs)
    m = max(_data(x) for x in xs)
    total = autograd.sum([autograd.exp(x - m) for x in xs])
    return autograd.log(total) + m


def softmax(xs: Sequence[Scalar]) -> list[Scalar]:
    """``softmax(x)_i = exp(x_i) / sum_j exp(x_j)``, stable for any finite inputs.

    The maximum is subtracted first (``exp(x_i - m)``), which leaves the result
    unchanged and keeps ``exp`` from overflowing.

    Args:
        xs: a non-empty sequence of Values or numbers (logits).

    Returns:
        A list of the same length: probabilities that sum to 1.

    Example:
        >>> [round(p, 4) for p in softmax([1.0, 2.0, 3.0])]
        [0.09, 0.2447, 0.6652]
    """
    _check("softmax", xs)
    m = max(_data(x) for x in xs)
    exps = [autograd.exp(x - m) for x in xs]
    total = autograd.sum(exps)
    return [e / total for e in exps]


def log_softmax(xs: Sequence[Scalar]) -> list[Scalar]:
    """``log_softmax(x)_i = x_i - logsumexp(x)``, stable for any finite inputs.

    Computed from :func:`logsumexp` rather than as ``log(softmax(x))``, which
    would give ``log(0) = -inf`` for logits far below the maximum.

    Args:
        xs: a non-empty sequence of Values or numbers (logits).

    Returns:
        A list of the same length of log-probabilities.

    Example:
        >>> log_softmax([0.0, -1000.0])
        [0.0, -1000.0]
    """
    lse = logsumexp(xs)
    return [x - lse for x in xs]


def relu(xs: Sequence[Scalar]) -> list[Scalar]:
    """``max(x_i, 0)`` for each element.

    Args:
        xs: Values or numbers.

    Returns:
        A list of the same length.

    Example:
        >>> relu([-1.0, 2.0])
        [0.0, 2.0]
    """
    return [autograd.relu(x) for x in xs]


def tanh(xs: Sequence[Scalar]) -> list[Scalar]:
    """``tanh(x_i)`` for each element.

    Args:
        xs: Values or numbers.

    Returns:
        A list of the same length.

    Example:
        >>> tanh([0.0])
        [0.0]
    """
    return [autograd.tanh(x) for x in xs]


def sigmoid(xs: Sequence[Scalar]) -> list[Scalar]:
    """``1 / (1 + exp(-x_i))`` for each element.

    Args:
        xs: Values or numbers.

    Returns:
        A list of the same length.

    Example:
        >>> sigmoid([0.0, -1000.0])
        [0.5, 0.0]
    """
    return [autograd.sigmoid(x) for x in xs]
