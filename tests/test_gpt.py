"""Tests for nn.models.gpt: the GPT's numbers, its cache and sampling, training and the script."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

import autograd
from nn import KVCache
from nn.data import CharTokenizer, names
from nn.losses import cross_entropy
from nn.models import GPT
from nn.models.gpt import MODES, Block, evaluate, main, sequences, train

FIXTURE = Path(__file__).with_name("gpt_torch_reference.json")
#: How closely our float64 numbers must match PyTorch's float64 ones.
TORCH_RTOL = 1e-9
#: Central differences with step FD_STEP agree with backward() to about this.
FD_STEP = 1e-6
FD_RTOL = 1e-5
FD_ATOL = 1e-8
#: How closely the training modes' losses and weights agree after 20 steps.
MODES_RTOL = 1e-9


def _tiny(n_layer: int = 1, seed: int = 0) -> GPT:
    """A GPT small enough to check quickly: 5 tokens, 6 positions, 4 dimensions, 2 heads."""
    return GPT(5, block_size=6, n_embd=4, n_head=2, n_layer=n_layer, seed=seed)


def _data(rows: list[list[autograd.Value]]) -> list[list[float]]:
    return [[z.data for z in row] for row in rows]


class TestForwardByHand:
    def test_with_silent_blocks_logits_are_head_of_normed_embeddings(self) -> None:
        """With zero projections each block adds 0, so logits = lm_head(rmsnorm(wte[t] + wpe[p])).

        n_embd = 1: wte[1] = 2, wpe[0] = 1, so x = 3, rmsnorm(x) = 3 / sqrt(9 + 1e-5),
        and lm_head = (0.5, -1) gives logits (0.5, -1) * 3 / sqrt(9 + 1e-5).
        """
        model = GPT(2, block_size=1, n_embd=1, n_head=1, seed=0)
        state = dict.fromkeys(model.state_dict(), 0.0)
        state |= {"wte.weight.1.0": 2.0, "wpe.weight.0.0": 1.0, "norm_f.weight.0": 1.0}
        state |= {"lm_head.weight.0.0": 0.5, "lm_head.weight.1.0": -1.0}
        model.load_state_dict(state)
        (logits,) = model([1])
        scale = 3 / math.sqrt(9 + 1e-5)
        assert [z.data for z in logits] == pytest.approx([0.5 * scale, -scale], rel=1e-12)

    def test_block_is_pre_norm_residual(self) -> None:
        """A block computes x + attn(norm1(x)), then y + mlp(norm2(y)), from its own modules."""
        block = Block(4, 2, "relu2", seed=3)
        xs = [[0.5, -1.0, 0.25, 2.0], [1.0, 0.0, -0.5, 0.3]]
        out = block(xs, KVCache())
        attended = block.attn([block.norm1(x) for x in xs])
        ys = [[a + b.data for a, b in zip(x, at)] for x, at in zip(xs, attended)]
        expected = [[a + b.data for a, b in zip(y, block.mlp(block.norm2(y)))] for y in ys]
        assert _data(out) == expected

    def test_parameter_count(self) -> None:
        """microgpt's config with 27 tokens has 2*27*16 + 16*16 + 12*16^2 + 2*16 + 16 parameters."""
        assert len(GPT(27, seed=0).parameters()) == 864 + 256 + 3072 + 32 + 16

    def test_no_biases_and_untied_head(self) -> None:
        """There are no bias parameters, and lm_head is not wte."""
        model = GPT(27, seed=0)
        assert not any(".bias" in name for name, _ in model.named_parameters())
        assert model.lm_head.weight[0][0] is not model.wte.weight[0][0]

    def test_names_follow_the_modules(self) -> None:
        """Parameter names are paths through wte, wpe, blocks, norm_f and lm_head."""
        names_ = [name for name, _ in _tiny().named_parameters()]
        assert names_[0] == "wte.weight.0.0"
        assert "blocks.0.attn.q_proj.weight.3.1" in names_
        assert "blocks.0.mlp.fc2.weight.3.15" in names_
        assert names_[-1] == "lm_head.weight.4.3"


