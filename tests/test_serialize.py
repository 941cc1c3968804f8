"""Tests for nn.serialize: save/load round trips, atomic writes and broken files."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Value
from nn import MLP, Layer, Module, Neuron
from nn.models import GPT
from nn.serialize import FORMAT, MAX_FILE_BYTES, VERSION


def _document(model: MLP | Layer | Neuron) -> dict[str, Any]:
    """The JSON object save writes for ``model``."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "architecture": model._config(),
        "state": model.state_dict(),
    }


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document))
    return path


class TestRoundTrip:
    @pytest.mark.parametrize(
        "model",
        [
            MLP(2, [16, 16, 1], seed=0),
            MLP(3, [4, 2], "tanh", "sigmoid", seed=1),
            Layer(2, 3, "sigmoid", seed=2),
            Neuron(4, "linear", seed=3),
        ],
        ids=repr,
    )
    def test_same_architecture_and_weights(
        self, tmp_path: Path, model: MLP | Layer | Neuron
    ) -> None:
        """load(save(model)) has the same type, architecture and weights, bit for bit."""
        path = tmp_path / "model.json"
        nn.save(model, path)
        loaded = nn.load(path)
        assert type(loaded) is type(model)
        assert loaded._config() == model._config()
        assert loaded.state_dict() == model.state_dict()
        assert repr(loaded) == repr(model)

    @settings(max_examples=25)
    @given(
        nin=st.integers(1, 4),
        nouts=st.lists(st.integers(1, 4), min_size=1, max_size=3),
        activation=st.sampled_from(["relu", "tanh", "sigmoid", "linear"]),
        output_activation=st.sampled_from(["relu", "tanh", "sigmoid", "linear"]),
        seed=st.integers(0, 2**32),
    )
    def test_any_mlp(
        self, nin: int, nouts: list[int], activation: str, output_activation: str, seed: int
    ) -> None:
        """Any MLP survives a round trip with the same architecture and weights."""
        model = MLP(nin, nouts, activation, output_activation, seed=seed)
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "m.json")
            nn.save(model, path)
            loaded = nn.load(path)
        assert loaded._config() == model._config()
        assert loaded.state_dict() == model.state_dict()

    def test_same_predictions(self, tmp_path: Path) -> None:
        """A loaded model predicts exactly what the saved one did."""
        model = MLP(2, [5, 1], seed=4)
        nn.save(model, tmp_path / "m.json")
        loaded = nn.load(str(tmp_path / "m.json"))
        assert loaded([0.3, -0.2]).data == model([0.3, -0.2]).data  # type: ignore[union-attr]

    def test_file_layout(self, tmp_path: Path) -> None:
        """The file is a JSON object with format, version, architecture and state."""
        model = Neuron(1, seed=0)
        nn.save(model, tmp_path / "n.json")
        document = json.loads((tmp_path / "n.json").read_text())
        assert document == {
            "format": "chainrule.model",
            "version": 1,
            "architecture": {"type": "Neuron", "nin": 1, "activation": "relu"},
            "state": model.state_dict(),
        }


class TestSaveRefuses:
    @pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, True])
    def test_non_finite_or_bool_weights(self, tmp_path: Path, bad: Any) -> None:
        """A NaN, inf or bool weight is refused, naming it, and nothing is written."""
        model = Neuron(2, seed=0)
        model.w[1].data = bad
        with pytest.raises(ValueError, match=r"w\.1"):
            nn.save(model, tmp_path / "m.json")
        assert list(tmp_path.iterdir()) == []

    def test_custom_modules(self, tmp_path: Path) -> None:
        """A module that is not built in is refused with a pointer to state_dict."""

        class Custom(Module):
            def __init__(self) -> None:
                self.k = Value(1.0)

        with pytest.raises(TypeError, match="state_dict"):
            nn.save(Custom(), tmp_path / "m.json")

    def test_subclasses(self, tmp_path: Path) -> None:
        """A subclass of MLP is refused: its extra code could not be rebuilt."""

        class Special(MLP):
            pass

        with pytest.raises(TypeError, match="Special"):
            nn.save(Special(2, [1], seed=0), tmp_path / "m.json")


class TestAtomicWrite:
    def test_failed_save_keeps_the_old_file(self, tmp_path: Path) -> None:
        """A save that fails while writing leaves the earlier file intact and no temporary file."""
        path = tmp_path / "m.json"
        nn.save(MLP(2, [3, 1], seed=0), path)
        before = path.read_bytes()
        model = MLP(2, [3, 1], seed=1)
        original = os.fsync

        def broken_fsync(fd: int) -> None:
            raise OSError("disk full")

        os.fsync = broken_fsync  # type: ignore[assignment]
        try:
            with pytest.raises(OSError, match="disk full"):
                nn.save(model, path)
        finally:
            os.fsync = original
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["m.json"]

    def test_refused_save_keeps_the_old_file(self, tmp_path: Path) -> None:
        """A save refused for a NaN weight leaves the earlier file intact."""
        path = tmp_path / "m.json"
        model = Neuron(1, seed=0)
        nn.save(model, path)
        before = path.read_bytes()
        model.b.data = math.nan
        with pytest.raises(ValueError):
            nn.save(model, path)
        assert path.read_bytes() == before

    def test_overwrites(self, tmp_path: Path) -> None:
        """Saving again replaces the file."""
        path = tmp_path / "m.json"
        nn.save(Neuron(1, seed=0), path)
        nn.save(Neuron(2, seed=0), path)
        assert nn.load(path).nin == 2


