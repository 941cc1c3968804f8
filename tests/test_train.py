"""Tests for nn.train: fit, History and accuracy."""

from __future__ import annotations

import gc
import math
import random
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value
from nn import MLP, accuracy, fit, losses, optim
from nn.data import make_blobs, make_moons, train_test_split


def _moons_run(seed: int = 0, **kwargs: Any) -> tuple[MLP, nn.History]:
    """A small model trained briefly on moons."""
    X, y = make_moons(60, noise=0.1, seed=1)
    model = MLP(2, [6, 1], seed=seed)
    history = fit(
        model,
        X,
        y,
        loss=losses.binary_cross_entropy_with_logits,
        optimizer=optim.Adam(model.parameters(), lr=0.05),
        epochs=kwargs.pop("epochs", 5),
        progress=False,
        **kwargs,
    )
    return model, history


class TestAccuracy:
    def test_binary_scores(self) -> None:
        """Scores above the threshold are class 1; targets may be 0/1 or -1/+1."""
        assert accuracy([2.0, -1.0, 0.5, -0.5], [1, 0, 0, 0]) == 0.75
        assert accuracy([2.0, -1.0], [1, -1]) == 1.0

    def test_probabilities_with_threshold(self) -> None:
        """threshold=0.5 reads probabilities."""
        assert accuracy([0.7, 0.4, 0.2], [1, 0, 1], threshold=0.5) == pytest.approx(2 / 3)

    def test_rows_use_argmax(self) -> None:
        """Rows of scores predict the index of the largest."""
        assert accuracy([[0.1, 0.5, 0.4], [3.0, 1.0, 2.0]], [1, 2]) == 0.5

    def test_values_are_read(self) -> None:
        """Values count by their data."""
        assert accuracy([Value(1.0), [Value(0.0), Value(2.0)]], [1, 1]) == 1.0

    def test_mismatch(self) -> None:
        """Different lengths or nothing at all raise ValueError."""
        with pytest.raises(ValueError, match="same length"):
            accuracy([1.0], [1, 0])
        with pytest.raises(ValueError, match="empty"):
            accuracy([], [])

    @pytest.mark.parametrize(
        ("predictions", "targets", "error", "message"),
        [
            ([1.0, math.nan], [1, 0], ValueError, r"predictions\[1\] must be a number, got nan"),
            ([[0.1, math.nan]], [0], ValueError, r"predictions\[0\]\[1\] must be a number"),
            ([Value(math.nan)], [1], ValueError, r"predictions\[0\] must be a number, got nan"),
            ([1.0, -1.0], ["1", "0"], TypeError, r"targets\[0\] must be a real number, got str"),
            ([1.0], [math.nan], ValueError, r"targets\[0\] must be a finite number, got nan"),
            ([[0.1, 0.9]], [2], ValueError, r"targets\[0\] must be <= 1 for 2 classes, got 2"),
            ([[0.1, 0.9]], [-1], ValueError, r"targets\[0\] must be >= 0"),
            ([[0.1, 0.9]], [1.0], TypeError, r"targets\[0\] must be an int, got float"),
            ([[0.1, 0.9]], ["1"], TypeError, r"targets\[0\] must be an int, got str"),
            (
                [[0.1, 0.9], [0.5]],
                [1, 0],
                ValueError,
                r"predictions\[1\] must be a row of 2 scores like the first row",
            ),
            ([[]], [0], ValueError, r"predictions\[0\] must be a row of scores, got \[\]"),
            ([True], [1], TypeError, r"predictions\[0\] must be a Value or a real number"),
            (1.0, [1], TypeError, r"predictions must be a sequence, got float"),
            ([1.0], "1", TypeError, r"targets must be a sequence, got str"),
        ],
    )
    def test_bad_predictions_and_targets(
        self, predictions: Any, targets: Any, error: type[Exception], message: str
    ) -> None:
        """NaN predictions, str or NaN targets, out-of-range classes, ragged rows are refused."""
        with pytest.raises(error, match=rf"^accuracy: {message}"):
            accuracy(predictions, targets)


