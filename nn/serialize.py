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

Saving writes a temporary file named ``.<name>.<8 hex digits>.tmp`` (for
``model.json``, say ``.model.json.3f9a02c1.tmp``) in the directory of the file,
then renames it over the file. Every error removes it; only a process killed
mid-save (SIGKILL, power loss) can leave one behind, and it is safe to delete.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import secrets
import stat
from collections.abc import Callable
from typing import Any

from autograd import checks

from . import architectures
from .layers import ACTIVATIONS, MLP, Layer, Neuron
from .module import Module

__all__ = ["FORMAT", "MAX_FILE_BYTES", "MAX_MESSAGE", "VERSION", "load", "save"]

#: The ``format`` field of every model file.
FORMAT = "chainrule.model"
#: The file format version this code writes and reads.
VERSION = 1
#: Larger files are refused before they are read (64 MiB, about 3 million weights).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The longest error message ``load`` raises, however large the field it is about.
MAX_MESSAGE = 2000

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
    disk and renamed over ``path`` (then the directory is flushed too), so an
    interrupted or failed save leaves any earlier file at ``path`` intact, and
    ``path`` always holds a whole model, old or new. An existing file keeps its
    permission bits; a new one gets those ``open()`` would give it (``0o666``
    less the umask). When ``path`` is a symbolic link, the file it points to is
    replaced and the link is kept.

    Args:
        model: a :class:`~nn.Neuron`, :class:`~nn.Layer`, :class:`~nn.MLP`, or
            a class listed in :mod:`nn.architectures` such as
            :class:`~nn.models.GPT` (not a subclass, whose extra code the file
            could not rebuild).
        path: where to write; the directory must exist.

    Raises:
        TypeError: for any other kind of module (save its ``state_dict()`` yourself),
            or a ``path`` that is not a str or ``os.PathLike``.
        ValueError: if a weight is NaN, infinite, a bool or not a number.
        FileNotFoundError: if the directory does not exist, naming ``path``.
        OSError: if the file cannot be written.

    Examples:
        >>> import os, tempfile, nn
        >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
        >>> model = nn.MLP(2, [4, 1], seed=0)
        >>> nn.save(model, path)
        >>> nn.load(path).state_dict() == model.state_dict()
        True
    """
    where = "nn.save"
    architecture = _describe(where, model)
    target = _path(where, path)
    state: dict[str, float] = {}
    bad = []
    for name, value in model.state_dict().items():
        if checks.is_finite_real(value):
            state[name] = float(value)
        else:
            bad.append(name)
    if bad:
        raise ValueError(f"{where}: refusing to save weights that are not finite numbers: {bad}")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": architecture,
        "state": state,
    }
    data = (json.dumps(document, allow_nan=False) + "\n").encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            f"{where}: the model needs {len(data)} bytes, over the {MAX_FILE_BYTES}-byte "
            "limit that nn.load accepts"
        )
    _write_atomically(target, data)


def _describe(where: str, model: object) -> dict[str, Any]:
    """The architecture of a built-in model; TypeError naming ``model`` for anything else."""
    kind = type(model)
    if _MODEL_TYPES.get(kind.__name__) is kind:
        return model._config()  # type: ignore[attr-defined,no-any-return]
    description = None
    if isinstance(model, Module):
        description = architectures.describe(model, lambda item: _describe(where, item))
    if description is None:
        raise TypeError(
            f"{where}: model must be a {', '.join([*_MODEL_TYPES, *architectures.names()])} "
            f"(not a subclass), got {kind.__name__}; for other modules save model.state_dict()"
        )
    return description


def _path(where: str, path: object) -> str:
    """``path`` as a str, refusing anything that is not a str or an ``os.PathLike`` of one."""
    checks.instance(where, "path", path, (str, os.PathLike), "a str or os.PathLike path")
    text: str = os.fspath(path)  # type: ignore[call-overload]
    checks.instance(where, "path", text, str, "a str path, not bytes")
    return text


def _write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to a temporary file beside the file ``path`` names, then rename it over."""
    target = os.path.realpath(path)  # through symbolic links: replace the file, keep the link
    directory = os.path.dirname(target)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None  # a new file: the umask decides, as for open()
    fd, temporary = _create_temporary(directory, os.path.basename(target), path)
    try:
        with os.fdopen(fd, "wb") as file:
            if mode is not None:
                os.chmod(temporary, mode)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(directory)