class TestAgainstPyTorch:
    def test_loss_and_gradients_match_pytorch_float64(self) -> None:
        """Loss, last logits and gradients for one name match PyTorch float64 to 1e-9 relative.

        The fixture was made once, with torch 2.13.0 in a separate environment, by a
        throwaway script that built the same GPT in torch (F.embedding-style indexing,
        F.rms_norm, F.scaled_dot_product_attention with is_causal, squared relu,
        F.cross_entropy) from this model's state_dict, with every parameter set to
        0.5 * sin(0.61 i + 0.2) for the i-th name of named_parameters(), and stored the
        loss for "emma", its last row of logits, the norm of the whole gradient and
        the gradients of two entries of each weight tensor. Torch is not needed here.
        """
        ref = json.loads(FIXTURE.read_text())
        model = GPT(**ref["config"], seed=0)
        model.load_state_dict(
            {n: 0.5 * math.sin(0.61 * i + 0.2) for i, (n, _) in enumerate(model.named_parameters())}
        )
        tokens = ref["tokens"]
        assert tokens == [26, *CharTokenizer(names()).encode(ref["name"]), 26]
        logits = model(tokens[:-1])
        loss = cross_entropy(logits, tokens[1:])
        loss.backward()
        grads = {name: p.grad for name, p in model.named_parameters()}
        assert loss.data == pytest.approx(ref["loss"], rel=TORCH_RTOL)
        assert [z.data for z in logits[-1]] == pytest.approx(ref["last_logits"], rel=TORCH_RTOL)
        norm = math.sqrt(sum(g * g for g in grads.values()))
        assert norm == pytest.approx(ref["grad_norm"], rel=TORCH_RTOL)
        for name, expected in ref["grads"].items():
            assert grads[name] == pytest.approx(expected, rel=TORCH_RTOL), name


class TestGradients:
    @pytest.mark.parametrize("activation", ["relu2", "relu", "gelu"])
    def test_parameter_gradients_match_finite_differences(self, activation: str) -> None:
        """backward() agrees with central differences for a sample of every kind of parameter."""
        model = GPT(5, block_size=6, n_embd=4, n_head=2, n_layer=2, activation=activation, seed=1)
        tokens = [4, 0, 3, 1, 2]

        def loss() -> autograd.Value:
            return cross_entropy(model(tokens[:-1]), tokens[1:])

        loss().backward()
        rng = random.Random(0)
        named = list(model.named_parameters())
        for name, p in rng.sample(named, 40):
            analytic, saved = p.grad, p.data
            p.data = saved + FD_STEP
            up = loss().data
            p.data = saved - FD_STEP
            down = loss().data
            p.data = saved
            numeric = (up - down) / (2 * FD_STEP)
            assert analytic == pytest.approx(numeric, rel=FD_RTOL, abs=FD_ATOL), name


