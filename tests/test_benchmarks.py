"""The benchmark runner runs at tiny sizes and writes its table, JSON and chart; its workloads
compute what they claim (the timings themselves are not tested)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def runner():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import run

        yield run
    finally:
        sys.path.remove(str(BENCHMARKS))


class TestRunner:
    def test_quick_run_writes_results(self, runner, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
        """A quick run prints the table and targets, and writes results.json and the chart."""
        assert runner.main(["--quick", "--out", str(tmp_path)]) == 0
        out = capsys.readouterr().out
        assert "mlp step" in out and "target" in out
        result = json.loads((tmp_path / "results.json").read_text())
        assert {"machine", "rows", "notes", "targets"} <= set(result)
        variants = {row["variant"] for row in result["rows"]}
        assert {"chainrule", "floats", "floats (old floor)"} <= variants
        for target in result["targets"]:
            assert target["met"] in (True, False, None)
            assert (target["met"] is None) == (target["ratio"] is None)
        for row in result["rows"]:
            assert row["min"] <= row["median"] <= row["max"]
        assert (tmp_path / "mlp_step.png").read_bytes().startswith(b"\x89PNG")

    def test_every_variant_computes_the_same_step(self, runner) -> None:  # type: ignore[no-untyped-def]
        """The chainrule, micrograd (if installed) and float MLP steps compute the same loss."""
        import workloads

        losses = {}
        for name, setup in workloads.MLP_VARIANTS.items():
            if runner._available(name) is None:
                step = setup(20)
                losses[name] = [step() for _ in range(3)]
        reference = losses["floats"]
        for name, values in losses.items():
            assert values == pytest.approx(reference, rel=1e-9), name

    def test_dag_variants_agree(self, runner) -> None:  # type: ignore[no-untyped-def]
        """The random-DAG variants compute the same gradient."""
        import workloads

        steps = workloads.random_dag(300)
        results = {
            name: make(steps)()
            for name, make in workloads.DAG_VARIANTS.items()
            if runner._available(name) is None
        }
        for value in results.values():
            assert value == pytest.approx(results["floats"], rel=1e-9)


class TestFloor:
    def test_careful_floor_matches_chainrule(self, runner) -> None:  # type: ignore[no-untyped-def]
        """Two steps of the float floor give chainrule's losses and updated weights to 1e-12."""
        import workloads

        model = workloads.chainrule_mlp()
        layers = workloads.float_layers()
        ours = workloads.setup_mlp_chainrule(workloads.MLP_SAMPLES, model=model)
        floor = workloads.setup_mlp_floats(workloads.MLP_SAMPLES, layers=layers)
        for _ in range(2):
            assert floor() == pytest.approx(ours(), rel=0, abs=1e-12)
            flat = [
                v for w, b in layers for row, bias in zip(w, b, strict=True) for v in [*row, bias]
            ]
            params = [p.data for p in model.parameters()]
            assert len(flat) == len(params)
            assert max(abs(a - b) for a, b in zip(flat, params)) <= 1e-12

    def test_floor_skips_inactive_samples(self, runner) -> None:  # type: ignore[no-untyped-def]
        """Some samples have an inactive hinge after a few steps, so skipping them is exercised."""
        import workloads

        layers = workloads.float_layers()
        step = workloads.setup_mlp_floats(workloads.MLP_SAMPLES, layers=layers)
        for _ in range(5):
            step()
        X, y = workloads.moons()
        w3, b3 = layers[-1]
        inactive = 0
        for x, target in zip(X, y):
            h = x
            for w, b in layers[:-1]:
                h = [max(0.0, bias + sum(a * c for a, c in zip(row, h))) for row, bias in zip(w, b)]
            score = b3[0] + sum(a * c for a, c in zip(w3[0], h))
            inactive += 1.0 - target * score <= 0.0
        assert 0 < inactive < len(X)
