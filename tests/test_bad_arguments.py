"""A battery of bad arguments for every public callable: each is refused by name.

Every public callable of the namespaces in ``NAMESPACES`` (and the names in
``EXTRA_NAMES``, public but left out of ``__all__``) has a row in ``TARGETS`` (or a
reason in ``UNCHECKED``): how to call it with valid keyword arguments, and which of
the standard bad values (``BAD_VALUES``) a parameter legitimately accepts. Each
parameter is then given each other bad value, and the call must raise
``TypeError`` or ``ValueError`` whose message starts with the callable's name and
names the parameter. To cover another package, add it to ``NAMESPACES`` and its
callables to ``TARGETS``.
"""

from __future__ import annotations

import inspect
import math
import re
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import autograd
import autograd.testing
import nn
import nn.models.gpt
from autograd import Value
from autograd.rules import RULES
from nn import functional as F
from nn import losses, optim
from nn.models import GPT

try:
    import numpy
except ImportError:  # numpy is a dev dependency; without it the array cases are left out
    numpy = None  # type: ignore[assignment]

#: The packages whose public callables (``__all__``) must all be in the table.
NAMESPACES: dict[str, types.ModuleType] = {
    "autograd": autograd,
    "autograd.testing": autograd.testing,
    "nn": nn,
    "nn.data": nn.data,
    "nn.functional": nn.functional,
    "nn.losses": nn.losses,
    "nn.optim": nn.optim,
    "nn.models": nn.models,
    "nn.models.gpt": nn.models.gpt,
}

#: Public names that ``__all__`` leaves out (they would shadow builtins), by namespace.
EXTRA_NAMES: dict[str, tuple[str, ...]] = {"autograd": ("compile", "max", "sum")}

#: Values that are wrong for almost every parameter, by the name a row uses to exempt one.
BAD_VALUES: dict[str, object] = {
    "object": object(),
    "nan": math.nan,
    "huge int": 10**400,
    "str": "abc",
}


@dataclass(frozen=True)
class Target:
    """One public callable and how to call it well, so that one argument at a time can be spoiled.

    Attributes:
        name: the public name, such as ``"nn.optim.SGD"`` or ``"nn.MLP.__call__"``.
        where: how its messages begin, such as ``"SGD"``.
        call: called with keyword arguments; its signature gives the parameters.
        valid: valid keyword arguments, built fresh from a scratch directory.
        accepts: the names of ``BAD_VALUES`` that a parameter rightly accepts.
        flags: parameters that must be True or False (a NumPy array is tried too).
    """

    name: str
    where: str
    call: Callable[..., object]
    valid: Callable[[Path], dict[str, Any]]
    accepts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    flags: tuple[str, ...] = ()

    def parameters(self) -> list[str]:
        """The names of the callable's parameters."""
        return [
            p.name
            for p in inspect.signature(self.call).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]


def _sgd() -> optim.SGD:
    return optim.SGD([Value(0.0)], lr=0.1)


def _fit_arguments(_: Path) -> dict[str, Any]:
    model = nn.MLP(2, [2, 1], seed=0)
    return {
        "model": model,
        "X": [[0.0, 1.0], [1.0, 0.0]],
        "y": [0.0, 1.0],
        "loss": losses.mse_loss,
        "optimizer": optim.SGD(model.parameters(), lr=0.1),
        "epochs": 1,
        "progress": False,
    }


def _saved_model(directory: Path) -> dict[str, Any]:
    path = directory / "m.json"
    nn.save(nn.Neuron(1, seed=0), path)
    return {"path": path}


#: python -m nn.models.gpt at its quickest: one step on one name, one sample.
_QUICK_MAIN = [
    "--steps",
    "1",
    "--batch-size",
    "1",
    "--mode",
    "dynamic",
    "--samples",
    "1",
    "--quiet",
]
_SEED = {"seed": ("huge int",)}  # random.Random takes any int >= 0
_POINTS = {"X": [[float(i), 0.0] for i in range(6)], "y": [0, 1, 0, 1, 0, 1]}


def _gpt() -> GPT:
    return GPT(5, block_size=4, n_embd=4, n_head=2, seed=0)


def _tokenizer() -> nn.data.CharTokenizer:
    return nn.data.CharTokenizer(["abc"])


def _calling(module: nn.Module) -> Callable[[object], object]:
    """``module``'s call as a function of its one input, named ``x``."""
    return lambda x: module(x)


def _product(x: Value, y: Value) -> Value:
    return x * y


