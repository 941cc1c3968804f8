"""Tests for nn.serialize: save/load round trips, atomic writes and broken files."""

from __future__ import annotations

import json
import math
import os
import random
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Value
from nn import MLP, Layer, Module, Neuron
from nn.models import GPT
from nn.serialize import FORMAT, MAX_FILE_BYTES, MAX_MESSAGE, VERSION


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
            (lambda d: d.update(version=1.0), "version 1.0 is not supported"),
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
            (lambda a: a.update(vocab_size=10**6), "inconsistent: the architecture has"),
            (lambda a: a.update(vocab_size=10**9), "'vocab_size' must be an integer from 1 to"),
            (lambda a: a.update(block_size=0), "'block_size' must be an integer from 1 to"),
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

    def test_sequential_with_activation_modules(self, tmp_path: Path) -> None:
        """PyTorch's layout, Linear, ReLU, Linear, Tanh, saves and predicts the same when loaded."""
        model = nn.Sequential(
            nn.Linear(2, 3, seed=0), nn.ReLU(), nn.Linear(3, 2, seed=1), nn.GELU(), nn.Sigmoid()
        )
        nn.save(model, tmp_path / "s.json")
        document = json.loads((tmp_path / "s.json").read_text())
        kinds = [item["type"] for item in document["architecture"]["modules"]]
        assert kinds == ["Linear", "ReLU", "Linear", "GELU", "Sigmoid"]
        assert document["architecture"]["modules"][1] == {"type": "ReLU"}
        loaded = nn.load(tmp_path / "s.json")
        assert repr(loaded) == repr(model)
        assert [v.data for v in loaded([0.5, -1.0])] == [v.data for v in model([0.5, -1.0])]

    def test_activation_module_takes_no_fields(self, tmp_path: Path) -> None:
        """An activation module's record with an argument is refused, naming the field."""
        nn.save(nn.Sequential(nn.Tanh()), tmp_path / "s.json")
        document = json.loads((tmp_path / "s.json").read_text())
        document["architecture"]["modules"][0]["slope"] = 0.1
        with pytest.raises(ValueError, match="'slope'"):
            nn.load(_write(tmp_path / "bad.json", document))

    def test_bad_item_inside_sequential(self, tmp_path: Path) -> None:
        """An MLP inside a Sequential is checked by the MLP rules, naming the field."""
        nn.save(nn.Sequential(MLP(2, [1], seed=0)), tmp_path / "s.json")
        document = json.loads((tmp_path / "s.json").read_text())
        document["architecture"]["modules"][0]["nin"] = 0
        with pytest.raises(ValueError, match="'nin'"):
            nn.load(_write(tmp_path / "bad.json", document))


#: The temporary file name save documents: ``.<name>.<8 hex digits>.tmp``.
TEMPORARY = re.compile(r"\.m\.json\.[0-9a-f]{8}\.tmp")
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions, links and signals")