class TestCache:
    def test_pieces_through_a_cache_equal_the_whole(self) -> None:
        """Feeding tokens in pieces through one cache gives the whole pass's logits, bit for bit."""
        model = _tiny(n_layer=2)
        tokens = [4, 1, 1, 0, 3, 2]
        cache = model.new_cache()
        pieces = model(tokens[:1], cache) + model(tokens[1:4], cache) + model(tokens[4:], cache)
        assert _data(pieces) == _data(model(tokens))
        assert [len(c) for c in cache] == [6, 6]

    def test_generate_equals_recomputing_everything(self) -> None:
        """Cached generation samples what recomputing the whole sequence each step would."""
        model = _tiny(n_layer=2, seed=4)
        prompt, temperature = [4, 2], 0.8
        rng = random.Random(11)
        expected = list(prompt)
        for _ in range(4):
            logits = [z.data for z in model(expected)[-1]]
            top = max(logits)
            weights = [math.exp((z - top) / temperature) for z in logits]
            expected.append(rng.choices(range(5), weights=weights)[0])
        assert model.generate(prompt, 4, temperature, seed=11) == expected[2:]

    def test_generate_computes_each_position_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """n tokens after a prompt of p cost p + n - 1 position lookups, not a quadratic number."""
        model = _tiny()
        looked_up: list[int] = []
        original = model.wpe.forward
        monkeypatch.setattr(model.wpe, "forward", lambda i: looked_up.append(i) or original(i))
        model.generate([4, 0], 5, seed=0)
        assert looked_up == [0, 1, 2, 3, 4, 5]

    def test_generate_builds_no_graph(self) -> None:
        """Sampling runs under no_grad: the cached keys are leaves."""
        model = _tiny()
        cache_probe: list[KVCache] = []
        original = model.new_cache

        def spy() -> list[KVCache]:
            cache_probe.extend(original())
            return cache_probe

        model.new_cache = spy  # type: ignore[method-assign]
        model.generate([4], 2, seed=0)
        assert cache_probe[0].keys[0][0].op == ""


class TestAttentionMaps:
    def test_each_block_keeps_a_square_map_per_head(self) -> None:
        """After model(tokens), each block's attention holds T x T lower-triangular maps."""
        model = _tiny(n_layer=2)
        tokens = [4, 1, 1, 0, 3]
        model(tokens)
        for block in model.blocks:
            maps = block.attn.last_attention
            assert len(maps) == model.n_head
            for head in maps:
                assert [len(row) for row in head] == [len(tokens)] * len(tokens)
                for t, row in enumerate(head):
                    assert math.fsum(row) == pytest.approx(1.0, rel=1e-12)
                    assert row[t + 1 :] == [0.0] * (len(tokens) - t - 1)


class TestSampling:
    def test_same_seed_same_samples(self) -> None:
        """The same seed gives the same tokens; a model's own rng continues between calls."""
        model = _tiny()
        assert model.generate([4], 5, seed=3) == model.generate([4], 5, seed=3)
        a, b = _tiny(seed=7), _tiny(seed=7)
        assert [a.generate([4], 5), a.generate([4], 5)] == [b.generate([4], 5), b.generate([4], 5)]

    def test_low_temperature_is_greedy(self) -> None:
        """At a tiny temperature the sample is the most likely token."""
        model = _tiny(seed=2)
        logits = [z.data for z in model([4])[-1]]
        assert model.generate([4], 1, temperature=1e-6, seed=0) == [logits.index(max(logits))]

    def test_stop_token_ends_early_and_is_left_out(self) -> None:
        """Sampling stops at the stop token, which is not returned."""
        model = _tiny(seed=5)
        full = model.generate([4], 6, seed=9)
        stop = full[2]
        cut = full[: full.index(stop)]
        assert model.generate([4], 6, seed=9, stop=stop) == cut

    def test_zero_tokens(self) -> None:
        """Asking for none returns an empty list."""
        assert _tiny().generate([4], 0) == []

    def test_same_seed_same_weights(self) -> None:
        """The same seed gives the same weights, bit for bit; another seed gives others."""
        assert _tiny(seed=1).state_dict() == _tiny(seed=1).state_dict()
        assert _tiny(seed=1).state_dict() != _tiny(seed=2).state_dict()


