"""``ReLU``, ``Tanh``, ``Sigmoid`` and ``GELU``: activations as modules, for ``Sequential``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from autograd import Scalar, Value, gelu, relu, sigmoid, tanh

from .module import Module

__all__ = ["GELU", "ReLU", "Sigmoid", "Tanh"]


class _Activation(Module):
    """An activation applied to one Value or number, or to each item of a list (a layer's output).

    A module with no parameters, so that ``Sequential(Linear(2, 3), ReLU(), Linear(3, 1))``
    reads as in PyTorch.
    """

    def _apply(self, x: Scalar) -> Scalar:
        """The activation of one item; each subclass defines it."""
        raise NotImplementedError

    @overload
    def forward(self, x: Value) -> Value: ...
    @overload
    def forward(self, x: Sequence[Scalar]) -> list[Scalar]: ...
    @overload
    def forward(self, x: float) -> Scalar: ...

    def forward(self, x: Scalar | Sequence[Scalar]) -> Scalar | list[Scalar]:
        """The activation of ``x``, or of each item of ``x``.

        Args:
            x: a Value, a real number, or a list or tuple of them.

        Returns:
            A Value for a Value, a list for a list (a float for a float, as
            :func:`autograd.relu` gives).

        Raises:
            TypeError: if ``x`` is none of these, naming the class.
        """
        function = self._apply
        if isinstance(x, (list, tuple)):
            return [function(item) for item in x]
        if isinstance(x, (Value, int, float)) and not isinstance(x, bool):
            return function(x)
        raise TypeError(
            f"{type(self).__name__}: x must be a Value, a real number, or a list of them, "
            f"got {type(x).__name__}"
        )


class ReLU(_Activation):
    """``max(x, 0)`` as a module: ``d/dx = 1`` for ``x > 0``, else 0.

    Examples:
        >>> [y.data for y in ReLU()([Value(-1.0), Value(2.0)])]
        [0.0, 2.0]
    """

    def _apply(self, x: Scalar) -> Scalar:
        return relu(x)


class Tanh(_Activation):
    """``tanh x`` as a module: ``d/dx tanh x = 1 - tanh(x)^2``.

    Examples:
        >>> Tanh()(Value(0.0)).data
        0.0
    """

    def _apply(self, x: Scalar) -> Scalar:
        return tanh(x)


class Sigmoid(_Activation):
    """``1 / (1 + e^-x)`` as a module: ``d/dx = s(x) (1 - s(x))``.

    Examples:
        >>> Sigmoid()(Value(0.0)).data
        0.5
    """

    def _apply(self, x: Scalar) -> Scalar:
        return sigmoid(x)


class GELU(_Activation):
    """``x Phi(x)`` (exact, with ``erf``, PyTorch's default) as a module.

    Examples:
        >>> GELU()(Value(0.0)).data
        0.0
    """

    def _apply(self, x: Scalar) -> Scalar:
        return gelu(x)
