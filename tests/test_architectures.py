"""Tests for nn.architectures: each row's description, field checks and parameter count."""

from __future__ import annotations

from typing import Any

import pytest

from nn import (
    MLP,
    CausalSelfAttention,
    Embedding,
    FeedForward,
    LayerNorm,
    Linear,
    Module,
    RMSNorm,
    Sequential,
)
from nn.architectures import Builder, check, describe, names
from nn.models import GPT

MODELS = [
    Linear(3, 2, seed=0),
    Linear(2, 4, bias=False, seed=0),
    Embedding(5, 3, seed=0),
    RMSNorm(4, eps=1e-6),
    LayerNorm(3),
    FeedForward(2, 5, "relu2", seed=0),
    FeedForward(3, bias=False, seed=0),
    CausalSelfAttention(4, 2, seed=0),
    CausalSelfAttention(6, 3, bias=False, seed=0),
    Sequential(Linear(2, 3, seed=0), Sequential(RMSNorm(3), LayerNorm(3))),
    Sequential(),
    GPT(7, block_size=5, n_embd=4, n_head=2, n_layer=2, activation="relu", seed=0),
    GPT(27, seed=0),
]


def _describe_any(model: Module) -> dict[str, Any]:
    """Describe a module this table knows; other kinds are not used in these tests."""
    description = describe(model, _describe_any)
    assert description is not None
    return description


def _check_any(architecture: object) -> tuple[Builder, int]:
    assert isinstance(architecture, dict)
    return check(architecture, _check_any)


class TestRows:
    @pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
    def test_count_and_rebuild(self, model: Module) -> None:
        """The counted parameters are the model's, and building gives the same architecture."""
        description = _describe_any(model)
        build, count = _check_any(description)
        assert count == len(model.parameters())
        rebuilt = build()
        assert type(rebuilt) is type(model)
        assert _describe_any(rebuilt) == description
        assert list(rebuilt.state_dict()) == list(model.state_dict())

    def test_description_fields(self) -> None:
        """A description holds the type and the constructor arguments that fix the shapes."""
        assert _describe_any(FeedForward(2, 5, "relu2", bias=False, seed=0)) == {
            "type": "FeedForward",
            "n_embd": 2,
            "hidden_dim": 5,
            "activation": "relu2",
            "bias": False,
        }
        assert _describe_any(Sequential(RMSNorm(2))) == {
            "type": "Sequential",
            "modules": [{"type": "RMSNorm", "dim": 2, "eps": 1e-5}],
        }

    def test_other_classes_are_not_described(self) -> None:
        """MLP (handled by serialize) and subclasses of listed classes get None."""

        class Special(Linear):
            pass

        assert describe(MLP(2, [1], seed=0), _describe_any) is None
        assert describe(Special(1, 1, seed=0), _describe_any) is None

    def test_names(self) -> None:
        """The table lists the transformer modules, the activation modules, Sequential and GPT."""
        assert sorted(names()) == sorted(
            [
                "Linear",
                "Embedding",
                "RMSNorm",
                "LayerNorm",
                "FeedForward",
                "CausalSelfAttention",
                "ReLU",
                "Tanh",
                "Sigmoid",
                "GELU",
                "Sequential",
                "GPT",
            ]
        )


class TestCheck:
    @pytest.mark.parametrize(
        ("architecture", "match"),
        [
            ({"type": "Linear", "in_features": 2, "out_features": 1}, r"missing \['bias'\]"),
            ({"type": "RMSNorm", "dim": 2, "eps": 1e-5, "x": 1}, r"unexpected \['x'\]"),
            (
                {"type": "RMSNorm", "dim": 0, "eps": 1e-5},
                "'dim' must be an integer from 1 to 10,000,000, got 0",
            ),
            ({"type": "RMSNorm", "dim": True, "eps": 1e-5}, "'dim' must be an integer"),
            ({"type": "RMSNorm", "dim": 2, "eps": "1"}, "'eps' must be a finite number, got '1'"),
            ({"type": "RMSNorm", "dim": 2, "eps": 10**400}, "'eps' must be a finite number"),
            (
                {"type": "Linear", "in_features": 2, "out_features": 1, "bias": 1},
                "'bias' must be true or false",
            ),
            (
                {
                    "type": "FeedForward",
                    "n_embd": 2,
                    "hidden_dim": 2,
                    "activation": 3,
                    "bias": True,
                },
                "'activation' must be a string",
            ),
            ({"type": "Sequential", "modules": {}}, "'modules' must be an array"),
        ],
    )
    def test_bad_fields(self, architecture: dict[str, Any], match: str) -> None:
        """A missing, extra or wrongly typed field is a ValueError naming it."""
        with pytest.raises(ValueError, match=match):
            _check_any(architecture)

    @pytest.mark.parametrize(
        "architecture",
        [
            {"type": "RMSNorm", "dim": 2, "eps": 0.0},
            {"type": "CausalSelfAttention", "n_embd": 4, "n_head": 3, "bias": True},
            {"type": "FeedForward", "n_embd": 2, "hidden_dim": 2, "activation": "x", "bias": True},
            {
                "type": "GPT",
                "vocab_size": 3,
                "block_size": 2,
                "n_embd": 4,
                "n_head": 3,
                "n_layer": 1,
                "activation": "relu2",
            },
        ],
    )
    def test_arguments_that_do_not_fit_fail_when_built(self, architecture: dict[str, Any]) -> None:
        """Well-typed arguments the constructor refuses give a ValueError when building."""
        build, _ = _check_any(architecture)
        with pytest.raises(ValueError, match="does not fit together"):
            build()

    def test_sequential_items_are_checked_by_the_caller(self) -> None:
        """A Sequential's items go to the function passed in, and their counts add up."""
        seen: list[object] = []

        def check_any(architecture: object) -> tuple[Builder, int]:
            seen.append(architecture)
            return (lambda: RMSNorm(1)), 7

        build, count = check({"type": "Sequential", "modules": [{"a": 1}, {"b": 2}]}, check_any)
        assert seen == [{"a": 1}, {"b": 2}]
        assert count == 14
        assert len(build()) == 2  # type: ignore[arg-type]
