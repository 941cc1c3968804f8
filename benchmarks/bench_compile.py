"""Compiled vs dynamic vs hand-written float code: an MLP loss's gradient and a training step.

Workloads:

* ``mlp 3-8-8-1 value_and_grad``: the squared error of a 3-8-8-1 relu network on
  one sample, with its gradient with respect to all 121 parameters and 4 data
  arguments; ``autograd.value_and_grad`` (dynamic), ``autograd.compile``
  (compiled), and the same forward and backward written by hand on floats.
* ``moons MLP(2,[16,16,1]) step``: one training step on a batch of 32 moons
  samples (forward, binary cross-entropy with logits, backward, SGD update), as
  ``nn.fit`` runs it without and with ``compile=True``, and written by hand.

Each variant is warmed up, then timed ``repeats`` times; a row gives the median,
min and max milliseconds per call. Run ``python benchmarks/bench_compile.py``.
"""

from __future__ import annotations

import itertools
import math
import operator
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import autograd
import nn
from nn.train import _CompiledStep, _DynamicStep

Row = dict[str, Any]
Layers = list[list[list[float]]]  # layer -> neuron -> [w_1, ..., w_n, b]


def _time(fn: Callable[[], object], repeats: int, number: int) -> tuple[float, float, float]:
    """(median, min, max) milliseconds per call of ``fn`` over ``repeats`` runs of ``number``."""
    for _ in range(max(1, number // 4)):  # warm-up
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) * 1e3 / number)
    return statistics.median(samples), min(samples), max(samples)


def _row(workload: str, variant: str, fn: Callable[[], object], repeats: int, number: int) -> Row:
    median, low, high = _time(fn, repeats, number)
    return {
        "workload": workload,
        "variant": variant,
        "median_ms": median,
        "min_ms": low,
        "max_ms": high,
    }


# --- hand-written float code: forward and backward of a relu MLP ----------------


def _forward(layers: Layers, x: list[float]) -> list[list[float]]:
    """The activations of every layer (input first); relu on all but the last layer."""
    acts = [x]
    h = x
    last = len(layers) - 1
    for i, layer in enumerate(layers):
        hx = [*h, 1.0]
        z = [sum(map(operator.mul, neuron, hx), 0.0) for neuron in layer]
        h = z if i == last else [v if v > 0.0 else 0.0 for v in z]
        acts.append(h)
    return acts


def _backward(layers: Layers, acts: list[list[float]], d_out: list[float], grads: Layers) -> None:
    """Add d loss / d parameter into ``grads``, given d loss / d output."""
    delta = d_out
    for i in range(len(layers) - 1, -1, -1):
        hx = [*acts[i], 1.0]
        for neuron_grad, d in zip(grads[i], delta):
            if d:
                neuron_grad[:] = [g + d * a for g, a in zip(neuron_grad, hx)]
        if i:
            back = [
                sum(d * neuron[k] for d, neuron in zip(delta, layers[i]))
                for k in range(len(hx) - 1)
            ]
            delta = [b if a > 0.0 else 0.0 for b, a in zip(back, acts[i])]


def _layers_from(flat: list[float], sizes: list[int]) -> Layers:
    layers: Layers = []
    k = 0
    for nin, nout in itertools.pairwise(sizes):
        layer = []
        for _ in range(nout):
            layer.append(flat[k : k + nin + 1])
            k += nin + 1
        layers.append(layer)
    return layers


# --- workload 1: a 3-8-8-1 network's squared error and its gradient -----------------

SIZES = [3, 8, 8, 1]


def _mlp_loss(*args: Any) -> Any:
    """Squared error of a relu MLP whose flat parameters come first, then x, then the target."""
    n_params = sum((nin + 1) * nout for nin, nout in itertools.pairwise(SIZES))
    params, x, target = args[:n_params], list(args[n_params:-1]), args[-1]
    k = 0
    h = x
    for i, (nin, nout) in enumerate(itertools.pairwise(SIZES)):
        out = []
        for _ in range(nout):
            z = autograd.dot(params[k : k + nin + 1], [*h, 1.0])
            k += nin + 1
            out.append(z if i == len(SIZES) - 2 else autograd.relu(z))
        h = out
    d = h[0] - target
    return d * d


def _hand_value_and_grad(layers: Layers, x: list[float], target: float) -> tuple[float, Layers]:
    acts = _forward(layers, x)
    d = acts[-1][0] - target
    grads = [[[0.0] * len(neuron) for neuron in layer] for layer in layers]
    _backward(layers, acts, [2.0 * d], grads)
    return d * d, grads


