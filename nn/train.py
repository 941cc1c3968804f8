"""``fit``: the training loop with a progress bar, its ``History``, and ``accuracy``."""

from __future__ import annotations

import math
import numbers
import operator
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import Value, no_grad
from autograd.compiler import Program, tracing

from . import losses
from .data import batches
from .module import Module
from .optim import Optimizer
from .schedulers import LRScheduler

__all__ = ["History", "accuracy", "fit"]

#: A metric: ``metric(predictions, targets) -> float``, predictions as plain numbers or rows.
Metric = Callable[[list[Any], Sequence[Any]], float]


def _number(x: object) -> float:
    return x.data if isinstance(x, Value) else float(x)  # type: ignore[arg-type]


def _plain(prediction: object) -> float | list[float]:
    """A model output as plain numbers: a float, or a list of floats for several outputs."""
    if isinstance(prediction, (list, tuple)):
        return [_number(x) for x in prediction]
    return _number(prediction)


def accuracy(
    predictions: Sequence[Any], targets: Sequence[Any], *, threshold: float = 0.0
) -> float:
    """The fraction of predictions whose class matches the target.

    * A row of scores per sample (several outputs): the predicted class is the
      index of the largest score (the first one on a tie), compared with an int
      class index.
    * One score per sample (binary): the prediction is positive when the score
      is above ``threshold``, the target when it is above 0, so targets may be
      0/1 or -1/+1. Use ``threshold=0.0`` for logits and hinge scores (the
      default) and ``threshold=0.5`` for probabilities.

    Args:
        predictions: N numbers or Values, or N rows of them.
        targets: the N targets.
        threshold: the score above which a binary prediction is positive.

    Returns:
        A float in [0, 1].

    Raises:
        ValueError: if the lengths differ or are 0.

    Example:
        >>> accuracy([2.0, -1.0, 0.5], [1, 0, 0])
        0.6666666666666666
        >>> accuracy([[0.1, 0.9], [0.8, 0.2]], [1, 1])
        0.5
    """
    n = len(predictions)
    if n != len(targets):
        raise ValueError(
            f"accuracy: predictions and targets must have the same length, "
            f"got {n} and {len(targets)}"
        )
    if n == 0:
        raise ValueError("accuracy: predictions and targets are empty")
    correct = 0
    for prediction, target in zip(predictions, targets):
        if isinstance(prediction, (list, tuple)):
            scores = [_number(s) for s in prediction]
            correct += scores.index(max(scores)) == target
        else:
            correct += (_number(prediction) > threshold) == (_number(target) > 0.0)
    return correct / n


#: Losses for which fit tracks accuracy by default, with the threshold their outputs need.
_CLASSIFIER_THRESHOLDS: dict[Callable[..., Value], float] = {
    losses.binary_cross_entropy_with_logits: 0.0,
    losses.hinge_loss: 0.0,
    losses.cross_entropy: 0.0,
    losses.binary_cross_entropy: 0.5,
}


@dataclass
class History:
    """What :func:`fit` measured, one entry per epoch.

    Attributes:
        loss: the training loss: the mean over the epoch's samples (each batch's
            mean loss weighted by its size).
        val_loss: the loss on ``val_data`` after each epoch (empty without it).
        metrics: each tracked metric by name, e.g. ``"accuracy"`` on the training
            predictions made during the epoch and ``"val_accuracy"`` on ``val_data``
            after it.

    Example:
        >>> history = History(loss=[0.7, 0.4], metrics={"accuracy": [0.5, 0.9]})
        >>> history.accuracy, history.val_accuracy
        ([0.5, 0.9], [])
    """

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)

    @property
    def accuracy(self) -> list[float]:
        """The training accuracy per epoch (empty when not tracked)."""
        return self.metrics.get("accuracy", [])

    @property
    def val_accuracy(self) -> list[float]:
        """The validation accuracy per epoch (empty when not tracked)."""
        return self.metrics.get("val_accuracy", [])


def _default_metrics(loss: Callable[..., Any]) -> dict[str, Metric]:
    threshold = _CLASSIFIER_THRESHOLDS.get(loss)
    if threshold is None:
        return {}
    return {"accuracy": lambda p, t: accuracy(p, t, threshold=threshold)}


def _loss_number(value: object, where: str) -> float:
    """A loss as a float; validation losses may be plain numbers (no graph was needed)."""
    if isinstance(value, Value):
        return value.data
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"{where}: loss must return a Value, got {type(value).__name__}")


