"""``Embedding``: a table of learnable vectors, one row per index (a token or a position).

Arguments are checked with :mod:`autograd.checks` (a wrong type is a ``TypeError``,
a wrong value a ``ValueError``, each naming the class and the parameter); the sizes
and their product may not exceed ``autograd.checks.MAX_SIZE``.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Scalar, Value, checks, dot

from .layers import Seed, _rng
from .linear import _refuse_entries, _vector
from .module import Module

__all__ = ["Embedding"]


class Embedding(Module):
    """A lookup table: index ``i`` gives row ``i`` of ``weight``, as ``torch.nn.Embedding``.

    ``weight`` is ``num_embeddings`` rows of ``embedding_dim`` Values. Looking a
    row up builds no node: the row's Values are the parameters themselves, so
    ``d row_i[j] / d weight[i][j] = 1`` and the other rows get no gradient. A
    one-hot row of weights in place of the index picks the same row with
    ``dot`` nodes instead, which a traced function can take as arguments (see
    :meth:`forward`).

    Initialisation: ``N(0, std^2)`` for every entry, with ``std = 1`` by default
    as in PyTorch.

    Args:
        num_embeddings: the number of rows (the vocabulary size, or the number of
            positions), >= 1.
        embedding_dim: the length of each row, >= 1.
        std: the entries' standard deviation, > 0.
        seed: an int >= 0, a ``random.Random`` to draw from, or None.

    Examples:
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

    def forward(self, index: int | Sequence[Scalar]) -> list[Value]:
        """Row ``index`` of the table, or the rows weighted by a one-hot vector.

        An int index returns the row's own parameter Values. A sequence of
        ``num_embeddings`` weights ``h`` (a one-hot row, as Values or numbers)
        returns ``sum_i h_i weight[i]``, one :func:`autograd.dot` node per column:
        for a one-hot ``h`` that is exactly row ``i``, and ``d/d weight[i][j] = h_i``.
        It picks the row without indexing by data, so a traced function
        (:func:`autograd.compile`) can take the token as arguments: ``one_hot @ W``
        in PyTorch.

        Args:
            index: an int in ``[0, num_embeddings)``, or ``num_embeddings`` weights.

        Returns:
            A new list of ``embedding_dim`` Values.

        Raises:
            TypeError: if ``index`` is neither an int nor a sequence, or a weight is
                not a Value or a real number.
            ValueError: if the int is out of range or the sequence has the wrong length.

        Examples:
            >>> table = Embedding(5, 4, seed=0)
            >>> len(table(3))
            4
            >>> one_hot = [0.0, 0.0, 0.0, 1.0, 0.0]
            >>> [v.data for v in table(one_hot)] == [v.data for v in table(3)]
            True
        """
        n = self.num_embeddings
        if type(index) is int and 0 <= index < n:  # the common case, quickly
            return list(self.weight[index])
        where = "Embedding"
        if isinstance(index, (str, bytes)) or not hasattr(index, "__len__"):
            index = checks.integer(
                where, "index", index, minimum=0, maximum=n - 1, why=f" for {n} rows"
            )
            return list(self.weight[index])
        weights = _vector(where, "index", index, n)
        try:
            return [dot(weights, column) for column in zip(*self.weight)]
        except (TypeError, OverflowError):
            _refuse_entries(where, "index", weights)
            raise

    def extra_repr(self) -> str:
        """The table's size, for ``repr``."""
        return f"{self.num_embeddings}, {self.embedding_dim}"
