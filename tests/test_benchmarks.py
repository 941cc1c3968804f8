"""The benchmark runner runs at tiny sizes and writes its table, JSON and chart; its workloads
compute what they claim (the timings themselves are not tested)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

import autograd
import nn

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
        assert {"chainrule", "floats", "minimal"} <= variants
        workloads = {row["workload"] for row in result["rows"]}
        assert any(name.startswith("tiny gpt") for name in workloads)
        assert any(name.startswith("gpt step") for name in workloads)
        assert {f"per op {op}" for op in ("a*b", "a+b", "exp", "log", "a**2", "relu")} <= workloads
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


class TestMinimalValue:
    def test_every_op_matches_chainrule(self, runner) -> None:  # type: ignore[no-untyped-def]
        """Each op of the minimal class gives chainrule's value and gradients."""
        import minimal_value

        def f(x, y):  # type: ignore[no-untyped-def]
            terms = [x * y, x + y, x - y, y - 2.0, 3.0 - x, x / y, 1.5 / y, y / 4.0, x**2, y**-0.5]
            terms += [x.exp(), y.log(), (-x).relu(), x.relu(), -y, 2.0 * x, 1.0 + y]
            return sum(t * (i + 1) for i, t in enumerate(terms))

        results = []
        for cls in (autograd.Value, minimal_value.Value):
            x, y = cls(0.8), cls(1.7)
            out = f(x, y)
            out.backward()
            results.append((out.data, x.grad, y.grad))
        assert results[0] == pytest.approx(results[1], rel=1e-12)

    def test_shared_node_accumulates(self, runner) -> None:  # type: ignore[no-untyped-def]
        """``x * x`` keeps both edges, and a node used twice gets both gradients."""
        import minimal_value

        x = minimal_value.Value(3.0)
        y = x * x
        z = y + y
        z.backward()
        assert (z.data, x.grad) == (18.0, 12.0)


class TestTinyGPT:
    def test_same_loss_and_gradients_on_both_classes(self, runner) -> None:  # type: ignore[no-untyped-def]
        """chainrule's Value and the minimal class give the same loss and every gradient."""
        import minimal_value
        import tiny_gpt

        results = []
        for cls in (autograd.Value, minimal_value.Value):
            params = tiny_gpt.init_params(cls)
            loss = tiny_gpt.loss(params, tiny_gpt.tokenize("ava"))
            loss.backward()
            results.append((loss.data, [p.grad for p in tiny_gpt.parameters(params)]))
        (ours, our_grads), (theirs, their_grads) = results
        assert ours == pytest.approx(theirs, rel=1e-12)
        assert len(our_grads) == 4192  # 2 * 27 * 16 + 16 * 16 + 4 * 16 * 16 + 2 * 64 * 16
        assert max(abs(a - b) for a, b in zip(our_grads, their_grads)) <= 1e-12
        assert any(g != 0.0 for g in our_grads)

    def test_untrained_loss_is_about_log_vocab(self, runner) -> None:  # type: ignore[no-untyped-def]
        """Small initial weights predict nearly uniformly: the loss is close to log 27."""
        import tiny_gpt

        loss = tiny_gpt.loss(tiny_gpt.init_params(autograd.Value), tiny_gpt.tokenize("olivia"))
        assert loss.data == pytest.approx(math.log(tiny_gpt.VOCAB_SIZE), abs=0.3)

    def test_timed_steps_agree(self, runner) -> None:  # type: ignore[no-untyped-def]
        """The two timed variants compute the same loss, step after step."""
        import workloads

        losses = {
            name: [make("ava")() for _ in range(2)] for name, make in workloads.GPT_VARIANTS.items()
        }
        assert losses["chainrule"] == pytest.approx(losses["minimal"], rel=1e-12)


class TestPerOp:
    def test_every_variant_builds_the_same_numbers(self, runner) -> None:  # type: ignore[no-untyped-def]
        """Each op's builder gives n nodes (or floats) holding the same number in every variant."""
        import workloads

        builders = {name: make() for name, make in workloads.PER_OP_VARIANTS.items()}
        for op in workloads.PER_OPS:
            numbers = {}
            for name, ops in builders.items():
                out = ops[op](3)
                assert len(out) == 3
                numbers[name] = [float(getattr(v, "data", v)) for v in out]
            assert numbers["chainrule"] == numbers["minimal"] == numbers["floats"], op


class TestGPTTraining:
    def test_minimal_side_runs_pytorch_s_adam(self, runner) -> None:  # type: ignore[no-untyped-def]
        """microgpt's Adam loop on the minimal side updates every weight as nn.optim.Adam does."""
        import bench_gpt_train
        import minimal_value
        import tiny_gpt

        ours = tiny_gpt.init_params(autograd.Value)
        leaves = tiny_gpt.parameters(ours)
        optimizer = nn.optim.Adam(leaves, lr=bench_gpt_train.LR, betas=bench_gpt_train.BETAS)
        minimal = tiny_gpt.init_params(minimal_value.Value)
        steps = bench_gpt_train.minimal_steps(["ava", "bo"], minimal)
        theirs = tiny_gpt.parameters(minimal)
        for _ in range(2):
            expected = []
            for name in ("ava", "bo"):
                optimizer.zero_grad()
                loss = tiny_gpt.loss(ours, tiny_gpt.tokenize(name))
                loss.backward()
                optimizer.step()
                expected.append(loss.data)
            assert steps() == pytest.approx(sum(expected) / 2, rel=1e-12)
        assert [p.data for p in theirs] == pytest.approx([p.data for p in leaves], rel=1e-12)

    def test_chainrule_modes_compute_the_same_steps(self, runner) -> None:  # type: ignore[no-untyped-def]
        """The dynamic, compiled and batched steps give the same losses, two names per step."""
        import bench_gpt_train

        names = bench_gpt_train.names_sample(4, longest=3)
        losses = {
            mode: [step(), step()]
            for mode in ("dynamic", "compiled", "batched")
            for step in [bench_gpt_train.chainrule_steps(mode, names, 2)]
        }
        assert losses["compiled"] == pytest.approx(losses["dynamic"], rel=1e-12)
        assert losses["batched"] == pytest.approx(losses["dynamic"], rel=1e-12)
