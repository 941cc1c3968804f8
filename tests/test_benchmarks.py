"""The benchmark runner runs at tiny sizes and writes its table, JSON and chart."""

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
        assert {"chainrule", "floats"} <= variants
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
