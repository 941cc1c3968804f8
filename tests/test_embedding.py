"""Tests for nn.embedding: rows, gradients, init, names and bad indices."""

from __future__ import annotations

import statistics

import pytest

import autograd
from nn import Embedding

#: Relative tolerance on a standard deviation estimated from a few thousand draws.
STD_RTOL = 0.1


class TestEmbedding:
    def test_returns_the_row_itself(self) -> None:
        """Looking up index i returns row i's parameter Values, building no node."""
        table = Embedding(4, 3, seed=0)
        row = table(2)
        assert all(a is b for a, b in zip(row, table.weight[2]))
        assert row is not table.weight[2]  # a new list: changing it leaves the table alone

    def test_gradient_reaches_only_the_row_used(self) -> None:
        """For L = 1 * e[1][0] + 2 * e[1][1], row 1 gets (1, 2) and the other rows 0."""
        table = Embedding(3, 2, seed=0)
        autograd.dot(table(1), [1.0, 2.0]).backward()
        assert [[p.grad for p in row] for row in table.weight] == [[0, 0], [1, 2], [0, 0]]

    def test_names(self) -> None:
        """Entries are named weight.<row>.<column>, as PyTorch's weight[row, column]."""
        names = [name for name, _ in Embedding(2, 2, seed=0).named_parameters()]
        assert names == ["weight.0.0", "weight.0.1", "weight.1.0", "weight.1.1"]

    def test_init_is_standard_normal_by_default(self) -> None:
        """Entries come from N(0, 1) by default and N(0, std^2) with std."""
        default = [p.data for p in Embedding(100, 40, seed=0).parameters()]
        small = [p.data for p in Embedding(100, 40, std=0.08, seed=0).parameters()]
        assert statistics.pstdev(default) == pytest.approx(1.0, rel=STD_RTOL)
        assert statistics.pstdev(small) == pytest.approx(0.08, rel=STD_RTOL)

    def test_seeds(self) -> None:
        """The same seed gives the same table."""
        assert Embedding(5, 3, seed=2).state_dict() == Embedding(5, 3, seed=2).state_dict()

    def test_repr(self) -> None:
        """repr shows the table's size, as PyTorch does."""
        assert repr(Embedding(27, 16, seed=0)) == "Embedding(27, 16)"

    @pytest.mark.parametrize(
        ("index", "error"), [(3, ValueError), (-1, ValueError), (1.0, TypeError), (True, TypeError)]
    )
    def test_bad_indices(self, index: object, error: type[Exception]) -> None:
        """An index outside [0, num_embeddings) or not an int is refused, naming it."""
        with pytest.raises(error, match="Embedding: index"):
            Embedding(3, 2, seed=0)(index)

    @pytest.mark.parametrize(
        ("kwargs", "error", "word"),
        [
            ({"num_embeddings": 0, "embedding_dim": 1}, ValueError, "num_embeddings"),
            ({"num_embeddings": 1, "embedding_dim": "2"}, TypeError, "embedding_dim"),
            ({"num_embeddings": 1, "embedding_dim": 1, "std": -1.0}, ValueError, "std"),
        ],
    )
    def test_bad_arguments(
        self, kwargs: dict[str, object], error: type[Exception], word: str
    ) -> None:
        """Bad constructor arguments raise an error naming Embedding and the argument."""
        with pytest.raises(error, match=f"Embedding: {word}"):
            Embedding(**kwargs)  # type: ignore[arg-type]


class TestOneHotRows:
    def test_one_hot_row_gives_the_row(self) -> None:
        """A one-hot row for index i gives row i's numbers, one dot node per column."""
        table = Embedding(4, 3, seed=0)
        out = table([0.0, 0.0, 1.0, 0.0])
        assert [v.data for v in out] == [p.data for p in table.weight[2]]
        assert [v.op for v in out] == ["dot"] * 3

    def test_gradient_is_the_row_weight(self) -> None:
        """With weights h, d out_j / d weight[i][j] = h_i, and d out_j / d h_i = weight[i][j]."""
        table = Embedding(3, 2, seed=0)
        h = [autograd.Value(0.5), autograd.Value(0.0), autograd.Value(2.0)]
        autograd.sum(table(h)).backward()
        assert [[p.grad for p in row] for row in table.weight] == [[0.5, 0.5], [0, 0], [2, 2]]
        assert [x.grad for x in h] == [sum(p.data for p in row) for row in table.weight]

    def test_traces_with_the_token_as_arguments(self) -> None:
        """autograd.compile traces a lookup by a row of arguments, and picks a new row per call."""
        table = Embedding(3, 2, seed=0)
        cf = autograd.compile(lambda a, b, c: table([a, b, c])[1])
        assert cf(1.0, 0.0, 0.0) == table.weight[0][1].data
        assert cf(0.0, 0.0, 1.0) == table.weight[2][1].data

    @pytest.mark.parametrize(
        ("row", "error", "match"),
        [
            ([1.0, 0.0], ValueError, "index must have 3 items, got 2"),
            ([1.0, "a", 0.0], TypeError, r"index\[1\]"),
            ("abc", TypeError, "index"),
        ],
    )
    def test_bad_rows(self, row: object, error: type[Exception], match: str) -> None:
        """A row of the wrong length or with a non-number is refused, naming index."""
        with pytest.raises(error, match=f"Embedding: {match}"):
            Embedding(3, 2, seed=0)(row)  # type: ignore[arg-type]
