"""chainrule's neural-network package, built on :mod:`autograd`.

Example:
    >>> import nn
    >>> model = nn.MLP(2, [4, 1], seed=0)
    >>> len(model.parameters())
    17
"""

from __future__ import annotations

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