class TestFit:
    def test_reaches_97_percent_on_moons(self) -> None:
        """A small MLP reaches >= 97% accuracy on held-out two-moons points with a fixed seed."""
        X, y = make_moons(160, noise=0.1, seed=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
        model = MLP(2, [8, 8, 1], seed=0)
        history = fit(
            model,
            X_train,
            y_train,
            loss=losses.binary_cross_entropy_with_logits,
            optimizer=optim.Adam(model.parameters(), lr=0.05),
            epochs=100,
            progress=False,
        )
        assert history.accuracy[-1] >= 0.97
        assert accuracy([model(x) for x in X_test], y_test) >= 0.97

    def test_history_shapes(self) -> None:
        """History has one loss, one accuracy and one validation entry per epoch."""
        X, y = make_moons(40, noise=0.1, seed=2)
        _, history = _moons_run(epochs=3, val_data=(X, y))
        assert len(history.loss) == len(history.val_loss) == 3
        assert len(history.accuracy) == len(history.val_accuracy) == 3
        assert set(history.metrics) == {"accuracy", "val_accuracy"}
        assert all(0.0 <= a <= 1.0 for a in history.accuracy)

    def test_epoch_loss_is_mean_over_samples(self) -> None:
        """With mini-batches, an epoch's loss is the size-weighted mean of the batch losses."""
        X = [[1.0], [2.0], [3.0]]
        y = [0.0, 0.0, 0.0]
        model = MLP(1, [1], seed=0)
        model.load_state_dict({"layers.0.neurons.0.w.0": 1.0, "layers.0.neurons.0.b": 0.0})
        history = fit(
            model,
            X,
            y,
            loss=losses.mse_loss,
            optimizer=optim.SGD(model.parameters(), lr=0.0),
            epochs=1,
            batch_size=2,
            progress=False,
            seed=0,
        )
        assert history.loss == [pytest.approx((1 + 4 + 9) / 3)]
        assert history.metrics == {}

    def test_same_seed_same_run(self) -> None:
        """The same model seed gives the same training run, bit for bit, in mini-batches too."""
        a, ha = _moons_run(seed=3, batch_size=16)
        b, hb = _moons_run(seed=3, batch_size=16)
        assert ha.loss == hb.loss
        assert a.state_dict() == b.state_dict()

    def test_fit_seed_fixes_the_order(self) -> None:
        """An explicit seed gives the same batch order whatever the model's generator."""
        X, y = make_moons(30, noise=0.1, seed=1)
        runs = []
        for draws in range(2):
            model = MLP(2, [4, 1], seed=0)
            for _ in range(draws):  # the model's generator is not used when fit has a seed
                model.rng.random()
            fit(
                model,
                X,
                y,
                loss=losses.binary_cross_entropy_with_logits,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=2,
                batch_size=4,
                progress=False,
                seed=5,
            )
            runs.append(model.state_dict())
        assert runs[0] == runs[1]

    def test_batches_follow_nn_data_batches(self) -> None:
        """Each epoch visits the samples in the order nn.data.batches draws from fit's generator."""
        X = [[float(i)] for i in range(7)]
        seen: list[float] = []

        def model(x: list[float]) -> Value:
            seen.append(x[0])
            return Value(0.0) * x[0]

        fit(
            model,
            X,
            [0.0] * 7,
            loss=losses.mse_loss,
            optimizer=optim.SGD([Value(0.0)], lr=0.1),
            epochs=2,
            batch_size=3,
            progress=False,
            seed=11,
        )
        rng = random.Random(11)
        expected = [
            row[0]
            for _ in range(2)
            for rows, _ in nn.data.batches(X, X, 3, seed=rng.randrange(2**32))
            for row in rows
        ]
        assert seen == expected
        assert sorted(seen[:7]) == [row[0] for row in X] and seen[:7] != seen[7:]

    def test_multiclass_with_cross_entropy(self) -> None:
        """A three-class model trains with cross_entropy and tracks accuracy over rows."""
        X, y = make_blobs(60, centers=3, cluster_std=0.5, seed=0)
        model = MLP(2, [8, 3], seed=0)
        history = fit(
            model,
            X,
            y,
            loss=losses.cross_entropy,
            optimizer=optim.Adam(model.parameters(), lr=0.05),
            epochs=30,
            progress=False,
        )
        assert history.loss[-1] < history.loss[0]
        assert history.accuracy[-1] >= 0.9

    def test_scheduler_is_stepped_each_epoch(self) -> None:
        """The scheduler advances once per epoch."""
        X, y = make_moons(20, seed=0)
        model = MLP(2, [2, 1], seed=0)
        opt = optim.SGD(model.parameters(), lr=0.1)
        scheduler = optim.StepLR(opt, step_size=1, gamma=0.5)
        fit(
            model,
            X,
            y,
            loss=losses.binary_cross_entropy_with_logits,
            optimizer=opt,
            epochs=3,
            scheduler=scheduler,
            progress=False,
        )
        assert scheduler.last_epoch == 3
        assert opt.lr == pytest.approx(0.0125)

    def test_custom_metrics(self) -> None:
        """Metrics given by name are computed on plain-number predictions."""
        _, history = _moons_run(epochs=2, metrics={"mean": lambda p, t: sum(p) / len(p)})
        assert set(history.metrics) == {"mean"}
        assert all(isinstance(v, float) for v in history.metrics["mean"])

    def test_nan_loss_names_the_epoch(self) -> None:
        """A loss that becomes NaN stops training with an error naming the epoch."""
        X, y = make_moons(10, seed=0)
        model = MLP(2, [2, 1], seed=0)
        calls = []

        def loss(preds: list[Any], targets: list[Any]) -> Value:
            calls.append(1)
            out = losses.mse_loss(preds, targets)
            return out * math.nan if len(calls) == 2 else out

        with pytest.raises(FloatingPointError, match="epoch 2"):
            fit(
                model,
                X,
                y,
                loss=loss,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=3,
                progress=False,
            )

    def test_nan_loss_names_the_step(self) -> None:
        """The loss error names the step within the epoch too."""
        X, y = make_moons(10, seed=0)
        model = MLP(2, [2, 1], seed=0)
        with pytest.raises(FloatingPointError, match=r"in epoch 1, step 3; try a smaller"):
            fit(
                model,
                X,
                y,
                loss=_poisoned_loss(3, math.nan),
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1,
                batch_size=2,
                progress=False,
            )

    def test_young_gc_threshold_is_raised_during_steps_only(self) -> None:
        """Each step runs with the GC's young threshold at 20,000; fit puts it back after."""
        X, y = make_moons(10, seed=0)
        model = MLP(2, [2, 1], seed=0)
        seen = []

        def loss(preds: list[Any], targets: list[Any]) -> Value:
            seen.append(gc.get_threshold())
            return losses.mse_loss(preds, targets)

        before = gc.get_threshold()
        fit(
            model,
            X,
            y,
            loss=loss,
            optimizer=optim.SGD(model.parameters(), lr=0.1),
            epochs=2,
            batch_size=5,
            progress=False,
            metrics={},
        )
        assert seen == [(20_000, *before[1:])] * 4
        assert gc.get_threshold() == before

    @pytest.mark.parametrize("error", [FloatingPointError, KeyError])
    def test_young_gc_threshold_is_put_back_when_a_step_raises(
        self, error: type[Exception]
    ) -> None:
        """A step that raises (a NaN loss, an error in the loss) leaves the threshold as it was."""
        X, y = make_moons(10, seed=0)
        model = MLP(2, [2, 1], seed=0)

        def loss(preds: list[Any], targets: list[Any]) -> Value:
            if error is KeyError:
                raise KeyError("boom")
            return losses.mse_loss(preds, targets) * math.nan

        before = gc.get_threshold()
        with pytest.raises(error):
            fit(
                model,
                X,
                y,
                loss=loss,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1,
                progress=False,
            )
        assert gc.get_threshold() == before

    @pytest.mark.parametrize("threshold", [0, 50_000])
    def test_a_user_threshold_of_0_or_higher_is_kept(self, threshold: int) -> None:
        """With automatic collection off (0) or a higher threshold, steps run with the user's."""
        X, y = make_moons(10, seed=0)
        model = MLP(2, [2, 1], seed=0)
        seen = []

        def loss(preds: list[Any], targets: list[Any]) -> Value:
            seen.append(gc.get_threshold()[0])
            return losses.mse_loss(preds, targets)

        before = gc.get_threshold()
        gc.set_threshold(threshold, *before[1:])
        try:
            fit(
                model,
                X,
                y,
                loss=loss,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1,
                progress=False,
                metrics={},
            )
            assert seen == [threshold]
        finally:
            gc.set_threshold(*before)

    def test_any_callable_is_a_model(self) -> None:
        """A plain function of one sample can be trained, here a line fitted by least squares."""
        w, b = Value(0.0), Value(0.0)
        X = [[float(i)] for i in range(5)]
        y = [2.0 * row[0] + 1.0 for row in X]
        history = fit(
            lambda x: w * x[0] + b,
            X,
            y,
            loss=losses.mse_loss,
            optimizer=optim.SGD([w, b], lr=0.05, momentum=0.5),
            epochs=200,
            progress=False,
        )
        assert history.loss[-1] < 1e-6
        assert (w.data, b.data) == (pytest.approx(2.0, abs=1e-3), pytest.approx(1.0, abs=1e-3))

    def test_loss_must_return_a_value(self) -> None:
        """A loss that returns a plain number cannot be trained on: TypeError."""
        model = MLP(2, [2, 1], seed=0)
        with pytest.raises(TypeError, match="loss must return a Value"):
            fit(
                model,
                [[0.0, 0.0]],
                [0],
                loss=lambda p, t: 0.5,  # type: ignore[arg-type,return-value]
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1,
                progress=False,
            )

    def test_progress_bar_is_shown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """progress=True draws a tqdm bar on stderr; progress=False prints nothing."""
        X, y = make_moons(10, seed=0)
        model = MLP(2, [2, 1], seed=0)
        opt = optim.SGD(model.parameters(), lr=0.1)
        fit(model, X, y, loss=losses.binary_cross_entropy_with_logits, optimizer=opt, epochs=2)
        err = capsys.readouterr().err
        assert "fit" in err
        assert "2/2" in err
        _moons_run(epochs=2)
        assert capsys.readouterr() == ("", "")

    def test_notebook_without_ipywidgets_gets_the_text_bar_without_warning(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """In a Jupyter kernel without ipywidgets, the default bar is tqdm's text bar, unwarned."""
        import sys
        import types

        pytest.importorskip("IPython")
        notebook = pytest.importorskip("tqdm.notebook")
        # What tqdm.autonotebook looks at: a Jupyter kernel's shell module is loaded, and
        # ipywidgets' progress widget is missing.
        monkeypatch.setitem(sys.modules, "ipykernel.zmqshell", types.ModuleType("zmqshell"))
        monkeypatch.setattr(notebook, "IProgress", None)
        for env in ("QT_API", "SPYDER_ARGS"):
            monkeypatch.delenv(env, raising=False)
        for name in ("tqdm.auto", "tqdm.autonotebook"):  # re-imported, as in a fresh kernel
            monkeypatch.delitem(sys.modules, name, raising=False)
        X, y = make_moons(10, seed=0)
        model = MLP(2, [2, 1], seed=0)
        opt = optim.SGD(model.parameters(), lr=0.1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit(model, X, y, loss=losses.binary_cross_entropy_with_logits, optimizer=opt, epochs=2)
        assert [str(w.message) for w in caught] == []
        assert "2/2" in capsys.readouterr().err  # the text bar, drawn on stderr

    @pytest.mark.parametrize(
        ("kwargs", "word"),
        [
            ({"epochs": 0}, "epochs"),
            ({"epochs": 1, "batch_size": 0}, "batch_size"),
            ({"epochs": 1, "val_data": [1]}, "val_data"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, Any], word: str) -> None:
        """Bad epochs, batch_size or val_data raise ValueError naming them."""
        model = MLP(2, [2, 1], seed=0)
        with pytest.raises(ValueError, match=word):
            fit(
                model,
                [[0.0, 0.0]],
                [0],
                loss=losses.mse_loss,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                progress=False,
                **kwargs,
            )

    def test_mismatched_data(self) -> None:
        """X and y of different lengths raise ValueError."""
        model = MLP(2, [2, 1], seed=0)
        with pytest.raises(ValueError, match="same length"):
            fit(
                model,
                [[0.0, 0.0]],
                [0, 1],
                loss=losses.mse_loss,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1,
                progress=False,
            )


def _params_close(a: list[Value], b: list[Value], tol: float = 1e-9) -> bool:
    return all(abs(p.data - q.data) <= tol * max(1.0, abs(p.data)) for p, q in zip(a, b))


def _poisoned_loss(bad_call: int, scale: float) -> Any:
    """A sum-of-predictions loss whose ``bad_call``-th call is multiplied by ``scale``."""
    calls: list[int] = []

    def loss(preds: list[Any], targets: list[Any]) -> Value:
        calls.append(1)
        total = autograd.sum(preds)
        return total * (scale if len(calls) == bad_call else 1e-3)  # type: ignore[return-value]

    return loss


class TestDivergence:
    @pytest.mark.parametrize("compile", [False, True])
    def test_a_step_that_makes_a_weight_infinite_is_undone(self, compile: bool) -> None:
        """A step that makes a weight inf raises FloatingPointError; model and optimizer roll back.

        The loss is finite (6e307) but its gradient is 1e308, so with lr=10 the
        second step sends the weights to -inf. Before the fix fit returned a
        model with infinite weights.
        """
        model = nn.Neuron(1, "linear", seed=0)
        opt = optim.SGD(model.parameters(), lr=10.0, momentum=0.9)
        snapshots: list[tuple[dict[str, float], dict[str, dict[str, float]], int]] = []

        def snapshot(predictions: list[Any], targets: list[Any]) -> float:
            state = {p.label: dict(entry) for p, entry in opt.state.items()}
            snapshots.append((model.state_dict(), state, opt.step_count))
            return 0.0

        with pytest.raises(
            FloatingPointError,
            match=r"^fit: the optimizer's step made parameter w\.0 -inf in epoch 2, step 1; "
            r"the model and the optimizer are as they were before that step",
        ):
            fit(
                model,
                [[0.5]],
                [0.0],
                loss=_poisoned_loss(2, 1e308),
                optimizer=opt,
                epochs=2,
                metrics={"snapshot": snapshot},
                progress=False,
                compile=compile,
            )
        weights, state, count = snapshots[0]  # as they were after epoch 1
        assert model.state_dict() == weights
        assert {p.label: entry for p, entry in opt.state.items()} == state
        assert opt.step_count == count == 1

    def test_first_step_divergence_leaves_the_initial_model(self) -> None:
        """SGD with lr=1.7e308 fails its first step and leaves the model as it was built."""
        model = nn.Neuron(1, "linear", seed=0)
        before = model.state_dict()
        with pytest.raises(FloatingPointError, match=r"epoch 1, step 1"):
            fit(
                model,
                [[2.0]],
                [-1],
                loss=losses.hinge_loss,
                optimizer=optim.SGD(model.parameters(), lr=1.7e308),
                epochs=1,
                progress=False,
            )
        assert model.state_dict() == before


class TestFitArguments:
    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"seed": "abc"}, TypeError, r"seed must be an int or None, got str"),
            ({"seed": 2.5}, TypeError, r"seed must be an int or None, got float"),
            ({"seed": math.nan}, TypeError, r"seed must be an int or None, got float"),
            ({"seed": -1}, ValueError, r"seed must be >= 0"),
            ({"progress": "no"}, TypeError, r"progress must be True or False, got str"),
            ({"compile": 1}, TypeError, r"compile must be True or False, got int"),
            ({"loss": 3}, TypeError, r"loss must be callable, got int"),
            ({"optimizer": "sgd"}, TypeError, r"optimizer must be an nn.optim optimizer"),
            ({"scheduler": 0.1}, TypeError, r"scheduler must be an nn.optim scheduler, got float"),
            ({"metrics": ["acc"]}, TypeError, r"metrics must be a dict of metric functions"),
            ({"metrics": {"acc": 1.0}}, TypeError, r"metrics\['acc'\] must be callable"),
            ({"metrics": {1: accuracy}}, TypeError, r"a metrics key must be a str, got int"),
            ({"epochs": 10**400}, ValueError, r"epochs must be <= 10,000,000"),
            ({"epochs": 1.0}, TypeError, r"epochs must be an int, got float"),
            ({"batch_size": "2"}, TypeError, r"batch_size must be an int, got str"),
            ({"val_data": "ab"}, TypeError, r"val_data must be a pair \(X_val, y_val\), got str"),
            ({"val_data": ([[0.0, 0.0]], [])}, ValueError, r"val_data\[0\] and val_data\[1\]"),
            ({"X": 1.0}, TypeError, r"X must be a sequence, got float"),
            ({"y": None}, TypeError, r"y must be a sequence, got NoneType"),
            ({"model": "MLP"}, TypeError, r"model must be callable, got str"),
        ],
    )
    def test_arguments_are_checked_before_training(
        self, kwargs: dict[str, Any], error: type[Exception], message: str
    ) -> None:
        """Each bad argument raises TypeError or ValueError naming fit and it, before any step."""
        model = MLP(2, [2, 1], seed=0)
        before = model.state_dict()
        arguments: dict[str, Any] = {
            "model": model,
            "X": [[0.0, 0.0]],
            "y": [0],
            "loss": losses.mse_loss,
            "optimizer": optim.SGD(model.parameters(), lr=0.1),
            "epochs": 1,
            "progress": False,
        }
        arguments.update(kwargs)
        with pytest.raises(error, match=rf"^fit: {message}"):
            fit(arguments.pop("model"), arguments.pop("X"), arguments.pop("y"), **arguments)
        assert model.state_dict() == before

    def test_numpy_array_as_a_flag(self) -> None:
        """A NumPy array passed as progress is a TypeError, not "truth value is ambiguous"."""
        np = pytest.importorskip("numpy")
        model = MLP(2, [2, 1], seed=0)
        with pytest.raises(TypeError, match=r"fit: progress must be True or False, got ndarray"):
            fit(
                model,
                [[0.0, 0.0]],
                [0],
                loss=losses.mse_loss,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1,
                progress=np.array([False]),
            )

    def test_scheduler_of_another_optimizer(self) -> None:
        """A scheduler that steps a different optimizer is refused up front."""
        model = MLP(2, [2, 1], seed=0)
        other = optim.SGD(model.parameters(), lr=0.1)
        with pytest.raises(ValueError, match=r"fit: scheduler must schedule the optimizer"):
            fit(
                model,
                [[0.0, 0.0]],
                [0],
                loss=losses.mse_loss,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1,
                scheduler=optim.StepLR(other, step_size=1),
                progress=False,
            )


