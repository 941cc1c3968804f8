"""``fit``: the training loop with a progress bar, its ``History``, and ``accuracy``."""

from __future__ import annotations

import contextlib
import gc
import math
import numbers
import operator
import random
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import Value, checks, no_grad
from autograd.compiler import Program, TraceError, run_batch, tracing

from . import losses
from .data import batch_positions
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
      class index, or with the largest entry of a one-hot (or probability) row.
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

    Examples:
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
            if isinstance(target, (list, tuple)):  # a one-hot (or probability) row
                checks.sequence(where, f"targets[{i}]", target, length=width)
                weights = [_score(where, f"targets[{i}][{j}]", w) for j, w in enumerate(target)]
                label = weights.index(max(weights))
            else:
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

    Examples:
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
    loss: Callable[[list[Any], list[Any]], Value] | str,
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
            e.g. a function of :mod:`nn.losses` or a loss module
            (``nn.MSELoss()``); or a loss's name: ``"mse"``, ``"bce"``,
            ``"bce_with_logits"``, ``"cross_entropy"``, ``"hinge"`` (or the
            function's own name, ``"mse_loss"``), see ``nn.losses.LOSSES``.
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
        compile: trace the model once and run it as generated Python, with the
            parameters passed as arguments, so it sees every update. With a loss
            of :mod:`nn.losses` and batches of more than one sample (or the whole
            data set), the model and the loss's per-sample form
            (:data:`nn.losses.PER_SAMPLE`) are traced together on one sample, and
            each batch is one call of that program over all its samples, on NumPy
            arrays (see ``autograd.compile``'s ``batch_argnums``); the metrics use
            its predictions. Otherwise (another loss, ``batch_size=1``, or rows of
            different lengths) only the model's pass for one sample is compiled,
            and the loss is built on its predictions. The results equal the
            dynamic path's up to rounding. A model that branches in Python on
            values computed from its parameters or inputs cannot be traced: fit
            warns (``RuntimeWarning``, with the ``TraceError``'s message) and trains
            on the dynamic path (branches inside ops such as ``relu`` are fine).

    Returns:
        A :class:`History`.

    Raises:
        FloatingPointError: when the loss, or a parameter after a step, becomes NaN
            or infinite, naming the epoch and the step.
        TypeError: if an argument has the wrong type (flags must be True or False).
        ValueError: if ``X`` and ``y`` do not match or an argument is out of range.

    Examples:
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
    n = checks.paired(where, "X", X, "y", y)
    loss = losses.resolve(where, loss)
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
        checks.paired(where, "val_data[0]", pair[0], "val_data[1]", pair[1])
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
    step = _step(model, optimizer, loss, X, y, size, compile)
    params = optimizer.params

    history = History()
    epoch_numbers = range(1, epochs + 1)
    bar: Any = None
    if progress:
        bar = _progress_bar()(epoch_numbers, desc="fit", unit="epoch")
    try:
        before = [p.data for p in params]
        for epoch in bar if bar is not None else epoch_numbers:
            total = 0.0
            predictions: list[Any] = []
            targets: list[Any] = []
            # The order nn.data.batches draws, without re-checking X every epoch
            # (10,000 rows: 14 ms an epoch, 17% of a batched epoch).
            order = batch_positions(n, size, shuffle=size < n, seed=rng.randrange(2**32))
            for number, batch in enumerate(order, start=1):
                when = f"epoch {epoch}, step {number}"
                saved = _optimizer_state(optimizer)
                optimizer.zero_grad()
                with _fewer_young_collections():
                    value, outputs = step(batch, when)
                    optimizer.step()
                after = [p.data for p in params]
                if not all(map(math.isfinite, after)):  # cheap: C-level, one pass
                    _restore(params, before, optimizer, saved)
                    raise _diverged(params, after, when)
                before = after
                total += value * len(batch)
                predictions += outputs
                targets += [y[i] for i in batch]
            history.loss.append(total / n)
            for name, metric in tracked.items():
                history.metrics.setdefault(name, []).append(metric(predictions, targets))
            if val_data is not None:
                _validate(model, step, val_data, loss, tracked, history)
            if scheduler is not None:
                scheduler.step()
            if bar is not None:
                bar.set_postfix(_summary(history), refresh=False)
    finally:
        if bar is not None:
            bar.close()
    return history


_AN_OPTIMIZER = "an nn.optim optimizer such as nn.optim.SGD(model.parameters(), lr=0.1)"


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


#: One training step: ``step(batch, when) -> (loss, predictions)`` for the samples at the
#: positions ``batch``, after adding the loss's gradient into the parameters' ``grad``;
#: the predictions are plain numbers (or rows of them). ``when`` names the step in errors.
Step = Callable[[list[int], str], tuple[float, list[Any]]]


def _step(
    model: Callable[[Any], Any],
    optimizer: Optimizer,
    loss: Callable[..., Value],
    X: Sequence[Sequence[float]],
    y: Sequence[Any],
    size: int,
    compile: bool,
) -> Step:
    """The step fit runs: on the graph, with the model compiled, or batched on arrays."""
    if not compile:
        return _DynamicStep(model, X, y, loss)
    form = losses.PER_SAMPLE.get(loss)
    width = len(X[0])
    try:
        if form is not None and size > 1 and all(len(row) == width for row in X):
            return _BatchedStep(model, optimizer, loss, form, X, y)
        return _CompiledStep(model, optimizer, X, y, loss)
    except TraceError as error:
        warnings.warn(
            f"{error} fit trains on the dynamic path instead.", RuntimeWarning, stacklevel=3
        )
        return _DynamicStep(model, X, y, loss)


def _objective(
    outputs: list[Any], y_batch: list[Any], loss: Callable[..., Value], when: str
) -> Value:
    """The batch loss, checked to be a finite Value."""
    objective = loss(outputs, y_batch)
    if not isinstance(objective, Value):
        raise TypeError(
            f"fit: loss must return a Value to backpropagate from, got {type(objective).__name__}"
        )
    _finite_loss(objective.data, when)
    return objective


def _finite_loss(value: float, when: str) -> None:
    """Raise FloatingPointError if a batch's loss is NaN or infinite."""
    if not math.isfinite(value):
        raise FloatingPointError(
            f"fit: the loss became {value!r} in {when}; "
            "try a smaller learning rate or check the data"
        )


class _DynamicStep:
    """Forward and backward for one batch on the graph."""

    def __init__(
        self,
        model: Callable[[Any], Any],
        X: Sequence[Sequence[float]],
        y: Sequence[Any],
        loss: Callable[..., Value],
    ) -> None:
        self.model, self.X, self.y, self.loss = model, X, y, loss

    def __call__(self, batch: list[int], when: str) -> tuple[float, list[Any]]:
        outputs = [self.model(list(self.X[i])) for i in batch]
        objective = _objective(outputs, [self.y[i] for i in batch], self.loss, when)
        objective.backward()
        return objective.data, [_plain(o) for o in outputs]

    def evaluate(
        self, X_val: Sequence[Sequence[float]], y_val: Sequence[Any]
    ) -> tuple[float, list[Any]]:
        """The loss and the predictions on other data, recording no graph."""
        with no_grad():
            outputs = [self.model(x) for x in X_val]
            value = _loss_number(self.loss(outputs, list(y_val)), "fit")
        return value, [_plain(o) for o in outputs]


def _parameters(model: Callable[[Any], Any], optimizer: Optimizer) -> list[Value]:
    """Every parameter a compiled step passes as an argument, the optimizer's first, once."""
    params = list(optimizer.params)
    if isinstance(model, Module):
        params += model.parameters()
    return list(dict.fromkeys(params))


class _CompiledStep(_DynamicStep):
    """Forward and backward for one batch with the model's per-sample pass compiled.

    The model is traced once per input length, on its own parameter Values and
    fresh leaves for the sample, which all become the program's arguments; the
    loss is built on the predictions as leaves.
    """

    def __init__(
        self,
        model: Callable[[Any], Any],
        optimizer: Optimizer,
        X: Sequence[Sequence[float]],
        y: Sequence[Any],
        loss: Callable[..., Value],
    ) -> None:
        super().__init__(model, X, y, loss)
        self.params = _parameters(model, optimizer)
        #: By input length: the program and whether the model returns one Value.
        self.programs: dict[int, tuple[Program, bool]] = {}
        self._program([float(v) for v in X[0]])  # trace now: a TraceError shows up front

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

    def __call__(self, batch: list[int], when: str) -> tuple[float, list[Any]]:
        data = [p.data for p in self.params]
        rows = [[float(v) for v in self.X[i]] for i in batch]
        programs = [self._program(x) for x in rows]
        # The loss is built on the predictions as leaves; their grads are the seeds
        # of each sample's compiled backward pass.
        leaves = [
            [Value(o) for o in program.forward(*data, *x)]
            for x, (program, _) in zip(rows, programs)
        ]
        outputs = [ls[0] if single else ls for ls, (_, single) in zip(leaves, programs)]
        objective = _objective(outputs, [self.y[i] for i in batch], self.loss, when)
        objective.backward()
        total = [0.0] * len(data)
        for x, (program, _), sample in zip(rows, programs, leaves):
            seeds = [leaf.grad for leaf in sample]
            if any(seeds):  # a zero seed contributes nothing, as in backward()
                total = list(map(operator.add, total, program.backward(*data, *x, *seeds)[1]))
        for p, g in zip(self.params, total):
            p.grad += g
        return objective.data, [_plain(o) for o in outputs]


class _BatchedStep:
    """Forward and backward for a whole batch in one call of a compiled per-sample loss.

    The model and the loss's per-sample form are traced together on the first
    sample, with the parameters as shared arguments and the sample's inputs and
    target numbers as per-sample ones; ``run_batch`` then runs the program over a
    batch on arrays. Its outputs are each sample's loss and the model's outputs,
    the predictions.
    """

    def __init__(
        self,
        model: Callable[[Any], Any],
        optimizer: Optimizer,
        loss: Callable[..., Value],
        form: losses.PerSample,
        X: Sequence[Sequence[float]],
        y: Sequence[Any],
    ) -> None:
        self.params = _parameters(model, optimizer)
        self.form = form
        width = len(X[0])
        x_leaves = [Value(float(v)) for v in X[0]]
        name = f"fit(compile=True) tracing the model and the loss on {width} input(s)"
        with tracing(name, [*self.params, *x_leaves]):
            out = model(x_leaves)
        self.single = not isinstance(out, (list, tuple))
        predictions = [out] if self.single else list(out)
        # The targets, checked once by the loss itself on harmless predictions.
        placeholder = 0.5 if self.single else [0.0] * len(predictions)
        loss([placeholder] * len(y), list(y))
        codes = [form.encode(t, len(predictions)) for t in y]
        t_leaves = [Value(v) for v in codes[0]]
        inputs = [*self.params, *x_leaves, *t_leaves]
        with tracing(name, inputs):
            out = model(x_leaves)
            outs = [out] if self.single else list(out)
            sample_loss = form.loss(out if self.single else outs, t_leaves)
        values = [_as_value(v) for v in (sample_loss, *outs)]
        self.program = Program(values, inputs, n_wrt=len(self.params))
        self.batched = tuple(range(len(self.params), len(inputs)))
        self.columns = _columns([*([float(v) for v in row] for row in X)], codes)
        self.n = len(y)

    def _run(
        self, columns: list[Any], n: int, seeds: list[float] | None
    ) -> tuple[list[Any], list[Any] | None]:
        data = [p.data for p in self.params]
        return run_batch(self.program, [*data, *columns], n, self.batched, seeds)

    def _predictions(self, outs: list[Any]) -> list[Any]:
        """The model's outputs per sample, as numbers or rows."""
        columns = [list(map(float, out)) for out in outs[1:]]
        if self.form.check is not None:
            self.form.check(columns[0])
        return columns[0] if self.single else [list(row) for row in zip(*columns)]

    def __call__(self, batch: list[int], when: str) -> tuple[float, list[Any]]:
        whole = len(batch) == self.n and batch == list(range(self.n))
        columns = self.columns if whole else [_take(c, batch) for c in self.columns]
        seeds = [1.0] + [0.0] * (self.program.n_outputs - 1)
        outs, grads = self._run(columns, len(batch), seeds)
        predictions = self._predictions(outs)
        value = math.fsum(outs[0]) / len(batch)
        _finite_loss(value, when)
        assert grads is not None
        for p, g in zip(self.params, grads):
            p.grad += g / len(batch)
        return value, predictions

    def evaluate(
        self, X_val: Sequence[Sequence[float]], y_val: Sequence[Any]
    ) -> tuple[float, list[Any]]:
        """The loss and the predictions on other data, from the same program."""
        n_outputs = self.program.n_outputs - 1
        codes = [self.form.encode(t, n_outputs) for t in y_val]
        columns = _columns([[float(v) for v in row] for row in X_val], codes)
        outs, _ = self._run(columns, len(y_val), None)
        return math.fsum(outs[0]) / len(y_val), self._predictions(outs)


def _as_value(x: Any) -> Value:
    return x if isinstance(x, Value) else Value(_number(x))


def _columns(rows: list[list[float]], codes: list[list[float]]) -> list[Any]:
    """The inputs and target codes as one column (array) per input, samples along it."""
    table = [[*row, *code] for row, code in zip(rows, codes)]
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - exercised only without the numpy extra
        return [list(column) for column in zip(*table)]
    return list(np.array(table, dtype=np.float64).T.copy())


def _take(column: Any, batch: list[int]) -> Any:
    """The batch's samples of a column."""
    if isinstance(column, list):
        return [column[i] for i in batch]
    return column[batch]


def _validate(
    model: Callable[[Any], Any],
    step: Any,
    val_data: tuple[Sequence[Sequence[float]], Sequence[Any]],
    loss: Callable[[list[Any], list[Any]], Value] | str,
    tracked: Mapping[str, Metric],
    history: History,
) -> None:
    """Evaluate the model on the validation data, without recording a graph."""
    X_val, y_val = val_data
    value, predictions = step.evaluate(X_val, y_val)
    history.val_loss.append(value)
    for name, metric in tracked.items():
        history.metrics.setdefault(f"val_{name}", []).append(metric(predictions, y_val))


def _progress_bar() -> Any:
    """tqdm.auto's bar class: a widget in a notebook with ipywidgets, else the text bar.

    Imported only when a bar is wanted. In a notebook without ipywidgets, tqdm.auto warns
    ("IProgress not found") and falls back to the text bar, which works there; the
    fallback is what fit wants, so the warning (raised once, on first import) is dropped.
    """
    from tqdm import TqdmWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TqdmWarning)
        from tqdm.auto import tqdm

    return tqdm


def _summary(history: History) -> dict[str, str]:
    """The latest numbers, for the progress bar."""
    latest = {"loss": history.loss[-1]}
    if history.val_loss:
        latest["val_loss"] = history.val_loss[-1]
    for name, values in history.metrics.items():
        latest[name] = values[-1]
    return {name: f"{value:.4f}" for name, value in latest.items()}
