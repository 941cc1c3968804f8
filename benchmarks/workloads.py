"""The benchmark workloads, one function per (workload, library).

Every variant of a workload computes the same thing the way a user of that
library would write it. Each ``setup_*`` returns a zero-argument callable that
does one timed unit of work (one training step, one chain, ...).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import minimal_value  # the benchmarks folder is not a package: run.py puts it on sys.path
import tiny_gpt

import autograd
import nn

#: micrograd's demo: MLP(2, [16, 16, 1]) on 100 moons points, hinge loss + L2, SGD.
MLP_SIZES = [16, 16, 1]
MLP_SAMPLES = 100
ALPHA = 1e-4
LEARNING_RATE = 0.05
CHAIN_CONSTANT = 1.0000001


def moons(n: int = MLP_SAMPLES) -> tuple[list[list[float]], list[float]]:
    """The demo's data: two moons with labels -1 and +1."""
    X, y = nn.data.make_moons(n, noise=0.1, seed=1)
    return X, [2.0 * t - 1.0 for t in y]


def initial_weights(seed: int = 0) -> list[tuple[list[list[float]], list[float]]]:
    """One set of starting weights shared by every variant: per layer, rows of w and biases."""
    rng = random.Random(seed)
    layers = []
    nin = 2
    for nout in MLP_SIZES:
        w = [[rng.uniform(-1.0, 1.0) for _ in range(nin)] for _ in range(nout)]
        b = [0.0] * nout
        layers.append((w, b))
        nin = nout
    return layers


# --- the MLP training step ------------------------------------------------------


def chainrule_mlp() -> nn.MLP:
    """chainrule's nn.MLP for the demo, holding ``initial_weights()``."""
    model = nn.MLP(2, MLP_SIZES, seed=0)
    for layer, (w, b) in zip(model.layers, initial_weights(), strict=True):
        for neuron, row, bias in zip(layer.neurons, w, b, strict=True):
            for p, value in zip(neuron.w, row, strict=True):
                p.data = value
            neuron.b.data = bias
    return model


