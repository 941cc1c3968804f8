"""Loss functions: mean squared error, binary and multi-class cross-entropy, hinge.

Each takes the predictions for N samples and their targets, and returns one
Value: the mean of the per-sample losses (``reduction="mean"``, the default, the
``1/N`` formulas below) or their sum (``reduction="sum"``). Predictions may be
Values or plain numbers; with numbers only the result is still a Value (a leaf).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import autograd
from autograd import Scalar, Value, checks

from .functional import log_softmax

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_loss",
    "mse_loss",
]

#: PyTorch clamps ``log`` inside binary cross-entropy to at least this, so a
#: confident wrong prediction (p = 0 for a positive) costs 100, not infinity.
LOG_CLAMP = -100.0
#: The smallest probability whose log is above LOG_CLAMP.
_SMALLEST_UNCLAMPED = math.exp(LOG_CLAMP)


def _data(x: Scalar) -> float:
    # float(x), not x.data: autograd.compile notices float() on a traced Value and
    # refuses to freeze this data-dependent choice into compiled code.
    return float(x)


def _pair(where: str, name: str, preds: object, targets: object, targets_name: str) -> int:
    """The number of samples, after checking both sides are sequences of one length."""
    n = len(checks.sequence(where, name, preds))
    m = len(checks.sequence(where, targets_name, targets))
    if n != m:
        raise ValueError(
            f"{where}: {name} and {targets_name} must have the same length, got {n} and {m}"
        )
    if n == 0:
        raise ValueError(f"{where}: {name} and {targets_name} are empty")
    return n


def _scalar(where: str, name: str, x: object) -> Scalar:
    return checks.scalar(where, name, x, Value)


def _reduce(total: Scalar, n: int, reduction: str) -> Value:
    """``total / n`` for "mean", ``total`` for "sum", as a Value."""
    result = total / n if reduction == "mean" and n != 1 else total
    return result if isinstance(result, Value) else Value(result)


_REDUCTIONS = ("mean", "sum")


def mse_loss(
    preds: Sequence[Scalar] | Sequence[Sequence[Scalar]],
    targets: Sequence[Scalar] | Sequence[Sequence[Scalar]],
    *,
    reduction: str = "mean",
) -> Value:
    """Mean squared error: ``(1/N) sum_i (p_i - t_i)^2``.

    Predictions may also be rows (a model with several outputs); then the mean
    is over every element, as in PyTorch. The gradient is ``(2/N)(p_i - t_i)``.

    Args:
        preds: N predictions, or N rows of predictions.
        targets: the N targets, shaped like ``preds``.
        reduction: ``"mean"`` or ``"sum"``.

    Returns:
        The loss as a Value.

    Raises:
        TypeError: if an argument or an element has the wrong type.
        ValueError: if the lengths differ or are 0.

    Example:
        >>> mse_loss([1.0, 2.0], [0.0, 4.0]).data  # (1 + 4) / 2
        2.5
    """
    where = "mse_loss"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    _pair(where, "preds", preds, targets, "targets")
    diffs: list[Scalar] = []
    for i, (p, t) in enumerate(zip(preds, targets)):
        if isinstance(p, Sequence) and not isinstance(p, (str, bytes)):
            _pair(where, f"preds[{i}]", p, t, f"targets[{i}]")
            diffs.extend(
                _scalar(where, f"preds[{i}][{j}]", a) - _scalar(where, f"targets[{i}][{j}]", b)
                for j, (a, b) in enumerate(zip(p, t))  # type: ignore[arg-type]
            )
        else:
            diffs.append(_scalar(where, f"preds[{i}]", p) - _scalar(where, f"targets[{i}]", t))
    # One dot node for the whole sum of squares: d/dd_i = 2 d_i (d_i on each side).
    return _reduce(autograd.dot(diffs, diffs), len(diffs), reduction)


def _clamped_log(p: Scalar) -> Scalar:
    """``max(log p, LOG_CLAMP)``; at or below the clamp it is a constant (zero gradient)."""
    if _data(p) < _SMALLEST_UNCLAMPED:
        return LOG_CLAMP
    return autograd.log(p)


def binary_cross_entropy(
    probs: Sequence[Scalar], targets: Sequence[Scalar], *, reduction: str = "mean"
) -> Value:
    """Binary cross-entropy: ``-(1/N) sum_i [t_i log p_i + (1 - t_i) log(1 - p_i)]``.

    As in PyTorch, each ``log`` is clamped to at least -100, so ``p = 0`` or
    ``p = 1`` gives a large finite loss instead of infinity (and no gradient
    through a clamped term). Prefer :func:`binary_cross_entropy_with_logits`
    on raw scores: it is exact where this one clamps.

    Args:
        probs: N probabilities in [0, 1], e.g. sigmoid outputs.
        targets: N targets in [0, 1] (usually 0 or 1).
        reduction: ``"mean"`` or ``"sum"``.

    Returns:
        The loss as a Value.

    Raises:
        TypeError: if an argument or an element has the wrong type.
        ValueError: if the lengths differ or are 0, or a probability or target
            is outside [0, 1].

    Example:
        >>> round(binary_cross_entropy([0.8, 0.4], [1, 0]).data, 6)  # -(log .8 + log .6) / 2
        0.366985
    """
    where = "binary_cross_entropy"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    n = _pair(where, "probs", probs, targets, "targets")
    logs: list[Scalar] = []
    weights: list[Scalar] = []
    for i, (p, t) in enumerate(zip(probs, targets)):
        p = _scalar(where, f"probs[{i}]", p)
        t = _scalar(where, f"targets[{i}]", t)
        if not 0.0 <= _data(p) <= 1.0:
            raise ValueError(f"{where}: probs[{i}] must be in [0, 1], got {_data(p)!r}")
        if not 0.0 <= _data(t) <= 1.0:
            raise ValueError(f"{where}: targets[{i}] must be in [0, 1], got {_data(t)!r}")
        logs += [_clamped_log(p), _clamped_log(1.0 - p)]
        weights += [t, 1.0 - t]
    # The whole sum is one dot node of the logs with the target weights.
    return _reduce(-autograd.dot(logs, weights), n, reduction)


def binary_cross_entropy_with_logits(
    logits: Sequence[Scalar], targets: Sequence[Scalar], *, reduction: str = "mean"
) -> Value:
    """Binary cross-entropy of ``sigmoid(x_i)``, computed from the logits ``x_i`` stably.

    ``(1/N) sum_i [softplus(x_i) - t_i x_i]`` with ``softplus(x) = log(1 + e^x)``,
    which equals ``-(1/N) sum_i [t_i log sigmoid(x_i) + (1 - t_i) log(1 - sigmoid(x_i))]``.
    softplus is evaluated as ``x + log(1 + e^-x)`` for ``x >= 0`` and
    ``log(1 + e^x)`` otherwise, i.e. ``max(x, 0) + log(1 + e^-|x|)``: ``exp``
    never overflows and nothing is clamped. The gradient is
    ``(1/N)(sigmoid(x_i) - t_i)``, correct at ``x = 0`` too.

    Args:
        logits: N raw scores (any real numbers).
        targets: N targets in [0, 1] (usually 0 or 1).
        reduction: ``"mean"`` or ``"sum"``.

    Returns:
        The loss as a Value.

    Raises:
        TypeError: if an argument or an element has the wrong type.
        ValueError: if the lengths differ or are 0, or a target is outside [0, 1].

    Example:
        >>> round(binary_cross_entropy_with_logits([0.0, 1000.0], [1, 1]).data, 6)  # log 2 / 2
        0.346574
    """
    where = "binary_cross_entropy_with_logits"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    n = _pair(where, "logits", logits, targets, "targets")
    terms: list[Scalar] = []
    for i, (x, t) in enumerate(zip(logits, targets)):
        x = _scalar(where, f"logits[{i}]", x)
        t = _scalar(where, f"targets[{i}]", t)
        if not 0.0 <= _data(t) <= 1.0:
            raise ValueError(f"{where}: targets[{i}] must be in [0, 1], got {_data(t)!r}")
        if _data(x) >= 0.0:
            softplus = x + autograd.log(1.0 + autograd.exp(-x))
        else:
            softplus = autograd.log(1.0 + autograd.exp(x))
        terms.append(softplus - t * x)
    return _reduce(autograd.sum(terms), n, reduction)


def cross_entropy(
    logits: Sequence[Sequence[Scalar]],
    targets: Sequence[int] | Sequence[Sequence[Scalar]],
    *,
    reduction: str = "mean",
) -> Value:
    """Multi-class cross-entropy of softmax(logits): ``(1/N) sum_i [logsumexp(z_i) - z_i[t_i]]``.

    That is ``-(1/N) sum_i log softmax(z_i)[t_i]``, computed with
    :func:`nn.functional.log_softmax` as ``(z_i[t_i] - m_i) - log(sum_j exp(z_ij - m_i))``
    with ``m_i = max(z_i)``, so it is finite for any finite logits and exact where
    it matters: equal logits give exactly ``log C``, even at 1e300. The gradient for
    row i is ``(1/N)(softmax(z_i) - onehot(t_i))``.

    A target may also be a row of C class probabilities ``p_i`` (PyTorch's soft
    targets): its term is ``-sum_j p_ij log softmax(z_i)_j``, one :func:`autograd.dot`
    node. A one-hot row gives exactly the class index's term, without indexing by
    data, so a function traced by :func:`autograd.compile` can take the targets as
    arguments; a row of zeros adds nothing (a padded position).

    Args:
        logits: N rows of C raw scores each (C >= 1, the same for every row).
        targets: N class indices, ints in ``[0, C)``, or N rows of C numbers or Values.
        reduction: ``"mean"`` or ``"sum"``.

    Returns:
        The loss as a Value.

    Raises:
        TypeError: if an argument, row, logit, class index or target entry has the
            wrong type.
        ValueError: if the lengths differ or are 0, rows differ in length, or a
            class index is out of range.

    Example:
        >>> round(cross_entropy([[2.0, 0.0, 0.0]], [0]).data, 6)  # log(e^2 + 2) - 2
        0.239545
        >>> round(cross_entropy([[2.0, 0.0, 0.0]], [[1.0, 0.0, 0.0]]).data, 6)  # one-hot
        0.239545
    """
    where = "cross_entropy"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    n = _pair(where, "logits", logits, targets, "targets")
    width = -1
    picked: list[Scalar] = []
    for i, (row, t) in enumerate(zip(logits, targets)):
        row = checks.sequence(where, f"logits[{i}]", row)
        if width == -1:
            width = len(row)
            if width == 0:
                raise ValueError(f"{where}: logits rows must not be empty")
        elif len(row) != width:
            raise ValueError(
                f"{where}: every logits row must have {width} entries like row 0, "
                f"row {i} has {len(row)}"
            )
        scores = [_scalar(where, f"logits[{i}][{j}]", z) for j, z in enumerate(row)]
        if type(t) is int or isinstance(t, (str, bytes)) or not hasattr(t, "__len__"):
            t = checks.integer(
                where, f"targets[{i}]", t, minimum=0, maximum=width - 1, why=f" for {width} classes"
            )
            picked.append(log_softmax(scores)[t])
            continue
        what = f"a class index or a row of {width} numbers"
        probs = checks.sequence(where, f"targets[{i}]", t, what=what, length=width)
        weights = [_scalar(where, f"targets[{i}][{j}]", p) for j, p in enumerate(probs)]
        picked.append(autograd.dot(weights, log_softmax(scores)))
    return _reduce(-autograd.sum(picked), n, reduction)


def hinge_loss(
    scores: Sequence[Scalar], targets: Sequence[float], *, reduction: str = "mean"
) -> Value:
    """The max-margin loss of an SVM: ``(1/N) sum_i max(0, 1 - t_i s_i)`` with ``t_i = +-1``.

    A sample costs nothing once it is on the right side with margin 1; the
    gradient is ``-(1/N) t_i`` for the others (0 at the kink, as relu).

    Args:
        scores: N raw scores.
        targets: N labels, each -1 or +1.
        reduction: ``"mean"`` or ``"sum"``.

    Returns:
        The loss as a Value.

    Raises:
        TypeError: if an argument or an element has the wrong type.
        ValueError: if the lengths differ or are 0, or a target is not -1 or +1.

    Example:
        >>> hinge_loss([2.0, 0.5, -1.0], [1, 1, 1]).data  # (0 + 0.5 + 2) / 3
        0.8333333333333334
    """
    where = "hinge_loss"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    n = _pair(where, "scores", scores, targets, "targets")
    terms: list[Scalar] = []
    for i, (s, t) in enumerate(zip(scores, targets)):
        s = _scalar(where, f"scores[{i}]", s)
        label = checks.real(where, f"targets[{i}]", t, finite=False)
        if label not in (-1.0, 1.0):
            raise ValueError(f"{where}: targets[{i}] must be -1 or +1, got {checks.shown(t)}")
        terms.append(autograd.relu(1.0 - label * s))
    return _reduce(autograd.sum(terms), n, reduction)
