"""Run the benchmarks: ``make bench`` (or ``python benchmarks/run.py``).

Every variant of a workload is measured in the same run, interleaved (one
repetition of each in turn, rotating the order), and reported as the median
with the minimum and maximum over the repetitions. Variants whose library is
not installed (micrograd, PyTorch) are skipped with a note. Prints a table and
the target ratios, writes ``results.json`` and draws ``mlp_step.png``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# One core for every engine, as for the hand-written floats: BLAS threads (NumPy's
# matrix products, PyTorch) that share two cores with other work slow down instead.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import workloads  # noqa: E402 - the benchmarks folder is not a package

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def _available(variant: str) -> str | None:
    """None if the variant's library imports, else a note saying why it is skipped."""
    module = {"micrograd": "micrograd", "torch scalar": "torch", "torch batched": "torch"}.get(
        variant.split(" (")[0]
    )
    if module is None:
        return None
    try:
        __import__(module)
    except ImportError:
        extra = "pip install -e '.[bench]'" if module == "micrograd" else "pip install torch"
        return f"skipped: {module} is not installed ({extra})"
    return None


def _installed(
    workload: str, makers: dict[str, Callable[[Any], Any]], argument: Any, notes: list[str]
) -> dict[str, Any]:
    """Each variant whose library imports, made from ``argument``; a note for each one skipped."""
    variants = {}
    for name, make in makers.items():
        note = _available(name)
        if note:
            notes.append(f"{workload}, {name}: {note}")
            continue
        variants[name] = make(argument)
    return variants


def _time_once(fn: Callable[[], Any], gc_on: bool) -> float:
    """Seconds for one call, with the cyclic GC on (interpreter defaults) or off."""
    gc.collect()
    if not gc_on:
        gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


def _interleaved(
    variants: dict[str, Callable[[], Any]], repeats: int, gc_on: bool
) -> dict[str, list[float]]:
    """Time every variant ``repeats`` times, one of each in turn, rotating the order."""
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    if not names:  # every variant's library is missing
        return times
    for name in names:  # warm-up, not recorded
        _time_once(variants[name], gc_on)
    for rep in range(repeats):
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(_time_once(variants[name], gc_on))
    return times


def _row(
    workload: str, variant: str, gc_on: bool, seconds: list[float], per: int = 1, unit: str = "ms"
) -> dict[str, Any]:
    scale = 1e3 if unit == "ms" else 1e9
    values = [s * scale / per for s in seconds]
    return {
        "workload": workload,
        "variant": variant,
        "gc": "on" if gc_on else "off",
        "unit": unit if per == 1 else f"{unit}/node",
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "repeats": len(values),
    }


def bench_mlp(repeats: int, quick: bool, notes: list[str]) -> list[dict[str, Any]]:
    """One training step of micrograd's demo in every library.

    The PyTorch variants are made and timed last: once PyTorch is imported, its heap
    makes every variant's step slower (see main()), by about 15% for the float floor
    and 50% for micrograd with the GC on in our runs, which would skew every ratio.
    """
    n = 10 if quick else workloads.MLP_SAMPLES
    slow = {"micrograd", "torch scalar"}
    rows = []
    for uses_torch in (False, True):
        makers = {
            k: v for k, v in workloads.MLP_VARIANTS.items() if k.startswith("torch") == uses_torch
        }
        variants = _installed("mlp step", makers, n, notes)
        for gc_on in (True, False):
            # The slow variants take up to a second a step with the GC on: fewer repetitions.
            fast = {k: v for k, v in variants.items() if k not in slow}
            times = _interleaved(fast, repeats, gc_on)
            times |= _interleaved(
                {k: v for k, v in variants.items() if k in slow}, max(1, min(repeats, 3)), gc_on
            )
            rows += [_row(f"mlp step ({n} points)", name, gc_on, t) for name, t in times.items()]
    return rows


def bench_split(repeats: int, quick: bool) -> list[dict[str, Any]]:
    """chainrule's MLP step split into building the graph and running backward()."""
    import autograd
    import nn

    n = 10 if quick else workloads.MLP_SAMPLES
    X, y = workloads.moons(n)
    model = nn.MLP(2, workloads.MLP_SIZES, seed=0)
    params = model.parameters()
    holder: dict[str, Any] = {}

    def build() -> None:
        scores = [model(x) for x in X]
        losses = [(1.0 - yi * si).relu() for yi, si in zip(y, scores)]
        holder["loss"] = autograd.sum(losses) * (1.0 / n) + workloads.ALPHA * autograd.dot(
            params, params
        )

    def backward() -> None:
        holder["loss"].backward()

    rows = []
    for gc_on in (True, False):
        builds, backs = [], []
        for _ in range(repeats + 1):
            builds.append(_time_once(build, gc_on))
            backs.append(_time_once(backward, gc_on))
        rows.append(_row("mlp step split", "chainrule build (forward)", gc_on, builds[1:]))
        rows.append(_row("mlp step split", "chainrule backward", gc_on, backs[1:]))
    return rows


