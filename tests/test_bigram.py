"""Tests for nn.models.bigram: the smoothed bigram loss worked by hand, and its errors."""

from __future__ import annotations

import math

import pytest

from nn.models import bigram_loss


class TestBigramLoss:
    def test_by_hand(self) -> None:
        """Train 0 1 0 0 1 with V = 3, alpha = 1: from 0, N(0,1) = 2 and N(0) = 3.

        p(1 | 0) = (2 + 1) / (3 + 3) = 1/2 and p(0 | 1) = (1 + 1) / (1 + 3) = 1/2;
        p(2 | 0) = (0 + 1) / 6 = 1/6. Test 0 1 0 2 scores -(log 1/2 + log 1/2 + log 1/6) / 3.
        """
        loss = bigram_loss([[0, 1, 0, 0, 1]], [[0, 1, 0, 2]], 3)
        assert loss == pytest.approx(-(2 * math.log(0.5) + math.log(1 / 6)) / 3, rel=1e-12)

    def test_pairs_do_not_cross_sequences(self) -> None:
        """The last token of one sequence and the first of the next are not a pair."""
        # Only the pair (0, 1) is counted: p(1 | 0) = (1 + 1) / (1 + 2).
        assert bigram_loss([[0, 1], [1]], [[0, 1]], 2) == pytest.approx(-math.log(2 / 3))
        assert bigram_loss([[0], [1]], [[0, 1]], 2) == pytest.approx(math.log(2))

    def test_smoothing(self) -> None:
        """A smaller alpha trusts the counts more: p(1 | 0) = (1 + a) / (1 + 2a)."""
        loss = bigram_loss([[0, 1]], [[0, 1]], 2, smoothing=0.5)
        assert loss == pytest.approx(-math.log(1.5 / 2))

    def test_unseen_context_is_uniform(self) -> None:
        """A token never seen as a context predicts every token with probability 1/V."""
        assert bigram_loss([[0, 0]], [[2, 1]], 4) == pytest.approx(math.log(4))

    @pytest.mark.parametrize(
        ("args", "kwargs", "error", "match"),
        [
            (([[0, 1]], [[0]], 2), {}, ValueError, "test holds no pair"),
            (
                ([[0, 2]], [[0, 1]], 2),
                {},
                ValueError,
                r"train\[0\]\[1\] must be <= 1 for vocab_size 2",
            ),
            (([[0, 1]], [[0, 1.0]], 2), {}, TypeError, r"test\[0\]\[1\] must be an int"),
            (([[0, 1]], [[0, 1]], 2), {"smoothing": 0.0}, ValueError, "smoothing"),
            (([[0, 1]], [[0, 1]], 0), {}, ValueError, "vocab_size"),
            (([0, 1], [[0, 1]], 2), {}, TypeError, r"train\[0\] must be a sequence"),
        ],
    )
    def test_bad_arguments(
        self,
        args: tuple[object, ...],
        kwargs: dict[str, object],
        error: type[Exception],
        match: str,
    ) -> None:
        """Bad sequences, tokens, sizes or smoothing are refused, naming bigram_loss."""
        with pytest.raises(error, match=f"bigram_loss: {match}"):
            bigram_loss(*args, **kwargs)  # type: ignore[arg-type]
