"""Train an MLP on a toy data set and write its plots and weights: ``python -m nn.demo``.

``make demo`` runs this with the defaults: ``MLP(2, [16, 16, 1])`` on two moons,
with a progress bar on a terminal, then it prints the accuracy and writes ``loss.png``,
``decision_boundary.png`` and ``model.json`` to ``out/``. Each output is one
entry of ``OUTPUTS``: a file name and a function that writes it from the run.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import autograd
import nn
from autograd import no_grad, sigmoid

__all__ = ["OUTPUTS", "Run", "main", "train"]

#: The data sets the demo can train on: name -> (n_samples, seed) -> (X, y).
DATASETS: dict[str, Callable[[int, int], tuple[list[list[float]], list[int]]]] = {
    "moons": lambda n, seed: nn.data.make_moons(n, noise=0.1, seed=seed),
    "circles": lambda n, seed: nn.data.make_circles(n, noise=0.05, factor=0.5, seed=seed),
    "xor": lambda n, seed: nn.data.make_xor(n, noise=0.05, seed=seed),
    "spirals": lambda n, seed: nn.data.make_spirals(n, noise=0.05, seed=seed),
    "blobs": lambda n, seed: nn.data.make_blobs(n, centers=3, seed=seed),
}
N_SAMPLES = 200
HIDDEN = [16, 16]
LEARNING_RATE = 0.02
BATCH_SIZE = 32
#: Points per side of the grid on which the decision boundary is drawn.
GRID = 80


@dataclass
class Run:
    """Everything a finished training run produced, for the output writers."""

    dataset: str
    model: nn.MLP
    n_classes: int
    X_train: list[list[float]]
    y_train: list[int]
    X_test: list[list[float]]
    y_test: list[int]
    history: nn.History
    test_accuracy: float
    seconds: float


def train(dataset: str = "moons", epochs: int = 50, seed: int = 0, progress: bool = True) -> Run:
    """Train ``MLP(2, [16, 16, k])`` on a data set, holding out a quarter for testing.

    Two classes use one output and ``binary_cross_entropy_with_logits``; more
    classes use one output per class and ``cross_entropy``. Adam, mini-batches
    of 32, everything seeded by ``seed``.

    Args:
        dataset: a key of ``DATASETS``.
        epochs: passes over the training set.
        seed: seeds the data, the split, the weights and the batch order.
        progress: show the progress bar.

    Returns:
        The :class:`Run`.

    Examples:
        >>> run = train("moons", epochs=1, progress=False)
        >>> len(run.history.loss)
        1
    """
    X, y = DATASETS[dataset](N_SAMPLES, seed)
    X_train, X_test, y_train, y_test = nn.data.train_test_split(X, y, test_size=0.25, seed=seed)
    n_classes = len(set(y))
    binary = n_classes == 2
    model = nn.MLP(2, [*HIDDEN, 1 if binary else n_classes], seed=seed)
    loss = nn.losses.binary_cross_entropy_with_logits if binary else nn.losses.cross_entropy
    start = time.perf_counter()
    history = nn.fit(
        model,
        X_train,
        y_train,
        loss=loss,
        optimizer=nn.optim.Adam(model.parameters(), lr=LEARNING_RATE),
        epochs=epochs,
        batch_size=BATCH_SIZE,
        val_data=(X_test, y_test),
        progress=progress,
    )
    seconds = time.perf_counter() - start
    return Run(
        dataset,
        model,
        n_classes,
        X_train,
        y_train,
        X_test,
        y_test,
        history,
        history.val_accuracy[-1],
        seconds,
    )


def _score(model: nn.MLP, x: Sequence[float]) -> float:
    """The probability of class 1 (two classes) or the predicted class (more), without a graph."""
    with no_grad():
        out = model(x)
    if isinstance(out, list):
        scores = [v.data for v in out]
        return float(scores.index(max(scores)))
    return float(sigmoid(float(out.data)))


def _plot_loss(run: Run, path: Path, plt: Any) -> None:
    """Training and test loss per epoch, and accuracy on a second axis."""
    fig, ax = plt.subplots(figsize=(6, 4))
    epochs = range(1, len(run.history.loss) + 1)
    ax.plot(epochs, run.history.loss, label="training loss")
    ax.plot(epochs, run.history.val_loss, label="test loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_yscale("log")
    right = ax.twinx()
    right.plot(epochs, run.history.val_accuracy, color="tab:green", label="test accuracy")
    right.set_ylabel("accuracy")
    right.set_ylim(0.0, 1.02)
    lines = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], loc="center right")
    ax.set_title(f"{run.dataset}: loss and accuracy")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _plot_decision_boundary(run: Run, path: Path, plt: Any) -> None:
    """The class the model predicts over the plane, with the data on top."""
    points = run.X_train + run.X_test
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    pad = 0.5
    x0, x1 = min(xs) - pad, max(xs) + pad
    y0, y1 = min(ys) - pad, max(ys) + pad
    gx = [x0 + (x1 - x0) * i / (GRID - 1) for i in range(GRID)]
    gy = [y0 + (y1 - y0) * j / (GRID - 1) for j in range(GRID)]
    grid = [[_score(run.model, [a, b]) for a in gx] for b in gy]
    fig, ax = plt.subplots(figsize=(6, 5))
    if run.n_classes == 2:
        cmap, top = "coolwarm", 1
        ax.contourf(gx, gy, grid, levels=[i / 10 for i in range(11)], alpha=0.35, cmap=cmap)
        ax.contour(gx, gy, grid, levels=[0.5], colors="k", linewidths=1.0)
    else:
        cmap, top = "viridis", run.n_classes - 1
        levels = [k - 0.5 for k in range(run.n_classes + 1)]
        ax.contourf(gx, gy, grid, levels=levels, alpha=0.35, cmap=cmap, vmin=0, vmax=top)
    ax.scatter(
        [p[0] for p in run.X_train],
        [p[1] for p in run.X_train],
        c=run.y_train,
        cmap=cmap,
        vmin=0,
        vmax=top,
        edgecolors="k",
        s=20,
        label="training",
    )
    ax.scatter(
        [p[0] for p in run.X_test],
        [p[1] for p in run.X_test],
        c=run.y_test,
        cmap=cmap,
        vmin=0,
        vmax=top,
        edgecolors="k",
        marker="^",
        s=30,
        label="test",
    )
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(loc="lower right")
    ax.set_title(f"{run.dataset}: decision boundary (test accuracy {run.test_accuracy:.1%})")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _save_model(run: Run, path: Path, plt: Any) -> None:
    """The trained model, as nn.save writes it."""
    nn.save(run.model, path)


#: The widths of the slice of the trained model that ``graph.svg`` draws (then its outputs).
GRAPH_SLICE = [2, 2]


def graph_slice(run: Run) -> nn.MLP:
    """A 2-2-k slice of the trained model: its first neurons, with their trained weights.

    Each hidden layer keeps its first two neurons, each of them only its weights
    from the kept neurons below, and the output layer all of its neurons (one
    for two classes). Small enough to read, and still the trained model's numbers.

    Args:
        run: the finished run.

    Returns:
        A new ``MLP(2, [2, 2, k])`` with the same activations.

    Examples:
        >>> run = train("moons", epochs=1, progress=False)
        >>> graph_slice(run).nouts
        [2, 2, 1]
    """
    model = run.model
    small = nn.MLP(
        model.nin,
        [*GRAPH_SLICE, model.nouts[-1]],
        model.activation,
        model.output_activation,
        seed=0,
    )
    trained = model.state_dict()
    small.load_state_dict({name: trained[name] for name in small.state_dict()})
    return small


def _draw_forward_graph(run: Run, path: Path, plt: Any) -> None:
    """One test sample through a 2-2-1 slice of the model, to its loss, drawn with draw_graph.

    The full model's graph has hundreds of nodes, too many to read, so the drawing
    shows :func:`graph_slice`. The forward pass runs inside
    ``autograd.scope("forward")`` so every module call becomes a labelled box, and
    each neuron's parameters are drawn inside its box (``leaves_with_users``). The
    root is the loss, labelled, after ``backward()``. Without Graphviz's ``dot``
    program the DOT source is written next to it instead, with a note saying how
    to render it.
    """
    import graphviz  # type: ignore[import-untyped]

    model = graph_slice(run)
    for name, parameter in model.named_parameters():
        # Its box names the neuron: "w.0" inside "layers.1.neurons.0" is enough.
        parameter.label = name.split("neurons.", 1)[1].split(".", 1)[1]
    x, target = run.X_test[0], run.y_test[0]
    inputs = [autograd.Value(xi, label=f"x{i}") for i, xi in enumerate(x)]
    with autograd.scope("forward"):
        out = model(inputs)
    if run.n_classes == 2:
        loss = nn.losses.binary_cross_entropy_with_logits([out], [float(target)])
    else:
        loss = nn.losses.cross_entropy([out], [target])
    loss.label = "loss"
    loss.backward()
    drawing = autograd.draw_graph(loss, leaves_with_users=True, max_nodes=None)
    drawing.graph_attr.update(nodesep="0.08", ranksep="0.2")
    drawing.node_attr.update(fontsize="9")
    drawing.attr(
        label=(
            "One test sample through a 2-2-1 slice of the trained model (its first neurons "
            "and their weights), to its loss.\\lEach dot is w.x + b, computed as "
            "dot([w.0, w.1, b], [x0, x1, 1]): the grey 1 multiplies the bias.\\l"
        ),
        labelloc="t",
        labeljust="l",
        fontsize="11",
    )
    try:
        path.write_bytes(drawing.pipe(format="svg"))
    except graphviz.ExecutableNotFound:
        source = path.with_suffix(".gv")
        source.write_text(drawing.source)
        print(f"  (no Graphviz 'dot' program: wrote {source}; install Graphviz to render it)")


#: What the demo writes: a file name in the output directory and the function that writes it.
OUTPUTS: list[tuple[str, Callable[[Run, Path, Any], None]]] = [
    ("loss.png", _plot_loss),
    ("decision_boundary.png", _plot_decision_boundary),
    ("graph.svg", _draw_forward_graph),
    ("model.json", _save_model),
]


def _pyplot() -> Any:
    """Pyplot, with the headless Agg backend; a clear error if matplotlib is missing."""
    try:
        import matplotlib
    except ImportError:
        raise SystemExit(
            "nn.demo needs matplotlib for its plots: pip install 'chainrule[demo]' "
            "(make demo installs it)"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, train, print the accuracy, and write every output.

    Args:
        argv: the command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit status, 0.
    """
    parser = argparse.ArgumentParser(
        prog="python -m nn.demo", description="Train an MLP on a toy data set and plot it."
    )
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="moons")
    parser.add_argument("--epochs", type=int, default=50, help="passes over the data (50)")
    parser.add_argument("--seed", type=int, default=0, help="seeds data, weights, order (0)")
    parser.add_argument("--out", type=Path, default=Path("out"), help="output directory (out/)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be >= 1")
    if args.seed < 0:
        parser.error("--seed must be >= 0")
    plt = _pyplot()
    # tqdm redraws its bar with carriage returns, which a log file keeps as one long line:
    # the bar is only for a terminal (it writes to stderr).
    progress = sys.stderr.isatty()
    quiet = "" if progress else ", no progress bar: stderr is not a terminal"
    print(f"Training on {args.dataset} for {args.epochs} epochs (seed {args.seed}{quiet})")
    run = train(args.dataset, args.epochs, args.seed, progress=progress)
    with no_grad():
        train_accuracy = nn.accuracy([run.model(x) for x in run.X_train], run.y_train)
    print(f"MLP(2, {run.model.nouts}) trained in {run.seconds:.1f} s")
    print(f"training accuracy {train_accuracy:.1%}, test accuracy {run.test_accuracy:.1%}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, write in OUTPUTS:
        path = args.out / name
        write(run, path, plt)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
