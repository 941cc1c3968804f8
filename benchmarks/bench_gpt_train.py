"""Training a tiny GPT on names: chainrule dynamic, compiled and batched vs the minimal class.

The model is microgpt's default: 1 layer, 16-dimensional embeddings, 4 heads, block
size 16, a 27-token vocabulary. Every variant runs Adam training steps and is timed
per name (one name's forward pass, backward pass and its share of the update):

* ``minimal``: ``tiny_gpt.py`` on ``minimal_value.Value``, the 50-line micrograd-style
  class microgpt carries, with microgpt's Adam loop; one name per step. It is the
  same architecture up to where the norms sit (microgpt normalises the embeddings
  and has no final norm or norm gains; ``nn.models.GPT`` has a final norm with gains),
  so both do the same work within a few percent;
* ``dynamic``: ``nn.models.GPT`` with ``nn.models.gpt.train``'s dynamic step (our
  ``dot``, ``sum`` and modules), one name per step;
* ``compiled``: the same step from the compiled per-name program, one name per call;
* ``batched``: the same step for ``BATCH`` names in one call of the batched program.

The sequential variants go through ``SAMPLE`` names one at a time; the batched one
gets the same names, each repeated ``BATCH / SAMPLE`` times, so every variant
computes the same names and a batched call costs what any ``BATCH`` names padded to
the longest of them cost. The minimal and dynamic variants are timed first, interleaved,
before any program is compiled (a compiled program's heap slows the GC of graph-building
code); the compiled and batched ones after. Also timed once: tracing and compiling the
padded program, and 1,000 training steps of microgpt's schedule (``train(model, seqs,
1000)``, one name per step) in the dynamic and compiled modes. Times are CPU seconds of
this process (see ``_clock``). Run ``python benchmarks/bench_gpt_train.py``.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import minimal_value  # the benchmarks folder is not a package: run.py puts it on sys.path
import tiny_gpt

import nn
from nn.models import GPT
from nn.models.gpt import _Step, sequences, train

Row = dict[str, Any]

#: Names one sequential variant trains on, one per step.
SAMPLE = 16
#: Names per call of the batched program.
BATCH = 512
#: microgpt's Adam settings (its learning rate decays linearly; a timed step uses lr).
LR, BETAS, EPS = 0.01, (0.85, 0.99), 1e-8
#: microgpt's schedule, timed end to end.
SCHEDULE_STEPS = 1000
WORKLOAD = "gpt step"

#: The clock: this process's CPU seconds. On an idle core that is the wall time; on a
#: shared machine it leaves out the time other processes hold the core (the whole
#: program runs in this one thread: NumPy's element-wise ops do not start threads).
_clock = time.process_time


def names_sample(n: int, seed: int = 0, longest: int | None = None) -> list[str]:
    """``n`` names from ``nn.data.names()`` after a seeded shuffle (at most ``longest`` letters)."""
    everyone = nn.data.names()
    random.Random(seed).shuffle(everyone)
    return [name for name in everyone if longest is None or len(name) <= longest][:n]


def minimal_steps(names: list[str], params: tiny_gpt.Params | None = None) -> Callable[[], float]:
    """One microgpt training step per name on the minimal class: forward, backward, Adam.

    ``params`` (from ``tiny_gpt.init_params``) default to the minimal class's, seed 0.
    """
    if params is None:
        params = tiny_gpt.init_params(minimal_value.Value)
    leaves = tiny_gpt.parameters(params)
    m = [0.0] * len(leaves)
    v = [0.0] * len(leaves)
    beta1, beta2 = BETAS
    state = {"step": 0}

    def steps() -> float:
        total = 0.0
        for name in names:
            loss = tiny_gpt.loss(params, tiny_gpt.tokenize(name))
            loss.backward()
            state["step"] += 1
            t = state["step"]
            for i, p in enumerate(leaves):  # microgpt's Adam, as it writes it
                m[i] = beta1 * m[i] + (1 - beta1) * p.grad
                v[i] = beta2 * v[i] + (1 - beta2) * p.grad**2
                m_hat = m[i] / (1 - beta1**t)
                v_hat = v[i] / (1 - beta2**t)
                p.data -= LR * m_hat / (v_hat**0.5 + EPS)
                p.grad = 0.0
            total += loss.data
        return total / len(names)

    return steps


def chainrule_steps(mode: str, names: list[str], batch: int = 1) -> Callable[[], float]:
    """``nn.models.GPT`` trained as ``train(mode=...)`` trains it: ``batch`` names per step.

    The first call traces and compiles the program (for the compiled modes): call it
    once before timing.
    """
    tokenizer = nn.data.CharTokenizer(nn.data.names())
    model = GPT(tokenizer.vocab_size, seed=0)
    seqs = sequences(names, tokenizer, model.block_size)
    step = _Step(model, mode, max(len(seq) for seq in seqs))
    optimizer = nn.optim.Adam(model.parameters(), lr=LR, betas=BETAS, eps=EPS)
    groups = [seqs[i : i + batch] for i in range(0, len(seqs), batch)]

    def steps() -> float:
        total = 0.0
        for group in groups:
            optimizer.zero_grad()
            total += step(group) * len(group)
            optimizer.step()
        return total / len(seqs)

    return steps


def _interleaved(
    variants: dict[str, Callable[[], Any]], repeats: int, gc_on: bool
) -> dict[str, list[float]]:
    """Seconds per call of each variant, ``repeats`` times, one of each in turn, rotating."""
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(repeats):
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            if not gc_on:
                gc.disable()
            try:
                start = _clock()
                variants[name]()
                times[name].append(_clock() - start)
            finally:
                gc.enable()
    return times


def _row(workload: str, variant: str, gc: str, unit: str, values: list[float]) -> Row:
    return {
        "workload": workload,
        "variant": variant,
        "gc": gc,
        "unit": unit,
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "repeats": len(values),
    }


def run(repeats: int, quick: bool = False) -> list[Row]:
    """Time every variant; rows in ``run.py``'s format (``median``, ``min``, ``max``, ``unit``).

    Args:
        repeats: timed repetitions per variant and GC setting.
        quick: tiny sizes (short names, small batches, 20 schedule steps), to check the code.

    Returns:
        One row per (workload, variant, GC setting).
    """
    sample, batch = (2, 8) if quick else (SAMPLE, BATCH)
    names = names_sample(sample, longest=3 if quick else None)
    per_name = {"minimal": sample, "dynamic": sample, "compiled": sample, "batched": batch}
    workload = f"{WORKLOAD} ({sample} names, batch {batch})"
    rows = []
    # Two rounds: the graph-building variants first, while the heap is small; then the
    # compiled ones. A traced program keeps its graph and its code alive (some 100 MB for
    # this model), and with that heap in the process the cyclic GC's full collections,
    # which node-building code triggers often, would slow the first round several-fold.
    rounds: list[dict[str, Callable[[], float]]] = [
        {"minimal": minimal_steps(names), "dynamic": chainrule_steps("dynamic", names)}
    ]
    rows += _timed(rounds[0], repeats, workload, per_name)
    rounds.append({})
    for mode, group, size in (
        ("compiled", names, 1),
        ("batched", names * (batch // sample), batch),
    ):
        start = _clock()
        rounds[1][mode] = chainrule_steps(mode, group, size)
        rounds[1][mode]()  # traces and compiles the program; the timed calls do not
        rows.append(_row("gpt trace + compile", mode, "on", "s", [_clock() - start]))
    rows += _timed(rounds[1], repeats, workload, per_name)
    rounds.clear()
    gc.collect()
    rows += schedule(20, longest=3) if quick else schedule(SCHEDULE_STEPS)
    return rows


def _timed(
    variants: dict[str, Callable[[], float]],
    repeats: int,
    workload: str,
    per_name: dict[str, int],
) -> list[Row]:
    """Rows of milliseconds per name for each variant, GC on and off, interleaved."""
    rows = []
    for gc_on in (True, False):
        times = _interleaved(variants, repeats, gc_on)
        for name, seconds in times.items():
            ms = [1e3 * s / per_name[name] for s in seconds]
            rows.append(_row(workload, name, "on" if gc_on else "off", "ms/name", ms))
    return rows


def schedule(steps: int, longest: int | None = None) -> list[Row]:
    """``train(model, seqs, steps)`` on 90% of the names, one name per step, in seconds."""
    everyone = names_sample(len(nn.data.names()), seed=42, longest=longest)
    tokenizer = nn.data.CharTokenizer(everyone)
    seqs = sequences(everyone[len(everyone) // 10 :], tokenizer, 16)
    rows = []
    for mode in ("dynamic", "compiled"):
        model = GPT(tokenizer.vocab_size, seed=42)
        start = _clock()
        train(model, seqs, steps, mode=mode)
        seconds = _clock() - start
        rows.append(_row(f"gpt train {steps} steps, 1 name/step", mode, "on", "s", [seconds]))
    return rows


def _find(rows: list[Row], workload: str, variant: str, gc: str = "on") -> float | None:
    for row in rows:
        if row["workload"].startswith(workload) and row["variant"] == variant and row["gc"] == gc:
            return float(row["median"])
    return None


def targets(rows: list[Row]) -> list[tuple[str, float | None, str]]:
    """The issue's targets for the tiny GPT, from this run: (what, value, target)."""

    def ratio(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None or b == 0 else a / b

    minimal = {gc: _find(rows, WORKLOAD, "minimal", gc) for gc in ("on", "off")}
    schedule_rows = [r for r in rows if r["workload"].startswith("gpt train ")]
    fastest = min(schedule_rows, key=lambda r: r["median"], default=None)
    steps = fastest["workload"].split()[2] if fastest else "?"
    mode = fastest["variant"] if fastest else "?"
    return [
        (
            "gpt step: minimal / dynamic per name, GC on",
            ratio(minimal["on"], _find(rows, WORKLOAD, "dynamic", "on")),
            ">= 5",
        ),
        (
            "gpt step: minimal / batched per name, GC on",
            ratio(minimal["on"], _find(rows, WORKLOAD, "batched", "on")),
            ">= 50",
        ),
        (
            f"gpt: seconds for {steps} microgpt steps ({mode})",
            fastest["median"] if fastest else None,
            "<= 60",
        ),
    ]


def _table(rows: list[Row]) -> str:
    lines = [f"{'workload':56} {'variant':9} {'gc':3} {'median':>9} {'min':>9} {'max':>9}  unit"]
    for row in rows:
        lines.append(
            f"{row['workload']:56} {row['variant']:9} {row['gc']:3} {row['median']:9.3f} "
            f"{row['min']:9.3f} {row['max']:9.3f}  {row['unit']}"
        )
    for what, value, target in targets(rows):
        shown = "n/a" if value is None else f"{value:.2f}"
        lines.append(f"{what:56} {shown:>9}   target {target}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(_table(run(repeats=5)))