class TestSaveFileSystem:
    @posix_only
    @pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
    def test_keeps_the_permission_bits_of_an_existing_file(self, tmp_path: Path, mode: int) -> None:
        """Saving over a file keeps its permission bits instead of forcing 0644."""
        path = tmp_path / "m.json"
        nn.save(Neuron(1, seed=0), path)
        os.chmod(path, mode)
        nn.save(Neuron(2, seed=0), path)
        assert stat.S_IMODE(os.stat(path).st_mode) == mode

    @posix_only
    def test_new_file_follows_the_umask(self, tmp_path: Path) -> None:
        """A new file gets 0o666 less the umask, as open() would give it."""
        previous = os.umask(0o027)
        try:
            nn.save(Neuron(1, seed=0), tmp_path / "m.json")
        finally:
            os.umask(previous)
        assert stat.S_IMODE(os.stat(tmp_path / "m.json").st_mode) == 0o640

    @posix_only
    def test_saving_through_a_symlink_writes_its_target_and_keeps_the_link(
        self, tmp_path: Path
    ) -> None:
        """The file a link points to is replaced (in its own directory); the link stays a link."""
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        target = tmp_path / "b" / "real.json"
        nn.save(Neuron(1, seed=0), target)
        link = tmp_path / "a" / "m.json"
        link.symlink_to(os.path.join("..", "b", "real.json"))
        nn.save(Neuron(3, seed=0), link)
        assert link.is_symlink() and os.readlink(link) == os.path.join("..", "b", "real.json")
        assert nn.load(target).nin == 3
        assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "m.json", "real.json"]

    @posix_only
    def test_fsyncs_the_directory_after_the_rename(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """After the file itself, the directory holding it is flushed, so the rename is durable."""
        synced: list[bool] = []
        real_fsync = os.fsync

        def recording_fsync(fd: int) -> None:
            synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", recording_fsync)
        nn.save(Neuron(1, seed=0), tmp_path / "m.json")
        assert synced == [False, True]

    def test_missing_directory_names_the_users_path(self, tmp_path: Path) -> None:
        """A missing directory raises FileNotFoundError naming the given path, not a .tmp file."""
        path = tmp_path / "missing" / "m.json"
        with pytest.raises(FileNotFoundError) as info:
            nn.save(Neuron(1, seed=0), path)
        assert info.value.filename == str(path)
        assert ".tmp" not in str(info.value) and str(path) in str(info.value)

    @pytest.mark.parametrize(
        ("function", "error"),
        [
            ("fsync", OSError("disk full")),
            ("replace", OSError("rename failed")),
            ("replace", KeyboardInterrupt()),
            ("chmod", PermissionError("chmod failed")),
        ],
        ids=["fsync", "replace", "interrupt", "chmod"],
    )
    def test_temporary_file_is_removed_on_every_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, function: str, error: BaseException
    ) -> None:
        """Whatever step fails, the old file is intact and no temporary file is left."""
        path = tmp_path / "m.json"
        nn.save(MLP(2, [3, 1], seed=0), path)
        before = path.read_bytes()

        def broken(*args: object, **kwargs: object) -> None:
            raise error

        monkeypatch.setattr(os, function, broken)
        with pytest.raises(type(error)):
            nn.save(MLP(2, [3, 1], seed=1), path)
        monkeypatch.undo()
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["m.json"]

    @pytest.mark.parametrize("path", [3, None, b"m.json"])
    def test_path_must_be_a_str_or_path(self, path: object) -> None:
        """A path that is not a str or os.PathLike is a TypeError naming nn.save and path."""
        with pytest.raises(TypeError, match=r"^nn.save: path must be a str"):
            nn.save(Neuron(1, seed=0), path)  # type: ignore[arg-type]


class TestLoadSpecialFiles:
    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
    def test_fifo_is_refused_without_waiting(self, tmp_path: Path) -> None:
        """A FIFO is refused as not a regular file, even when a writer offers a valid model.

        A writer thread keeps offering a model through the FIFO; reading it
        (what load did before) would load that model, so this fails without the
        check. The writer never blocks, so neither outcome can hang.
        """
        fifo = tmp_path / "m.json"
        os.mkfifo(fifo)
        data = (json.dumps(_document(Neuron(1, seed=0))) + "\n").encode()
        done = threading.Event()

        def writer() -> None:
            while not done.is_set():
                try:
                    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:  # ENXIO: no reader yet
                    time.sleep(0.001)
                    continue
                try:
                    os.write(fd, data)
                except OSError:  # the reader went away
                    pass
                finally:
                    os.close(fd)

        thread = threading.Thread(target=writer, daemon=True)
        thread.start()
        try:
            with pytest.raises(ValueError, match=r"not a regular file but a FIFO"):
                nn.load(fifo)
        finally:
            done.set()
            thread.join()

    def test_directory_is_refused(self, tmp_path: Path) -> None:
        """A directory is refused with a ValueError saying what it is."""
        with pytest.raises(ValueError, match=r"not a regular file but a directory"):
            nn.load(tmp_path)

    @pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
    def test_device_is_refused(self) -> None:
        """A character device is refused before anything is read."""
        with pytest.raises(ValueError, match=r"not a regular file but a character device"):
            nn.load("/dev/null")

    @pytest.mark.parametrize("path", [3, None, b"m.json"])
    def test_path_must_be_a_str_or_path(self, path: object) -> None:
        """A path that is not a str or os.PathLike is a TypeError naming nn.load and path."""
        with pytest.raises(TypeError, match=r"^nn.load: path must be a str"):
            nn.load(path)  # type: ignore[arg-type]