def _twin_runs(
    loss: Any,
    X: Any,
    y: Any,
    widths: list[int],
    *,
    seed: int = 3,
    activation: str = "tanh",
    output_activation: str = "linear",
    optimizer: Any = lambda params: optim.Adam(params, lr=0.05),
    **kwargs: Any,
) -> list[Any]:
    """The same model trained dynamically and with compile=True: (model, history) each.

    ``optimizer`` makes the optimizer from the parameters; ``kwargs`` go to ``fit``
    (3 epochs unless given).
    """
    kwargs.setdefault("epochs", 3)
    runs = []
    for compile in (False, True):
        model = MLP(
            len(X[0]), widths, activation=activation, output_activation=output_activation, seed=seed
        )
        history = fit(
            model,
            X,
            y,
            loss=loss,
            optimizer=optimizer(model.parameters()),
            progress=False,
            compile=compile,
            **kwargs,
        )
        runs.append((model, history))
    return runs


class TestFitCompiled:
    @pytest.mark.parametrize("batch_size", [None, 7])
    def test_same_run_as_the_dynamic_path(self, batch_size: int | None) -> None:
        """compile=True trains a moons MLP to the same losses, metrics and weights."""
        model_d, history_d = _moons_run(batch_size=batch_size, val_data=make_moons(20, seed=3))
        model_c, history_c = _moons_run(
            batch_size=batch_size, val_data=make_moons(20, seed=3), compile=True
        )
        assert history_c.loss == pytest.approx(history_d.loss, rel=1e-9)
        assert history_c.val_loss == pytest.approx(history_d.val_loss, rel=1e-9)
        assert history_c.metrics == history_d.metrics
        assert _params_close(model_c.parameters(), model_d.parameters())

    def test_multiclass_rows_and_integer_targets(self) -> None:
        """A model with several outputs and cross_entropy's class indices trains the same way."""
        X, y = make_blobs(40, centers=3, cluster_std=0.5, seed=0)
        (model_d, history_d), (model_c, history_c) = _twin_runs(
            losses.cross_entropy,
            X,
            y,
            [6, 3],
            seed=0,
            activation="relu",
            optimizer=lambda params: optim.SGD(params, lr=0.1, momentum=0.9),
            epochs=4,
            batch_size=8,
        )
        assert history_c.loss == pytest.approx(history_d.loss, rel=1e-9)
        assert history_c.accuracy == history_d.accuracy
        assert _params_close(model_c.parameters(), model_d.parameters())

    @settings(max_examples=15)
    @given(
        st.lists(st.integers(1, 5), min_size=1, max_size=3),
        st.sampled_from(["relu", "tanh", "sigmoid", "linear"]),
        st.integers(0, 2**16),
    )
    def test_any_mlp_trains_the_same(self, hidden: list[int], activation: str, seed: int) -> None:
        """For random MLP shapes and activations, compiled training equals the dynamic run."""
        X, y = make_moons(12, noise=0.2, seed=seed)
        (model_d, history_d), (model_c, history_c) = _twin_runs(
            losses.binary_cross_entropy_with_logits,
            X,
            y,
            [*hidden, 1],
            seed=seed,
            activation=activation,
            optimizer=lambda params: optim.SGD(params, lr=0.1),
            epochs=2,
            batch_size=5,
        )
        assert history_c.loss == pytest.approx(history_d.loss, rel=1e-9)
        assert _params_close(model_c.parameters(), model_d.parameters())

    def test_parameters_are_arguments(self) -> None:
        """A plain function's closed-over parameters are the optimizer's, passed anew each step."""
        w, b = Value(0.0), Value(0.0)
        X = [[float(i)] for i in range(5)]
        y = [2.0 * row[0] + 1.0 for row in X]
        history = fit(
            lambda x: w * x[0] + b,
            X,
            y,
            loss=losses.mse_loss,
            optimizer=optim.SGD([w, b], lr=0.05, momentum=0.5),
            epochs=200,
            progress=False,
            compile=True,
        )
        assert history.loss[-1] < 1e-6
        assert (w.data, b.data) == (pytest.approx(2.0, abs=1e-3), pytest.approx(1.0, abs=1e-3))

    def test_branching_model_falls_back_to_the_dynamic_path(self) -> None:
        """A model whose Python branch depends on its output warns and trains dynamically."""
        runs = []
        for compile in (False, True):
            w = Value(0.5)

            def model(x: list[Value], w: Value = w) -> Value:
                z = w * x[0]
                return z if z > 0 else -z

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                history = fit(
                    model,
                    [[1.0], [2.0]],
                    [1.0, 2.0],
                    loss=losses.mse_loss,
                    optimizer=optim.SGD([w], lr=0.1),
                    epochs=3,
                    progress=False,
                    compile=compile,
                )
            runs.append((w.data, history.loss, [str(c.message) for c in caught]))
        (w_dynamic, loss_dynamic, quiet), (w_compiled, loss_compiled, said) = runs
        assert (w_compiled, loss_compiled) == (w_dynamic, loss_dynamic)
        assert quiet == []
        assert len(said) == 1 and "fit(compile=True) tracing the model" in said[0]
        assert "dynamic path" in said[0]


