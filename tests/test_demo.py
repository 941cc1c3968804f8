"""Tests for nn.demo: the default run's accuracy, its outputs and its options."""

from __future__ import annotations

import io
import json
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import nn
from nn import demo

pytest.importorskip("matplotlib")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: The most points graph.svg may take in each direction: it must fit a page.
MAX_GRAPH_PT = 1800.0


class _Terminal(io.StringIO):
    """A stand-in for stderr on a terminal."""

    def isatty(self) -> bool:
        return True


class TestDemo:
    def test_default_run_reaches_97_percent(self) -> None:
        """The default run (moons, MLP(2, [16, 16, 1]), 50 epochs) scores >= 97% on the test set."""
        run = demo.train(progress=False)
        assert run.model.nouts == [16, 16, 1]
        assert run.test_accuracy >= 0.97

    def test_writes_every_output(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """main writes the plots and the model, and prints the accuracy and each path."""
        assert demo.main(["--epochs", "2", "--out", str(tmp_path)]) == 0
        out = capsys.readouterr().out
        assert "test accuracy" in out
        for name, _ in demo.OUTPUTS:
            assert f"wrote {tmp_path / name}" in out
        assert (tmp_path / "loss.png").read_bytes().startswith(PNG_MAGIC)
        assert (tmp_path / "decision_boundary.png").read_bytes().startswith(PNG_MAGIC)
        assert json.loads((tmp_path / "model.json").read_text())["architecture"]["nouts"] == [
            16,
            16,
            1,
        ]
        assert isinstance(nn.load(tmp_path / "model.json"), nn.MLP)
        svg = (tmp_path / "graph.svg").read_text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "cluster" in svg and "layers.2" in svg  # the output layer's cluster

    def test_graph_fits_a_page(self, tmp_path: Path) -> None:
        """graph.svg of the default run is a readable slice, well under 2,000 pt each way."""
        run = demo.train(progress=False)
        if shutil.which("dot") is None:
            pytest.skip("Graphviz's dot is not installed")
        demo._draw_forward_graph(run, tmp_path / "graph.svg", None)
        svg = (tmp_path / "graph.svg").read_text()
        root = ET.fromstring(svg)
        width, height = (
            float(root.get(side, "").removesuffix("pt")) for side in ("width", "height")
        )
        assert width < MAX_GRAPH_PT and height < MAX_GRAPH_PT, (width, height)
        assert ">loss<" in svg  # the root is the labelled loss
        assert "more input" not in svg  # nothing is cut
        assert "layers.1.neurons.0" in svg

    def test_graph_slice_keeps_trained_weights(self) -> None:
        """graph_slice is a 2-2-1 MLP whose weights are the trained model's first ones."""
        run = demo.train(epochs=1, progress=False)
        small = demo.graph_slice(run)
        assert small.nouts == [2, 2, 1]
        trained = run.model.state_dict()
        assert all(trained[name] == value for name, value in small.state_dict().items())

    def test_no_progress_bar_when_output_is_piped(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With stderr not a terminal (a log file, a pipe), main draws no carriage-return bar."""
        assert demo.main(["--epochs", "3", "--out", str(tmp_path)]) == 0
        captured = capsys.readouterr()
        assert "\r" not in captured.err and "\r" not in captured.out
        assert "no progress bar: stderr is not a terminal" in captured.out

    def test_progress_bar_on_a_terminal(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With stderr a terminal, main asks fit for its progress bar."""
        asked: list[bool] = []
        real_train = demo.train

        def train(*args: object, progress: bool = True) -> demo.Run:
            asked.append(progress)
            return real_train(*args, progress=False)  # type: ignore[arg-type]

        monkeypatch.setattr(demo, "train", train)
        monkeypatch.setattr(sys, "stderr", _Terminal())
        monkeypatch.setattr(demo, "OUTPUTS", [])
        assert demo.main(["--epochs", "1", "--out", str(tmp_path)]) == 0
        assert asked == [True]

    def test_decision_boundary_axes_are_labelled(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The decision-boundary plot labels its axes with the two input features, x1 and x2."""
        plt = demo._pyplot()
        figures: list[object] = []
        real_close = plt.close
        monkeypatch.setattr(plt, "close", figures.append)
        run = demo.train(epochs=1, progress=False)
        demo._plot_decision_boundary(run, tmp_path / "boundary.png", plt)
        (figure,) = figures
        ax = figure.axes[0]  # type: ignore[attr-defined]
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")
        real_close(figure)

    def test_multiclass_dataset(self) -> None:
        """A three-class data set trains a three-output model."""
        run = demo.train("blobs", epochs=1, progress=False)
        assert run.model.nouts == [16, 16, 3]
        assert run.n_classes == 3

    def test_same_seed_same_run(self) -> None:
        """Two runs with the same seed give the same model and history, bit for bit."""
        a, b = (demo.train(epochs=2, seed=3, progress=False) for _ in range(2))
        assert a.model.state_dict() == b.model.state_dict()
        assert a.history == b.history

    @pytest.mark.parametrize("argv", [["--epochs", "0"], ["--seed", "-1"], ["--dataset", "mnist"]])
    def test_bad_options(self, argv: list[str]) -> None:
        """Bad options exit with a usage error."""
        with pytest.raises(SystemExit) as error:
            demo.main(argv)
        assert error.value.code == 2
