"""chainrule's neural-network package, built on :mod:`autograd`.

Examples:
    >>> import nn
    >>> model = nn.MLP(2, [4, 1], seed=0)
    >>> len(model.parameters())
    17
"""

from __future__ import annotations

# Checked before anything else is imported: with another package named autograd the
# imports below would fail with a message about a missing name, not about the clash.
import autograd as _autograd

if getattr(_autograd, "__distribution__", None) != "chainrule":
    raise ImportError(
        "nn needs chainrule's autograd package, but 'import autograd' found another one "
        f"({getattr(_autograd, '__file__', None) or _autograd!r}): most likely the unrelated "
        "HIPS autograd distribution, which installs a package of the same name over ours. "
        "Keep the two in separate virtual environments, or run 'pip uninstall autograd' "
        "and then reinstall chainrule ('pip install --force-reinstall .' from a clone)."
    )

from . import data, functional, losses, models, optim
from .activation import GELU, ReLU, Sigmoid, Tanh
from .attention import CausalSelfAttention, KVCache
from .container import Sequential
from .embedding import Embedding
from .feedforward import FeedForward
from .layers import MLP, Layer, Neuron
from .linear import Linear
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HingeLoss, MSELoss
from .module import Module
from .norm import LayerNorm, RMSNorm
from .serialize import load, save
from .train import History, accuracy, fit

__all__ = [
    "GELU",
    "MLP",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CausalSelfAttention",
    "CrossEntropyLoss",
    "Embedding",
    "FeedForward",
    "HingeLoss",
    "History",
    "KVCache",
    "Layer",
    "LayerNorm",
    "Linear",
    "MSELoss",
    "Module",
    "Neuron",
    "RMSNorm",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "accuracy",
    "data",
    "fit",
    "functional",
    "load",
    "losses",
    "models",
    "optim",
    "save",
]

# Keep the check's import and `from __future__ import annotations` out of dir(nn).
del _autograd, annotations