def _mlp_rows(repeats: int) -> list[Row]:
    rng = random.Random(0)
    n_params = sum((nin + 1) * nout for nin, nout in itertools.pairwise(SIZES))
    flat = [rng.gauss(0.0, 0.5) for _ in range(n_params)]
    x, target = [0.3, -0.2, 0.9], 0.5
    args = [*flat, *x, target]
    dynamic = autograd.value_and_grad(_mlp_loss, argnums=tuple(range(len(args))))
    compiled = autograd.compile(_mlp_loss)
    layers = _layers_from(flat, SIZES)
    value, grads = compiled.value_and_grad(*args)
    hand_value, hand_grads = _hand_value_and_grad(layers, x, target)
    assert value == dynamic(*args)[0] == hand_value
    flat_hand = [g for layer in hand_grads for neuron in layer for g in neuron]
    assert max(abs(a - b) for a, b in zip(grads, flat_hand)) <= 1e-12
    workload = "mlp 3-8-8-1 value_and_grad"
    return [
        _row(workload, "dynamic", lambda: dynamic(*args), repeats, 200),
        _row(workload, "compiled", lambda: compiled.value_and_grad(*args), repeats, 2000),
        _row(
            workload, "hand-written", lambda: _hand_value_and_grad(layers, x, target), repeats, 2000
        ),
    ]


# --- workload 2: a training step on moons ------------------------------------------


def _hand_step(layers: Layers, X: list[list[float]], y: list[float], lr: float) -> float:
    """One SGD step of binary cross-entropy with logits, all in floats; returns the loss."""
    grads = [[[0.0] * len(neuron) for neuron in layer] for layer in layers]
    total = 0.0
    n = len(X)
    for x, t in zip(X, y):
        acts = _forward(layers, x)
        z = acts[-1][0]
        softplus = z + math.log(1.0 + math.exp(-z)) if z >= 0.0 else math.log(1.0 + math.exp(z))
        total += softplus - t * z
        sigmoid = 1.0 / (1.0 + math.exp(-z)) if z >= 0.0 else math.exp(z) / (1.0 + math.exp(z))
        _backward(layers, acts, [(sigmoid - t) / n], grads)
    for layer, layer_grad in zip(layers, grads):
        for neuron, neuron_grad in zip(layer, layer_grad):
            neuron[:] = [p - lr * g for p, g in zip(neuron, neuron_grad)]
    return total / n


def _moons_rows(repeats: int) -> list[Row]:
    X, y = nn.data.make_moons(32, noise=0.1, seed=0)
    X_batch, y_batch = [list(map(float, row)) for row in X], [float(t) for t in y]
    loss = nn.losses.binary_cross_entropy_with_logits
    lr = 1e-4  # small, so that many timed steps leave the model about where it started

    def step_with(model: nn.MLP, compiled: bool) -> Callable[[], float]:
        optimizer = nn.optim.SGD(model.parameters(), lr=lr)
        if compiled:
            step: Any = _CompiledStep(model, optimizer, X_batch, y_batch, loss)
        else:
            step = _DynamicStep(model, X_batch, y_batch, loss)
        batch = list(range(len(y_batch)))

        def one_step() -> float:
            optimizer.zero_grad()
            value, _ = step(batch, "epoch 1, step 1")
            optimizer.step()
            return float(value)

        return one_step

    dynamic_model = nn.MLP(2, [16, 16, 1], seed=0)
    compiled_model = nn.MLP(2, [16, 16, 1], seed=0)
    dynamic = step_with(dynamic_model, compiled=False)
    compiled = step_with(compiled_model, compiled=True)
    flat = [p.data for p in dynamic_model.parameters()]
    layers = _layers_from(flat, [2, 16, 16, 1])
    first = [dynamic(), compiled(), _hand_step(layers, X_batch, y_batch, lr)]
    assert max(first) - min(first) <= 1e-12 * max(first), first
    workload = "moons MLP(2,[16,16,1]) step, batch 32"
    return [
        _row(workload, "dynamic", dynamic, repeats, 5),
        _row(workload, "compiled", compiled, repeats, 20),
        _row(
            workload, "hand-written", lambda: _hand_step(layers, X_batch, y_batch, lr), repeats, 20
        ),
    ]


def run(repeats: int) -> list[Row]:
    """Time every workload and variant; one row per (workload, variant).

    Args:
        repeats: how many timed runs each row's median, min and max are taken over.

    Returns:
        Rows ``{"workload", "variant", "median_ms", "min_ms", "max_ms"}``.
    """
    return _mlp_rows(repeats) + _moons_rows(repeats)


def _table(rows: list[Row]) -> str:
    lines = [
        f"{'workload':40} {'variant':13} {'median ms':>10} {'min ms':>9} {'max ms':>9} {'vs':>8}"
    ]
    for workload in dict.fromkeys(row["workload"] for row in rows):
        group = [row for row in rows if row["workload"] == workload]
        compiled = next(row["median_ms"] for row in group if row["variant"] == "compiled")
        for row in group:
            ratio = row["median_ms"] / compiled
            lines.append(
                f"{row['workload']:40} {row['variant']:13} {row['median_ms']:10.4f} "
                f"{row['min_ms']:9.4f} {row['max_ms']:9.4f} {ratio:7.2f}x"
            )
    lines.append("(vs: median time relative to compiled)")
    return "\n".join(lines)


if __name__ == "__main__":
    print(_table(run(repeats=7)))