class TestLoadMessages:
    HUGE = "x" * 1_000_000

    @pytest.mark.parametrize(
        "change",
        [
            lambda d: d.update(format=TestLoadMessages.HUGE),
            lambda d: d.update(version=TestLoadMessages.HUGE),
            lambda d: d.update({TestLoadMessages.HUGE + str(i): 1 for i in range(20)}),
            lambda d: d["architecture"].update(type=TestLoadMessages.HUGE),
            lambda d: d["architecture"].update(activation=[TestLoadMessages.HUGE]),
            lambda d: d["architecture"].update(nin=TestLoadMessages.HUGE),
            lambda d: d["state"].update({TestLoadMessages.HUGE + str(i): "w" for i in range(9)}),
        ],
        ids=["format", "version", "fields", "type", "activation", "nin", "weights"],
    )
    def test_messages_are_capped(self, tmp_path: Path, change: Callable[[Any], None]) -> None:
        """However large the offending field, the message is at most MAX_MESSAGE characters."""
        assert MAX_MESSAGE == 2000
        document = _document(MLP(2, [3, 1], seed=0))
        change(document)
        with pytest.raises(ValueError) as info:
            nn.load(_write(tmp_path / "m.json", document))
        assert len(str(info.value)) <= MAX_MESSAGE
        assert str(info.value).startswith(f"nn.load: {tmp_path / 'm.json'}: ")

    def test_long_path_is_capped_too(self, tmp_path: Path) -> None:
        """The whole message, path included, stays within MAX_MESSAGE characters."""
        directory = tmp_path
        for _ in range(12):
            directory = directory / ("d" * 200)
        directory.mkdir(parents=True)
        path = directory / "m.json"
        path.write_text("{")
        with pytest.raises(ValueError) as info:
            nn.load(path)
        assert len(str(info.value)) == MAX_MESSAGE
        assert str(info.value).endswith("characters in all)")

    def test_version_written_as_1e0_is_refused(self, tmp_path: Path) -> None:
        """The version must be the JSON integer 1: 1e0 is a float and is refused."""
        path = tmp_path / "m.json"
        nn.save(Neuron(1, seed=0), path)
        path.write_text(path.read_text().replace('"version": 1,', '"version": 1e0,'))
        with pytest.raises(ValueError, match=r"version 1\.0 is not supported"):
            nn.load(path)

    def test_size_past_the_limit_is_refused(self, tmp_path: Path) -> None:
        """An architecture size past checks.MAX_SIZE is refused before any arithmetic on it."""
        document = _document(Layer(2, 3, seed=0))
        document["architecture"]["nout"] = 10**4000
        with pytest.raises(ValueError, match=r"'nout' must be an integer from 1 to 10,000,000"):
            nn.load(_write(tmp_path / "m.json", document))