def fit(
    model: Module | Callable[[Any], Any],
    X: Sequence[Sequence[float]],
    y: Sequence[Any],
    *,
    loss: Callable[[list[Any], list[Any]], Value],
    optimizer: Optimizer,
    epochs: int,
    batch_size: int | None = None,
    scheduler: LRScheduler | None = None,
    val_data: tuple[Sequence[Sequence[float]], Sequence[Any]] | None = None,
    metrics: Mapping[str, Metric] | None = None,
    progress: bool = True,
    seed: int | None = None,
    compile: bool = False,  # shadows the builtin inside fit, like the keyword of torch.compile
) -> History:
    """Train ``model`` on ``(X, y)``: forward, loss, backward, step, for every batch of every epoch.

    Each step zeroes the optimizer's gradients, calls ``model(x)`` for each
    sample of the batch, computes ``loss(predictions, targets)``, calls
    ``backward()`` on it and then ``optimizer.step()``. After each epoch it
    records the loss and metrics, evaluates ``val_data`` (under ``no_grad``),
    and steps the ``scheduler``.

    Args:
        model: a Module (or any callable) mapping one row of ``X`` to a prediction.
        X: the training inputs, one row per sample.
        y: the targets, one per row.
        loss: ``loss(predictions, targets) -> Value``, the batch's *mean* loss,
            e.g. a function of :mod:`nn.losses`.
        optimizer: an optimizer over the model's parameters.
        epochs: the number of passes over the data, >= 1.
        batch_size: the samples per step; None for the whole data set (one step
            per epoch).
        scheduler: a learning-rate scheduler, stepped once per epoch.
        val_data: ``(X_val, y_val)`` to evaluate after each epoch.
        metrics: ``{name: metric(predictions, targets) -> float}`` with
            predictions as plain numbers; None tracks :func:`accuracy` when
            ``loss`` is one of the classification losses of :mod:`nn.losses`
            (``binary_cross_entropy``, ``..._with_logits``, ``cross_entropy``,
            ``hinge_loss``); ``{}`` tracks nothing.
        progress: show a progress bar (tqdm, also in notebooks); False is quiet.
        seed: the seed of the batch order. None draws it from the model's
            ``rng`` when it has one (so a seeded MLP trains the same way, bit for
            bit, every run), else from fresh randomness. The whole data set
            in one batch is used in its order.
        compile: trace the model's forward pass for one sample once (per input
            length) with :mod:`autograd.compiler`, and run it as generated Python:
            the parameters are passed to it as arguments, so it sees every update.
            The loss stays dynamic (so any loss works, including ones that branch
            on the predictions): it is built on the predictions as leaves, and
            its gradients are carried back through each sample's compiled
            backward pass. The results equal the dynamic path's up to rounding.
            The model must not branch in Python on values computed from its
            parameters or inputs (``TraceError`` says so; branches inside ops
            such as ``relu`` are fine).

    Returns:
        A :class:`History`.

    Raises:
        FloatingPointError: when the loss becomes NaN or infinite, naming the epoch.
        ValueError: if ``X`` and ``y`` do not match or an argument is out of range.
        autograd.compiler.TraceError: with ``compile=True``, when the model's
            Python control flow depends on its parameters or inputs.

    Example:
        >>> import nn
        >>> X, y = nn.data.make_moons(40, noise=0.1, seed=0)
        >>> model = nn.MLP(2, [8, 1], seed=0)
        >>> history = nn.fit(model, X, y, loss=nn.losses.binary_cross_entropy_with_logits,
        ...                  optimizer=nn.optim.Adam(model.parameters(), lr=0.05),
        ...                  epochs=20, progress=False)
        >>> len(history.loss), history.loss[-1] < history.loss[0]
        (20, True)
    """
    where = "fit"
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"{where}: epochs must be an int >= 1, got {epochs!r}")
    n = len(X)
    if n != len(y):
        raise ValueError(f"{where}: X and y must have the same length, got {n} and {len(y)}")
    if n == 0:
        raise ValueError(f"{where}: X and y are empty")
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise ValueError(f"{where}: batch_size must be an int >= 1 or None, got {batch_size!r}")
    if val_data is not None and (not isinstance(val_data, tuple) or len(val_data) != 2):
        raise ValueError(f"{where}: val_data must be a pair (X_val, y_val)")
    tracked = dict(_default_metrics(loss) if metrics is None else metrics)
    if seed is not None:
        rng = random.Random(seed)
    else:
        model_rng = getattr(model, "rng", None)
        rng = model_rng if isinstance(model_rng, random.Random) else random.Random()
    size = n if batch_size is None else batch_size
    step = _CompiledStep(model, optimizer) if compile else _dynamic_step

    from tqdm.auto import tqdm  # a runtime dependency, imported when needed

    history = History()
    bar = tqdm(range(1, epochs + 1), desc="fit", unit="epoch", disable=not progress)
    try:
        for epoch in bar:
            total = 0.0
            predictions: list[Any] = []
            targets: list[Any] = []
            order = batches(X, y, size, shuffle=size < n, seed=rng.randrange(2**32))
            for X_batch, y_batch in order:
                optimizer.zero_grad()
                value, outputs = step(model, X_batch, y_batch, loss, epoch)
                optimizer.step()
                total += value * len(y_batch)
                predictions += [_plain(o) for o in outputs]
                targets += y_batch
            history.loss.append(total / n)
            for name, metric in tracked.items():
                history.metrics.setdefault(name, []).append(metric(predictions, targets))
            if val_data is not None:
                _validate(model, val_data, loss, tracked, history)
            if scheduler is not None:
                scheduler.step()
            if progress:
                bar.set_postfix(_summary(history), refresh=False)
    finally:
        bar.close()
    return history