def _create_temporary(directory: str, name: str, path: str) -> tuple[int, str]:
    """A new, empty ``.<name>.<8 hex digits>.tmp`` in ``directory``, opened for writing."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue  # another save's file: draw another name
        except OSError as error:  # name the user's path, not the temporary file
            raise OSError(
                error.errno, f"nn.save: cannot create a file beside it ({error.strerror})", path
            ) from None


def _fsync_directory(directory: str) -> None:
    """Flush the directory, so that the rename survives a power loss too."""
    if not hasattr(os, "O_DIRECTORY"):  # Windows cannot open a directory to flush it
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno != errno.EINVAL:  # EINVAL: a file system that cannot sync directories
            raise
    finally:
        os.close(fd)


class _Invalid(ValueError):
    """A problem with the file's content (the message says what)."""


def load(path: str | os.PathLike[str]) -> Module:
    """Read a model written by :func:`save`, checking everything before building it.

    Args:
        path: the file to read.

    Returns:
        A new model of the saved class, with the saved architecture and weights.

    Raises:
        ValueError: saying what is wrong in at most ``MAX_MESSAGE`` characters, if
            ``path`` is not a regular file (a directory, a FIFO, a device: refused
            without waiting on it), the file is larger than ``MAX_FILE_BYTES``,
            not UTF-8 JSON (e.g. truncated), not a chainrule model (another
            format, a version that is not the int 1), or inconsistent (missing,
            unexpected or invalid fields, weights that are NaN, inf, bools or do
            not match the architecture).
        TypeError: if ``path`` is not a str or ``os.PathLike``.
        OSError: if the file cannot be opened or read.

    Examples:
        >>> import os, tempfile, nn
        >>> path = os.path.join(tempfile.mkdtemp(), "neuron.json")
        >>> nn.save(nn.Neuron(3, "tanh", seed=0), path)
        >>> nn.load(path)
        Neuron(nin=3, activation='tanh')
    """
    path = _path("nn.load", path)
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        return _parse(_read_regular_file(fd))
    except _Invalid as error:
        raise ValueError(_capped(f"nn.load: {path}: {error}")) from None
    finally:
        os.close(fd)


def _read_regular_file(fd: int) -> bytes:
    """The bytes of the open file ``fd``, if it is a regular file within the size limit."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise _Invalid(f"not a regular file but {_file_kind(info.st_mode)}")
    if info.st_size > MAX_FILE_BYTES:
        raise _Invalid(
            f"{info.st_size} bytes, over the {MAX_FILE_BYTES}-byte limit for a model file"
        )
    chunks, size = [], 0
    while size <= MAX_FILE_BYTES:  # read one byte past the limit: the file may have grown
        chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_FILE_BYTES:
        raise _Invalid(f"over the {MAX_FILE_BYTES}-byte limit for a model file")
    return b"".join(chunks)


def _file_kind(mode: int) -> str:
    """What a file that is not a regular one is, for a message."""
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ]
    return next((name for test, name in kinds if test(mode)), "a special file")


def _capped(message: str) -> str:
    """``message`` cut to at most ``MAX_MESSAGE`` characters."""
    if len(message) <= MAX_MESSAGE:
        return message
    tail = f"... ({len(message)} characters in all)"
    return message[: MAX_MESSAGE - len(tail)] + tail


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
        found = checks.shown(document.get("format"))
        raise _Invalid(f"not a chainrule model file: format is {found}, expected {FORMAT!r}")
    version = document.get("version")
    if type(version) is not int or version != VERSION:  # 1.0 and 1e0 are floats in JSON
        raise _Invalid(
            f"version {checks.shown(version)} is not supported; this chainrule reads the int "
            f"{VERSION}"
        )
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
            raise _Invalid(f"the key {checks.shown(key)} appears twice in one object")
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
        raise _Invalid(f"{where} has unexpected fields {_some(unexpected)}")


def _some(items: list[str]) -> str:
    """Up to five of ``items``, each shortened, and how many more there are."""
    shown = f"[{', '.join(checks.shown(item) for item in items[:5])}]"
    return shown + (f" and {len(items) - 5} more" if len(items) > 5 else "")


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
            f"architecture type {checks.shown(kind)} is not one of "
            f"{[*_FIELDS, *architectures.names()]}"
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
        elif not isinstance(value, str) or value not in ACTIVATIONS:
            raise _Invalid(f"{where} must be one of {list(ACTIVATIONS)}, got {checks.shown(value)}")
        else:
            arguments[name] = value
    return kind, arguments


def _size(where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= checks.MAX_SIZE:
        raise _Invalid(
            f"{where} must be an integer from 1 to {checks.MAX_SIZE:,}, got {checks.shown(value)}"
        )
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
    bad = [name for name, value in state.items() if not checks.is_finite_real(value)]
    if bad:
        shown = ", ".join(f"{checks.shown(name)}: {checks.shown(state[name])}" for name in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise _Invalid(f"refusing weights that are not finite numbers: {shown}{more}")
    return {name: float(value) for name, value in state.items()}