class TestBrokenFiles:
    def test_truncated(self, tmp_path: Path) -> None:
        """A file cut short is reported as truncated JSON."""
        path = tmp_path / "m.json"
        nn.save(MLP(2, [3, 1], seed=0), path)
        path.write_bytes(path.read_bytes()[:-20])
        with pytest.raises(ValueError, match="truncated"):
            nn.load(path)

    def test_empty(self, tmp_path: Path) -> None:
        """An empty file is not valid JSON."""
        path = tmp_path / "m.json"
        path.write_bytes(b"")
        with pytest.raises(ValueError, match="not valid JSON"):
            nn.load(path)

    def test_binary(self, tmp_path: Path) -> None:
        """A binary file (a pickle, say) is refused as not UTF-8, and never unpickled."""
        path = tmp_path / "m.pkl"
        path.write_bytes(b"\x80\x04\x95\xff\x00")
        with pytest.raises(ValueError, match="UTF-8"):
            nn.load(path)

    def test_oversized_is_refused_before_reading(self, tmp_path: Path) -> None:
        """A file over the size limit is refused without parsing it."""
        path = tmp_path / "big.json"
        with open(path, "wb") as f:
            f.truncate(MAX_FILE_BYTES + 1)  # sparse: no real disk use
        with pytest.raises(ValueError, match="limit"):
            nn.load(path)

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda d: d.update(format="other.model"), "not a chainrule model"),
            (lambda d: d.pop("format"), "not a chainrule model"),
            (lambda d: d.update(version=2), "version 2 is not supported"),
            (lambda d: d.update(version=True), "version True"),
            (lambda d: d.pop("state"), "missing"),
            (lambda d: d.update(extra=1), "unexpected"),
            (lambda d: d["architecture"].update(type="CNN"), "'CNN'"),
            (lambda d: d["architecture"].update(nin=0), "'nin'"),
            (lambda d: d["architecture"].update(nin=2.0), "'nin'"),
            (lambda d: d["architecture"].update(nouts=[]), "'nouts'"),
            (lambda d: d["architecture"].update(activation="gelu"), "'activation'"),
            (lambda d: d["architecture"].update(seed=1), "unexpected"),
            (lambda d: d["architecture"].pop("output_activation"), "missing"),
            (lambda d: d["state"].popitem(), "inconsistent"),
            (lambda d: d["architecture"].update(nouts=[4, 1]), "inconsistent"),
            (lambda d: d["state"].update({"layers.0.neurons.0.b": True}), "not finite"),
            (lambda d: d["state"].update({"layers.0.neurons.0.b": "0.5"}), "not finite"),
            (
                lambda d: d.update(
                    state={k.replace("layers", "lay"): v for k, v in d["state"].items()}
                ),
                "inconsistent",
            ),
        ],
    )
    def test_inconsistent_or_foreign(self, tmp_path: Path, change: Any, message: str) -> None:
        """Each wrong, missing or extra field is refused with a ValueError saying what is wrong."""
        document = _document(MLP(2, [3, 1], seed=0))
        change(document)
        with pytest.raises(ValueError, match=message):
            nn.load(_write(tmp_path / "m.json", document))

    @pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
    def test_non_finite_literals(self, tmp_path: Path, literal: str) -> None:
        """NaN and infinities, as JSON extensions or as overflowing numbers, are refused."""
        document = _document(Neuron(1, seed=0))
        document["state"]["b"] = 12345.5
        path = tmp_path / "m.json"
        path.write_text(json.dumps(document).replace("12345.5", literal))
        with pytest.raises(ValueError, match=r"non-finite|not finite"):
            nn.load(path)

    def test_duplicate_keys(self, tmp_path: Path) -> None:
        """A key repeated in one object is refused rather than silently overwritten."""
        path = tmp_path / "m.json"
        path.write_text('{"format": "chainrule.model", "format": "chainrule.model"}')
        with pytest.raises(ValueError, match="twice"):
            nn.load(path)

    @pytest.mark.parametrize("text", ["[]", "3", "null", '"chainrule.model"'])
    def test_not_an_object(self, tmp_path: Path, text: str) -> None:
        """JSON that is not an object is not a model file."""
        path = tmp_path / "m.json"
        path.write_text(text)
        with pytest.raises(ValueError, match="not a chainrule model file"):
            nn.load(path)

    def test_error_names_the_file(self, tmp_path: Path) -> None:
        """Errors start with the path of the file."""
        path = tmp_path / "m.json"
        path.write_text("{")
        with pytest.raises(ValueError, match=str(path)):
            nn.load(path)

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file raises FileNotFoundError."""
        with pytest.raises(FileNotFoundError):
            nn.load(tmp_path / "none.json")


class TestWrongTypesInArchitecture:
    @pytest.mark.parametrize(
        ("field", "bad"),
        [
            ("type", ["MLP"]),
            ("type", {}),
            ("activation", ["relu"]),
            ("output_activation", {"a": 1}),
        ],
    )
    def test_unhashable_fields_are_value_errors(
        self, tmp_path: Path, field: str, bad: object
    ) -> None:
        """A list or dict where a name belongs is reported as a ValueError, not a TypeError."""
        document = _document(MLP(2, [3, 1], seed=0))
        document["architecture"][field] = bad
        with pytest.raises(ValueError, match=field if field != "type" else "type"):
            nn.load(_write(tmp_path / "m.json", document))


class TestTransformerModules:
    @pytest.mark.parametrize(
        "model",
        [
            nn.Linear(3, 2, seed=0),
            nn.Embedding(4, 2, seed=0),
            nn.RMSNorm(3, eps=1e-6),
            nn.LayerNorm(2),
            nn.FeedForward(2, 3, "relu2", bias=False, seed=0),
            nn.CausalSelfAttention(4, 2, seed=0),
            nn.Sequential(
                nn.Linear(2, 3, seed=1), MLP(3, [2], seed=2), nn.Sequential(nn.RMSNorm(2))
            ),
            GPT(7, block_size=4, n_embd=4, n_head=2, n_layer=2, seed=3),
        ],
        ids=lambda m: type(m).__name__,
    )
    def test_round_trip(self, tmp_path: Path, model: Module) -> None:
        """Each new module and GPT come back with the same class, architecture and weights."""
        for p in model.parameters():  # move the norms' gains off their initial 1
            p.data += 0.125
        path = tmp_path / "m.json"
        nn.save(model, path)
        loaded = nn.load(path)
        assert type(loaded) is type(model)
        assert repr(loaded) == repr(model)
        assert loaded.state_dict() == model.state_dict()

    def test_gpt_predicts_the_same(self, tmp_path: Path) -> None:
        """A loaded GPT gives the saved one's logits, bit for bit."""
        model = GPT(5, block_size=4, n_embd=4, n_head=2, seed=0)
        nn.save(model, tmp_path / "gpt.json")
        loaded = nn.load(tmp_path / "gpt.json")
        assert [z.data for z in loaded([4, 1])[-1]] == [z.data for z in model([4, 1])[-1]]

    def test_gpt_file_layout(self, tmp_path: Path) -> None:
        """A GPT's architecture records its sizes and activation, and nothing else."""
        nn.save(GPT(5, block_size=4, n_embd=4, n_head=2, seed=0), tmp_path / "gpt.json")
        document = json.loads((tmp_path / "gpt.json").read_text())
        assert document["architecture"] == {
            "type": "GPT",
            "vocab_size": 5,
            "block_size": 4,
            "n_embd": 4,
            "n_head": 2,
            "n_layer": 1,
            "activation": "relu2",
        }

    def test_unsavable_items_and_subclasses(self, tmp_path: Path) -> None:
        """A Sequential holding a custom module, or a subclass of GPT, is refused by name."""

        class Custom(Module):
            def forward(self, x: object) -> object:
                return x

        class MyGPT(GPT):
            pass

        with pytest.raises(TypeError, match="got Custom"):
            nn.save(nn.Sequential(nn.RMSNorm(1), Custom()), tmp_path / "m.json")
        with pytest.raises(TypeError, match="got MyGPT"):
            nn.save(MyGPT(3, seed=0), tmp_path / "m.json")
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda a: a.update(n_head=3), "does not fit together.*multiple of n_head"),
            (lambda a: a.update(activation="swish"), "does not fit together.*activation"),
            (lambda a: a.update(n_layer=2), "inconsistent: the architecture has"),
            (lambda a: a.update(vocab_size=10**9), "inconsistent: the architecture has"),
            (lambda a: a.update(block_size=0), "'block_size' must be an integer >= 1"),
            (lambda a: a.pop("n_embd"), r"missing \['n_embd'\]"),
            (lambda a: a.update(type="Transformer"), "'Transformer' is not one of"),
        ],
    )
    def test_bad_gpt_files(self, tmp_path: Path, change: Any, message: str) -> None:
        """A GPT file with a wrong field is refused before a model is built, saying why."""
        model = GPT(5, block_size=4, n_embd=4, n_head=2, seed=0)
        nn.save(model, tmp_path / "gpt.json")
        document = json.loads((tmp_path / "gpt.json").read_text())
        change(document["architecture"])
        with pytest.raises(ValueError, match=message):
            nn.load(_write(tmp_path / "bad.json", document))

    def test_bad_item_inside_sequential(self, tmp_path: Path) -> None:
        """An MLP inside a Sequential is checked by the MLP rules, naming the field."""
        nn.save(nn.Sequential(MLP(2, [1], seed=0)), tmp_path / "s.json")
        document = json.loads((tmp_path / "s.json").read_text())
        document["architecture"]["modules"][0]["nin"] = 0
        with pytest.raises(ValueError, match="'nin'"):
            nn.load(_write(tmp_path / "bad.json", document))