def _square(x: Value) -> Value:
    return x * x


def _identity(x: float) -> float:
    return x


def _define_op(
    derivative: Callable[..., Any], fn: Callable[..., float], name: str | None = None
) -> None:
    """``op(derivative, name=name)(fn)``, leaving the table of ops as it was."""
    before = dict(RULES)
    try:
        autograd.op(derivative, name=name)(fn)
    finally:
        RULES.clear()
        RULES.update(before)


def _gradients_arguments(_: Path) -> dict[str, Any]:
    x = Value(2.0)
    return {"output": x * x, "inputs": [x], "create_graph": False}


def _drawing_arguments(_: Path) -> dict[str, Any]:
    x = Value(2.0)
    y = x * x
    y.backward()
    flags = dict.fromkeys(_DRAWING_FLAGS, True)
    return {"root": y, "rankdir": "TB", **flags, "max_nodes": 10}


_UNARY = ("exp", "expm1", "log", "log1p", "sqrt", "sin", "cos", "tan", "atan", "tanh")
_UNARY += ("sigmoid", "softplus", "erf", "gelu", "relu")
_DRAWING_FLAGS = ("show_data", "show_grad", "show_local_grad", "color_grad", "clusters")
_NAN = {"x": ("nan",)}  # NaN in, NaN out: a number an expression may hold
_CHECK = {"f": _square, "inputs": [0.5], "eps": 1e-6, "atol": 1e-5, "rtol": 1e-3}

