"""``save`` and ``load``: a built-in model as a JSON file, written atomically, read with checks.

The file is one JSON object (UTF-8)::

    {"format": "chainrule.model", "version": 1,
     "architecture": {"type": "MLP", "nin": 2, "nouts": [16, 16, 1],
                      "activation": "relu", "output_activation": "linear"},
     "state": {"layers.0.neurons.0.w.0": 0.123, ...}}

``architecture`` holds the constructor arguments of a :class:`~nn.Neuron`,
:class:`~nn.Layer` or :class:`~nn.MLP`, or of a module that
:mod:`nn.architectures` describes (the transformer modules, ``Sequential``,
:class:`~nn.models.GPT`); ``state`` is the model's ``state_dict()``.
Nothing is pickled and nothing in the file is executed: loading parses JSON,
checks every field, builds the model from the checked arguments and copies the
weights in. Other modules can be saved through their ``state_dict()`` /
``load_state_dict()``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import tempfile
from collections.abc import Callable
from typing import Any

from . import architectures
from .layers import _ACTIVATIONS, MLP, Layer, Neuron
from .module import Module

__all__ = ["FORMAT", "MAX_FILE_BYTES", "VERSION", "load", "save"]

#: The ``format`` field of every model file.
FORMAT = "chainrule.model"
#: The file format version this code writes and reads.
VERSION = 1
#: Larger files are refused before they are read (64 MiB, about 3 million weights).
MAX_FILE_BYTES = 64 * 1024 * 1024

_MODEL_TYPES: dict[str, type[Neuron] | type[Layer] | type[MLP]] = {
    "Neuron": Neuron,
    "Layer": Layer,
    "MLP": MLP,
}
#: Each architecture's fields besides "type", with the kind of value each holds.
_FIELDS: dict[str, dict[str, str]] = {
    "Neuron": {"nin": "size", "activation": "activation"},
    "Layer": {"nin": "size", "nout": "size", "activation": "activation"},
    "MLP": {
        "nin": "size",
        "nouts": "sizes",
        "activation": "activation",
        "output_activation": "activation",
    },
}


def save(model: Module, path: str | os.PathLike[str]) -> None:
    """Write a built-in model to ``path`` as JSON: format, version, architecture, weights.

    The file is written to a temporary file in the same directory, flushed to
    disk and renamed over ``path``, so an interrupted or failed save leaves any
    earlier file at ``path`` intact.

    Args:
        model: a :class:`~nn.Neuron`, :class:`~nn.Layer`, :class:`~nn.MLP`, or
            a class listed in :mod:`nn.architectures` such as
            :class:`~nn.models.GPT` (not a subclass, whose extra code the file
            could not rebuild).
        path: where to write; the directory must exist.

    Raises:
        TypeError: for any other kind of module (save its ``state_dict()`` yourself).
        ValueError: if a weight is NaN, infinite, a bool or not a number.
        OSError: if the file cannot be written.

    Example:
        >>> import os, tempfile, nn
        >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
        >>> model = nn.MLP(2, [4, 1], seed=0)
        >>> nn.save(model, path)
        >>> nn.load(path).state_dict() == model.state_dict()
        True
    """
    architecture = _describe(model)
    state: dict[str, float] = {}
    bad = []
    for name, value in model.state_dict().items():
        if _is_weight(value):
            state[name] = float(value)
        else:
            bad.append(name)
    if bad:
        raise ValueError(f"nn.save: refusing to save weights that are not finite numbers: {bad}")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": architecture,
        "state": state,
    }
    data = (json.dumps(document, allow_nan=False) + "\n").encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            f"nn.save: the model needs {len(data)} bytes, over the {MAX_FILE_BYTES}-byte "
            "limit that nn.load accepts"
        )
    _write_atomically(os.fspath(path), data)


def _describe(model: Module) -> dict[str, Any]:
    """The architecture of a built-in model; TypeError for any other module."""
    kind = type(model)
    if _MODEL_TYPES.get(kind.__name__) is kind:
        return model._config()  # type: ignore[attr-defined,no-any-return]
    description = architectures.describe(model, _describe)
    if description is None:
        raise TypeError(
            f"nn.save: saves Neuron, Layer, MLP and {', '.join(architectures.names())} "
            f"models, got {kind.__name__}; for other modules save model.state_dict()"
        )
    return description


def _is_weight(value: object) -> bool:
    """True for a finite int or float; bools are refused even though they are ints."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond float range
        return False


def _write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it to ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory
    )
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a model file is not secret
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class _Invalid(ValueError):
    """A problem with the file's content (the message says what)."""


def load(path: str | os.PathLike[str]) -> Module:
    """Read a model written by :func:`save`, checking everything before building it.

    Args:
        path: the file to read.

    Returns:
        A new model of the saved class, with the saved architecture and weights.

    Raises:
        ValueError: saying what is wrong, if the file is larger than
            ``MAX_FILE_BYTES``, not UTF-8 JSON (e.g. truncated), not a chainrule
            model (another format, an unsupported version), or inconsistent
            (missing, unexpected or invalid fields, weights that are NaN, inf,
            bools or do not match the architecture).
        OSError: if the file cannot be read.

    Example:
        >>> import os, tempfile, nn
        >>> path = os.path.join(tempfile.mkdtemp(), "neuron.json")
        >>> nn.save(nn.Neuron(3, "tanh", seed=0), path)
        >>> nn.load(path)
        Neuron(nin=3, activation='tanh')
    """
    path = os.fspath(path)
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(
            f"nn.load: {path} is {size} bytes, "
            f"over the {MAX_FILE_BYTES}-byte limit for a model file"
        )
    with open(path, "rb") as file:
        raw = file.read(MAX_FILE_BYTES + 1)
    try:
        if len(raw) > MAX_FILE_BYTES:  # it grew after the size check
            raise _Invalid(f"over the {MAX_FILE_BYTES}-byte limit for a model file")
        return _parse(raw)
    except _Invalid as error:
        raise ValueError(f"nn.load: {path}: {error}") from None


