"""``FeedForward``: a transformer's per-position two-layer network, with a selectable activation.

Arguments are checked with :mod:`autograd.checks` (a wrong type is a ``TypeError``,
a wrong value a ``ValueError``, each naming the class and the parameter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd import Scalar, Value, checks

from .layers import Seed, _rng
from .linear import Linear, _refuse_entries, _vector
from .module import Module

__all__ = ["ACTIVATIONS", "FeedForward"]


def _relu_squared(x: Value) -> Value:
    """``relu(x)^2``, the squared ReLU of Primer (So et al., 2021); derivative ``2 relu(x)``."""
    r = x.relu()
    return r * r


#: The activations a feed-forward block can apply, by name.
ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "relu": Value.relu,
    "relu2": _relu_squared,
    "gelu": Value.gelu,
}


class FeedForward(Module):
    """``fc2(act(fc1(x)))``: widen one position's vector, apply an activation, project back.

    With ``h = hidden_dim``, ``fc1`` maps ``n_embd -> h`` and ``fc2`` maps
    ``h -> n_embd`` (both :class:`~nn.Linear`). The activation ``act`` is one of:

    - ``"relu"``: ``max(x, 0)``;
    - ``"relu2"``: squared ReLU, ``max(x, 0)^2``, with derivative ``2 max(x, 0)``;
    - ``"gelu"``: ``x * Phi(x) = (x/2)(1 + erf(x / sqrt 2))``, PyTorch's exact
      GELU (:meth:`autograd.Value.gelu`).

    Args:
        n_embd: the size of the input and output vectors, >= 1.
        hidden_dim: the hidden size, >= 1; None means ``4 * n_embd``.
        activation: ``"relu"``, ``"relu2"`` or ``"gelu"``.
        bias: whether both linear maps have a bias.
        std: the weights' standard deviation (see :class:`~nn.Linear`), or None.
        seed: an int >= 0, a ``random.Random`` to draw from, or None;
            ``fc1`` draws first, then ``fc2``.

    Examples:
        >>> ff = FeedForward(2, 3, "relu2", seed=0)
        >>> len(ff([1.0, -1.0])), len(ff.parameters())  # (2 + 1) * 3 + (3 + 1) * 2
        (2, 17)
    """

    def __init__(
        self,
        n_embd: int,
        hidden_dim: int | None = None,
        activation: str = "relu",
        *,
        bias: bool = True,
        std: float | None = None,
        seed: Seed = None,
    ) -> None:
        where = "FeedForward"
        self.n_embd = checks.size(where, "n_embd", n_embd)
        self.hidden_dim = (
            4 * self.n_embd if hidden_dim is None else checks.size(where, "hidden_dim", hidden_dim)
        )
        self.activation = checks.choice(where, "activation", activation, list(ACTIVATIONS))
        bias = checks.flag(where, "bias", bias)
        checks.size(
            where,
            "(n_embd + 1) * hidden_dim parameters of fc1",
            (self.n_embd + 1) * self.hidden_dim,
        )
        if std is not None:
            checks.real(where, "std", std, above=0)
        rng = _rng(where, seed)
        self.fc1 = Linear(self.n_embd, self.hidden_dim, bias, std=std, seed=rng)
        self.fc2 = Linear(self.hidden_dim, self.n_embd, bias, std=std, seed=rng)
        self._act = ACTIVATIONS[self.activation]

    def forward(self, x: Sequence[Scalar]) -> list[Value]:
        """The block's output for one position's vector.

        Args:
            x: ``n_embd`` Values or numbers.

        Returns:
            A list of ``n_embd`` Values.

        Raises:
            TypeError: if ``x`` is not a sequence, or an entry is not a Value or a
                real number (naming it, as ``x[1]``).
            ValueError: if ``x`` does not hold ``n_embd`` items.

        Examples:
            >>> len(FeedForward(4, seed=0)([0.1, 0.2, 0.3, 0.4]))
            4
        """
        _vector("FeedForward", "x", x, self.n_embd)
        try:
            hidden = self.fc1(x)
        except (TypeError, ValueError):
            _refuse_entries("FeedForward", "x", x)
            raise
        act = self._act
        out: list[Value] = self.fc2([act(h) for h in hidden])
        return out

    def extra_repr(self) -> str:
        """The sizes and activation, for ``repr``."""
        return f"n_embd={self.n_embd}, hidden_dim={self.hidden_dim}, activation={self.activation!r}"