TARGETS: list[Target] = [
    # autograd: the ops, each as a function of numbers or Values
    *[
        Target(f"autograd.{name}", name, getattr(autograd, name), lambda _: {"x": 0.5}, _NAN)
        for name in _UNARY
    ],
    *[
        Target(
            f"autograd.{name}",
            name,
            getattr(autograd, name),
            lambda _: {"a": 0.5, "b": Value(1.0)},
            {"a": ("nan",), "b": ("nan",)},
        )
        for name in ("maximum", "minimum")
    ],
    Target(
        "autograd.leaky_relu",
        "leaky_relu",
        autograd.leaky_relu,
        lambda _: {"x": -0.5, "negative_slope": 0.1},
        {"x": ("nan",), "negative_slope": ("nan",)},
    ),
    Target("autograd.dot", "dot", autograd.dot, lambda _: {"xs": [Value(1.0), 2.0], "ys": [3, 4]}),
    Target("autograd.sum", "sum", autograd.sum, lambda _: {"values": [Value(1.0), 2.0]}),
    Target("autograd.max", "max", autograd.max, lambda _: {"values": [Value(1.0), 2.0]}),
    # autograd: Value and the methods that take arguments
    Target(
        "autograd.Value",
        "Value",
        Value,
        lambda _: {"data": 1.0, "label": "x"},
        {"data": ("nan",), "label": ("str",)},
    ),
    Target(
        "autograd.Value.backward",
        "Value.backward",
        lambda grad=1.0: (Value(2.0) * 3.0).backward(grad),
        lambda _: {"grad": 0.5},
        {"grad": ("nan",)},
    ),
    Target(
        "autograd.Value.maximum",
        "Value.maximum",
        lambda other: Value(1.0).maximum(other),
        lambda _: {"other": 2.0},
        {"other": ("nan",)},
    ),
    Target(
        "autograd.Value.leaky_relu",
        "Value.leaky_relu",
        lambda negative_slope=0.01: Value(-1.0).leaky_relu(negative_slope),
        lambda _: {"negative_slope": 0.1},
        {"negative_slope": ("nan",)},
    ),
    # autograd: modes
    Target("autograd.no_grad", "no_grad", autograd.no_grad, lambda _: {}),
    Target("autograd.enable_grad", "enable_grad", autograd.enable_grad, lambda _: {}),
    Target("autograd.detect_anomaly", "detect_anomaly", autograd.detect_anomaly, lambda _: {}),
    Target("autograd.scope", "scope", autograd.scope, lambda _: {"name": "f"}, {"name": ("str",)}),
    Target("autograd.scope_of", "scope_of", autograd.scope_of, lambda _: {"node": Value(1.0)}),
    # autograd: derivatives (the function grad makes is called, so argnums meets a call)
    Target(
        "autograd.grad",
        "grad",
        lambda f, argnums=0: autograd.grad(f, argnums)(1.0, 2.0),
        lambda _: {"f": _product, "argnums": 1},
    ),
    Target(
        "autograd.value_and_grad",
        "value_and_grad",
        lambda f, argnums=0: autograd.value_and_grad(f, argnums)(1.0, 2.0),
        lambda _: {"f": _product, "argnums": (0, 1)},
    ),
    Target(
        "autograd.hessian",
        "hessian",
        lambda f: autograd.hessian(f)(1.0, 2.0),
        lambda _: {"f": _product},
    ),
    Target(
        "autograd.gradients",
        "gradients",
        autograd.gradients,
        _gradients_arguments,
        flags=("create_graph",),
    ),
    *[
        Target(
            f"autograd.{check.__name__}",
            check.__name__,
            check,
            lambda _: {**_CHECK, "raise_exception": True},
            flags=("raise_exception",),
        )
        for check in (autograd.gradcheck, autograd.gradgradcheck)
    ],
    Target(
        "autograd.op",
        "op",
        _define_op,
        lambda _: {"derivative": lambda x: 1.0, "fn": _identity, "name": "table_op"},
        {"name": ("str",)},
    ),
    # autograd: drawings and compiled code
    Target(
        "autograd.draw_graph",
        "draw_graph",
        autograd.draw_graph,
        _drawing_arguments,
        flags=_DRAWING_FLAGS,
    ),
    Target(
        "autograd.compile",
        "compile",
        lambda f, batch_argnums=0: autograd.compile(f, batch_argnums=batch_argnums)([1.0, 2.0]),
        lambda _: {"f": _square, "batch_argnums": 0},
    ),
    Target(
        "autograd.compile.value_and_grad",
        "compiled _square.value_and_grad",
        lambda reduce="sum": autograd.compile(_square).value_and_grad(1.0, reduce=reduce),
        lambda _: {"reduce": "mean"},
    ),
    # autograd.testing
    Target(
        "autograd.testing.domain",
        "domain",
        autograd.testing.domain,
        lambda _: {"op": "log", "low": 0.5, "high": 2.0, "position": 0},
    ),
    Target(
        "autograd.testing.expressions",
        "expressions",
        autograd.testing.expressions,
        lambda _: {"n_inputs": 2, "max_steps": 3},
    ),
    Target(
        "autograd.testing.differentiable_cases",
        "differentiable_cases",
        autograd.testing.differentiable_cases,
        lambda _: {"n_inputs": 2, "max_steps": 3, "low": -1.0, "high": 1.0, "kink_margin": 0.01},
    ),
    Target(
        "autograd.testing.assert_gradients_close",
        "assert_gradients_close",
        autograd.testing.assert_gradients_close,
        lambda _: {**_CHECK, "order": 2},
    ),
    Target(
        "autograd.testing.Expression",
        "Expression",
        autograd.testing.Expression,
        lambda _: {"n_inputs": 1, "steps": (("exp", (0,)), ("mul", (1, 0.5)))},
    ),
    # nn
    Target("nn.MLP", "MLP", nn.MLP, lambda _: {"nin": 2, "nouts": [3, 1]}, _SEED),
    Target("nn.Layer", "Layer", nn.Layer, lambda _: {"nin": 2, "nout": 2}, _SEED),
    Target("nn.Neuron", "Neuron", nn.Neuron, lambda _: {"nin": 2}, _SEED),
    Target("nn.Module", "Module", nn.Module, lambda _: {}),
    Target(
        "nn.accuracy",
        "accuracy",
        nn.accuracy,
        lambda _: {"predictions": [1.0, -1.0], "targets": [1, 0]},
    ),
    Target(
        "nn.fit",
        "fit",
        nn.fit,
        _fit_arguments,
        {"seed": ("huge int",), "batch_size": ("huge int",)},  # a batch may exceed the data
        flags=("progress", "compile"),
    ),
    Target(
        "nn.save",
        "nn.save",
        nn.save,
        lambda directory: {"model": nn.Neuron(1, seed=0), "path": directory / "m.json"},
        {"path": ("str",)},  # a relative path is a path
    ),
    Target("nn.load", "nn.load", nn.load, _saved_model, {"path": ("str",)}),
    # the transformer modules
    Target(
        "nn.Linear",
        "Linear",
        nn.Linear,
        lambda _: {"in_features": 2, "out_features": 3, "std": 0.1},
        _SEED,
        flags=("bias",),
    ),
    Target(
        "nn.Embedding",
        "Embedding",
        nn.Embedding,
        lambda _: {"num_embeddings": 3, "embedding_dim": 2},
        _SEED,
    ),
    Target("nn.RMSNorm", "RMSNorm", nn.RMSNorm, lambda _: {"dim": 3}),
    Target("nn.LayerNorm", "LayerNorm", nn.LayerNorm, lambda _: {"dim": 3}),
    Target(
        "nn.FeedForward",
        "FeedForward",
        nn.FeedForward,
        lambda _: {"n_embd": 2, "hidden_dim": 3, "std": 0.1},
        _SEED,
        flags=("bias",),
    ),
    Target(
        "nn.CausalSelfAttention",
        "CausalSelfAttention",
        nn.CausalSelfAttention,
        lambda _: {"n_embd": 4, "n_head": 2, "std": 0.1},
        _SEED,
        flags=("bias",),
    ),
    Target("nn.KVCache", "KVCache", nn.KVCache, lambda _: {}),
    Target(  # its modules are *args, checked one by one: see the __call__ rows below
        "nn.Sequential", "Sequential", nn.Sequential, lambda _: {}
    ),
    # activation modules (no arguments) and loss modules (a reduction)
    *(
        Target(f"nn.{cls.__name__}", cls.__name__, cls, lambda _: {})
        for cls in (nn.ReLU, nn.Tanh, nn.Sigmoid, nn.GELU)
    ),
    *(
        Target(f"nn.{cls.__name__}", cls.__name__, cls, lambda _: {"reduction": "sum"})
        for cls in (
            nn.MSELoss,
            nn.BCELoss,
            nn.BCEWithLogitsLoss,
            nn.CrossEntropyLoss,
            nn.HingeLoss,
        )
    ),
    # nn.models
    Target(
        "nn.models.GPT",
        "GPT",
        GPT,
        lambda _: {"vocab_size": 5, "block_size": 4, "n_embd": 4, "n_head": 2, "n_layer": 1},
        _SEED,
    ),
    Target(
        "nn.models.bigram_loss",
        "bigram_loss",
        nn.models.bigram_loss,
        lambda _: {"train": [[0, 1, 0]], "test": [[0, 1]], "vocab_size": 2},
    ),
    Target(
        "nn.models.gpt.Block",
        "Block",
        nn.models.gpt.Block,
        lambda _: {"n_embd": 4, "n_head": 2, "activation": "relu2"},
        _SEED,
    ),
    Target(
        "nn.models.gpt.sequences",
        "sequences",
        nn.models.gpt.sequences,
        lambda _: {"docs": ["cab"], "tokenizer": _tokenizer(), "block_size": 4},
    ),
    Target(
        "nn.models.gpt.train",
        "train",
        nn.models.gpt.train,
        lambda _: {"model": _gpt(), "seqs": [[4, 0, 1, 4]], "steps": 1},
        flags=("progress",),
    ),
    Target(
        "nn.models.gpt.evaluate",
        "evaluate",
        nn.models.gpt.evaluate,
        lambda _: {"model": _gpt(), "seqs": [[4, 0, 1, 4]]},
    ),
    Target(
        "nn.models.gpt.main",
        "main",
        nn.models.gpt.main,
        lambda _: {"argv": _QUICK_MAIN},
    ),
    # nn.data's text
    Target("nn.data.names", "names", nn.data.names, lambda _: {}),
    Target(
        "nn.data.CharTokenizer", "CharTokenizer", nn.data.CharTokenizer, lambda _: {"texts": ["ab"]}
    ),
    # methods users call with arguments of their own
    *[
        Target(
            f"nn.{type(module).__name__}.__call__",
            type(module).__name__,
            _calling(module),
            lambda _: {"x": [1.0, 2.0]},
        )
        for module in (
            nn.Linear(2, 3, seed=0),
            nn.RMSNorm(2),
            nn.LayerNorm(2),
            nn.FeedForward(2, seed=0),
        )
    ],
    Target(
        "nn.Embedding.__call__",
        "Embedding",
        lambda index: nn.Embedding(3, 2, seed=0)(index),
        lambda _: {"index": 2},
    ),
    Target(
        "nn.CausalSelfAttention.__call__",
        "CausalSelfAttention",
        lambda xs, cache=None: nn.CausalSelfAttention(2, 1, seed=0)(xs, cache),
        lambda _: {"xs": [[1.0, 2.0]], "cache": nn.KVCache()},
    ),
    Target(
        "nn.models.GPT.__call__",
        "GPT",
        lambda tokens, cache=None: _gpt()(tokens, cache),
        lambda _: {"tokens": [4, 0], "cache": _gpt().new_cache()},
    ),
    Target(
        "nn.models.GPT.generate",
        "GPT.generate",
        lambda prompt, n, temperature=1.0, seed=None, stop=None: _gpt().generate(
            prompt, n, temperature, seed, stop=stop
        ),
        lambda _: {"prompt": [4], "n": 2, "temperature": 0.5, "seed": 1, "stop": 4},
        _SEED,
    ),
    Target(
        "nn.data.CharTokenizer.encode",
        "CharTokenizer.encode",
        lambda text: _tokenizer().encode(text),
        lambda _: {"text": "cab"},
        {"text": ("str",)},  # "abc" is a text of known characters
    ),
    Target(
        "nn.data.CharTokenizer.decode",
        "CharTokenizer.decode",
        lambda ids: _tokenizer().decode(ids),
        lambda _: {"ids": [2, 0, 1]},
    ),
    Target(
        "nn.MLP.__call__",
        "MLP",
        lambda x: nn.MLP(2, [1], seed=0)(x),
        lambda _: {"x": [0.0, 1.0]},
    ),
    Target(
        "nn.Module.load_state_dict",
        "Neuron.load_state_dict",
        lambda state, strict=True: nn.Neuron(1, seed=0).load_state_dict(state, strict),
        lambda _: {"state": {"w.0": 0.5, "b": 0.0}},
        flags=("strict",),
    ),
    Target(
        "nn.optim.Optimizer.load_state_dict",
        "SGD.load_state_dict",
        lambda state_dict: _sgd().load_state_dict(state_dict),
        lambda _: {"state_dict": _sgd().state_dict()},
    ),
    Target(
        "nn.optim.LRScheduler.load_state_dict",
        "StepLR.load_state_dict",
        lambda state: optim.StepLR(_sgd(), 1).load_state_dict(state),
        lambda _: {"state": {"base_lr": 0.1, "last_epoch": 2}},
    ),
    # nn.data
    *[
        Target(
            f"nn.data.{generator.__name__}",
            generator.__name__,
            generator,
            lambda _: {"n_samples": 12},
            _SEED,
            flags=("shuffle",),
        )
        for generator in (
            nn.data.make_moons,
            nn.data.make_circles,
            nn.data.make_blobs,
            nn.data.make_spirals,
            nn.data.make_xor,
            nn.data.make_regression,
        )
    ],
    Target(
        "nn.data.train_test_split",
        "train_test_split",
        nn.data.train_test_split,
        lambda _: dict(_POINTS),
        _SEED,
        flags=("shuffle",),
    ),
    Target(
        "nn.data.batches",
        "batches",
        nn.data.batches,
        lambda _: {**_POINTS, "batch_size": 2},
        {**_SEED, "batch_size": ("huge int",)},  # a batch may exceed the data
        flags=("shuffle",),
    ),
    Target(
        "nn.data.batch_positions",
        "batch_positions",
        nn.data.batch_positions,
        lambda _: {"n": 5, "batch_size": 2},
        {**_SEED, "batch_size": ("huge int",)},  # a batch may exceed the data
        flags=("shuffle",),
    ),
    # nn.losses
    Target(
        "nn.losses.mse_loss",
        "mse_loss",
        losses.mse_loss,
        lambda _: {"preds": [1.0], "targets": [0.0]},
    ),
    Target(
        "nn.losses.binary_cross_entropy",
        "binary_cross_entropy",
        losses.binary_cross_entropy,
        lambda _: {"probs": [0.5], "targets": [1.0]},
    ),
    Target(
        "nn.losses.binary_cross_entropy_with_logits",
        "binary_cross_entropy_with_logits",
        losses.binary_cross_entropy_with_logits,
        lambda _: {"logits": [0.5], "targets": [1.0]},
    ),
    Target(
        "nn.losses.cross_entropy",
        "cross_entropy",
        losses.cross_entropy,
        lambda _: {"logits": [[1.0, 2.0]], "targets": [0]},
    ),
    Target(
        "nn.losses.hinge_loss",
        "hinge_loss",
        losses.hinge_loss,
        lambda _: {"scores": [0.5], "targets": [1]},
    ),
    # nn.functional
    *[
        Target(f"nn.functional.{f.__name__}", f.__name__, f, lambda _: {"xs": [1.0, 2.0]})
        for f in (F.softmax, F.log_softmax, F.logsumexp, F.relu, F.tanh, F.sigmoid)
    ],
    # nn.optim
    *[
        Target(
            f"nn.optim.{kind.__name__}",
            kind.__name__,
            kind,
            lambda _: {"params": [Value(0.0)], "lr": 0.1},
            flags=flags,
        )
        for kind, flags in (
            (optim.Optimizer, ()),
            (optim.SGD, ("nesterov",)),
            (optim.Adam, ()),
            (optim.RMSprop, ("centered",)),
            (optim.Adagrad, ()),
        )
    ],
    Target(
        "nn.optim.StepLR",
        "StepLR",
        optim.StepLR,
        lambda _: {"optimizer": _sgd(), "step_size": 1},
        {"step_size": ("huge int",)},  # a schedule that never decays
    ),
    Target(
        "nn.optim.ExponentialLR",
        "ExponentialLR",
        optim.ExponentialLR,
        lambda _: {"optimizer": _sgd(), "gamma": 0.5},
    ),
    Target(
        "nn.optim.LambdaLR",
        "LambdaLR",
        optim.LambdaLR,
        lambda _: {"optimizer": _sgd(), "lr_lambda": lambda epoch: 1.0},
    ),
    Target(
        "nn.optim.clip_grad_norm",
        "clip_grad_norm",
        optim.clip_grad_norm,
        lambda _: {"params": [Value(0.0)], "max_norm": 1.0},
    ),
]