#: Tokens that replace a number of a valid file.
_TOKENS = ["NaN", "-NaN", "Infinity", "-Infinity", "1e999", "-1e400", "1e-400", "-0"]
_TOKENS += ["1" + "0" * 5000, "9" * 400, "1.0", "1e0", "true", "null", '"1"', "[]", "{}"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def _slots(document: object) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of a JSON document, outermost first."""
    slots: list[tuple[Any, Any]] = []
    stack = [document]
    while stack:
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node))  # type: ignore[arg-type]
        for key in keys:
            slots.append((node, key))
            if isinstance(node[key], (dict, list)):  # type: ignore[index]
                stack.append(node[key])  # type: ignore[index]
    return slots


@st.composite
def mutated_model_files(draw: st.DrawFn) -> bytes:
    """A valid model file with one mutation: a field deleted, renamed or retyped, a bad
    number token, a huge value, deep nesting, truncation or another encoding."""
    model = draw(st.sampled_from([Neuron(2, seed=0), Layer(2, 2, seed=1), MLP(2, [2, 1], seed=2)]))
    document = _document(model)
    kind = draw(
        st.sampled_from(["delete", "rename", "retype", "huge", "token", "nest", "cut", "encode"])
    )
    if kind in ("delete", "rename", "retype", "huge"):
        container, key = draw(st.sampled_from(_slots(document)))
        if kind == "delete":
            del container[key]
        elif kind == "rename" and isinstance(container, dict):
            container[draw(st.text(max_size=12))] = container.pop(key)
        elif kind == "huge":
            container[key] = draw(
                st.sampled_from([10**4000, -(10**300), 1.7976931348623157e308, "x" * 100_000])
            )
        else:
            container[key] = draw(json_values)
    text = json.dumps(document)
    if kind == "token":
        numbers = list(re.finditer(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text))
        found = draw(st.sampled_from(numbers))
        text = text[: found.start()] + draw(st.sampled_from(_TOKENS)) + text[found.end() :]
    elif kind == "nest":
        depth = draw(st.integers(1, 50_000))
        at = draw(st.sampled_from([m.end() for m in re.finditer(r": ", text)]))
        text = text[:at] + "[" * depth + "0" + "]" * depth + "," + text[at:]
    data = text.encode("utf-8")
    if kind == "cut":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif kind == "encode":
        encoding = draw(st.sampled_from(["utf-16", "utf-32", "utf-8-sig", "latin-1", "bytes"]))
        if encoding == "bytes":
            at = draw(st.integers(0, len(data)))
            data = (
                data[:at]
                + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]))
                + data[at:]
            )
        else:
            data = (text.replace("relu", "r\u00e9lu") if encoding == "latin-1" else text).encode(
                encoding
            )
    return data


class TestFuzzedFiles:
    @settings(max_examples=300, deadline=None)
    @given(mutated_model_files())
    def test_load_raises_only_value_error(self, data: bytes) -> None:
        """A mutated model file loads or raises ValueError, naming the file, at most 2,000 chars."""
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "m.json")
            with open(path, "wb") as file:
                file.write(data)
            try:
                model = nn.load(path)
            except ValueError as error:
                assert type(error) is ValueError
                assert str(error).startswith(f"nn.load: {path}: ")
                assert len(str(error)) <= MAX_MESSAGE
            else:
                assert isinstance(model, (MLP, Layer, Neuron))


_SAVING_LOOP = """
import sys
import nn

models = [nn.MLP(2, [16, 16, 1], seed=0), nn.MLP(2, [16, 16, 1], seed=1)]
print("saving", flush=True)
count = 0
while True:
    nn.save(models[count % 2], sys.argv[1])
    count += 1
"""


class TestKilledWhileSaving:
    #: How many times the saving process is killed.
    KILLS = 5

    @posix_only
    def test_file_is_always_the_old_or_the_new_model(self, tmp_path: Path) -> None:
        """SIGKILL at random moments of a saving loop never leaves a file that is not a whole model.

        Only documented temporary files (``.m.json.<8 hex>.tmp``) may be left over.
        """
        path = tmp_path / "m.json"
        models = [MLP(2, [16, 16, 1], seed=0), MLP(2, [16, 16, 1], seed=1)]
        expected = [m.state_dict() for m in models]
        nn.save(models[0], path)
        delays = random.Random(15)
        for _ in range(self.KILLS):
            process = subprocess.Popen(
                [sys.executable, "-c", _SAVING_LOOP, str(path)], stdout=subprocess.PIPE
            )
            try:
                assert process.stdout is not None
                assert process.stdout.readline() == b"saving\n"
                time.sleep(delays.uniform(0.01, 0.1))  # let it save a few dozen times
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait()
                assert process.stdout is not None
                process.stdout.close()
            assert nn.load(path).state_dict() in expected
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != "m.json"]
        assert all(TEMPORARY.fullmatch(name) for name in leftovers), leftovers