class TestErrors:
    @pytest.mark.parametrize(
        ("tokens", "error", "match"),
        [
            ([], ValueError, "at least one token"),
            ([5], ValueError, r"tokens\[0\] must be <= 4 for vocab_size 5, got 5"),
            ([0, -1], ValueError, r"tokens\[1\]"),
            ([True], TypeError, r"tokens\[0\] must be an int"),
            ("ab", TypeError, "tokens must be a sequence"),
            ([0] * 7, ValueError, "7 tokens are more than block_size = 6"),
            ([[1.0, 0.0]], ValueError, r"tokens\[0\] must be a token id or a row of vocab_size"),
            ([0, "ab"], TypeError, r"tokens\[1\] must be an int"),
        ],
    )
    def test_bad_tokens(self, tokens: object, error: type[Exception], match: str) -> None:
        """Token ids must be ints in range, at least one and at most block_size of them."""
        with pytest.raises(error, match=f"GPT: .*{match}"):
            _tiny()(tokens)

    def test_cache_past_block_size(self) -> None:
        """A cache already holding positions counts toward block_size."""
        model = _tiny()
        cache = model.new_cache()
        model([0, 1, 2, 3], cache)
        with pytest.raises(
            ValueError, match="4 cached positions and 3 tokens are more than block_size = 6"
        ):
            model([0, 1, 2], cache)

    def test_bad_cache(self) -> None:
        """A cache must be new_cache()'s kind: a list of n_layer KVCaches of one length."""
        model = _tiny(n_layer=2)
        with pytest.raises(TypeError, match="cache must be a list of KVCache"):
            model([0], KVCache())  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="cache must hold 2 KVCaches"):
            model([0], [KVCache()])

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"prompt": [4], "n": -1}, ValueError, "n must be >= 0"),
            ({"prompt": [4], "n": 2, "temperature": 0.0}, ValueError, "temperature"),
            ({"prompt": [4], "n": 2, "stop": 5}, ValueError, "stop"),
            ({"prompt": [4], "n": 2, "seed": "x"}, TypeError, "seed"),
            ({"prompt": [], "n": 2}, ValueError, "prompt must hold"),
            ({"prompt": [4, 4], "n": 6}, ValueError, "need 7 positions"),
        ],
    )
    def test_bad_generate_arguments(
        self, kwargs: dict[str, object], error: type[Exception], match: str
    ) -> None:
        """generate names itself and the argument that is wrong."""
        with pytest.raises(error, match=f"GPT.generate: .*{match}"):
            _tiny().generate(**kwargs)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"vocab_size": 0}, ValueError, "vocab_size"),
            ({"vocab_size": 5, "n_embd": 6, "n_head": 4}, ValueError, "multiple of n_head"),
            ({"vocab_size": 5, "block_size": 1.5}, TypeError, "block_size"),
            ({"vocab_size": 5, "activation": "tanh"}, ValueError, "activation"),
            ({"vocab_size": 5, "n_layer": 0}, ValueError, "n_layer"),
        ],
    )
    def test_bad_constructor_arguments(
        self, kwargs: dict[str, object], error: type[Exception], match: str
    ) -> None:
        """The constructor names GPT and the argument that is wrong."""
        with pytest.raises(error, match=f"GPT: .*{match}"):
            GPT(**kwargs)  # type: ignore[arg-type]


class TestOneHotTokens:
    def test_rows_give_the_ids_numbers(self) -> None:
        """One-hot rows give the logits and gradients of the ids they stand for, bit for bit."""
        seq = [4, 0, 1, 4]
        a, b = _tiny(seed=2), _tiny(seed=2)
        rows = [[float(i == t) for i in range(5)] for t in seq[:-1]]
        by_id = cross_entropy(a(seq[:-1]), seq[1:])
        by_row = cross_entropy(b(rows), seq[1:])
        assert by_id.data == by_row.data
        by_id.backward()
        by_row.backward()
        assert [p.grad for p in a.parameters()] == [p.grad for p in b.parameters()]

    def test_rows_of_values_trace(self) -> None:
        """A GPT on rows of arguments compiles, and each call sees its own tokens."""
        model = _tiny()
        cf = autograd.compile(lambda *row: model([list(row)])[0][2])
        for t in range(5):
            row = [float(i == t) for i in range(5)]
            assert cf(*row) == model([t])[0][2].data