def setup_mlp_chainrule(n: int = MLP_SAMPLES, model: nn.MLP | None = None) -> Callable[[], float]:
    """chainrule: nn.MLP, a neuron is one dot node; hinge + L2 with n-ary sum and dot.

    Each step updates ``model`` (by default a fresh ``chainrule_mlp()``) in place.
    """
    X, y = moons(n)
    model = chainrule_mlp() if model is None else model
    params = model.parameters()
    optimizer = nn.optim.SGD(params, lr=LEARNING_RATE)

    def step() -> float:
        scores = [model(x) for x in X]
        losses = [(1.0 - yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = autograd.sum(losses) * (1.0 / len(losses))
        total = data_loss + ALPHA * autograd.dot(params, params)
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        return total.data

    return step


def setup_mlp_micrograd(n: int = MLP_SAMPLES) -> Callable[[], float]:
    """micrograd 0.1.0: its own demo's code."""
    from micrograd.engine import Value
    from micrograd.nn import MLP

    X, y = moons(n)
    model = MLP(2, MLP_SIZES)
    for layer, (w, b) in zip(model.layers, initial_weights(), strict=True):
        for neuron, row, bias in zip(layer.neurons, w, b, strict=True):
            for p, value in zip(neuron.w, row, strict=True):
                p.data = value
            neuron.b.data = bias

    def step() -> float:
        inputs = [list(map(Value, row)) for row in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        for p in model.parameters():
            p.data -= LEARNING_RATE * p.grad
        return float(total.data)

    return step


def setup_mlp_torch_scalar(n: int = MLP_SAMPLES) -> Callable[[], float]:
    """PyTorch with 0-dim float64 tensors: the same scalar code, one tensor per number."""
    import torch

    X, y = moons(n)
    layers = [
        (
            [[torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in row] for row in w],
            [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in b],
        )
        for w, b in initial_weights()
    ]
    params = [p for w, b in layers for row in w for p in row] + [p for _, b in layers for p in b]
    inputs = [[torch.tensor(v, dtype=torch.float64) for v in row] for row in X]

    def forward(x: list[Any]) -> Any:
        out = x
        for index, (w, b) in enumerate(layers):
            last = index == len(layers) - 1
            pre = [sum((wi * xi for wi, xi in zip(row, out)), bias) for row, bias in zip(w, b)]
            out = pre if last else [torch.relu(v) for v in pre]
        return out[0]

    def step() -> float:
        scores = [forward(x) for x in inputs]
        losses = [torch.relu(1 - yi * si) for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total = data_loss + ALPHA * sum(p * p for p in params)
        for p in params:
            p.grad = None
        total.backward()
        with torch.no_grad():
            for p in params:
                p -= LEARNING_RATE * p.grad
        return float(total.detach())

    return step


def setup_mlp_torch_batched(n: int = MLP_SAMPLES) -> Callable[[], float]:
    """PyTorch with batched tensors: what users leave a scalar engine for."""
    import torch

    X, y = moons(n)
    xs = torch.tensor(X, dtype=torch.float64)
    ys = torch.tensor(y, dtype=torch.float64)
    weights = [
        (
            torch.tensor(w, dtype=torch.float64, requires_grad=True),
            torch.tensor(b, dtype=torch.float64, requires_grad=True),
        )
        for w, b in initial_weights()
    ]
    params = [t for pair in weights for t in pair]

    def step() -> float:
        out = xs
        for index, (w, b) in enumerate(weights):
            out = out @ w.T + b
            if index < len(weights) - 1:
                out = torch.relu(out)
        total = torch.relu(1 - ys * out[:, 0]).mean() + ALPHA * sum((p * p).sum() for p in params)
        for p in params:
            p.grad = None
        total.backward()
        with torch.no_grad():
            for p in params:
                p -= LEARNING_RATE * p.grad
        return float(total.detach())

    return step


Layers = list[tuple[list[list[float]], list[float]]]  # per layer: rows of weights, biases


def float_layers() -> Layers:
    """A fresh copy of ``initial_weights()`` for the float code to update in place."""
    return [([row[:] for row in w], b[:]) for w, b in initial_weights()]


def setup_mlp_floats(n: int = MLP_SAMPLES, layers: Layers | None = None) -> Callable[[], float]:
    """Hand-written Python floats, written carefully: the floor.

    The floor is the fastest straightforward code for the step, so that a ratio
    against it says how much an engine costs, not how slow a baseline can be made.
    Straightforward: plain Python loops over lists of floats, no NumPy, no unrolling,
    no code generation. Careful, in the three ways a person writing this by hand would
    be: a sample whose hinge is inactive (margin <= 0) contributes nothing to the
    gradient, so backward is skipped for it; a zero delta (a relu that was off) passes
    nothing back, so its row of work is skipped; and sums are plain ``+=`` loops, not
    generator expressions. It computes the same loss and updated weights as chainrule's
    step, to rounding (tests/test_benchmarks.py holds them within 1e-12).

    Each step updates ``layers`` (by default a fresh ``float_layers()``) in place.
    """
    X, y = moons(n)
    layers = float_layers() if layers is None else layers
    scale = 1.0 / n
    last = len(layers) - 1

    def step() -> float:
        grads = [([[0.0] * len(row) for row in w], [0.0] * len(b)) for w, b in layers]
        data_loss = 0.0
        for x, target in zip(X, y):
            # forward, keeping each layer's input; relu on every layer but the last
            acts = [x]
            inp = x
            for index, (w, b) in enumerate(layers):
                out = []
                for row, z in zip(w, b):
                    for wk, xk in zip(row, inp):
                        z += wk * xk
                    out.append(z if z > 0.0 or index == last else 0.0)
                acts.append(out)
                inp = out
            margin = 1.0 - target * inp[0]
            if margin <= 0.0:  # the hinge is inactive: no loss, no gradient
                continue
            data_loss += margin
            # backward: d loss / d score = -target / n where the hinge is active
            delta = [-target * scale]
            for index in range(last, -1, -1):
                w, _ = layers[index]
                gw, gb = grads[index]
                inp = acts[index]
                back = [0.0] * len(inp)
                for j, d in enumerate(delta):
                    if d == 0.0:  # a relu that was off passes nothing back
                        continue
                    gb[j] += d
                    grow = gw[j]
                    if index:
                        wrow = w[j]
                        for k, xk in enumerate(inp):
                            grow[k] += d * xk
                            back[k] += d * wrow[k]
                    else:  # the first layer: no delta to pass further down
                        for k, xk in enumerate(inp):
                            grow[k] += d * xk
                if index:
                    delta = [g if a > 0.0 else 0.0 for g, a in zip(back, inp)]
        # L2 and the SGD update in one pass: d (alpha * p^2) / d p = 2 * alpha * p
        reg = 0.0
        for (w, b), (gw, gb) in zip(layers, grads):
            for row, grow in zip(w, gw):
                for k, v in enumerate(row):
                    reg += v * v
                    row[k] = v - LEARNING_RATE * (grow[k] + 2.0 * ALPHA * v)
            for j, v in enumerate(b):
                reg += v * v
                b[j] = v - LEARNING_RATE * (gb[j] + 2.0 * ALPHA * v)
        return data_loss * scale + ALPHA * reg

    return step


def setup_mlp_floats_old(n: int = MLP_SAMPLES) -> Callable[[], float]:
    """The first float code, kept to show how far the floor moved; no target uses it.

    It runs backward only where the hinge is active too, but it sums with generators,
    and it multiplies through the zero deltas of relus that are off.
    """
    X, y = moons(n)
    layers = [([row[:] for row in w], b[:]) for w, b in initial_weights()]
    scale = 1.0 / n

    def step() -> float:
        grads = [([[0.0] * len(row) for row in w], [0.0] * len(b)) for w, b in layers]
        data_loss = 0.0
        for x, target in zip(X, y):
            # forward, keeping each layer's input and pre-activation
            acts = [x]
            pres = []
            for index, (w, b) in enumerate(layers):
                inp = acts[-1]
                pre = [sum(wi * xi for wi, xi in zip(row, inp)) + bias for row, bias in zip(w, b)]
                pres.append(pre)
                last = index == len(layers) - 1
                acts.append(pre if last else [v if v > 0.0 else 0.0 for v in pre])
            margin = 1.0 - target * acts[-1][0]
            if margin <= 0.0:
                continue
            data_loss += margin
            # backward: d loss / d score = -target / n where the hinge is active
            delta = [-target * scale]
            for index in range(len(layers) - 1, -1, -1):
                w, _ = layers[index]
                gw, gb = grads[index]
                inp = acts[index]
                for j, d in enumerate(delta):
                    gb[j] += d
                    row = gw[j]
                    for k, xk in enumerate(inp):
                        row[k] += d * xk
                if index == 0:
                    break
                below = pres[index - 1]
                delta = [
                    sum(delta[j] * w[j][k] for j in range(len(delta))) if below[k] > 0.0 else 0.0
                    for k in range(len(inp))
                ]
        reg = 0.0
        for (w, b), (gw, gb) in zip(layers, grads):
            for row, grow in zip(w, gw):
                for k, v in enumerate(row):
                    reg += v * v
                    grow[k] += 2.0 * ALPHA * v
            for j, v in enumerate(b):
                reg += v * v
                gb[j] += 2.0 * ALPHA * v
        for (w, b), (gw, gb) in zip(layers, grads):
            for row, grow in zip(w, gw):
                for k in range(len(row)):
                    row[k] -= LEARNING_RATE * grow[k]
            for j in range(len(b)):
                b[j] -= LEARNING_RATE * gb[j]
        return data_loss * scale + ALPHA * reg

    return step


MLP_VARIANTS: dict[str, Callable[..., Callable[[], float]]] = {
    "chainrule": setup_mlp_chainrule,
    "micrograd": setup_mlp_micrograd,
    "torch scalar": setup_mlp_torch_scalar,
    "torch batched": setup_mlp_torch_batched,
    "floats": setup_mlp_floats,
    "floats (old floor)": setup_mlp_floats_old,
}


# --- a chain y = y * c of n ops: forward (build) and backward -------------------


def chain_chainrule(n: int) -> tuple[Callable[[], Any], Callable[[Any], None]]:
    """Build ``y = x * c * c * ...`` (n ops) and run backward."""

    def build() -> Any:
        x = autograd.Value(1.0)
        y = x
        for _ in range(n):
            y = y * CHAIN_CONSTANT
        return y

    return build, lambda y: y.backward()


def chain_micrograd(n: int) -> tuple[Callable[[], Any], Callable[[Any], None]]:
    """micrograd's chain; its recursive topological sort limits n (RecursionError)."""
    from micrograd.engine import Value

    def build() -> Any:
        y = Value(1.0)
        for _ in range(n):
            y = y * CHAIN_CONSTANT
        return y

    return build, lambda y: y.backward()


def chain_floats(n: int) -> tuple[Callable[[], Any], Callable[[Any], None]]:
    """The floor: the value and its derivative in two loops over floats."""

    def build() -> Any:
        y = 1.0
        tape = []
        for _ in range(n):
            tape.append(CHAIN_CONSTANT)
            y = y * CHAIN_CONSTANT
        return tape

    def backward(tape: Any) -> None:
        g = 1.0
        for c in reversed(tape):
            g = g * c

    return build, backward


CHAIN_VARIANTS = {
    "chainrule": chain_chainrule,
    "micrograd": chain_micrograd,
    "floats": chain_floats,
}


# --- a random DAG with fan-out ------------------------------------------------------


def random_dag(n: int, seed: int = 0) -> list[tuple[str, int, int]]:
    """n steps (add, mul or relu), each reading earlier nodes chosen uniformly: wide fan-out."""
    rng = random.Random(seed)
    steps = []
    for k in range(n):
        available = 8 + k
        steps.append(
            (rng.choice(("add", "mul", "relu")), rng.randrange(available), rng.randrange(available))
        )
    return steps


def _dag_inputs() -> list[float]:
    return [0.1 * (i + 1) for i in range(8)]


def dag_chainrule(steps: list[tuple[str, int, int]]) -> Callable[[], float]:
    """Evaluate the DAG on Values and backpropagate."""

    def run() -> float:
        nodes: list[Any] = [autograd.Value(v) for v in _dag_inputs()]
        for op, i, j in steps:
            a, b = nodes[i], nodes[j]
            nodes.append(a + b if op == "add" else a * b * 0.5 if op == "mul" else a.relu())
        root = autograd.sum(nodes[-16:])
        root.backward()
        return nodes[0].grad

    return run


def dag_micrograd(steps: list[tuple[str, int, int]]) -> Callable[[], float]:
    """Evaluate the DAG with micrograd and backpropagate."""
    from micrograd.engine import Value

    def run() -> float:
        nodes: list[Any] = [Value(v) for v in _dag_inputs()]
        for op, i, j in steps:
            a, b = nodes[i], nodes[j]
            nodes.append(a + b if op == "add" else a * b * 0.5 if op == "mul" else a.relu())
        root = sum(nodes[-16:])
        root.backward()
        return float(nodes[0].grad)

    return run


def dag_floats(steps: list[tuple[str, int, int]]) -> Callable[[], float]:
    """The floor: evaluate on floats, then a reverse sweep over the same steps."""

    def run() -> float:
        values = _dag_inputs()
        for op, i, j in steps:
            a, b = values[i], values[j]
            values.append(
                a + b if op == "add" else a * b * 0.5 if op == "mul" else (a if a > 0.0 else 0.0)
            )
        grads = [0.0] * len(values)
        for k in range(len(values) - 16, len(values)):
            grads[k] = 1.0
        for k in range(len(steps) - 1, -1, -1):
            g = grads[8 + k]
            if g == 0.0:
                continue
            op, i, j = steps[k]
            if op == "add":
                grads[i] += g
                grads[j] += g
            elif op == "mul":
                grads[i] += g * values[j] * 0.5
                grads[j] += g * values[i] * 0.5
            elif values[i] > 0.0:
                grads[i] += g
        return grads[0]

    return run


DAG_VARIANTS = {"chainrule": dag_chainrule, "micrograd": dag_micrograd, "floats": dag_floats}


# --- micrograd-style code: a tiny GPT, and the cost of one node per op ------------


def setup_gpt(value_cls: type, name: str = tiny_gpt.NAME) -> Callable[[], float]:
    """One forward and backward of tiny_gpt on one name, on ``value_cls``; returns the loss.

    The gradients are zeroed first, as a training loop does between steps.
    """
    params = tiny_gpt.init_params(value_cls)
    leaves = tiny_gpt.parameters(params)
    tokens = tiny_gpt.tokenize(name)

    def step() -> float:
        for p in leaves:
            p.grad = 0.0
        loss = tiny_gpt.loss(params, tokens)
        loss.backward()
        return float(loss.data)

    return step


GPT_VARIANTS: dict[str, Callable[[str], Callable[[], float]]] = {
    "chainrule": lambda name: setup_gpt(autograd.Value, name),
    "minimal": lambda name: setup_gpt(minimal_value.Value, name),
}

#: The ops micrograd-style code is made of, one node each (``**`` with a number exponent).
PER_OPS = ("a*b", "a+b", "exp", "log", "a**2", "relu")


def per_op_builders(value_cls: type) -> dict[str, Callable[[int], list[Any]]]:
    """For each op, a function building n nodes of it from two leaves, kept in a list."""
    a, b = value_cls(0.7), value_cls(1.3)
    return {
        "a*b": lambda n: [a * b for _ in range(n)],
        "a+b": lambda n: [a + b for _ in range(n)],
        "exp": lambda n: [a.exp() for _ in range(n)],
        "log": lambda n: [a.log() for _ in range(n)],
        "a**2": lambda n: [a**2 for _ in range(n)],
        "relu": lambda n: [a.relu() for _ in range(n)],
    }


def per_op_floats() -> dict[str, Callable[[int], list[Any]]]:
    """The same loops over floats: what the loop and the arithmetic cost without a node."""
    a, b = 0.7, 1.3
    exp, log = math.exp, math.log
    return {
        "a*b": lambda n: [a * b for _ in range(n)],
        "a+b": lambda n: [a + b for _ in range(n)],
        "exp": lambda n: [exp(a) for _ in range(n)],
        "log": lambda n: [log(a) for _ in range(n)],
        "a**2": lambda n: [a**2 for _ in range(n)],
        "relu": lambda n: [a if a > 0.0 else 0.0 for _ in range(n)],
    }


PER_OP_VARIANTS: dict[str, Callable[[], dict[str, Callable[[int], list[Any]]]]] = {
    "chainrule": lambda: per_op_builders(autograd.Value),
    "minimal": lambda: per_op_builders(minimal_value.Value),
    "floats": per_op_floats,
}