def _parse(raw: bytes) -> Module:
    """The model a file's bytes describe, or ``_Invalid`` saying what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Invalid("not a chainrule model file: not UTF-8 text") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique)
    except json.JSONDecodeError as error:
        hint = " (the file looks truncated)" if error.pos >= len(text.rstrip()) else ""
        raise _Invalid(
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}{hint}"
        ) from None
    except _Invalid:
        raise
    except RecursionError:
        raise _Invalid("not a chainrule model file: JSON nested too deeply") from None
    except ValueError as error:  # e.g. an integer with too many digits
        raise _Invalid(f"not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise _Invalid(f"not a chainrule model file: expected a JSON object, got {_kind(document)}")
    if document.get("format") != FORMAT:
        raise _Invalid(
            f"not a chainrule model file: format is {document.get('format')!r}, expected {FORMAT!r}"
        )
    version = document.get("version")
    if version != VERSION or isinstance(version, bool):
        raise _Invalid(f"version {version!r} is not supported; this chainrule reads {VERSION}")
    _exact_keys("the file", document, ["format", "version", "architecture", "state"])
    build, expected = _checked(document["architecture"])
    state = _state(document["state"])
    if expected != len(state):
        raise _Invalid(
            f"inconsistent: the architecture has {expected} parameters but state has {len(state)}"
        )
    try:
        model = build()
    except ValueError as error:  # arguments that do not fit together
        raise _Invalid(str(error)) from None
    try:
        model.load_state_dict(state)
    except ValueError as error:
        raise _Invalid(f"inconsistent: state does not fit the architecture ({error})") from None
    return model


def _reject_constant(name: str) -> None:
    raise _Invalid(f"refusing the non-finite number {name}")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Invalid(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _kind(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return names.get(type(value), "null" if value is None else "a number")


def _exact_keys(where: str, mapping: dict[str, Any], keys: list[str]) -> None:
    missing = [key for key in keys if key not in mapping]
    unexpected = [key for key in mapping if key not in keys]
    if missing:
        raise _Invalid(f"{where} is missing {missing}")
    if unexpected:
        raise _Invalid(f"{where} has unexpected fields {unexpected}")


def _checked(architecture: object) -> tuple[Callable[[], Module], int]:
    """A function that builds the architecture, and its parameter count."""
    if isinstance(architecture, dict) and architecture.get("type") in architectures.names():
        try:
            return architectures.check(architecture, _checked)
        except _Invalid:
            raise
        except ValueError as error:
            raise _Invalid(str(error)) from None
    kind, arguments = _architecture(architecture)
    return lambda: _MODEL_TYPES[kind](**arguments, seed=0), _parameter_count(kind, arguments)


def _architecture(architecture: object) -> tuple[str, dict[str, Any]]:
    """The model type and its checked constructor arguments."""
    if not isinstance(architecture, dict):
        raise _Invalid(f"architecture must be an object, got {_kind(architecture)}")
    kind = architecture.get("type")
    if not isinstance(kind, str) or kind not in _FIELDS:
        raise _Invalid(
            f"architecture type {kind!r} is not one of {[*_FIELDS, *architectures.names()]}"
        )
    fields = _FIELDS[kind]
    _exact_keys(f"the {kind} architecture", architecture, ["type", *fields])
    arguments: dict[str, Any] = {}
    for name, what in fields.items():
        value = architecture[name]
        where = f"architecture field {name!r}"
        if what == "size":
            arguments[name] = _size(where, value)
        elif what == "sizes":
            if not isinstance(value, list) or not value:
                raise _Invalid(f"{where} must be a non-empty array of sizes, got {_kind(value)}")
            arguments[name] = [_size(f"{where}[{i}]", v) for i, v in enumerate(value)]
        elif not isinstance(value, str) or value not in _ACTIVATIONS:
            raise _Invalid(f"{where} must be one of {list(_ACTIVATIONS)}, got {value!r}")
        else:
            arguments[name] = value
    return kind, arguments


def _size(where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _Invalid(f"{where} must be an integer >= 1, got {value!r}")
    return value


def _parameter_count(kind: str, arguments: dict[str, Any]) -> int:
    """How many parameters the architecture has, computed without building it."""
    if kind == "Neuron":
        return int(arguments["nin"]) + 1
    if kind == "Layer":
        return (int(arguments["nin"]) + 1) * int(arguments["nout"])
    sizes = [arguments["nin"], *arguments["nouts"]]
    return sum((a + 1) * b for a, b in itertools.pairwise(sizes))


def _state(state: object) -> dict[str, float]:
    """The checked weights: finite numbers, no bools."""
    if not isinstance(state, dict):
        raise _Invalid(f"state must be an object of weights, got {_kind(state)}")
    bad = [name for name, value in state.items() if not _is_weight(value)]
    if bad:
        shown = ", ".join(f"{name!r}: {state[name]!r}" for name in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise _Invalid(f"refusing weights that are not finite numbers: {shown}{more}")
    return {name: float(value) for name, value in state.items()}