class TestFitBatched:
    @pytest.mark.parametrize(
        ("loss", "kind"),
        [
            (losses.mse_loss, "regression"),
            (losses.binary_cross_entropy_with_logits, "binary"),
            (losses.hinge_loss, "signs"),
            (losses.cross_entropy, "classes"),
            (losses.cross_entropy, "one-hot"),
        ],
    )
    @pytest.mark.parametrize("batch_size", [None, 8])
    def test_every_loss_trains_as_on_the_graph(self, loss: Any, kind: str, batch_size: Any) -> None:
        """Each loss of nn.losses, batched on arrays, gives the dynamic path's run to 1e-12."""
        X, labels = make_blobs(30, centers=3, cluster_std=1.0, seed=1)
        y: list[Any]
        widths = [5, 3] if kind in ("classes", "one-hot") else [5, 1]
        if kind == "regression":
            y = [x[0] - 0.5 * x[1] for x in X]
        elif kind == "binary":
            y = [float(c == 2) for c in labels]
        elif kind == "signs":
            y = [1.0 if c == 2 else -1.0 for c in labels]
        elif kind == "classes":
            y = list(labels)
        else:
            y = [[1.0 if j == c else 0.0 for j in range(3)] for c in labels]
        (model_d, history_d), (model_c, history_c) = _twin_runs(
            loss, X, y, widths, batch_size=batch_size, val_data=(X[:7], y[:7])
        )
        assert history_c.loss == pytest.approx(history_d.loss, rel=1e-12)
        assert history_c.val_loss == pytest.approx(history_d.val_loss, rel=1e-12)
        assert history_c.metrics == history_d.metrics
        assert _params_close(model_c.parameters(), model_d.parameters(), tol=1e-12)

    def test_probabilities_are_checked_like_the_loss_does(self) -> None:
        """binary_cross_entropy on outputs outside [0, 1] raises the loss's own error."""
        X, y = make_moons(10, seed=0)
        model = MLP(2, [3, 1], seed=0)  # linear output: not a probability
        with pytest.raises(ValueError, match=r"binary_cross_entropy: probs\[\d+\] must be in"):
            fit(
                model,
                X,
                y,
                loss=losses.binary_cross_entropy,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1,
                progress=False,
                compile=True,
            )

    def test_sigmoid_probabilities_train_as_on_the_graph(self) -> None:
        """binary_cross_entropy on sigmoid outputs, batched, equals the dynamic run."""
        X, y = make_moons(24, noise=0.2, seed=2)
        (model_d, history_d), (model_c, history_c) = _twin_runs(
            losses.binary_cross_entropy,
            X,
            y,
            [4, 1],
            seed=1,
            activation="relu",
            output_activation="sigmoid",
            optimizer=lambda params: optim.SGD(params, lr=0.5),
            batch_size=6,
        )
        assert history_c.loss == pytest.approx(history_d.loss, rel=1e-12)
        assert _params_close(model_c.parameters(), model_d.parameters(), tol=1e-12)

    def test_bad_targets_are_refused_by_the_loss_up_front(self) -> None:
        """A class index out of range raises cross_entropy's error before training."""
        X, _ = make_blobs(6, centers=2, seed=0)
        model = MLP(2, [2], seed=0)
        with pytest.raises(ValueError, match=r"cross_entropy: targets\[0\] must be <= 1"):
            fit(
                model,
                X,
                [5, 0, 1, 0, 1, 0],
                loss=losses.cross_entropy,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1,
                progress=False,
                compile=True,
            )

    def test_a_loss_of_ones_own_keeps_the_model_compiled(self) -> None:
        """A loss outside nn.losses trains on the compiled model's predictions, same numbers."""

        def loss(preds: list[Any], targets: list[Any]) -> Value:
            return losses.hinge_loss(preds, targets) + 0.001 * autograd.sum(
                [p * p for p in model_params]
            )

        X, y01 = make_moons(20, noise=0.1, seed=0)
        y = [2.0 * t - 1.0 for t in y01]
        results = []
        for compile in (False, True):
            model = MLP(2, [4, 1], seed=0)
            model_params = model.parameters()
            fit(
                model,
                X,
                y,
                loss=loss,
                optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=2,
                batch_size=5,
                progress=False,
                compile=compile,
            )
            results.append(model.parameters())
        assert _params_close(results[0], results[1], tol=1e-12)