#: Public callables that take no checked arguments, and why.
UNCHECKED: dict[str, str] = {
    "autograd.GradcheckError": "the AssertionError that gradcheck raises; like any exception "
    "it takes its message as arguments",
    "autograd.draw_dot": "draw_graph under micrograd's name, the same function: its row is "
    "autograd.draw_graph",
    "nn.History": "a record that fit fills in; its fields are plain lists, not arguments",
    "nn.optim.LRScheduler": "the abstract base: its get_lr raises NotImplementedError, so no "
    "call of it is valid; its checks run through StepLR, ExponentialLR and LambdaLR",
}


def _cases() -> Iterator[Any]:
    """(target, parameter, bad value) for every bad value a parameter does not accept."""
    for target in TARGETS:
        for parameter in target.parameters():
            for name, value in BAD_VALUES.items():
                if name not in target.accepts.get(parameter, ()):
                    yield pytest.param(
                        target, parameter, value, id=f"{target.name}-{parameter}-{name}"
                    )
            if numpy is not None and parameter in target.flags:
                array = numpy.array([True, False])
                yield pytest.param(target, parameter, array, id=f"{target.name}-{parameter}-array")


def _public_callables() -> set[str]:
    """Each public callable once, under the first namespace that exports it (GPT: nn.models)."""
    names, seen = set(), set()
    for prefix, module in NAMESPACES.items():
        for name in [*module.__all__, *EXTRA_NAMES.get(prefix, ())]:
            value = getattr(module, name)
            if (
                callable(value)
                and not isinstance(value, types.ModuleType)
                and id(value) not in seen
            ):
                seen.add(id(value))
                names.add(f"{prefix}.{name}")
    return names


