"""Batched compiled programs: micrograd's demo step at 100, 1,000 and 10,000 samples.

The workload is the MLP step of ``workloads.py`` (MLP 2-16-16-1 on moons, hinge
loss + L2, SGD, the same starting weights for every variant), at three sizes:

* ``dynamic``: chainrule's graph, as a user writes it (``workloads.setup_mlp_chainrule``);
* ``compiled``: ``autograd.compile`` of the per-sample loss, called once per sample;
* ``batched``: the same per-sample loss compiled with ``batch_argnums``: one call per
  step over all the samples, on NumPy arrays;
* ``floats``: the careful hand-written float code, the floor (``workloads.setup_mlp_floats``);
* ``torch batched``: PyTorch on batched float64 tensors, when installed.

The per-sample loss is ``relu(1 - y s(x)) + alpha * sum(p^2)``: its mean over the
samples is the demo's loss, the L2 term being the same in every sample (the batched
program computes it once, as a shared value). ``compile time`` rows time what the
first call of a batched program costs: the trace, the code generation and Python's
``compile()``.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import workloads  # the benchmarks folder is not a package: run.py puts it on sys.path

import autograd

SIZES = (100, 1_000, 10_000)
#: Repetitions for variants that take seconds a step at the largest size.
SLOW_REPEATS = 2


def _flat_weights() -> list[float]:
    """``workloads.initial_weights()`` flattened: per layer, each neuron's weights then bias."""
    flat: list[float] = []
    for w, b in workloads.initial_weights():
        for row, bias in zip(w, b):
            flat += [*row, bias]
    return flat


def per_sample_loss(*args: Any) -> Any:
    """One sample's loss: ``args`` are the flat weights, then x0, x1 and the label y."""
    *weights, x0, x1, y = args
    inputs: list[Any] = [x0, x1]
    offset = 0
    sizes = workloads.MLP_SIZES
    for index, width in enumerate(sizes):
        nin = len(inputs)
        outputs = []
        for _ in range(width):
            row = weights[offset : offset + nin]
            bias = weights[offset + nin]
            offset += nin + 1
            z = autograd.dot([*row, bias], [*inputs, 1.0])
            outputs.append(z if index == len(sizes) - 1 else z.relu())
        inputs = outputs
    hinge = (1.0 - y * inputs[0]).relu()
    return hinge + workloads.ALPHA * autograd.dot(weights, weights)


def _data(n: int) -> tuple[list[float], list[float], list[float]]:
    X, y = workloads.moons(n)
    return [x[0] for x in X], [x[1] for x in X], y


def setup_compiled(n: int) -> Callable[[], float]:
    """The per-sample loss compiled without batching, called once per sample."""
    x0s, x1s, ys = _data(n)
    weights = _flat_weights()
    cf = autograd.compile(per_sample_loss)
    cf(*weights, x0s[0], x1s[0], ys[0])  # trace outside the timed steps

    def step() -> float:
        total = 0.0
        grads = [0.0] * len(weights)
        for x0, x1, y in zip(x0s, x1s, ys):
            value, g = cf.value_and_grad(*weights, x0, x1, y)
            total += value
            for k in range(len(weights)):
                grads[k] += g[k]
        for k, gk in enumerate(grads):
            weights[k] -= workloads.LEARNING_RATE * (gk / n)
        return total / n

    return step


def batched_program() -> Any:
    """The per-sample loss compiled with its inputs and label batched."""
    p = len(_flat_weights())
    return autograd.compile(per_sample_loss, batch_argnums=(p, p + 1, p + 2))


def setup_batched(n: int) -> Callable[[], float]:
    """One batched call per step: the mean loss and the gradient over all n samples."""
    import numpy as np

    x0s, x1s, ys = (np.array(column) for column in _data(n))
    weights = _flat_weights()
    cf = batched_program()
    cf(*weights, x0s, x1s, ys)  # trace and generate outside the timed steps

    def step() -> float:
        value, grads = cf.value_and_grad(*weights, x0s, x1s, ys, reduce="mean")
        for k in range(len(weights)):
            weights[k] -= workloads.LEARNING_RATE * grads[k]
        return float(value)

    return step


VARIANTS: dict[str, Callable[[int], Callable[[], float]]] = {
    "dynamic": workloads.setup_mlp_chainrule,
    "compiled": setup_compiled,
    "batched": setup_batched,
    "floats": workloads.setup_mlp_floats,
    "torch batched": workloads.setup_mlp_torch_batched,
}


def _timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compile_seconds(n: int = 100) -> float:
    """Seconds for a batched program's first call: trace, code generation, ``compile()``."""
    x0s, x1s, ys = _data(n)
    weights = _flat_weights()
    cf = batched_program()
    return _timed(lambda: cf.value_and_grad(*weights, x0s, x1s, ys))


def run(repeats: int, quick: bool, available: Callable[[str], bool]) -> list[dict[str, Any]]:
    """Time every variant at every size, interleaved; one row per (size, variant).

    Args:
        repeats: timed steps per row (fewer for variants that take seconds a step).
        quick: only the smallest size, for tests.
        available: whether a variant's library is installed.

    Returns:
        Rows ``{"n", "variant", "median_ms", "min_ms", "max_ms", "repeats"}``, and one
        ``compile time`` row.
    """
    rows = []
    for n in SIZES[:1] if quick else SIZES:
        steps = {name: make(n) for name, make in VARIANTS.items() if available(name)}
        first = {name: step() for name, step in steps.items()}  # warm-up; same loss for all
        losses = list(first.values())
        assert max(losses) - min(losses) <= 1e-9 * max(map(abs, losses)), first
        slow = {"dynamic", "compiled"} if n >= 1_000 else set()
        times: dict[str, list[float]] = {name: [] for name in steps}
        for rep in range(repeats):
            names = list(steps)
            shift = rep % len(names)
            for name in names[shift:] + names[:shift]:
                if name in slow and rep >= SLOW_REPEATS:
                    continue
                times[name].append(_timed(steps[name]))
        for name, seconds in times.items():
            ms = [s * 1e3 for s in seconds]
            rows.append(
                {
                    "n": n,
                    "variant": name,
                    "median_ms": statistics.median(ms),
                    "min_ms": min(ms),
                    "max_ms": max(ms),
                    "repeats": len(ms),
                }
            )
    seconds = [compile_seconds() for _ in range(1 if quick else 3)]
    rows.append(
        {
            "n": 100,
            "variant": "compile time",
            "median_ms": statistics.median(seconds) * 1e3,
            "min_ms": min(seconds) * 1e3,
            "max_ms": max(seconds) * 1e3,
            "repeats": len(seconds),
        }
    )
    return rows
