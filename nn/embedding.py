"""``Embedding``: a table of learnable vectors, one row per index (a token or a position).

Arguments are checked with :mod:`autograd.checks` (a wrong type is a ``TypeError``,
a wrong value a ``ValueError``, each naming the class and the parameter); the sizes
and their product may not exceed ``autograd.checks.MAX_SIZE``.
"""

from __future__ import annotations

from autograd import Value, checks

from .layers import Seed, _rng
from .module import Module

__all__ = ["Embedding"]


class Embedding(Module):
    """A lookup table: index ``i`` gives row ``i`` of ``weight``, as ``torch.nn.Embedding``.

    ``weight`` is ``num_embeddings`` rows of ``embedding_dim`` Values. Looking a
    row up builds no node: the row's Values are the parameters themselves, so
    ``d row_i[j] / d weight[i][j] = 1`` and the other rows get no gradient.

    Initialisation: ``N(0, std^2)`` for every entry, with ``std = 1`` by default
    as in PyTorch.

    Args:
        num_embeddings: the number of rows (the vocabulary size, or the number of
            positions), >= 1.
        embedding_dim: the length of each row, >= 1.
        std: the entries' standard deviation, > 0.
        seed: an int >= 0, a ``random.Random`` to draw from, or None.

    Example:
        >>> table = Embedding(3, 2, seed=0)
        >>> table(1) == table.weight[1]
        True
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        *,
        std: float = 1.0,
        seed: Seed = None,
    ) -> None:
        where = "Embedding"
        self.num_embeddings = checks.size(where, "num_embeddings", num_embeddings)
        self.embedding_dim = checks.size(where, "embedding_dim", embedding_dim)
        checks.size(
            where,
            "num_embeddings * embedding_dim parameters",
            self.num_embeddings * self.embedding_dim,
        )
        sigma = checks.real(where, "std", std, above=0)
        rng = _rng(where, seed)
        self.weight = [
            [Value(rng.gauss(0.0, sigma)) for _ in range(self.embedding_dim)]
            for _ in range(self.num_embeddings)
        ]

    def forward(self, index: int) -> list[Value]:
        """Row ``index`` of the table.

        Args:
            index: an int in ``[0, num_embeddings)``.

        Returns:
            A new list holding the row's ``embedding_dim`` parameter Values.

        Raises:
            TypeError: if ``index`` is not an int.
            ValueError: if it is out of range.

        Example:
            >>> len(Embedding(5, 4, seed=0)(3))
            4
        """
        n = self.num_embeddings
        if type(index) is not int or not 0 <= index < n:  # the checks, off the hot path
            index = checks.integer(
                "Embedding", "index", index, minimum=0, maximum=n - 1, why=f" for {n} rows"
            )
        return list(self.weight[index])

    def extra_repr(self) -> str:
        """The table's size, for ``repr``."""
        return f"{self.num_embeddings}, {self.embedding_dim}"