class TestCrossEntropyRows:
    def test_one_hot_rows_equal_class_indices(self) -> None:
        """cross_entropy with one-hot rows equals it with class indices, to the last bit."""
        logits = [[0.3, -1.2, 2.0], [1e3, 1e3, -5.0]]
        by_index = losses.cross_entropy(logits, [2, 0])
        by_row = losses.cross_entropy(logits, [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
        assert by_row.data == by_index.data

    def test_rows_must_match_the_logits(self) -> None:
        """A target row of the wrong length is refused."""
        with pytest.raises(ValueError, match="targets"):
            losses.cross_entropy([[0.0, 1.0]], [[1.0, 0.0, 0.0]])


def _sgd_run(
    loss: Any, X: list[list[float]], y: list[Any], nouts: list[int], **options: Any
) -> nn.History:
    """fit with SGD(lr=0.1) on a fresh MLP(2, nouts, seed=0), quietly: its History."""
    model = MLP(2, nouts, seed=0)
    optimizer = optim.SGD(model.parameters(), lr=options.pop("lr", 0.1))
    return fit(model, X, y, loss=loss, optimizer=optimizer, progress=False, **options)


class TestLossByName:
    def test_mse_by_name_trains_as_the_function(self) -> None:
        """fit(loss="mse") trains exactly as fit(loss=losses.mse_loss)."""
        X, y = [[0.0, 1.0], [1.0, 0.0]], [0.0, 1.0]
        histories = [
            _sgd_run(loss, X, y, [3, 1], epochs=3).loss for loss in ("mse", losses.mse_loss)
        ]
        assert histories[0] == histories[1]

    def test_unknown_name_lists_the_names(self) -> None:
        """fit(loss="l2") is a ValueError that lists the loss names."""
        with pytest.raises(ValueError, match=r"^fit: loss must be one of 'mse', 'bce'"):
            _sgd_run("l2", [[0.0, 1.0]], [0.0], [1], epochs=1)

    def test_a_loss_module(self) -> None:
        """A loss module such as nn.MSELoss() is a loss for fit."""
        history = _sgd_run(nn.MSELoss(), [[0.0, 1.0]], [0.0], [1], epochs=2)
        assert len(history.loss) == 2

    @pytest.mark.parametrize("compile_", [False, True])
    def test_a_mean_loss_module_trains_as_its_function(self, compile_: bool) -> None:
        """fit(loss=BCEWithLogitsLoss()) tracks accuracy and, compiled, runs the same batched
        program as fit(loss=binary_cross_entropy_with_logits): equal histories."""
        X, y = nn.data.make_moons(40, noise=0.1, seed=0)
        module, function = nn.BCEWithLogitsLoss(), losses.binary_cross_entropy_with_logits
        runs = [
            _sgd_run(loss, X, y, [4, 1], epochs=3, compile=compile_) for loss in (module, function)
        ]
        assert runs[0].loss == runs[1].loss
        assert runs[0].accuracy == runs[1].accuracy
        assert len(runs[0].accuracy) == 3

    def test_a_sum_loss_module_is_called_as_it_is(self) -> None:
        """With reduction="sum" fit calls the module, whose loss is the sum over the batch."""
        X, y = [[0.0, 1.0], [1.0, 0.0]], [0.5, -0.5]
        summed, mean = (
            _sgd_run(loss, X, y, [1], lr=0.0, epochs=1, batch_size=2).loss[0]
            for loss in (nn.MSELoss(reduction="sum"), losses.mse_loss)
        )
        assert summed == pytest.approx(2 * mean, rel=1e-12)


class TestAccuracyOnPlainNumbers:
    @given(
        st.lists(
            st.tuples(
                st.floats(allow_nan=False, allow_infinity=True),
                st.one_of(st.integers(-3, 3), st.floats(-2.0, 2.0), st.just(2**60)),
            ),
            min_size=1,
            max_size=20,
        ),
        st.sampled_from([0.0, 0.5, -1.0]),
    )
    def test_floats_count_as_values_do(self, pairs: list[tuple[float, Any]], cut: float) -> None:
        """Float predictions with int or float targets score as the same predictions as Values."""
        preds = [p for p, _ in pairs]
        targets = [t for _, t in pairs]
        as_values = accuracy([Value(p) for p in preds], targets, threshold=cut)
        assert accuracy(preds, targets, threshold=cut) == as_values

    @pytest.mark.parametrize(
        ("preds", "targets", "message"),
        [
            ([math.nan], [1.0], r"predictions\[0\] must be a number, got nan"),
            ([0.5], [math.inf], r"targets\[0\]"),
            ([0.5], [10**400], r"targets\[0\]"),
        ],
    )
    def test_bad_numbers_are_still_refused(
        self, preds: list[float], targets: list[Any], message: str
    ) -> None:
        """A NaN prediction, an infinite target and an int too large for a float are refused."""
        with pytest.raises(ValueError, match=message):
            accuracy(preds, targets)