class TestScopes:
    def test_each_module_draws_in_its_own_cluster(self) -> None:
        """Inside a scope, nodes carry the path of the module that made them."""
        model = _tiny()
        with autograd.scope("f"):
            (logits,) = model([4])
        assert autograd.scope_of(logits[0]) == ("f", "GPT", "lm_head")
        normed = logits[0].parents[-1]  # w * (x * inv_rms), the last entry of norm_f's output
        assert autograd.scope_of(normed) == ("f", "GPT", "norm_f")
        residual = normed.parents[1].parents[0]  # x: the block's output
        assert residual.op == "add"
        assert autograd.scope_of(residual) == ("f", "GPT", "blocks.0")


class TestTraining:
    def test_sequences_add_bos_and_cut_to_the_block(self) -> None:
        """Each name becomes [bos, *chars, bos], cut to block_size + 1 tokens."""
        tok = CharTokenizer(["abc"])
        assert sequences(["ab", "cabc"], tok, 3) == [[3, 0, 1, 3], [3, 2, 0, 1]]

    def test_first_step_is_adam_at_the_full_rate(self) -> None:
        """Step 0 uses lr * (1 - 0/steps) = lr, and Adam's first move is lr * g / (|g| + eps)."""
        model, seq = _tiny(), [4, 0, 1, 4]
        cross_entropy(model(seq[:-1]), seq[1:]).backward()
        before = {n: (p.data, p.grad) for n, p in model.named_parameters()}
        train(model, [seq], steps=1, lr=0.01)
        for name, p in model.named_parameters():
            data, g = before[name]
            assert p.data == pytest.approx(data - 0.01 * g / (abs(g) + 1e-8), rel=1e-12, abs=1e-15)

    def test_loss_falls_and_runs_repeat(self) -> None:
        """Training on one sequence lowers its loss, and the same seed repeats every loss."""
        seq = [4, 0, 1, 2, 4]
        first = train(_tiny(seed=3), [seq], steps=30)
        assert first[-1] < 0.7 * first[0]
        assert train(_tiny(seed=3), [seq], steps=30) == first

    def test_evaluate_is_the_mean_per_token(self) -> None:
        """evaluate weighs each sequence's mean loss by its number of predictions."""
        model = _tiny(seed=1)
        a, b = [4, 0, 4], [4, 1, 2, 3, 4]
        loss_a = cross_entropy(model(a[:-1]), a[1:]).data
        loss_b = cross_entropy(model(b[:-1]), b[1:]).data
        assert evaluate(model, [a, b]) == pytest.approx((2 * loss_a + 4 * loss_b) / 6, rel=1e-12)

    @pytest.mark.parametrize(
        ("seqs", "error", "match"),
        [
            ([], ValueError, "seqs is empty"),
            ([[4]], ValueError, r"seqs\[0\] must hold 2 to block_size \+ 1 = 7 tokens, got 1"),
            ([[4] * 8], ValueError, "got 8"),
            ([[4, 9]], ValueError, r"seqs\[0\]\[1\] must be <= 4 for vocab_size 5"),
        ],
    )
    def test_bad_sequences(self, seqs: object, error: type[Exception], match: str) -> None:
        """train and evaluate check every sequence before starting."""
        with pytest.raises(error, match=f"train: .*{match}"):
            train(_tiny(), seqs, steps=1)  # type: ignore[arg-type]
        with pytest.raises(error, match=f"evaluate: .*{match}"):
            evaluate(_tiny(), seqs)  # type: ignore[arg-type]


def _names_data(n: int) -> tuple[CharTokenizer, list[list[int]]]:
    """The first ``n`` names after a seeded shuffle, as sequences for microgpt's block size."""
    everyone = names()
    random.Random(0).shuffle(everyone)
    tokenizer = CharTokenizer(everyone)
    return tokenizer, sequences(everyone[:n], tokenizer, 16)