class TestTable:
    def test_every_public_callable_is_covered(self) -> None:
        """Every public callable has a row in TARGETS or a reason in UNCHECKED, and no more."""
        covered = {target.name for target in TARGETS} | set(UNCHECKED)
        missing = _public_callables() - covered
        assert not missing, f"add rows for {sorted(missing)}"
        assert not set(UNCHECKED) & {target.name for target in TARGETS}

    @pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
    def test_valid_arguments_work(self, target: Target, tmp_path: Path) -> None:
        """Each row's valid arguments are accepted, so refusing a spoiled one means something."""
        target.call(**target.valid(tmp_path))

    @pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
    def test_exemptions_are_real_parameters(self, target: Target) -> None:
        """Each exempted or flag parameter exists, so a typo cannot hide a case."""
        assert set(target.accepts) | set(target.flags) <= set(target.parameters())


class TestBadArguments:
    @pytest.mark.parametrize(("target", "parameter", "value"), list(_cases()))
    def test_refused_naming_the_callable_and_the_parameter(
        self, target: Target, parameter: str, value: object, tmp_path: Path
    ) -> None:
        """A bad argument raises TypeError or ValueError naming the callable and the parameter."""
        arguments = target.valid(tmp_path)
        arguments[parameter] = value
        with pytest.raises((TypeError, ValueError)) as info:
            target.call(**arguments)
        message = str(info.value)
        assert message.startswith(f"{target.where}: ") or message.startswith(f"{target.where} "), (
            message
        )
        assert re.search(rf"(?<![\w.]){re.escape(parameter)}(?!\w)", message), message
        assert len(message) <= 1000, message