def bench_gpt(repeats: int, quick: bool) -> list[dict[str, Any]]:
    """A tiny GPT written the micrograd way, forward and backward, on chainrule and minimal.

    The same code (tiny_gpt.py) with the same weights runs on chainrule's Value and on
    the minimal micrograd-style class (minimal_value.py). The target is for the GC on.
    """
    import tiny_gpt

    name = "ava" if quick else tiny_gpt.NAME
    variants = {label: make(name) for label, make in workloads.GPT_VARIANTS.items()}
    workload = f"tiny gpt ({name}, {len(name) + 1} positions)"
    rows = []
    for gc_on in (True, False):
        times = _interleaved(variants, repeats, gc_on)
        rows += [_row(workload, label, gc_on, t) for label, t in times.items()]
    return rows


def bench_per_op(repeats: int, quick: bool) -> list[dict[str, Any]]:
    """Building one node of each micrograd-style op, in ns per node: chainrule vs minimal.

    Each repetition builds n nodes of one op from two leaves and keeps them in a list
    (a graph keeps its nodes alive); the variants take turns, each after gc.collect().
    This is the forward cost only: the minimal class computes its local gradients
    here, while chainrule computes its partials in backward(), which the tiny GPT row
    times. The floats row is the loop and the arithmetic alone, included in the others.
    """
    n = 1000 if quick else 10_000
    builders = {name: make() for name, make in workloads.PER_OP_VARIANTS.items()}
    names = list(builders)
    rows = []
    for gc_on in (False, True):
        for op in workloads.PER_OPS:
            times: dict[str, list[float]] = {name: [] for name in names}
            for rep in range(3 * repeats + 1):  # cheap: three times the repetitions
                shift = rep % len(names)
                for name in names[shift:] + names[:shift]:
                    build = builders[name][op]
                    gc.collect()
                    if not gc_on:
                        gc.disable()
                    try:
                        start = time.perf_counter()
                        nodes = build(n)
                        elapsed = time.perf_counter() - start
                    finally:
                        gc.enable()
                    del nodes  # freed outside the timed part
                    if rep:  # the first round warms up
                        times[name].append(elapsed)
            rows += [_row(f"per op {op}", name, gc_on, times[name], n, "ns") for name in names]
    return rows


def _time_chain(
    make: Callable[[int], tuple[Callable[[], Any], Callable[[Any], None]]],
    n: int,
    repeats: int,
    gc_on: bool,
) -> tuple[list[float], list[float]]:
    """Seconds to build a chain of n ops and to run its backward, per repetition."""
    build, back = make(n)
    forwards, backwards = [], []
    for _ in range(repeats + 1):  # the first repetition warms up and is dropped
        # backward() runs right after the forward pass, as in real use: no collection
        # in between to push the new nodes out of the cache.
        gc.collect()
        if not gc_on:
            gc.disable()
        try:
            start = time.perf_counter()
            y = build()
            built = time.perf_counter()
            back(y)
            done = time.perf_counter()
        finally:
            gc.enable()
        del y
        forwards.append(built - start)
        backwards.append(done - built)
    return forwards[1:], backwards[1:]


def _chain_rows(
    name: str,
    n: int,
    gc_on: bool,
    timed: tuple[list[float], list[float]],
    workload: str = "",
) -> list[dict[str, Any]]:
    forwards, backwards = timed
    title = workload or f"chain n={n}"
    return [
        _row(title, f"{name} forward", gc_on, forwards, n, "ns"),
        _row(title, f"{name} backward", gc_on, backwards, n, "ns"),
    ]


