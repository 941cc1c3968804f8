"""How ``nn.save`` and ``nn.load`` describe and rebuild the transformer modules and ``GPT``.

One row per class: the constructor arguments a file records, the kind of JSON
value each holds, how to read them off a model, and how many parameters they
make (so a file's weights can be counted before anything is built).
:mod:`nn.serialize` handles ``Neuron``, ``Layer`` and ``MLP`` itself and asks
this module about the rest, passing itself in for the modules a ``Sequential``
holds, which may be of any savable kind.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from autograd import checks

from .activation import GELU, ReLU, Sigmoid, Tanh
from .attention import CausalSelfAttention
from .container import Sequential
from .embedding import Embedding
from .feedforward import FeedForward
from .linear import Linear
from .module import Module
from .norm import LayerNorm, RMSNorm

__all__ = ["Architecture", "Builder", "check", "describe", "names"]

ACTIVATIONS: tuple[type[Module], ...] = (ReLU, Tanh, Sigmoid, GELU)

#: Builds a checked architecture (with fresh weights, to be overwritten by the file's).
Builder = Callable[[], Module]


class Architecture(NamedTuple):
    """How to save and rebuild one class of module."""

    cls: type[Module]
    #: Each constructor argument recorded, and its kind: "size" (an int from 1 to MAX_SIZE),
    #: "bool", "number" (a finite real), "name" (a str) or "modules" (architectures).
    fields: dict[str, str]
    #: The recorded arguments of a model of this class.
    arguments: Callable[[Any], dict[str, Any]]
    #: The number of parameters the (checked) arguments make.
    parameter_count: Callable[[dict[str, Any]], int]
    #: Whether the constructor takes ``seed`` (the file's weights replace the draws).
    seeded: bool = True


@functools.cache
def _table() -> dict[str, Architecture]:
    # GPT is imported here, not at the top: importing nn must not import nn.models.gpt,
    # so that `python -m nn.models.gpt` runs that file only once.
    from .models.gpt import GPT, _parameter_count

    rows = [
        Architecture(
            Linear,
            {"in_features": "size", "out_features": "size", "bias": "bool"},
            lambda m: {
                "in_features": m.in_features,
                "out_features": m.out_features,
                "bias": m.bias is not None,
            },
            lambda a: a["out_features"] * (a["in_features"] + a["bias"]),
        ),
        Architecture(
            Embedding,
            {"num_embeddings": "size", "embedding_dim": "size"},
            lambda m: {"num_embeddings": m.num_embeddings, "embedding_dim": m.embedding_dim},
            lambda a: a["num_embeddings"] * a["embedding_dim"],
        ),
        Architecture(
            RMSNorm,
            {"dim": "size", "eps": "number"},
            lambda m: {"dim": m.dim, "eps": m.eps},
            lambda a: a["dim"],
            seeded=False,
        ),
        Architecture(
            LayerNorm,
            {"dim": "size", "eps": "number"},
            lambda m: {"dim": m.dim, "eps": m.eps},
            lambda a: 2 * a["dim"],
            seeded=False,
        ),
        Architecture(
            FeedForward,
            {"n_embd": "size", "hidden_dim": "size", "activation": "name", "bias": "bool"},
            lambda m: {
                "n_embd": m.n_embd,
                "hidden_dim": m.hidden_dim,
                "activation": m.activation,
                "bias": m.fc1.bias is not None,
            },
            lambda a: (
                2 * a["n_embd"] * a["hidden_dim"] + a["bias"] * (a["hidden_dim"] + a["n_embd"])
            ),
        ),
        Architecture(
            CausalSelfAttention,
            {"n_embd": "size", "n_head": "size", "bias": "bool"},
            lambda m: {"n_embd": m.n_embd, "n_head": m.n_head, "bias": m.q_proj.bias is not None},
            lambda a: 4 * a["n_embd"] * (a["n_embd"] + a["bias"]),
        ),
        # The activation modules take no arguments and hold no parameters.
        *(Architecture(cls, {}, lambda m: {}, lambda a: 0, seeded=False) for cls in ACTIVATIONS),
        Architecture(
            Sequential,
            {"modules": "modules"},
            lambda m: {"modules": list(m)},  # described one by one by the caller
            lambda a: sum(count for _, count in a["modules"]),
            seeded=False,
        ),
        Architecture(
            GPT,
            {
                "vocab_size": "size",
                "block_size": "size",
                "n_embd": "size",
                "n_head": "size",
                "n_layer": "size",
                "activation": "name",
            },
            lambda m: {
                "vocab_size": m.vocab_size,
                "block_size": m.block_size,
                "n_embd": m.n_embd,
                "n_head": m.n_head,
                "n_layer": m.n_layer,
                "activation": m.activation,
            },
            lambda a: _parameter_count(a["vocab_size"], a["block_size"], a["n_embd"], a["n_layer"]),
        ),
    ]
    return {row.cls.__name__: row for row in rows}


def names() -> list[str]:
    """The type names this module handles.

    Returns:
        A list of class names.

    Examples:
        >>> "GPT" in names()
        True
    """
    return list(_table())


def describe(
    model: Module, describe_any: Callable[[Module], dict[str, Any]]
) -> dict[str, Any] | None:
    """The JSON-ready architecture of ``model``, or None if its class is not in the table.

    Only the exact classes count: a subclass's extra code could not be rebuilt.

    Args:
        model: the module to describe.
        describe_any: describes any savable module (a ``Sequential``'s items).

    Returns:
        ``{"type": class name, argument: value, ...}``, or None.

    Examples:
        >>> describe(RMSNorm(3), lambda m: {})
        {'type': 'RMSNorm', 'dim': 3, 'eps': 1e-05}
    """
    row = _table().get(type(model).__name__)
    if row is None or row.cls is not type(model):
        return None
    arguments = row.arguments(model)
    if "modules" in row.fields:
        arguments["modules"] = [describe_any(item) for item in arguments["modules"]]
    return {"type": row.cls.__name__, **arguments}


def check(
    architecture: dict[str, Any], check_any: Callable[[object], tuple[Builder, int]]
) -> tuple[Builder, int]:
    """Check an architecture read from a file; return how to build it and its parameter count.

    Nothing is built: the count lets the caller compare it with the file's
    weights first, so a small file cannot ask for a huge model.

    Args:
        architecture: a JSON object whose ``"type"`` is one of :func:`names`.
        check_any: checks any savable architecture (a ``Sequential``'s items).

    Returns:
        ``(build, count)``: ``build()`` makes the module (raising ValueError when
        the arguments do not fit together, e.g. an ``n_embd`` that ``n_head``
        does not divide), and ``count`` is its number of parameters.

    Raises:
        ValueError: saying which field is missing, unexpected or of the wrong kind.

    Examples:
        >>> build, count = check({"type": "Linear", "in_features": 2, "out_features": 3,
        ...                       "bias": True}, lambda a: (lambda: Module(), 0))
        >>> count, build()
        (9, Linear(in_features=2, out_features=3, bias=True))
    """
    row = _table()[architecture["type"]]
    kind = row.cls.__name__
    expected = ["type", *row.fields]
    missing = [key for key in expected if key not in architecture]
    unexpected = [key for key in architecture if key not in expected]
    if missing or unexpected:
        raise ValueError(
            f"the {kind} architecture must hold exactly {expected}; "
            f"missing {missing}, unexpected {_some(unexpected)}"
        )
    arguments: dict[str, Any] = {}
    for name, what in row.fields.items():
        arguments[name] = _field(f"{kind} field {name!r}", what, architecture[name], check_any)

    def build() -> Module:
        if "modules" in row.fields:  # a Sequential: build its items, then it
            return row.cls(*[item_build() for item_build, _ in arguments["modules"]])
        try:
            return row.cls(**arguments, **({"seed": 0} if row.seeded else {}))
        except (TypeError, ValueError) as error:
            raise ValueError(f"the {kind} architecture does not fit together: {error}") from None

    return build, row.parameter_count(arguments)


def _some(items: list[str]) -> str:
    """Up to five of ``items``, each shortened, and how many more there are."""
    shown = f"[{', '.join(checks.shown(item) for item in items[:5])}]"
    return shown + (f" and {len(items) - 5} more" if len(items) > 5 else "")


def _field(
    where: str, what: str, value: object, check_any: Callable[[object], tuple[Builder, int]]
) -> Any:
    """A checked field value, or ValueError naming the field and the kind expected."""
    got = checks.shown(value)
    if what == "size":
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 1 <= value <= checks.MAX_SIZE
        ):
            raise ValueError(f"{where} must be an integer from 1 to {checks.MAX_SIZE:,}, got {got}")
    elif what == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{where} must be true or false, got {got}")
    elif what == "number":
        if not checks.is_finite_real(value):  # JSON has no NaN or inf, but a huge int
            raise ValueError(f"{where} must be a finite number, got {got}")
        return float(value)  # type: ignore[arg-type]
    elif what == "name":
        if not isinstance(value, str):
            raise ValueError(f"{where} must be a string, got {got}")
    else:  # "modules"
        if not isinstance(value, list):
            raise ValueError(f"{where} must be an array of architectures, got {got}")
        return [check_any(item) for item in value]
    return value
