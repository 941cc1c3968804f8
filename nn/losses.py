"""Loss functions: mean squared error, binary and multi-class cross-entropy, hinge.

Each takes the predictions for N samples and their targets, and returns one
Value: the mean of the per-sample losses (``reduction="mean"``, the default, the
``1/N`` formulas below) or their sum (``reduction="sum"``). Predictions may be
Values or plain numbers; with numbers only the result is still a Value (a leaf).

Each loss also has a per-sample form without Python branches on the data,
:data:`PER_SAMPLE`, which ``nn.fit(compile=True)`` compiles together with the model
to train whole batches on arrays.

The loss modules (``MSELoss``, ``BCELoss``, ``BCEWithLogitsLoss``, ``CrossEntropyLoss``,
``HingeLoss``) call these functions, as PyTorch's do; :data:`LOSSES` names them for
``nn.fit(loss="mse")``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, NamedTuple

import autograd
from autograd import Scalar, Value, checks

from .functional import log_softmax
from .module import Module

__all__ = [
    "LOSSES",
    "PER_SAMPLE",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HingeLoss",
    "MSELoss",
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

    Examples:
        >>> mse_loss([1.0, 2.0], [0.0, 4.0]).data  # (1 + 4) / 2
        2.5
    """
    where = "mse_loss"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    checks.paired(where, "preds", preds, "targets", targets)
    diffs: list[Scalar] = []
    for i, (p, t) in enumerate(zip(preds, targets)):
        if isinstance(p, Sequence) and not isinstance(p, (str, bytes)):
            checks.paired(where, f"preds[{i}]", p, f"targets[{i}]", t)
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

    Examples:
        >>> round(binary_cross_entropy([0.8, 0.4], [1, 0]).data, 6)  # -(log .8 + log .6) / 2
        0.366985
    """
    where = "binary_cross_entropy"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    n = checks.paired(where, "probs", probs, "targets", targets)
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
    softplus is the primitive :func:`autograd.softplus`, evaluated as
    ``max(x, 0) + log1p(e^-|x|)``: ``exp`` never overflows and nothing is clamped. The gradient is
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

    Examples:
        >>> round(binary_cross_entropy_with_logits([0.0, 1000.0], [1, 1]).data, 6)  # log 2 / 2
        0.346574
    """
    where = "binary_cross_entropy_with_logits"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    n = checks.paired(where, "logits", logits, "targets", targets)
    terms: list[Scalar] = []
    for i, (x, t) in enumerate(zip(logits, targets)):
        x = _scalar(where, f"logits[{i}]", x)
        t = _scalar(where, f"targets[{i}]", t)
        if not 0.0 <= _data(t) <= 1.0:
            raise ValueError(f"{where}: targets[{i}] must be in [0, 1], got {_data(t)!r}")
        terms.append(_logits_term(x, [t]))
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

    Examples:
        >>> round(cross_entropy([[2.0, 0.0, 0.0]], [0]).data, 6)  # log(e^2 + 2) - 2
        0.239545
        >>> round(cross_entropy([[2.0, 0.0, 0.0]], [[1.0, 0.0, 0.0]]).data, 6)  # one-hot
        0.239545
    """
    where = "cross_entropy"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    n = checks.paired(where, "logits", logits, "targets", targets)
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

    Examples:
        >>> hinge_loss([2.0, 0.5, -1.0], [1, 1, 1]).data  # (0 + 0.5 + 2) / 3
        0.8333333333333334
    """
    where = "hinge_loss"
    checks.choice(where, "reduction", reduction, _REDUCTIONS)
    n = checks.paired(where, "scores", scores, "targets", targets)
    terms: list[Scalar] = []
    for i, (s, t) in enumerate(zip(scores, targets)):
        s = _scalar(where, f"scores[{i}]", s)
        label = checks.real(where, f"targets[{i}]", t, finite=False)
        if label not in (-1.0, 1.0):
            raise ValueError(f"{where}: targets[{i}] must be -1 or +1, got {checks.shown(t)}")
        terms.append(autograd.relu(1.0 - label * s))
    return _reduce(autograd.sum(terms), n, reduction)


# --- per sample, without branches on data -----------------------------------------


