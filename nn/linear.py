"""``Linear``: an affine map ``y = W x + b`` with one ``dot`` node per output.

Arguments are checked with :mod:`autograd.checks` (a wrong type is a ``TypeError``,
a wrong value a ``ValueError``, each naming the class and the parameter); sizes and
the layer's parameter count may not exceed ``autograd.checks.MAX_SIZE``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from autograd import Scalar, Value, checks, dot

from .layers import Seed, _rng
from .module import Module

__all__ = ["Linear"]


def _vector(where: str, name: str, x: object, n: int) -> Sequence[Scalar]:
    """``x`` if it is a sequence of ``n`` items (the ops check the items themselves)."""
    items = checks.sequence(where, name, x, what=f"a sequence of {n} numbers or Values")
    if len(items) != n:
        raise ValueError(f"{where}: {name} must have {n} items, got {len(items)}")
    return items


def _refuse_entries(where: str, name: str, x: Sequence[object]) -> None:
    """Raise naming the first entry of ``x`` that is not a Value or a real number a float holds.

    Called when an op has refused ``x``, so that the error names the module and
    ``name[i]`` rather than the op: the checks cost nothing on the normal path.
    """
    for i, item in enumerate(x):
        if isinstance(item, (Value, float)):
            continue
        checks.scalar(where, f"{name}[{i}]", item, Value)
        if isinstance(item, numbers.Integral) and not checks.is_finite_real(item):
            raise ValueError(
                f"{where}: {name}[{i}] must be a number a float can hold, got {checks.shown(item)}"
            )


class Linear(Module):
    """``y_o = sum_i W[o][i] x_i + b_o`` for each output ``o``, as ``torch.nn.Linear``.

    ``weight`` is ``out_features`` rows of ``in_features`` Values (PyTorch's
    layout, so ``weight.o.i`` in the state dict is ``weight[o, i]`` in PyTorch)
    and ``bias`` is ``out_features`` Values, or None. Each output is one
    :func:`autograd.dot` node over the row and the input (with the bias as one
    more weight on a constant 1), so ``d y_o / d W[o][i] = x_i``,
    ``d y_o / d x_i = W[o][i]`` and ``d y_o / d b_o = 1``.

    Initialisation: by default PyTorch's, ``W[o][i]`` and ``b_o`` drawn from
    ``U(-k, k)`` with ``k = 1 / sqrt(in_features)``. With ``std``, weights are
    drawn from ``N(0, std^2)`` and biases start at 0, as GPT-2 does.

    Args:
        in_features: the size of each input, >= 1.
        out_features: the size of each output, >= 1.
        bias: whether to add a learnable bias.
        std: the weights' standard deviation (> 0), or None for PyTorch's uniform.
        seed: an int >= 0, a ``random.Random`` to draw from, or None.

    Examples:
        >>> layer = Linear(2, 1, seed=0)
        >>> layer.load_state_dict({"weight.0.0": 2.0, "weight.0.1": -1.0, "bias.0": 0.5})
        >>> [y.data for y in layer([3.0, 4.0])]  # 2*3 - 1*4 + 0.5
        [2.5]
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        std: float | None = None,
        seed: Seed = None,
    ) -> None:
        where = "Linear"
        self.in_features = checks.size(where, "in_features", in_features)
        self.out_features = checks.size(where, "out_features", out_features)
        bias = checks.flag(where, "bias", bias)
        checks.size(
            where,
            "(in_features + 1) * out_features parameters"
            if bias
            else "in_features * out_features parameters",
            (self.in_features + bias) * self.out_features,
        )
        sigma = None if std is None else checks.real(where, "std", std, above=0)
        rng = _rng(where, seed)
        if sigma is None:
            bound = 1.0 / math.sqrt(self.in_features)
            self.weight = [
                [Value(rng.uniform(-bound, bound)) for _ in range(self.in_features)]
                for _ in range(self.out_features)
            ]
            biases = [rng.uniform(-bound, bound) for _ in range(self.out_features)]
        else:
            self.weight = [
                [Value(rng.gauss(0.0, sigma)) for _ in range(self.in_features)]
                for _ in range(self.out_features)
            ]
            biases = [0.0] * self.out_features
        self.bias = [Value(b) for b in biases] if bias else None

    def forward(self, x: Sequence[Scalar]) -> list[Value]:
        """The ``out_features`` outputs for one input vector.

        Args:
            x: ``in_features`` Values or numbers.

        Returns:
            A list of ``out_features`` Values, each one ``dot`` node.

        Raises:
            TypeError: if ``x`` is not a sequence, or an entry is not a Value or a
                real number (naming it, as ``x[1]``).
            ValueError: if ``x`` does not hold ``in_features`` items.

        Examples:
            >>> [y.op for y in Linear(3, 2, seed=0)([1.0, 2.0, 3.0])]
            ['dot', 'dot']
        """
        _vector("Linear", "x", x, self.in_features)
        try:
            if self.bias is None:
                return [dot(row, x) for row in self.weight]
            inputs = [*x, 1.0]
            return [dot([*row, b], inputs) for row, b in zip(self.weight, self.bias)]
        except (TypeError, ValueError):  # an entry the ops refuse: named by this module
            _refuse_entries("Linear", "x", x)
            raise

    def extra_repr(self) -> str:
        """The sizes and whether there is a bias, for ``repr``."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
