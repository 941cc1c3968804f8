"""``RMSNorm`` and ``LayerNorm``: rescale one vector to a standard size, with a learnable gain.

Arguments are checked with :mod:`autograd.checks` (a wrong type is a ``TypeError``,
a wrong value a ``ValueError``, each naming the class and the parameter).
"""

from __future__ import annotations

from collections.abc import Sequence

import autograd
from autograd import Scalar, Value, checks

from .linear import _refuse_entries, _vector
from .module import Module

__all__ = ["LayerNorm", "RMSNorm"]


class RMSNorm(Module):
    """Divide a vector by its root mean square, then scale each entry, as ``torch.nn.RMSNorm``.

    For ``x`` of length ``n``::

        rms(x) = sqrt((1/n) sum_j x_j^2 + eps)
        y_i    = w_i * x_i / rms(x)

    ``weight`` (``w``) starts at 1. ``eps`` keeps the division finite for
    ``x = 0``. The derivative, with ``r = rms(x)``::

        d y_i / d x_k = w_i * (delta_ik / r - x_i x_k / (n r^3))
        d y_i / d w_i = x_i / r

    Args:
        dim: the length of the vectors, >= 1.
        eps: added to the mean square, > 0.

    Examples:
        >>> norm = RMSNorm(2)
        >>> [round(y.data, 4) for y in norm([3.0, 4.0])]  # rms = sqrt(12.5 + 1e-5)
        [0.8485, 1.1314]
    """

    def __init__(self, dim: int, eps: float = 1e-5) -> None:
        self.dim = checks.size("RMSNorm", "dim", dim)
        self.eps = checks.real("RMSNorm", "eps", eps, above=0)
        self.weight = [Value(1.0) for _ in range(self.dim)]

    def forward(self, x: Sequence[Scalar]) -> list[Value]:
        """The normalised, scaled vector.

        Args:
            x: ``dim`` Values or numbers.

        Returns:
            A list of ``dim`` Values.

        Raises:
            TypeError: if ``x`` is not a sequence, or an entry is not a Value or a
                real number (naming it, as ``x[1]``).
            ValueError: if ``x`` does not hold ``dim`` items.

        Examples:
            >>> [y.data for y in RMSNorm(1, eps=1.0)([0.0])]
            [0.0]
        """
        _vector("RMSNorm", "x", x, self.dim)
        try:
            inv_rms = (autograd.dot(x, x) / self.dim + self.eps) ** -0.5
        except (TypeError, ValueError):  # an entry the ops refuse: named by this module
            _refuse_entries("RMSNorm", "x", x)
            raise
        return [w * (xi * inv_rms) for w, xi in zip(self.weight, x)]

    def extra_repr(self) -> str:
        """The size and eps, for ``repr``."""
        return f"{self.dim}, eps={self.eps}"


class LayerNorm(Module):
    """Centre a vector, divide it by its standard deviation, then scale and shift, as PyTorch.

    For ``x`` of length ``n`` (the variance is the biased one, dividing by ``n``,
    as ``torch.nn.LayerNorm`` computes it)::

        mu     = (1/n) sum_j x_j
        var    = (1/n) sum_j (x_j - mu)^2
        y_i    = w_i * (x_i - mu) / sqrt(var + eps) + b_i

    ``weight`` (``w``) starts at 1 and ``bias`` (``b``) at 0. With
    ``xhat_i = (x_i - mu) / s`` and ``s = sqrt(var + eps)``, the derivative is::

        d y_i / d x_k = (w_i / s) * (delta_ik - 1/n - xhat_i xhat_k / n)
        d y_i / d w_i = xhat_i,   d y_i / d b_i = 1

    Args:
        dim: the length of the vectors, >= 1.
        eps: added to the variance, > 0.

    Examples:
        >>> norm = LayerNorm(2, eps=0.0001)
        >>> [round(y.data, 4) for y in norm([1.0, 3.0])]  # mu = 2, var = 1
        [-1.0, 1.0]
    """

    def __init__(self, dim: int, eps: float = 1e-5) -> None:
        self.dim = checks.size("LayerNorm", "dim", dim)
        self.eps = checks.real("LayerNorm", "eps", eps, above=0)
        self.weight = [Value(1.0) for _ in range(self.dim)]
        self.bias = [Value(0.0) for _ in range(self.dim)]

    def forward(self, x: Sequence[Scalar]) -> list[Value]:
        """The normalised, scaled and shifted vector.

        Args:
            x: ``dim`` Values or numbers.

        Returns:
            A list of ``dim`` Values.

        Raises:
            TypeError: if ``x`` is not a sequence, or an entry is not a Value or a
                real number (naming it, as ``x[1]``).
            ValueError: if ``x`` does not hold ``dim`` items.

        Examples:
            >>> [y.data for y in LayerNorm(3)([5.0, 5.0, 5.0])]  # nothing left after centring
            [0.0, 0.0, 0.0]
        """
        _vector("LayerNorm", "x", x, self.dim)
        try:
            mean = autograd.sum(x) / self.dim
        except (TypeError, ValueError):  # an entry the ops refuse: named by this module
            _refuse_entries("LayerNorm", "x", x)
            raise
        centred = [xi - mean for xi in x]
        inv_std = (autograd.dot(centred, centred) / self.dim + self.eps) ** -0.5
        return [w * (c * inv_std) + b for w, c, b in zip(self.weight, centred, self.bias)]

    def extra_repr(self) -> str:
        """The size and eps, for ``repr``."""
        return f"{self.dim}, eps={self.eps}"