def _squares_term(prediction: Any, target: Sequence[Scalar]) -> Scalar:
    """One sample's mean squared error over its outputs: ``(1/C) sum_j (p_j - t_j)^2``."""
    row = prediction if isinstance(prediction, list) else [prediction]
    diffs = [p - t for p, t in zip(row, target)]
    total: Scalar = autograd.dot(diffs, diffs)
    return total / len(diffs) if len(diffs) > 1 else total


def _probability_term(p: Any, target: Sequence[Scalar]) -> Scalar:
    """``-(t log p + (1 - t) log(1 - p))``, each log clamped at LOG_CLAMP by a maximum node."""
    (t,) = target
    small = _SMALLEST_UNCLAMPED
    log_p: Scalar = autograd.log(autograd.maximum(p, small))
    log_q: Scalar = autograd.log(autograd.maximum(1.0 - p, small))
    return -(t * log_p + (1.0 - t) * log_q)


def _logits_term(x: Any, target: Sequence[Scalar]) -> Scalar:
    """``softplus(x) - t x``: binary cross-entropy from a logit, stable for any x."""
    (t,) = target
    term: Scalar = autograd.softplus(x) - t * x
    return term


def _class_term(scores: list[Scalar], weights: Sequence[Scalar]) -> Scalar:
    """``sum_j w_j log softmax(z)_j``: for a one-hot ``w``, the class's log-probability exactly."""
    term: Scalar = autograd.dot(weights, log_softmax(scores))
    return term


def _hinge_term(s: Any, target: Sequence[Scalar]) -> Scalar:
    """``max(0, 1 - t s)``."""
    (t,) = target
    term: Scalar = autograd.relu(1.0 - t * s)
    return term


def _one_number(target: Any, n_outputs: int) -> list[float]:
    return [float(target)]


def _numbers(target: Any, n_outputs: int) -> list[float]:
    if isinstance(target, Sequence) and not isinstance(target, (str, bytes)):
        return [float(t) for t in target]
    return [float(target)]


def _one_hot(target: Any, n_outputs: int) -> list[float]:
    if isinstance(target, Sequence) and not isinstance(target, (str, bytes)):
        return [float(t) for t in target]
    return [1.0 if j == target else 0.0 for j in range(n_outputs)]


def _probabilities_in_range(predictions: Sequence[float]) -> None:
    for i, p in enumerate(predictions):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"binary_cross_entropy: probs[{i}] must be in [0, 1], got {p!r}")


class PerSample(NamedTuple):
    """A loss for one sample, with no Python branch on the data, so that it can be traced.

    The batch loss with ``reduction="mean"`` is the mean of the per-sample losses,
    so a compiled program of the model and this form, run over a batch on arrays
    (``autograd.compile(..., batch_argnums=...)``), gives the batch loss and its
    gradient. ``nn.fit(compile=True)`` does that.

    Attributes:
        loss: ``loss(prediction, target) -> Value``: one sample's loss, from the
            model's output (a Value, or a list for several outputs) and the target
            as the numbers ``encode`` gives.
        encode: ``encode(target, n_outputs) -> list of floats``: a target as numbers
            (a class index becomes a one-hot row of ``n_outputs``).
        check: ``check(predictions)``, predictions as floats, raising the loss's own
            ``ValueError`` for those outside its domain (probabilities outside
            [0, 1]), or None.
    """

    loss: Callable[[Any, Sequence[Scalar]], Scalar]
    encode: Callable[[Any, int], list[float]]
    check: Callable[[Sequence[float]], None] | None = None


#: The per-sample form of each loss of this module, by the loss function.
PER_SAMPLE: dict[Callable[..., Value], PerSample] = {
    mse_loss: PerSample(_squares_term, _numbers),
    binary_cross_entropy: PerSample(_probability_term, _one_number, _probabilities_in_range),
    binary_cross_entropy_with_logits: PerSample(_logits_term, _one_number),
    cross_entropy: PerSample(lambda row, target: -_class_term(list(row), target), _one_hot),
    hinge_loss: PerSample(_hinge_term, _one_number),
}


