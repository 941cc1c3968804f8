"""``bigram_loss``: how well counting character pairs predicts the next token, a baseline."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from autograd import checks

__all__ = ["bigram_loss"]


def _pairs(where: str, name: str, seqs: object, vocab_size: int) -> list[tuple[int, int]]:
    """Every (token, next token) pair of every sequence, with each id checked."""
    pairs: list[tuple[int, int]] = []
    top = vocab_size - 1
    why = f" for vocab_size {vocab_size}"
    for i, seq in enumerate(checks.sequence(where, name, seqs, what="a sequence of sequences")):
        items = checks.sequence(where, f"{name}[{i}]", seq, what="a sequence of token ids")
        ids = [
            checks.integer(where, f"{name}[{i}][{j}]", t, minimum=0, maximum=top, why=why)
            for j, t in enumerate(items)
        ]
        pairs.extend(itertools.pairwise(ids))
    return pairs


def bigram_loss(
    train: Sequence[Sequence[int]],
    test: Sequence[Sequence[int]],
    vocab_size: int,
    *,
    smoothing: float = 1.0,
) -> float:
    """The mean loss per token on ``test`` of a bigram model counted on ``train``.

    The model predicts each token from the one before it alone. With ``N(a, b)``
    the number of times ``b`` follows ``a`` in ``train``, ``N(a) = sum_b N(a, b)``,
    ``V = vocab_size`` and ``alpha = smoothing`` (add-alpha, or Laplace,
    smoothing, so a pair never seen still has a probability)::

        p(b | a) = (N(a, b) + alpha) / (N(a) + alpha V)
        loss     = -(1/M) sum_{(a, b) in test} log p(b | a)

    over the ``M`` pairs of consecutive tokens in ``test``. A model that reads
    the whole prefix should do better; this is the number to beat.

    Args:
        train: token sequences to count pairs in.
        test: token sequences to score, with at least one pair in all.
        vocab_size: the number of token ids, >= 1.
        smoothing: ``alpha``, > 0.

    Returns:
        The mean loss per token, in nats.

    Raises:
        TypeError: if a sequence is not a sequence or a token not an int.
        ValueError: if a token is out of range, ``smoothing`` is not > 0, or
            ``test`` has no pairs.

    Examples:
        >>> # after 0, token 1 came 3 times and 0 once; with alpha = 1 and V = 2,
        >>> # p(1 | 0) = (3 + 1) / (4 + 2) = 2/3
        >>> round(bigram_loss([[0, 1, 0, 1, 0, 1, 0, 0]], [[0, 1]], 2), 6)  # -log(2/3)
        0.405465
    """
    where = "bigram_loss"
    vocab_size = checks.size(where, "vocab_size", vocab_size)
    checks.size(where, "vocab_size ** 2 pair counts", vocab_size * vocab_size)
    alpha = checks.real(where, "smoothing", smoothing, above=0)
    counts = [[0] * vocab_size for _ in range(vocab_size)]
    for a, b in _pairs(where, "train", train, vocab_size):
        counts[a][b] += 1
    scored = _pairs(where, "test", test, vocab_size)
    if not scored:
        raise ValueError(f"{where}: test holds no pair of consecutive tokens to score")
    totals = [sum(row) for row in counts]
    nll = sum(
        -math.log((counts[a][b] + alpha) / (totals[a] + alpha * vocab_size)) for a, b in scored
    )
    return nll / len(scored)
