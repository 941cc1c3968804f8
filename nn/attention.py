"""``CausalSelfAttention`` over a growing list of positions, and the ``KVCache`` it extends.

Arguments are checked with :mod:`autograd.checks` (a wrong type is a ``TypeError``,
a wrong value a ``ValueError``, each naming the class and the parameter).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from autograd import Scalar, Value, checks, dot

from .functional import softmax
from .layers import Seed, _rng
from .linear import Linear, _refuse_entries, _vector
from .module import Module

__all__ = ["CausalSelfAttention", "KVCache"]


class KVCache:
    """The keys and values one attention layer has computed so far, one vector per position.

    A :class:`CausalSelfAttention` call appends the key and value of each new
    position, so the next call attends to everything before it without
    recomputing it: feeding a sequence one position at a time gives the same
    outputs as feeding it whole.

    Examples:
        >>> cache = KVCache()
        >>> attn = CausalSelfAttention(4, 2, seed=0)
        >>> _ = attn([[0.1, 0.2, 0.3, 0.4]], cache)
        >>> len(cache)
        1
    """

    def __init__(self) -> None:
        #: One key vector per position seen, oldest first.
        self.keys: list[list[Value]] = []
        #: One value vector per position seen, oldest first.
        self.values: list[list[Value]] = []

    def __len__(self) -> int:
        return len(self.keys)

    def __repr__(self) -> str:
        return f"KVCache({len(self)} positions)"


class CausalSelfAttention(Module):
    """Multi-head self-attention in which each position sees itself and the positions before it.

    For each position ``t`` with input ``x_t`` (a vector of ``n_embd``), the
    layer computes ``q_t = Wq x_t``, ``k_t = Wk x_t`` and ``v_t = Wv x_t``, and
    splits each into ``n_head`` slices of ``d = n_embd / n_head``. For head
    ``h``, position ``t`` attends to positions ``s <= t``::

        a_ts = softmax_s(q_t[h] . k_s[h] / sqrt(d))
        o_t[h] = sum_{s <= t} a_ts v_s[h]

    and the output is ``Wo o_t`` with the heads' outputs concatenated. The
    projections are :class:`~nn.Linear` layers ``q_proj``, ``k_proj``,
    ``v_proj`` and ``out_proj``.

    **The cache.** ``forward(xs, cache)`` takes the new positions ``xs`` and
    a :class:`KVCache` holding the keys and values of the positions before
    them; it appends the new keys and values and returns one output per new
    position. With no cache it starts an empty one, so ``attn(xs)`` is the
    ordinary full pass over a sequence. Generation passes the same cache each
    time it adds one position, so each step costs work proportional to the
    length so far rather than rebuilding every earlier position.

    **The attention weights.** After each call, :attr:`last_attention` holds the
    weights ``a_ts`` it computed, as plain floats (no graph is kept): one matrix
    per head, one row per new position, one column per position of the cache, 0
    for the positions after the row's (the causal mask). Each row sums to 1.
    After a full pass over ``T`` positions each head's matrix is ``T x T`` and
    lower triangular, ready for a heat map (``plt.imshow(attn.last_attention[h])``).

    Args:
        n_embd: the size of each position's vector, >= 1, a multiple of ``n_head``.
        n_head: the number of heads, >= 1.
        bias: whether the four projections have biases.
        std: the projections' weight standard deviation (see :class:`~nn.Linear`),
            or None for PyTorch's uniform initialisation.
        seed: an int >= 0, a ``random.Random`` to draw from, or None; the
            projections draw in the order q, k, v, out.

    Examples:
        >>> attn = CausalSelfAttention(4, 2, seed=0)
        >>> out = attn([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
        >>> len(out), len(out[0])
        (2, 4)
    """

    def __init__(
        self,
        n_embd: int,
        n_head: int,
        *,
        bias: bool = True,
        std: float | None = None,
        seed: Seed = None,
    ) -> None:
        where = "CausalSelfAttention"
        self.n_embd = checks.size(where, "n_embd", n_embd)
        self.n_head = checks.size(where, "n_head", n_head)
        if self.n_embd % self.n_head:
            raise ValueError(
                f"{where}: n_embd must be a multiple of n_head, got {self.n_embd} and {self.n_head}"
            )
        bias = checks.flag(where, "bias", bias)
        checks.size(
            where, "4 * n_embd * (n_embd + 1) parameters", 4 * self.n_embd * (self.n_embd + 1)
        )
        if std is not None:
            checks.real(where, "std", std, above=0)
        self.head_dim = self.n_embd // self.n_head
        self._attention: list[list[list[float]]] = [[] for _ in range(self.n_head)]
        rng = _rng(where, seed)
        self.q_proj = Linear(self.n_embd, self.n_embd, bias, std=std, seed=rng)
        self.k_proj = Linear(self.n_embd, self.n_embd, bias, std=std, seed=rng)
        self.v_proj = Linear(self.n_embd, self.n_embd, bias, std=std, seed=rng)
        self.out_proj = Linear(self.n_embd, self.n_embd, bias, std=std, seed=rng)

    def forward(
        self, xs: Sequence[Sequence[Scalar]], cache: KVCache | None = None
    ) -> list[list[Value]]:
        """The outputs for new positions, each attending to the cache and to the new ones before it.

        Args:
            xs: the new positions' vectors, each of ``n_embd`` Values or numbers.
            cache: the keys and values of earlier positions, extended in place;
                None starts an empty one.

        Returns:
            One list of ``n_embd`` Values per vector in ``xs``.

        Raises:
            TypeError: if ``xs`` is not a sequence of sequences, an entry is not a
                Value or a real number (naming it, as ``xs[2][0]``), or ``cache``
                is not a KVCache.
            ValueError: if a vector does not hold ``n_embd`` items.

        Examples:
            >>> attn = CausalSelfAttention(2, 1, seed=0)
            >>> cache = KVCache()
            >>> a = attn([[1.0, 2.0]], cache)[0]  # one position at a time ...
            >>> b = attn([[3.0, 4.0]], cache)[0]
            >>> full = attn([[1.0, 2.0], [3.0, 4.0]])  # ... or the sequence at once
            >>> [y.data for y in b] == [y.data for y in full[1]]
            True
        """
        where = "CausalSelfAttention"
        # Everything is checked before the cache grows.
        for i, x in enumerate(checks.sequence(where, "xs", xs, what="a sequence of vectors")):
            for item in _vector(where, f"xs[{i}]", x, self.n_embd):
                if not isinstance(item, (Value, float)):
                    _refuse_entries(where, f"xs[{i}]", x)
                    break
        if cache is None:
            cache = KVCache()
        elif not isinstance(cache, KVCache):
            raise TypeError(f"{where}: cache must be a KVCache or None, got {type(cache).__name__}")
        d = self.head_dim
        scale = 1.0 / math.sqrt(d)
        outputs = []
        attention: list[list[list[float]]] = [[] for _ in range(self.n_head)]
        for x in xs:
            q = self.q_proj(x)
            cache.keys.append(self.k_proj(x))
            cache.values.append(self.v_proj(x))
            heads: list[Value] = []
            for h, start in enumerate(range(0, self.n_embd, d)):
                q_h = q[start : start + d]
                scores = [dot(q_h, k[start : start + d]) * scale for k in cache.keys]
                weights = softmax(scores)
                attention[h].append([w.data if isinstance(w, Value) else w for w in weights])
                for j in range(start, start + d):
                    heads.append(dot(weights, [v[j] for v in cache.values]))
            outputs.append(self.out_proj(heads))
        width = len(cache)
        for rows in attention:  # zeros for the positions each row could not see
            for row in rows:
                row.extend([0.0] * (width - len(row)))
        self._attention = attention
        return outputs

    @property
    def last_attention(self) -> list[list[list[float]]]:
        """The attention weights of the last call: ``[head][new position][position]``, floats.

        Row ``t`` of head ``h`` holds ``a_ts`` for every position ``s`` of the
        cache after the call (the earlier positions, then the new ones), with 0
        for the positions after ``t``; it sums to 1. Before any call each head has
        no rows. They are copied as floats while the call computes them (well under
        1% of its time), so they keep no graph alive and are no parameters.

        Returns:
            ``n_head`` matrices of ``len(xs)`` rows of ``len(cache)`` floats (the
            list itself, not a copy; the next call replaces it).

        Examples:
            >>> attn = CausalSelfAttention(2, 1, seed=0)
            >>> _ = attn([[1.0, 0.0], [0.0, 1.0]])
            >>> [[round(a, 3) for a in row] for row in attn.last_attention[0]]
            [[1.0, 0.0], [0.558, 0.442]]
        """
        return self._attention

    def extra_repr(self) -> str:
        """The sizes, for ``repr``."""
        return f"n_embd={self.n_embd}, n_head={self.n_head}"