#: The losses by name, for ``nn.fit(loss="mse")``: the short names PyTorch users
#: know from its loss modules, and each function's own name.
LOSSES: dict[str, Callable[..., Value]] = {
    "mse": mse_loss,
    "bce": binary_cross_entropy,
    "bce_with_logits": binary_cross_entropy_with_logits,
    "cross_entropy": cross_entropy,
    "hinge": hinge_loss,
    **{
        function.__name__: function
        for function in (
            mse_loss,
            binary_cross_entropy,
            binary_cross_entropy_with_logits,
            cross_entropy,
            hinge_loss,
        )
    },
}


def resolve(where: str, loss: object) -> Callable[..., Value]:
    """``loss`` as a function: a name of :data:`LOSSES` looked up, anything else checked callable.

    A loss module with the default ``reduction="mean"`` (``MSELoss()``) is its function,
    so that ``fit`` treats ``loss=nn.MSELoss()`` as ``loss=nn.losses.mse_loss``: the
    same default metrics, and the batched program of :data:`PER_SAMPLE` with
    ``compile=True``. With ``reduction="sum"`` the module itself is returned.

    Args:
        where: the function called, for the message.
        loss: a name such as ``"mse"``, a loss module, or a callable.

    Returns:
        The loss function.

    Raises:
        ValueError: for a name that is not in :data:`LOSSES`, listing them.
        TypeError: for anything else that is not callable.

    Examples:
        >>> resolve("fit", "mse") is mse_loss
        True
        >>> resolve("fit", MSELoss()) is mse_loss
        True
    """
    if isinstance(loss, str):
        return LOSSES[checks.choice(where, "loss", loss, list(LOSSES))]
    if isinstance(loss, _LossModule) and loss.reduction == "mean":
        return type(loss)._function
    return checks.function(where, "loss", loss)


class _LossModule(Module):
    """A loss as a module, as ``torch.nn.MSELoss``: ``criterion(preds, targets)``.

    It has no parameters; calling it calls its function of this module with its
    ``reduction``.
    """

    _function: ClassVar[Callable[..., Value]]

    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = checks.choice(type(self).__name__, "reduction", reduction, _REDUCTIONS)

    def forward(self, preds: Any, targets: Any) -> Value:
        """The loss of ``preds`` against ``targets`` (see the function it calls).

        Args:
            preds: the model's predictions for a batch.
            targets: the targets, one per prediction.

        Returns:
            The reduced loss.
        """
        return type(self)._function(preds, targets, reduction=self.reduction)

    def extra_repr(self) -> str:
        """The reduction, as ``reduction='mean'``."""
        return f"reduction={self.reduction!r}"


class MSELoss(_LossModule):
    """:func:`mse_loss` as a module.

    Args:
        reduction: as :func:`mse_loss`'s.

    Examples:
        >>> MSELoss()([1.0, 3.0], [0.0, 1.0]).data  # (1 + 4) / 2
        2.5
    """

    _function = staticmethod(mse_loss)


class BCELoss(_LossModule):
    """:func:`binary_cross_entropy` (on probabilities) as a module.

    Args:
        reduction: as :func:`binary_cross_entropy`'s.

    Examples:
        >>> round(BCELoss()([0.5], [1.0]).data, 4)  # -log 0.5
        0.6931
    """

    _function = staticmethod(binary_cross_entropy)


class BCEWithLogitsLoss(_LossModule):
    """:func:`binary_cross_entropy_with_logits` (on raw scores) as a module.

    Args:
        reduction: as :func:`binary_cross_entropy_with_logits`'s.

    Examples:
        >>> round(BCEWithLogitsLoss()([0.0], [1.0]).data, 4)  # log 2
        0.6931
    """

    _function = staticmethod(binary_cross_entropy_with_logits)


class CrossEntropyLoss(_LossModule):
    """:func:`cross_entropy` (rows of logits, class indices or probabilities) as a module.

    Args:
        reduction: as :func:`cross_entropy`'s.

    Examples:
        >>> round(CrossEntropyLoss()([[0.0, 0.0]], [1]).data, 4)  # log 2
        0.6931
    """

    _function = staticmethod(cross_entropy)


class HingeLoss(_LossModule):
    """:func:`hinge_loss` (targets -1 or +1) as a module; PyTorch has no such class.

    Args:
        reduction: as :func:`hinge_loss`'s.

    Examples:
        >>> HingeLoss()([0.5], [1.0]).data
        0.5
    """

    _function = staticmethod(hinge_loss)
