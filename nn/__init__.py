"""chainrule's neural-network package, built on :mod:`autograd`.

Example:
    >>> import nn
    >>> model = nn.MLP(2, [4, 1], seed=0)
    >>> len(model.parameters())
    17
"""

from __future__ import annotations

from . import data, functional, losses, models, optim
from .attention import CausalSelfAttention, KVCache
from .container import Sequential
from .embedding import Embedding
from .feedforward import FeedForward
from .layers import MLP, Layer, Neuron
from .linear import Linear
from .module import Module
from .norm import LayerNorm, RMSNorm
from .serialize import load, save
from .train import History, accuracy, fit

__all__ = [
    "MLP",
    "CausalSelfAttention",
    "Embedding",
    "FeedForward",
    "History",
    "KVCache",
    "Layer",
    "LayerNorm",
    "Linear",
    "Module",
    "Neuron",
    "RMSNorm",
    "Sequential",
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