def bench_chain(repeats: int, quick: bool, notes: list[str]) -> list[dict[str, Any]]:
    """A chain y = y * c of n ops, forward and backward, in ns per node, as n grows.

    micrograd joins at n = 400 only: its recursive topological sort raises
    RecursionError on longer chains.
    """
    sizes = [100, 1000] if quick else [1000, 10_000, 100_000, 1_000_000]
    micrograd_note = _available("micrograd")
    if micrograd_note:
        notes.append(f"chain, micrograd: {micrograd_note}")
    rows = []
    # First the comparison, on a heap no million-node chain has churned yet: fair to
    # both. A short chain is cheap, so it gets three times the repetitions.
    for gc_on in (True, False) if not micrograd_note else ():
        for name in ("micrograd", "chainrule", "floats"):
            timed = _time_chain(workloads.CHAIN_VARIANTS[name], 400, 3 * repeats, gc_on)
            rows += _chain_rows(name, 400, gc_on, timed, workload="chain vs micrograd n=400")
    for gc_on in (True, False):
        for n in sizes:
            reps = repeats if n <= 100_000 else max(1, repeats // 3)
            for name in ("chainrule", "floats"):
                timed = _time_chain(workloads.CHAIN_VARIANTS[name], n, reps, gc_on)
                rows += _chain_rows(name, n, gc_on, timed)
    if not micrograd_note:
        try:
            build, back = workloads.chain_micrograd(2000)
            back(build())
        except RecursionError:
            notes.append("chain, micrograd: RecursionError at n=2000 (recursive topological sort)")
    return rows


def bench_dag(repeats: int, quick: bool, notes: list[str]) -> list[dict[str, Any]]:
    """A random DAG with fan-out, forward and backward together."""
    steps = workloads.random_dag(200 if quick else 5000)
    variants = _installed("random dag", workloads.DAG_VARIANTS, steps, notes)
    rows = []
    for gc_on in (True, False):
        times = _interleaved(variants, repeats, gc_on)
        rows += [
            _row(f"random dag ({len(steps)} ops)", name, gc_on, t) for name, t in times.items()
        ]
    return rows


def _from_ms(workload: str, row: dict[str, Any], repeats: int) -> dict[str, Any]:
    """A result row from a sub-benchmark's row of milliseconds, timed with the GC on."""
    return {
        "workload": workload,
        "variant": row["variant"],
        "gc": "on",
        "unit": "ms",
        "median": row["median_ms"],
        "min": row["min_ms"],
        "max": row["max_ms"],
        "repeats": repeats,
    }


def bench_compiled(repeats: int) -> list[dict[str, Any]]:
    """autograd.compile against the dynamic engine and hand-written floats (bench_compile.py)."""
    import bench_compile

    return [_from_ms(row["workload"], row, repeats) for row in bench_compile.run(repeats)]


def bench_batched(repeats: int, quick: bool, notes: list[str]) -> list[dict[str, Any]]:
    """micrograd's demo step at 100, 1,000 and 10,000 samples, batched (bench_batched.py)."""
    import bench_batched

    def available(variant: str) -> bool:
        note = _available(variant)
        if note:
            notes.append(f"batched step, {variant}: {note}")
        return note is None

    if _available("torch batched") is None:  # one core, as the other engines
        import torch

        torch.set_num_threads(1)
    return [
        _from_ms(f"batched step n={row['n']}", row, row["repeats"])
        for row in bench_batched.run(repeats, quick, available)
    ]


def bench_memory(quick: bool, notes: list[str]) -> list[dict[str, Any]]:
    """Bytes per step of a chain y = y * c, as tracemalloc counts them."""
    n = 1000 if quick else 100_000
    rows = []
    for name in ("chainrule", "micrograd"):
        note = _available(name)
        if note:
            notes.append(f"memory, {name}: {note}")
            continue
        build, _ = workloads.CHAIN_VARIANTS[name](n)
        gc.collect()
        tracemalloc.start()
        y = build()
        current, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del y
        rows.append(
            {
                "workload": f"memory, chain n={n}",
                "variant": name,
                "gc": "-",
                "unit": "bytes/node",
                "median": current / n,
                "min": current / n,
                "max": current / n,
                "repeats": 1,
            }
        )
    return rows


def _find(rows: list[dict[str, Any]], workload: str, variant: str, gc: str) -> float | None:
    """The median of the row whose workload is ``workload`` (or starts with ``workload (``)."""
    for row in rows:
        name = row["workload"]
        same = name == workload or name.startswith(workload + " (")
        if same and row["variant"] == variant and row["gc"] == gc:
            return float(row["median"])
    return None


def targets(rows: list[dict[str, Any]]) -> list[tuple[str, float | None, str]]:
    """The issue's target ratios, computed from this run: (what, ratio, target)."""

    def ratio(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None or b == 0 else a / b

    mlp = "mlp step"
    ours_on, ours_off = _find(rows, mlp, "chainrule", "on"), _find(rows, mlp, "chainrule", "off")

    def chain_total(variant: str, workload: str) -> float | None:
        f = _find(rows, workload, f"{variant} forward", "off")
        b = _find(rows, workload, f"{variant} backward", "off")
        return None if f is None or b is None else f + b

    sizes = sorted(
        int(row["workload"].split("=")[1])
        for row in rows
        if row["workload"].startswith("chain n=")
        and row["variant"] == "chainrule forward"
        and row["gc"] == "off"
    )
    memory = next((r["workload"] for r in rows if r["workload"].startswith("memory")), "")
    mem_ours = _find(rows, memory, "chainrule", "-")
    mem_micro = _find(rows, memory, "micrograd", "-")
    gpt = "tiny gpt"
    per_op = [
        (
            f"per op {op}: chainrule / minimal ns per node, GC off",
            ratio(
                _find(rows, f"per op {op}", "chainrule", "off"),
                _find(rows, f"per op {op}", "minimal", "off"),
            ),
            "<= 1.1",
        )
        for op in workloads.PER_OPS
    ]
    return [
        (
            "mlp step: micrograd / chainrule, GC on",
            ratio(_find(rows, mlp, "micrograd", "on"), ours_on),
            ">= 60",
        ),
        (
            "mlp step: micrograd / chainrule, GC off",
            ratio(_find(rows, mlp, "micrograd", "off"), ours_off),
            ">= 10",
        ),
        (
            "mlp step: chainrule / floats (the floor), GC on",
            ratio(ours_on, _find(rows, mlp, "floats", "on")),
            "<= 4",
        ),
        (
            "mlp step: chainrule / floats (the floor), GC off",
            ratio(ours_off, _find(rows, mlp, "floats", "off")),
            "<= 3.5",
        ),
        (
            "tiny gpt, micrograd-style: minimal / chainrule, GC on",
            ratio(_find(rows, gpt, "minimal", "on"), _find(rows, gpt, "chainrule", "on")),
            ">= 1.2",
        ),
        *per_op,
        (
            "mlp step: torch scalar / chainrule, GC on",
            ratio(_find(rows, mlp, "torch scalar", "on"), ours_on),
            ">= 10",
        ),
        (
            "chain n=400: micrograd / chainrule per op, GC off",
            ratio(
                chain_total("micrograd", "chain vs micrograd n=400"),
                chain_total("chainrule", "chain vs micrograd n=400"),
            ),
            ">= 2",
        ),
        (
            f"chain: ns/node at n={sizes[-1]} / n={sizes[0]}, GC off" if sizes else "chain",
            ratio(
                chain_total("chainrule", f"chain n={sizes[-1]}"),
                chain_total("chainrule", f"chain n={sizes[0]}"),
            )
            if sizes
            else None,
            "<= 1.5",
        ),
        ("memory: chainrule / micrograd bytes per step", ratio(mem_ours, mem_micro), "<= 0.33"),
        (
            "3-8-8-1 value_and_grad: dynamic / compiled",
            ratio(
                _find(rows, "mlp 3-8-8-1 value_and_grad", "dynamic", "on"),
                _find(rows, "mlp 3-8-8-1 value_and_grad", "compiled", "on"),
            ),
            ">= 10",
        ),
        *(
            (
                f"batched step n={n:,}: floats / batched",
                ratio(
                    _find(rows, f"batched step n={n}", "floats", "on"),
                    _find(rows, f"batched step n={n}", "batched", "on"),
                ),
                goal,
            )
            for n, goal in ((100, ">= 2"), (1000, ">= 10"), (10000, ">= 40"))
        ),
        (
            "batched step n=10,000: batched / torch batched",
            ratio(
                _find(rows, "batched step n=10000", "batched", "on"),
                _find(rows, "batched step n=10000", "torch batched", "on"),
            ),
            "<= 2",
        ),
        (
            "batched program: trace + code generation + compile(), seconds",
            ratio(_find(rows, "batched step n=100", "compile time", "on"), 1000.0),
            "<= 1.5",
        ),
        (
            "moons training step: compiled / hand-written floats",
            ratio(
                _find(rows, "moons MLP(2,[16,16,1]) step, batch 32", "compiled", "on"),
                _find(rows, "moons MLP(2,[16,16,1]) step, batch 32", "hand-written", "on"),
            ),
            "<= 3",
        ),
    ]


def met(value: float | None, target: str) -> bool | None:
    """Whether ``value`` meets a target written ``"<= 4"`` or ``">= 60"``; None without a value."""
    if value is None:
        return None
    sign, bound = target.split()
    return value <= float(bound) if sign == "<=" else value >= float(bound)


def machine() -> dict[str, Any]:
    """Where the numbers came from."""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }


def print_table(
    rows: list[dict[str, Any]], notes: list[str], checks: list[tuple[str, float | None, str]]
) -> None:
    """The results as a plain-text table, then the notes and the target ratios."""
    print(
        f"{'workload':<38} {'variant':<26} {'gc':<4} {'median':>11} {'min':>11} {'max':>11}  unit"
    )
    for row in rows:
        print(
            f"{row['workload']:<38} {row['variant']:<26} {row['gc']:<4} "
            f"{row['median']:>11.3f} {row['min']:>11.3f} {row['max']:>11.3f}  {row['unit']}"
        )
    for note in notes:
        print(f"note: {note}")
    print()
    for what, value, target in checks:
        shown = "n/a" if value is None else f"{value:.2f}"
        verdict = {True: "met", False: "NOT met", None: "n/a"}[met(value, target)]
        print(f"{what:<56} {shown:>8}   target {target:<7} {verdict}")


def plot(rows: list[dict[str, Any]], path: Path, info: dict[str, Any]) -> None:
    """A bar chart of the MLP training step, GC on and off, on a log scale."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mlp = [r for r in rows if r["workload"].startswith("mlp step (")]
    variants = list(dict.fromkeys(r["variant"] for r in mlp))
    fig, ax = plt.subplots(figsize=(8, 4.2))
    width = 0.38
    for k, gc_mode in enumerate(("on", "off")):
        values = [_find(mlp, "mlp step", v, gc_mode) or 0.0 for v in variants]
        xs = [i + (k - 0.5) * width for i in range(len(variants))]
        bars = ax.bar(xs, values, width, label=f"GC {gc_mode}")
        for bar, value in zip(bars, values):
            if value:
                ax.annotate(
                    f"{value:.1f}",
                    (bar.get_x() + bar.get_width() / 2, value),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
    ax.set_yscale("log")
    ax.set_xticks(range(len(variants)), variants)
    ax.set_ylabel("ms per training step (log scale)")
    ax.set_title("One training step of micrograd's demo: MLP 2-16-16-1, 100 points")
    ax.legend()
    fig.text(
        0.01,
        0.01,
        f"Python {info['python']}, {info['platform']}, {info['cpus']} CPUs, {info['date'][:10]}",
        fontsize=7,
        color="0.4",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """Run every workload and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check the runner")
    parser.add_argument("--repeats", type=int, default=7, help="timed repetitions per variant")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for results")
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG chart")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be >= 1")
    repeats = 1 if args.quick else args.repeats
    notes: list[str] = []
    # The scalar workloads run before anything imports PyTorch: with its large heap
    # in the process, the gc.collect() before each repetition leaves the caches
    # cold and adds about 100 ns per node to every engine alike.
    rows = bench_per_op(repeats, args.quick)
    rows += bench_gpt(repeats, args.quick)
    rows += bench_chain(repeats, args.quick, notes)
    rows += bench_dag(repeats, args.quick, notes)
    rows += bench_memory(args.quick, notes)
    rows += bench_split(repeats, args.quick)
    rows += bench_compiled(repeats)
    import bench_gpt_train  # the tiny GPT trained dynamic, compiled and batched vs minimal

    rows += bench_gpt_train.run(repeats, args.quick)
    rows += bench_mlp(repeats, args.quick, notes)
    rows += bench_batched(repeats, args.quick, notes)  # last: it imports PyTorch when present
    checks = targets(rows) + bench_gpt_train.targets(rows)
    info = machine()
    print_table(rows, notes, checks)
    args.out.mkdir(parents=True, exist_ok=True)
    result = {
        "machine": info,
        "quick": args.quick,
        "rows": rows,
        "notes": notes,
        "targets": [{"what": w, "ratio": r, "target": t, "met": met(r, t)} for w, r, t in checks],
    }
    (args.out / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {args.out / 'results.json'}")
    if not args.no_plot:
        plot(rows, args.out / "mlp_step.png", info)
        print(f"wrote {args.out / 'mlp_step.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