class TestTrainingModes:
    @pytest.mark.parametrize(
        ("batch_size", "sizes"),
        [(1, {"n_embd": 8, "n_head": 2}), (4, {})],  # {}: microgpt's defaults
    )
    def test_three_modes_give_the_same_run(self, batch_size: int, sizes: dict[str, int]) -> None:
        """Dynamic, compiled and batched training give the same 20 losses and weights, to 1e-9.

        The same names in the same steps, from the same seed; only the order of
        additions differs between the modes.
        """
        tokenizer, seqs = _names_data(40)
        runs = {}
        for mode in MODES:
            model = GPT(tokenizer.vocab_size, seed=5, **sizes)
            losses = train(model, seqs, steps=20, batch_size=batch_size, mode=mode)
            runs[mode] = (losses, [p.data for p in model.parameters()])
        reference_losses, reference_weights = runs["dynamic"]
        assert reference_losses[-1] < reference_losses[0]
        for mode in ("compiled", "batched"):
            losses, weights = runs[mode]
            assert losses == pytest.approx(reference_losses, rel=MODES_RTOL, abs=0)
            assert weights == pytest.approx(reference_weights, rel=MODES_RTOL, abs=1e-15)

    def test_a_step_averages_its_names(self) -> None:
        """Step s uses seqs[(s k + j) % n] for j < k; its loss is the mean of theirs."""
        seqs = [[4, 0, 4], [4, 1, 2, 4], [4, 3, 4]]
        model = _tiny(seed=4)
        each = [cross_entropy(model(s[:-1]), s[1:]).data for s in seqs]
        losses = train(model, seqs, steps=1, batch_size=4, mode="batched")
        assert losses[0] == pytest.approx((each[0] + each[1] + each[2] + each[0]) / 4, rel=1e-12)

    def test_parameters_are_the_model_s_own_after_tracing(self) -> None:
        """Compiled training puts the model's own parameter Values back after each trace."""
        model = _tiny()
        before = model.parameters()
        train(model, [[4, 0, 1, 4]], steps=2, mode="compiled")
        assert all(a is b for a, b in zip(model.parameters(), before))
        assert [p.label for p in before] == [name for name, _ in model.named_parameters()]

    @pytest.mark.parametrize(
        ("kwargs", "error", "match"),
        [
            ({"mode": "fast"}, ValueError, "mode must be"),
            ({"batch_size": 0}, ValueError, "batch_size"),
            ({"batch_size": 2.0}, TypeError, "batch_size"),
        ],
    )
    def test_bad_mode_and_batch_size(
        self, kwargs: dict[str, object], error: type[Exception], match: str
    ) -> None:
        """train names itself and a bad mode or batch size."""
        with pytest.raises(error, match=f"train: {match}"):
            train(_tiny(), [[4, 0, 4]], steps=1, **kwargs)  # type: ignore[arg-type]


class TestScript:
    def test_main_trains_evaluates_and_samples(self, capsys: pytest.CaptureFixture[str]) -> None:
        """main prints the split, the step time, both held-out losses and the samples."""
        argv = ["--steps", "3", "--batch-size", "2", "--mode", "dynamic", "--samples", "2"]
        assert main([*argv, "--quiet", "--seed", "1"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == "training on 4647 names, 516 held out; 4,240 parameters"
        assert lines[1].startswith("3 steps of 2 names (dynamic) in ")
        assert lines[1].endswith(" ms per step")
        assert lines[3].startswith("held-out loss per token: GPT ")
        assert ", character bigram " in lines[3]
        assert len(lines) == 6
        assert all(name.isalpha() or name == "" for name in lines[4:])

    def test_runs_as_a_module_without_warnings(self) -> None:
        """python -m nn.models.gpt runs the file once (no runpy warning) and has --help."""
        result = subprocess.run(
            [sys.executable, "-W", "error", "-m", "nn.models.gpt", "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "--steps" in result.stdout
        assert result.stderr == ""
