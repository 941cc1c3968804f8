"""Functions over lists of Values: ``softmax``, ``log_softmax`` and element-wise activations."""

from __future__ import annotations

from collections.abc import Sequence

import autograd
from autograd import Scalar, Value, checks

__all__ = ["log_softmax", "logsumexp", "relu", "sigmoid", "softmax", "tanh"]


def _scalars(where: str, xs: object, *, empty: bool = True) -> list[Scalar]:
    """The elements of ``xs``, a sequence of Values and real numbers, as Values and floats."""
    items = checks.sequence(where, "xs", xs, what="a sequence of Values or numbers")
    if not empty and not items:
        raise ValueError(f"{where}: xs must hold at least one element, got an empty sequence")
    return [checks.scalar(where, f"xs[{i}]", x, Value) for i, x in enumerate(items)]


def _shifted(xs: list[Scalar]) -> tuple[Scalar, list[Scalar]]:
    """``(m, [x_j - m])`` with ``m = max(x)``: the stable starting point of softmax and its kin.

    Every ``x_j - m <= 0``, so no ``exp`` of it overflows, and one of them is exactly 0,
    so a sum of their ``exp`` is at least 1 and its ``log`` never sees 0. Equal inputs
    give exact zeros, however large they are.

    ``m`` is one :func:`autograd.max` node, not a number picked in Python: the choice of
    the maximum happens inside the op, so :func:`autograd.compile` can trace these
    functions and a batched program picks each sample's own maximum. Each result below
    is unchanged by ``m``, and so is its gradient: what flows into ``m`` is the sum of
    what flows into the ``x_j - m``, which cancels to 0 up to rounding.
    """
    m = autograd.max(xs)
    return m, [x - m for x in xs]


def _log_sum_exp(shifted: list[Scalar]) -> Scalar:
    """``log(sum_j exp(s_j))`` for inputs from :func:`_shifted`: between 0 and ``log n``."""
    return autograd.log(autograd.sum([autograd.exp(s) for s in shifted]))


def logsumexp(xs: Sequence[Scalar]) -> Scalar:
    """``log(exp(x_1) + ... + exp(x_n))``, computed without overflow.

    With ``m = max(x)``: ``logsumexp(x) = m + log(sum_j exp(x_j - m))``. Every
    ``x_j - m <= 0``, so no ``exp`` overflows, and the largest term is 1, so the
    ``log`` never sees 0. ``m`` is an :func:`autograd.max` node, whose paths cancel
    in the gradient: ``d/dx_i = softmax(x)_i``.

    Args:
        xs: a non-empty sequence of Values or numbers.

    Returns:
        A Value if any input is a Value, else a float.

    Raises:
        TypeError: if ``xs`` is not a sequence of Values and real numbers (bool is not one).
        ValueError: if it is empty.

    Examples:
        >>> round(logsumexp([1000.0, 1000.0]), 6)
        1000.693147
    """
    m, shifted = _shifted(_scalars("logsumexp", xs, empty=False))
    return _log_sum_exp(shifted) + m


def softmax(xs: Sequence[Scalar]) -> list[Scalar]:
    """``softmax(x)_i = exp(x_i) / sum_j exp(x_j)``, stable for any finite inputs.

    The maximum is subtracted first (``exp(x_i - m)``), which leaves the result
    unchanged and keeps ``exp`` from overflowing.

    Args:
        xs: a non-empty sequence of Values or numbers (logits).

    Returns:
        A list of the same length: probabilities that sum to 1.

    Raises:
        TypeError: if ``xs`` is not a sequence of Values and real numbers (bool is not one).
        ValueError: if it is empty.

    Examples:
        >>> [round(p, 4) for p in softmax([1.0, 2.0, 3.0])]
        [0.09, 0.2447, 0.6652]
    """
    _, shifted = _shifted(_scalars("softmax", xs, empty=False))
    exps = [autograd.exp(s) for s in shifted]
    total = autograd.sum(exps)
    return [e / total for e in exps]


def log_softmax(xs: Sequence[Scalar]) -> list[Scalar]:
    """``log_softmax(x)_i = x_i - logsumexp(x)``, stable and exact for any finite inputs.

    Computed as ``(x_i - m) - log(sum_j exp(x_j - m))`` with ``m = max(x)``, not as
    ``log(softmax(x))`` (which gives ``log(0) = -inf`` for logits far below the
    maximum) nor as ``x_i - logsumexp(x)`` (which loses ``log n`` when ``m`` is
    large: at ``m = 1e16``, ``m + log 2`` rounds to ``m``). So equal logits give
    exactly ``-log n``, however large.

    Args:
        xs: a non-empty sequence of Values or numbers (logits).

    Returns:
        A list of the same length of log-probabilities.

    Raises:
        TypeError: if ``xs`` is not a sequence of Values and real numbers (bool is not one).
        ValueError: if it is empty.

    Examples:
        >>> log_softmax([0.0, -1000.0])
        [0.0, -1000.0]
        >>> log_softmax([1e300, 1e300])
        [-0.6931471805599453, -0.6931471805599453]
    """
    _, shifted = _shifted(_scalars("log_softmax", xs, empty=False))
    normalizer = _log_sum_exp(shifted)
    return [s - normalizer for s in shifted]


def relu(xs: Sequence[Scalar]) -> list[Scalar]:
    """``max(x_i, 0)`` for each element.

    Args:
        xs: Values or numbers.

    Returns:
        A list of the same length.

    Raises:
        TypeError: if ``xs`` is not a sequence of Values and real numbers (bool is not one).

    Examples:
        >>> relu([-1.0, 2.0])
        [0.0, 2.0]
    """
    return [autograd.relu(x) for x in _scalars("relu", xs)]


def tanh(xs: Sequence[Scalar]) -> list[Scalar]:
    """``tanh(x_i)`` for each element.

    Args:
        xs: Values or numbers.

    Returns:
        A list of the same length.

    Raises:
        TypeError: if ``xs`` is not a sequence of Values and real numbers (bool is not one).

    Examples:
        >>> tanh([0.0])
        [0.0]
    """
    return [autograd.tanh(x) for x in _scalars("tanh", xs)]


def sigmoid(xs: Sequence[Scalar]) -> list[Scalar]:
    """``1 / (1 + exp(-x_i))`` for each element.

    Args:
        xs: Values or numbers.

    Returns:
        A list of the same length.

    Raises:
        TypeError: if ``xs`` is not a sequence of Values and real numbers (bool is not one).

    Examples:
        >>> sigmoid([0.0, -1000.0])
        [0.5, 0.0]
    """
    return [autograd.sigmoid(x) for x in _scalars("sigmoid", xs)]
