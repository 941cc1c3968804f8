"""``fit``: the training loop with a progress bar, its ``History``, and ``accuracy``."""

from __future__ import annotations

import contextlib
import gc
import math
import numbers
import operator
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import Value, checks, no_grad
from autograd.compiler import Program, tracing

from . import losses
from .data import batches
from .module import Module
from .optim import Optimizer
from .schedulers import LRScheduler

__all__ = ["History", "accuracy", "fit"]

#: A metric: ``metric(predictions, targets) -> float``, predictions as plain numbers or rows.
Metric = Callable[[list[Any], Sequence[Any]], float]

#: The cyclic GC's young-generation threshold during a training step (CPython's is 700).
#: A step makes thousands of graph nodes, none of them in a reference cycle, so young
#: collections during it find nothing to free: micrograd's demo fitted with ``fit``
#: goes from 13.4 to 11.2 ms per step.
_STEP_GC_THRESHOLD = 20_000


@contextlib.contextmanager
def _fewer_young_collections() -> Iterator[None]:
    """Raise the GC's young-generation threshold to _STEP_GC_THRESHOLD, then put it back."""
    thresholds = gc.get_threshold()
    # 0 turns automatic collection off, and a higher threshold is the user's own: keep both.
    if 0 < thresholds[0] < _STEP_GC_THRESHOLD:
        gc.set_threshold(_STEP_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _number(x: object) -> float:
    return x.data if isinstance(x, Value) else float(x)  # type: ignore[arg-type]


def _plain(prediction: object) -> float | list[float]:
    """A model output as plain numbers: a float, or a list of floats for several outputs."""
    if isinstance(prediction, (list, tuple)):
        return [_number(x) for x in prediction]
    return _number(prediction)


def _score(where: str, name: str, x: object) -> float:
    """A prediction as a float: a Value's data or a real number, not NaN."""
    number = float(checks.scalar(where, name, x, Value))
    if math.isnan(number):
        raise ValueError(f"{where}: {name} must be a number, got nan")
    return number


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

    Every row must have as many scores as the first row.

    Args:
        predictions: N numbers or Values, or N rows of them (lists or tuples).
        targets: the N targets: class indices for rows, finite numbers for scores.
        threshold: the score above which a binary prediction is positive.

    Returns:
        A float in [0, 1].

    Raises:
        TypeError: if an argument, a prediction or a target has the wrong type.
        ValueError: if the lengths differ or are 0, a prediction is NaN, rows
            differ in length, or a target is not finite or not a class index.

    Example:
        >>> accuracy([2.0, -1.0, 0.5], [1, 0, 0])
        0.6666666666666666
        >>> accuracy([[0.1, 0.9], [0.8, 0.2]], [1, 1])
        0.5
    """
    where = "accuracy"
    preds = checks.sequence(where, "predictions", predictions)
    labels = checks.sequence(where, "targets", targets)
    cut = checks.real(where, "threshold", threshold)
    n = len(preds)
    if n != len(labels):
        raise ValueError(
            f"{where}: predictions and targets must have the same length, got {n} and {len(labels)}"
        )
    if n == 0:
        raise ValueError(f"{where}: predictions and targets are empty")
    width = 0  # the length of every row of scores, set by the first one
    correct = 0
    for i, (prediction, target) in enumerate(zip(preds, labels)):
        name = f"predictions[{i}]"
        if isinstance(prediction, (list, tuple)):
            if not prediction or (width and len(prediction) != width):
                row = f"a row of {width} scores like the first row" if width else "a row of scores"
                raise ValueError(f"{where}: {name} must be {row}, got {checks.shown(prediction)}")
            width = len(prediction)
            scores = [_score(where, f"{name}[{j}]", score) for j, score in enumerate(prediction)]
            classes = f" for {width} classes"
            label = checks.integer(
                where, f"targets[{i}]", target, minimum=0, maximum=width - 1, why=classes
            )
            correct += scores.index(max(scores)) == label
        else:
            truth = target.data if isinstance(target, Value) else target
            positive = checks.real(where, f"targets[{i}]", truth) > 0.0
            correct += (_score(where, name, prediction) > cut) == positive
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

    Every argument is checked before training starts. A loss that is NaN or
    infinite stops training before the step. After every step the optimizer's
    parameters are checked (one pass over floats): if one became NaN or
    infinite, the parameters and the optimizer's state are put back as they
    were before that step, and ``FloatingPointError`` names the epoch, the step
    and the parameter.

    During each step (forward, backward and the optimizer's update) the cyclic
    garbage collector's young-generation threshold is raised from CPython's 700
    to 20,000, and put back when the step ends or raises: a step's graph has no
    reference cycles, so the collections it would trigger are wasted work (about
    15% of a step of micrograd's demo). The threshold is process-wide, so other
    threads run with it during a step too; a threshold of 0 (automatic
    collection off) or one already higher is left as it is.

    Args:
        model: a Module (or any callable) mapping one row of ``X`` to a prediction.
        X: the training inputs, one row per sample.
        y: the targets, one per row.
        loss: ``loss(predictions, targets) -> Value``, the batch's *mean* loss,
            e.g. a function of :mod:`nn.losses`.
        optimizer: an :mod:`nn.optim` optimizer over the model's parameters.
        epochs: the number of passes over the data, from 1 to
            ``autograd.checks.MAX_SIZE`` (ten million).
        batch_size: the samples per step, >= 1; None for the whole data set (one
            step per epoch).
        scheduler: a learning-rate scheduler of ``optimizer``, stepped once per epoch.
        val_data: ``(X_val, y_val)`` to evaluate after each epoch.
        metrics: ``{name: metric(predictions, targets) -> float}`` with
            predictions as plain numbers; None tracks :func:`accuracy` when
            ``loss`` is one of the classification losses of :mod:`nn.losses`
            (``binary_cross_entropy``, ``..._with_logits``, ``cross_entropy``,
            ``hinge_loss``); ``{}`` tracks nothing.
        progress: show a progress bar (tqdm, also in notebooks); False is quiet.
        seed: the seed of the batch order, an int >= 0. None draws it from the model's
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
        FloatingPointError: when the loss, or a parameter after a step, becomes NaN
            or infinite, naming the epoch and the step.
        TypeError: if an argument has the wrong type (flags must be True or False).
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
    checks.function(where, "model", model)
    n = _check_data(where, "X", X, "y", y)
    loss = checks.function(where, "loss", loss)
    checks.instance(where, "optimizer", optimizer, Optimizer, _AN_OPTIMIZER)
    epochs = checks.size(where, "epochs", epochs)
    if batch_size is not None:
        batch_size = checks.integer(where, "batch_size", batch_size, minimum=1)
    if scheduler is not None:
        checks.instance(where, "scheduler", scheduler, LRScheduler, "an nn.optim scheduler")
        if scheduler.optimizer is not optimizer:
            raise ValueError(f"{where}: scheduler must schedule the optimizer given to fit")
    if val_data is not None:
        pair = checks.sequence(where, "val_data", val_data, what="a pair (X_val, y_val)", length=2)
        _check_data(where, "val_data[0]", pair[0], "val_data[1]", pair[1])
    tracked = dict(_default_metrics(loss) if metrics is None else _check_metrics(where, metrics))
    progress = checks.flag(where, "progress", progress)
    seed = checks.seed(where, seed)
    compile = checks.flag(where, "compile", compile)
    if seed is not None:
        rng = random.Random(seed)
    else:
        model_rng = getattr(model, "rng", None)
        rng = model_rng if isinstance(model_rng, random.Random) else random.Random()
    size = n if batch_size is None else batch_size
    step = _CompiledStep(model, optimizer) if compile else _dynamic_step
    params = optimizer.params

    history = History()
    epoch_numbers = range(1, epochs + 1)
    bar: Any = None
    if progress:
        # Imported only when wanted: tqdm.auto warns in a notebook without ipywidgets.
        from tqdm.auto import tqdm

        bar = tqdm(epoch_numbers, desc="fit", unit="epoch")
    try:
        before = [p.data for p in params]
        for epoch in bar if bar is not None else epoch_numbers:
            total = 0.0
            predictions: list[Any] = []
            targets: list[Any] = []
            order = batches(X, y, size, shuffle=size < n, seed=rng.randrange(2**32))
            for number, (X_batch, y_batch) in enumerate(order, start=1):
                when = f"epoch {epoch}, step {number}"
                saved = _optimizer_state(optimizer)
                optimizer.zero_grad()
                with _fewer_young_collections():
                    value, outputs = step(model, X_batch, y_batch, loss, when)
                    optimizer.step()
                after = [p.data for p in params]
                if not all(map(math.isfinite, after)):  # cheap: C-level, one pass
                    _restore(params, before, optimizer, saved)
                    raise _diverged(params, after, when)
                before = after
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
            if bar is not None:
                bar.set_postfix(_summary(history), refresh=False)
    finally:
        if bar is not None:
            bar.close()
    return history


_AN_OPTIMIZER = "an nn.optim optimizer such as nn.optim.SGD(model.parameters(), lr=0.1)"


def _check_data(where: str, x_name: str, X: object, y_name: str, y: object) -> int:
    """The number of samples, after checking ``X`` and ``y`` are sequences of one length."""
    n = len(checks.sequence(where, x_name, X))
    m = len(checks.sequence(where, y_name, y))
    if n != m:
        raise ValueError(
            f"{where}: {x_name} and {y_name} must have the same length, got {n} and {m}"
        )
    if n == 0:
        raise ValueError(f"{where}: {x_name} and {y_name} are empty")
    return n


def _check_metrics(where: str, metrics: object) -> Mapping[str, Metric]:
    """``metrics`` after checking it maps names to functions."""
    checks.instance(where, "metrics", metrics, Mapping, "a dict of metric functions or None")
    for name, metric in metrics.items():  # type: ignore[attr-defined]
        checks.instance(where, "a metrics key", name, str, "a str")
        checks.function(where, f"metrics[{name!r}]", metric)
    return metrics  # type: ignore[return-value]


#: What ``_optimizer_state`` saves: the step count, the parameters with state, their state.
_Saved = tuple[int, list[Value], list[dict[str, float]]]


def _optimizer_state(optimizer: Optimizer) -> _Saved:
    """A copy of what ``step()`` changes besides the parameters, to undo a failed step.

    About 20 us for Adam over 337 parameters: a few percent of a one-sample step,
    well under 1% of a full-batch one (``map(dict.copy)`` is the fastest copy).
    """
    state = optimizer.state
    return optimizer.step_count, list(state), list(map(dict.copy, state.values()))


def _restore(params: list[Value], data: list[float], optimizer: Optimizer, saved: _Saved) -> None:
    """Put the parameters and the optimizer back as they were before a step."""
    for p, d in zip(params, data):
        p.data = d
    optimizer.step_count = saved[0]
    optimizer.state = dict(zip(saved[1], saved[2]))


def _diverged(params: list[Value], data: list[float], when: str) -> FloatingPointError:
    """The error for a step that left a parameter NaN or infinite."""
    index = next(i for i, d in enumerate(data) if not math.isfinite(d))
    name = params[index].label or f"params[{index}]"
    return FloatingPointError(
        f"fit: the optimizer's step made parameter {name} {data[index]!r} in {when}; "
        "the model and the optimizer are as they were before that step. "
        "Try a smaller learning rate or clip the gradients"
    )


def _objective(
    outputs: list[Any], y_batch: list[Any], loss: Callable[..., Value], when: str
) -> Value:
    """The batch loss, checked to be a finite Value."""
    objective = loss(outputs, y_batch)
    if not isinstance(objective, Value):
        raise TypeError(
            f"fit: loss must return a Value to backpropagate from, got {type(objective).__name__}"
        )
    if not math.isfinite(objective.data):
        raise FloatingPointError(
            f"fit: the loss became {objective.data!r} in {when}; "
            "try a smaller learning rate or check the data"
        )
    return objective


def _dynamic_step(
    model: Callable[[Any], Any],
    X_batch: list[Any],
    y_batch: list[Any],
    loss: Callable[..., Value],
    when: str,
) -> tuple[float, list[Any]]:
    """Forward and backward for one batch on the graph: the loss and the model's outputs."""
    outputs = [model(x) for x in X_batch]
    objective = _objective(outputs, y_batch, loss, when)
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
        when: str,
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
        objective = _objective(outputs, y_batch, loss, when)
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