def _objective(
    outputs: list[Any], y_batch: list[Any], loss: Callable[..., Value], epoch: int
) -> Value:
    """The batch loss, checked to be a finite Value."""
    objective = loss(outputs, y_batch)
    if not isinstance(objective, Value):
        raise TypeError(
            f"fit: loss must return a Value to backpropagate from, got {type(objective).__name__}"
        )
    if not math.isfinite(objective.data):
        raise FloatingPointError(
            f"fit: the loss became {objective.data!r} in epoch {epoch}; "
            "try a smaller learning rate or check the data"
        )
    return objective


def _dynamic_step(
    model: Callable[[Any], Any],
    X_batch: list[Any],
    y_batch: list[Any],
    loss: Callable[..., Value],
    epoch: int,
) -> tuple[float, list[Any]]:
    """Forward and backward for one batch on the graph: the loss and the model's outputs."""
    outputs = [model(x) for x in X_batch]
    objective = _objective(outputs, y_batch, loss, epoch)
    objective.backward()
    return objective.data, outputs


class _CompiledStep:
    """Forward and backward for one batch with the model's per-sample pass compiled.

    The model is traced once per input length, on its own parameter Values and
    fresh leaves for the sample, which all become the program's arguments.
    """

    def __init__(self, model: Callable[[Any], Any], optimizer: Optimizer) -> None:
        params = list(optimizer.params)
        if isinstance(model, Module):
            params += model.parameters()
        self.params = list(dict.fromkeys(params))  # every parameter once, optimizer's first
        self.model = model
        #: By input length: the program and whether the model returns one Value.
        self.programs: dict[int, tuple[Program, bool]] = {}

    def _program(self, x: Sequence[float]) -> tuple[Program, bool]:
        entry = self.programs.get(len(x))
        if entry is None:
            leaves = [Value(v) for v in x]
            name = f"fit(compile=True) tracing the model on {len(x)} input(s)"
            with tracing(name, [*self.params, *leaves]):
                out = self.model(leaves)
            single = not isinstance(out, (list, tuple))
            outs = [
                o if isinstance(o, Value) else Value(_number(o)) for o in ([out] if single else out)
            ]
            entry = (Program(outs, [*self.params, *leaves], n_wrt=len(self.params)), single)
            self.programs[len(x)] = entry
        return entry

    def __call__(
        self,
        model: Callable[[Any], Any],
        X_batch: list[Any],
        y_batch: list[Any],
        loss: Callable[..., Value],
        epoch: int,
    ) -> tuple[float, list[Any]]:
        data = [p.data for p in self.params]
        rows = [[float(v) for v in x] for x in X_batch]
        programs = [self._program(x) for x in rows]
        # The loss is built on the predictions as leaves; their grads are the seeds
        # of each sample's compiled backward pass.
        leaves = [
            [Value(o) for o in program.forward(*data, *x)]
            for x, (program, _) in zip(rows, programs)
        ]
        outputs = [ls[0] if single else ls for ls, (_, single) in zip(leaves, programs)]
        objective = _objective(outputs, y_batch, loss, epoch)
        objective.backward()
        total = [0.0] * len(data)
        for x, (program, _), sample in zip(rows, programs, leaves):
            seeds = [leaf.grad for leaf in sample]
            if any(seeds):  # a zero seed contributes nothing, as in backward()
                total = list(map(operator.add, total, program.backward(*data, *x, *seeds)[1]))
        for p, g in zip(self.params, total):
            p.grad += g
        return objective.data, outputs


def _validate(
    model: Callable[[Any], Any],
    val_data: tuple[Sequence[Sequence[float]], Sequence[Any]],
    loss: Callable[[list[Any], list[Any]], Value],
    tracked: Mapping[str, Metric],
    history: History,
) -> None:
    """Evaluate the model on the validation data, without recording a graph."""
    X_val, y_val = val_data
    with no_grad():
        outputs = [model(x) for x in X_val]
        history.val_loss.append(_loss_number(loss(outputs, list(y_val)), "fit"))
    predictions = [_plain(o) for o in outputs]
    for name, metric in tracked.items():
        history.metrics.setdefault(f"val_{name}", []).append(metric(predictions, y_val))


def _summary(history: History) -> dict[str, str]:
    """The latest numbers, for the progress bar."""
    latest = {"loss": history.loss[-1]}
    if history.val_loss:
        latest["val_loss"] = history.val_loss[-1]
    for name, values in history.metrics.items():
        latest[name] = values[-1]
    return {name: f"{value:.4f}" for name, value in latest.items()}
