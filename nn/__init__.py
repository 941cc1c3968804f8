"""chainrule's neural-network package, built on :mod:`autograd`.

Example:
    >>> import nn
    >>> model = nn.MLP(2, [4, 1], seed=0)
    >>> len(model.parameters())
    17
"""

from __future__ import annotations

from . import data, functional, losses, optim
from .layers import MLP, Layer, Neuron
from .module import Module
from .serialize import load, save
from .train import History, accuracy, fit

__all__ = [
    "MLP",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "accuracy",
    "data",
    "fit",
    "functional",
    "load",
    "losses",
    "optim",
    "save",
]
