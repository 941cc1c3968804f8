"""A tiny GPT over characters, and how to train it on names one name per step.

The model reads a list of token ids and, at every position, scores which token
comes next::

    x_t = wte[token_t] + wpe[t]                   # what the token is, and where
    for each block:                               # n_layer times
        x_t = x_t + attn(norm1(x))_t              # look back at earlier positions
        x_t = x_t + mlp(norm2(x_t))               # think about this position alone
    logits_t = lm_head(norm_f(x_t))               # one score per vocabulary entry

Run ``python -m nn.models.gpt`` to train one on :func:`nn.data.names` and print
names it makes up; ``--help`` lists the options.

Arguments are checked with :mod:`autograd.checks` (a wrong type is a ``TypeError``,
a wrong value a ``ValueError``, each naming the function and the parameter); a
model's parameter count may not exceed ``autograd.checks.MAX_SIZE``.
"""

from __future__ import annotations

import argparse
import math
import operator
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import autograd
from autograd import Scalar, Value, checks, no_grad

from ..attention import CausalSelfAttention, KVCache
from ..embedding import Embedding
from ..feedforward import ACTIVATIONS, FeedForward
from ..layers import Seed, _rng
from ..linear import Linear
from ..losses import cross_entropy
from ..module import Module
from ..norm import RMSNorm
from ..optim import Adam, LambdaLR
from ..text import CharTokenizer, names
from .bigram import bigram_loss

__all__ = [
    "GPT",
    "INIT_STD",
    "MODES",
    "Block",
    "evaluate",
    "main",
    "sequences",
    "train",
]

#: The standard deviation of every weight matrix at initialisation (the norms' gains start at 1).
INIT_STD = 0.08


def _add(x: Sequence[Scalar], y: Sequence[Value]) -> list[Value]:
    """Two vectors added entry by entry: a residual connection."""
    return [a + b for a, b in zip(x, y)]


def _parameter_count(vocab_size: int, block_size: int, n_embd: int, n_layer: int) -> int:
    """How many parameters a :class:`GPT` of these sizes has, computed without building it.

    Two embedding tables, per block two norms and six ``n_embd``-square matrices'
    worth of weights (q, k, v, out, and the 4x feed-forward's two), a final norm
    and the head: ``V e + B e + L (2 e + 12 e^2) + e + e V``.

    Args:
        vocab_size: ``V``.
        block_size: ``B``.
        n_embd: ``e``.
        n_layer: ``L``.

    Returns:
        The count.

    Examples:
        >>> _parameter_count(27, 16, 16, 1)  # microgpt's model
        4240
    """
    v, b, e = vocab_size, block_size, n_embd
    return v * e + b * e + n_layer * (2 * e + 12 * e * e) + e + e * v


def _check_shape(where: str, n_embd: object, n_head: object) -> tuple[int, int]:
    """``n_embd`` and ``n_head`` as sizes, the first a multiple of the second."""
    e, h = checks.size(where, "n_embd", n_embd), checks.size(where, "n_head", n_head)
    if e % h:
        raise ValueError(f"{where}: n_embd must be a multiple of n_head, got {e} and {h}")
    return e, h


class Block(Module):
    """One transformer block: attention, then a feed-forward network, each added to its input.

    Both halves read a normalised copy of the running vector and add their
    result back to it ("pre-norm" residual blocks, as in GPT-2)::

        x_t <- x_t + attn(norm1(x))_t
        x_t <- x_t + mlp(norm2(x_t))

    Args:
        n_embd: the size of each position's vector.
        n_head: the number of attention heads.
        activation: the feed-forward activation (see :class:`~nn.FeedForward`).
        seed: an int >= 0, a ``random.Random`` to draw from, or None.

    Examples:
        >>> block = Block(4, 2, "relu2", seed=0)
        >>> len(block([[0.1, 0.2, 0.3, 0.4]], KVCache())[0])
        4
    """

    def __init__(self, n_embd: int, n_head: int, activation: str, *, seed: Seed = None) -> None:
        where = "Block"
        n_embd, n_head = _check_shape(where, n_embd, n_head)
        checks.choice(where, "activation", activation, list(ACTIVATIONS))
        rng = _rng(where, seed)
        self.norm1 = RMSNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, bias=False, std=INIT_STD, seed=rng)
        self.norm2 = RMSNorm(n_embd)
        self.mlp = FeedForward(n_embd, 4 * n_embd, activation, bias=False, std=INIT_STD, seed=rng)

    def forward(self, xs: Sequence[Sequence[Scalar]], cache: KVCache) -> list[list[Value]]:
        """The block's outputs for new positions, extending ``cache`` (see :class:`~nn.KVCache`).

        Args:
            xs: the new positions' vectors.
            cache: this block's keys and values of the earlier positions.

        Returns:
            One vector per position in ``xs``.

        Examples:
            >>> block, cache = Block(2, 1, "relu", seed=0), KVCache()
            >>> _ = block([[1.0, 0.0], [0.0, 1.0]], cache)
            >>> len(cache)
            2
        """
        attended = self.attn([self.norm1(x) for x in xs], cache)
        xs = [_add(x, a) for x, a in zip(xs, attended)]
        return [_add(x, self.mlp(self.norm2(x))) for x in xs]


class GPT(Module):
    """A decoder-only transformer that predicts the next token, built from ``nn``'s modules.

    Its parts, in the order they run (see the module docstring for the formulas):

    - ``wte``: an :class:`~nn.Embedding` of ``vocab_size`` token vectors;
    - ``wpe``: an :class:`~nn.Embedding` of ``block_size`` position vectors;
    - ``blocks``: ``n_layer`` :class:`Block` s, each an :class:`~nn.RMSNorm`,
      a :class:`~nn.CausalSelfAttention`, another RMSNorm and a
      :class:`~nn.FeedForward` of hidden size ``4 * n_embd``;
    - ``norm_f``: a final RMSNorm;
    - ``lm_head``: a :class:`~nn.Linear` from ``n_embd`` to ``vocab_size`` logits.

    As in Karpathy's microgpt, there are no biases, the norms are RMSNorms and
    the default activation is squared ReLU. Every weight matrix starts from
    ``N(0, INIT_STD^2)``. ``lm_head`` is its own matrix, not tied to ``wte``:
    with untied weights each matrix has one job, and each parameter's gradient
    comes from one place, which is easier to follow (GPT-2 ties them to save
    parameters; with 27 tokens there is little to save).

    The defaults are microgpt's: ``block_size=16``, ``n_embd=16``, ``n_head=4``,
    ``n_layer=1``.

    After a call, ``blocks[i].attn.last_attention[h]`` is head ``h`` of block
    ``i``'s attention weights as floats, one row per position read (see
    :attr:`~nn.CausalSelfAttention.last_attention`): a ``T x T`` lower-triangular
    matrix after a call on ``T`` tokens, ready for a heat map.

    Args:
        vocab_size: the number of token ids, >= 1.
        block_size: the longest sequence the model reads, >= 1.
        n_embd: the size of each position's vector, >= 1, a multiple of ``n_head``.
        n_head: the number of attention heads, >= 1.
        n_layer: the number of blocks, >= 1.
        activation: the feed-forward activation, ``"relu2"`` (squared ReLU),
            ``"relu"`` or ``"gelu"``.
        seed: an int >= 0 for reproducible weights, a ``random.Random``, or
            None. The model keeps its generator as ``rng``; :meth:`generate`
            draws from it when given no seed.

    Examples:
        >>> model = GPT(vocab_size=5, block_size=4, n_embd=4, n_head=2, seed=0)
        >>> logits = model([4, 0, 1])  # one row of 5 scores per position
        >>> len(logits), len(logits[0])
        (3, 5)
        >>> loss = cross_entropy(logits, [0, 1, 4])  # the tokens that came next
        >>> loss.backward()
    """

    def __init__(
        self,
        vocab_size: int,
        block_size: int = 16,
        n_embd: int = 16,
        n_head: int = 4,
        n_layer: int = 1,
        *,
        activation: str = "relu2",
        seed: Seed = None,
    ) -> None:
        where = "GPT"
        self.vocab_size = checks.size(where, "vocab_size", vocab_size)
        self.block_size = checks.size(where, "block_size", block_size)
        self.n_embd, self.n_head = _check_shape(where, n_embd, n_head)
        self.n_layer = checks.size(where, "n_layer", n_layer)
        count = _parameter_count(self.vocab_size, self.block_size, self.n_embd, self.n_layer)
        checks.size(where, "the number of parameters", count)
        self.activation = checks.choice(where, "activation", activation, list(ACTIVATIONS))
        self.rng = _rng(where, seed)
        self.wte = Embedding(self.vocab_size, self.n_embd, std=INIT_STD, seed=self.rng)
        self.wpe = Embedding(self.block_size, self.n_embd, std=INIT_STD, seed=self.rng)
        self.blocks = [
            Block(self.n_embd, self.n_head, self.activation, seed=self.rng)
            for _ in range(self.n_layer)
        ]
        self.norm_f = RMSNorm(self.n_embd)
        self.lm_head = Linear(self.n_embd, self.vocab_size, bias=False, std=INIT_STD, seed=self.rng)

    def new_cache(self) -> list[KVCache]:
        """An empty key/value cache: one :class:`~nn.KVCache` per block.

        Returns:
            A list of ``n_layer`` empty caches.

        Examples:
            >>> GPT(3, n_layer=2, seed=0).new_cache()
            [KVCache(0 positions), KVCache(0 positions)]
        """
        return [KVCache() for _ in self.blocks]

    def forward(
        self, tokens: Sequence[int] | Sequence[Sequence[Scalar]], cache: list[KVCache] | None = None
    ) -> list[list[Value]]:
        """The next-token logits at each position of ``tokens``.

        Without a cache, ``tokens`` is a whole sequence starting at position 0.
        With one (from :meth:`new_cache`), ``tokens`` continues the sequence the
        cache has seen: the first is at position ``len(cache[0])``, and the cache
        grows by ``len(tokens)``. Feeding a sequence in pieces through one cache
        gives the same logits as feeding it whole.

        A token may also be given as a one-hot row of ``vocab_size`` numbers or
        Values: its embedding is then ``dot(row, wte column)`` (see
        :class:`~nn.Embedding`), the same numbers without indexing by data, which is
        what a function traced by :func:`autograd.compile` needs when the tokens
        are its arguments (see :func:`train`'s ``"batched"`` mode).

        Args:
            tokens: token ids in ``[0, vocab_size)`` or one-hot rows, at least one.
            cache: the caches of the earlier positions, or None.

        Returns:
            One list of ``vocab_size`` logit Values per token.

        Raises:
            TypeError: if a token is neither an int nor a row of numbers or Values, or
                ``cache`` is not a list of KVCaches.
            ValueError: if ``tokens`` is empty, an id is out of range, a row does not
                hold ``vocab_size`` entries, the sequence would pass ``block_size``
                positions, or ``cache`` has the wrong number of layers.

        Examples:
            >>> model = GPT(4, block_size=3, n_embd=2, n_head=1, seed=0)
            >>> whole = model([3, 1, 2])
            >>> cache = model.new_cache()
            >>> first, rest = model([3], cache), model([1, 2], cache)
            >>> [z.data for z in rest[-1]] == [z.data for z in whole[-1]]
            True
            >>> rows = [[0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]
            >>> [z.data for z in model(rows)[-1]] == [z.data for z in whole[-1]]
            True
        """
        where = "GPT"
        tokens = self._check_inputs(where, "tokens", tokens)
        if cache is None:
            cache = self.new_cache()
        else:
            self._check_cache(where, cache)
        start = len(cache[0])
        if start + len(tokens) > self.block_size:
            cached = f"{start} cached positions and " if start else ""
            raise ValueError(
                f"{where}: {cached}{len(tokens)} tokens are more than "
                f"block_size = {self.block_size} positions"
            )
        xs = [_add(self.wte(token), self.wpe(start + t)) for t, token in enumerate(tokens)]
        for block, block_cache in zip(self.blocks, cache):
            xs = block(xs, block_cache)
        return [self.lm_head(self.norm_f(x)) for x in xs]

    def generate(
        self,
        prompt: Sequence[int],
        n: int,
        temperature: float = 1.0,
        seed: Seed = None,
        *,
        stop: int | None = None,
    ) -> list[int]:
        """Sample up to ``n`` tokens that follow ``prompt``, one at a time.

        Each new token is drawn from ``softmax(logits / temperature)`` at the
        last position, then fed back in through a key/value cache, so each step
        computes one new position instead of the whole sequence again. Nothing
        records a graph (it runs under :class:`~autograd.no_grad`). The prompt
        and the tokens fed back must fit in ``block_size`` positions:
        ``len(prompt) + n - 1 <= block_size``.

        Args:
            prompt: at least one token id to start from (e.g. ``[tokenizer.bos]``).
            n: the number of tokens to sample, >= 0.
            temperature: > 0; below 1 sharpens the distribution, above 1 flattens it.
            seed: an int >= 0 or a ``random.Random`` to draw from; None draws
                from the model's own generator ``rng``.
            stop: a token id that ends the sample early; it is not included.

        Returns:
            The sampled token ids (without the prompt).

        Raises:
            TypeError, ValueError: for a bad prompt, ``n``, temperature, seed or
                stop, or when the result would not fit in ``block_size``.

        Examples:
            >>> model = GPT(5, block_size=8, n_embd=4, n_head=2, seed=0)
            >>> model.generate([4], 3, seed=1) == model.generate([4], 3, seed=1)
            True
        """
        where = "GPT.generate"
        prompt = self._check_tokens(where, "prompt", prompt)
        n = checks.size(where, "n", n, minimum=0)
        temperature = checks.real(where, "temperature", temperature, above=0)
        if stop is not None:
            stop = self._check_token(where, "stop", stop)
        if len(prompt) + n - 1 > self.block_size:
            raise ValueError(
                f"{where}: a prompt of {len(prompt)} tokens and {n} new ones need "
                f"{len(prompt) + n - 1} positions, more than block_size = {self.block_size}"
            )
        rng = self.rng if seed is None else _rng(where, seed)
        sampled: list[int] = []
        if n == 0:
            return sampled
        with no_grad():
            cache = self.new_cache()
            logits = self.forward(prompt, cache)[-1]
            while True:
                token = _sample([z.data for z in logits], temperature, rng)
                if token == stop:
                    break
                sampled.append(token)
                if len(sampled) == n:
                    break
                logits = self.forward([token], cache)[0]
        return sampled

    def _check_tokens(self, where: str, name: str, tokens: object) -> list[int]:
        """``tokens`` as a non-empty list of ids in ``[0, vocab_size)``."""
        items = checks.sequence(where, name, tokens, what="a sequence of token ids")
        if not items:
            raise ValueError(f"{where}: {name} must hold at least one token id")
        v = self.vocab_size
        if all(type(t) is int and 0 <= t < v for t in items):  # the common case, quickly
            return list(items)
        return [self._check_token(where, f"{name}[{i}]", t) for i, t in enumerate(items)]

    def _check_inputs(self, where: str, name: str, tokens: object) -> list[Any]:
        """``tokens`` as a non-empty list of ids, or of one-hot rows of ``vocab_size`` entries."""
        items = checks.sequence(where, name, tokens, what="a sequence of token ids or rows")
        if items and all(type(t) is int for t in items):
            return self._check_tokens(where, name, items)
        if not items:
            raise ValueError(f"{where}: {name} must hold at least one token")
        checked: list[Any] = []
        for i, t in enumerate(items):
            if isinstance(t, (str, bytes)) or not hasattr(t, "__len__"):
                checked.append(self._check_token(where, f"{name}[{i}]", t))
                continue
            row = checks.sequence(where, f"{name}[{i}]", t, what="a one-hot row")
            if len(row) != self.vocab_size:
                raise ValueError(
                    f"{where}: {name}[{i}] must be a token id or a row of vocab_size = "
                    f"{self.vocab_size} numbers, got {len(row)} entries"
                )
            checked.append(row)
        return checked

    def _check_token(self, where: str, name: str, token: object) -> int:
        """``token`` as an id in ``[0, vocab_size)``."""
        v = self.vocab_size
        return checks.integer(
            where, name, token, minimum=0, maximum=v - 1, why=f" for vocab_size {v}"
        )

    def _check_cache(self, where: str, cache: object) -> None:
        if not isinstance(cache, list) or not all(isinstance(c, KVCache) for c in cache):
            raise TypeError(f"{where}: cache must be a list of KVCache, as new_cache() returns")
        if len(cache) != self.n_layer or len({len(c) for c in cache}) != 1:
            raise ValueError(
                f"{where}: cache must hold {self.n_layer} KVCaches of one length, "
                "as new_cache() returns"
            )

    def extra_repr(self) -> str:
        """The sizes and activation, for ``repr``."""
        return (
            f"vocab_size={self.vocab_size}, block_size={self.block_size}, n_embd={self.n_embd}, "
            f"n_head={self.n_head}, n_layer={self.n_layer}, activation={self.activation!r}"
        )


def _sample(logits: list[float], temperature: float, rng: random.Random) -> int:
    """One index drawn with probability ``softmax(logits / temperature)``."""
    top = max(logits)
    weights = [math.exp((z - top) / temperature) for z in logits]
    return rng.choices(range(len(logits)), weights=weights)[0]


# --- training on names ------------------------------------------------------------


def sequences(docs: Sequence[str], tokenizer: CharTokenizer, block_size: int) -> list[list[int]]:
    """Each document as ``[bos, *characters, bos]``, cut to ``block_size + 1`` tokens.

    A sequence of ``L + 1`` tokens gives ``L`` (input, next token) pairs, so the
    cut keeps the inputs within the model's ``block_size`` positions.

    Args:
        docs: the texts, e.g. names.
        tokenizer: the tokenizer that encodes them.
        block_size: the model's ``block_size``.

    Returns:
        One list of token ids per document.

    Examples:
        >>> tok = CharTokenizer(["abc"])
        >>> sequences(["cab"], tok, 16), sequences(["cab"], tok, 2)
        ([[3, 2, 0, 1, 3]], [[3, 2, 0]])
    """
    where = "sequences"
    texts = checks.sequence(where, "docs", docs, what="a sequence of str")
    checks.instance(where, "tokenizer", tokenizer, CharTokenizer, "a CharTokenizer")
    block_size = checks.size(where, "block_size", block_size)
    bos = tokenizer.bos
    out = []
    for i, doc in enumerate(texts):
        checks.instance(where, f"docs[{i}]", doc, str, "a str")
        try:
            ids = tokenizer.encode(doc)
        except ValueError as error:  # a character the tokenizer does not know
            raise ValueError(f"{where}: docs[{i}]: {error}") from None
        out.append([bos, *ids, bos][: block_size + 1])
    return out


def _check_model(where: str, model: object) -> GPT:
    return checks.instance(where, "model", model, GPT, "a GPT")  # type: ignore[no-any-return]


def _check_sequences(where: str, model: GPT, seqs: object) -> list[list[int]]:
    """``seqs`` as lists of token ids, each 2 to ``block_size + 1`` long."""
    items = checks.sequence(where, "seqs", seqs, what="a sequence of token sequences")
    if not items:
        raise ValueError(f"{where}: seqs is empty")
    checked = []
    for i, seq in enumerate(items):
        tokens = model._check_tokens(where, f"seqs[{i}]", seq)
        if not 2 <= len(tokens) <= model.block_size + 1:
            raise ValueError(
                f"{where}: seqs[{i}] must hold 2 to block_size + 1 = {model.block_size + 1} "
                f"tokens, got {len(tokens)}"
            )
        checked.append(tokens)
    return checked


#: How :func:`train` computes each step's gradient; all three give the same numbers.
MODES = ("dynamic", "compiled", "batched")


@contextmanager
def _parameters_as(model: Module, values: Sequence[Value]) -> Iterator[None]:
    """Run ``model`` with ``values`` in place of its parameters (in ``parameters()`` order).

    Each parameter sits in a list (a weight row, a norm's gains) or an attribute,
    which its dotted name leads to; the block puts ``values`` there and puts the
    parameters back when it ends, even on an error. This is how a traced function
    sees the parameters as its arguments (see :func:`_padded_loss`).
    """
    slots: list[tuple[Any, str]] = []
    for name, _ in model.named_parameters():
        *path, last = name.split(".")
        owner: Any = model
        for part in path:
            owner = owner[int(part)] if part.isdigit() else getattr(owner, part)
        slots.append((owner, last))

    def put(items: Sequence[Value]) -> None:
        for (owner, key), item in zip(slots, items):
            if key.isdigit():
                owner[int(key)] = item
            else:  # object.__setattr__: a Module would relabel the Value with its name
                object.__setattr__(owner, key, item)

    saved = model.parameters()
    put(values)
    try:
        yield
    finally:
        put(saved)


def _padded_loss(model: GPT) -> Callable[..., Value]:
    """One name's mean loss per token as a function of numbers only, for :func:`autograd.compile`.

    Its arguments are the model's parameters (as ``parameters()`` orders them); then
    the name's tokens ``[bos, *chars, bos]`` as one-hot rows of ``vocab_size`` numbers,
    padded with rows of zeros to ``R`` rows; then ``L = len(tokens) - 1``, the number
    of predictions. Row ``t`` is the input at position ``t`` and the target of position
    ``t - 1``. A zero row as a target adds nothing (see :func:`~nn.losses.cross_entropy`),
    and causal attention keeps the padded positions out of the real ones, so the result
    is the sum over the ``L`` real positions divided by ``L``: the dynamic loss, with no
    Python branch on the data.
    """
    n_params, vocab = len(model.parameters()), model.vocab_size

    def padded_loss(*args: Value) -> Value:
        one_hot = args[n_params:-1]
        rows = [list(one_hot[r : r + vocab]) for r in range(0, len(one_hot), vocab)]
        with _parameters_as(model, args[:n_params]):
            logits = model(rows[:-1])
        return cross_entropy(logits, rows[1:], reduction="sum") / args[-1]

    return padded_loss


def _one_hot_columns(batch: Sequence[Sequence[int]], vocab: int, n_rows: int) -> list[list[float]]:
    """The per-name arguments of :func:`_padded_loss`, one column (a number per name) each."""
    columns = [[0.0] * len(batch) for _ in range(n_rows * vocab + 1)]
    for i, seq in enumerate(batch):
        for r, token in enumerate(seq):
            columns[r * vocab + token][i] = 1.0
        columns[-1][i] = float(len(seq) - 1)
    return columns


class _Step:
    """One training step's loss and gradient, the mean over a batch of names, in one mode.

    ``"dynamic"`` builds each name's graph and calls ``backward()`` on it. The other two
    compile :func:`_padded_loss` once, padded to the longest sequence: ``"compiled"``
    runs its float program once per name, ``"batched"`` runs it once for the whole
    batch on NumPy arrays (``batch_argnums`` are the one-hot rows and ``L``).
    """

    def __init__(self, model: GPT, mode: str, n_rows: int) -> None:
        self.model, self.mode, self.n_rows = model, mode, n_rows
        self.params = model.parameters()
        if mode == "dynamic":
            return
        n_params, n_batched = len(self.params), n_rows * model.vocab_size + 1
        batched = tuple(range(n_params, n_params + n_batched)) if mode == "batched" else None
        self.program = autograd.compile(_padded_loss(model), batch_argnums=batched)

    def __call__(self, batch: list[list[int]]) -> float:
        """Add the batch's mean gradient into every parameter's ``grad``; return the mean loss."""
        if self.mode == "dynamic":
            # One name's graph at a time, seeded with its share 1/k of the mean: one graph
            # of k names would hold k times the nodes, which the cyclic GC rescans.
            total = 0.0
            for seq in batch:
                loss = cross_entropy(self.model(seq[:-1]), seq[1:])
                loss.backward(1.0 / len(batch))
                total += loss.data
            return total / len(batch)
        data = [p.data for p in self.params]
        columns = _one_hot_columns(batch, self.model.vocab_size, self.n_rows)
        if self.mode == "batched":
            value, grads = self.program.value_and_grad(*data, *_arrays(columns), reduce="mean")
        else:
            value, grads = 0.0, (0.0,) * len(data)
            for i in range(len(batch)):
                v, g = self.program.value_and_grad(*data, *(c[i] for c in columns))
                value, grads = value + v, tuple(map(operator.add, grads, g))
            value, grads = value / len(batch), tuple(g / len(batch) for g in grads)
        for p, g in zip(self.params, grads):
            p.grad += g
        return float(value)


def _arrays(columns: list[list[float]]) -> Sequence[Any]:
    """The columns as NumPy arrays if NumPy is installed (imported here, where a batch runs)."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - without NumPy, compile loops over the samples
        return columns
    return list(numpy.array(columns, dtype=numpy.float64))


def train(
    model: GPT,
    seqs: Sequence[Sequence[int]],
    steps: int,
    *,
    lr: float = 0.01,
    betas: tuple[float, float] = (0.85, 0.99),
    batch_size: int = 1,
    mode: str = "dynamic",
    progress: bool = False,
) -> list[float]:
    """Train with Adam, ``batch_size`` sequences per step, the learning rate falling linearly to 0.

    Step ``s`` (from 0) uses the next ``batch_size`` sequences, ``seqs[(s * k + j) %
    len(seqs)]`` for ``j < k = batch_size``. A sequence's loss is the mean
    cross-entropy of its next-token predictions,
    ``(1/L) sum_t -log softmax(logits_t)[token_{t+1}]``, and the step's loss is the
    mean over its ``k`` sequences. Then Adam updates every parameter with learning
    rate ``lr * (1 - s / steps)``. With ``batch_size=1`` these are microgpt's settings.

    ``mode`` says how the gradient is computed; the three give the same losses
    and the same updates (to about 1e-12 relative: only the order of additions
    differs):

    - ``"dynamic"``: the graph of each sequence is built and ``backward()`` runs,
      as in microgpt;
    - ``"compiled"``: the loss of one sequence is traced once with
      :func:`autograd.compile`, padded to the longest sequence in ``seqs``, and its
      generated float code runs once per sequence;
    - ``"batched"``: the same trace runs once per step for all ``k`` sequences on
      NumPy arrays (``batch_argnums``); the fastest per sequence for large ``k``.

    Inside a trace Python cannot index by data, so the compiled modes give each
    token as a one-hot row of ``vocab_size`` numbers: the embedding is a ``dot`` of
    the row with the table (:class:`~nn.Embedding`), the target of cross-entropy is
    a one-hot row, and every softmax subtracts an :func:`autograd.max` node. Each
    sequence is padded with rows of zeros, which add nothing to the loss, and its
    sum is divided by its own length ``L``, an argument too.

    Args:
        model: the model to train, in place.
        seqs: token sequences from :func:`sequences`, each 2 to ``block_size + 1`` long.
        steps: the number of steps, >= 1.
        lr: the starting learning rate, > 0.
        betas: Adam's ``(beta1, beta2)``.
        batch_size: the sequences per step, >= 1.
        mode: ``"dynamic"``, ``"compiled"`` or ``"batched"``.
        progress: show a tqdm progress bar with the running loss.

    Returns:
        The loss at each step.

    Examples:
        >>> model = GPT(3, block_size=4, n_embd=2, n_head=1, seed=0)
        >>> losses = train(model, [[2, 0, 1, 2]], steps=20)
        >>> losses[-1] < losses[0]
        True
        >>> again = train(GPT(3, block_size=4, n_embd=2, n_head=1, seed=0), [[2, 0, 1, 2]],
        ...               steps=20, mode="batched")
        >>> max(abs(a - b) / a for a, b in zip(losses, again)) < 1e-12
        True
    """
    where = "train"
    model = _check_model(where, model)
    checked = _check_sequences(where, model, seqs)
    steps = checks.size(where, "steps", steps)
    lr = checks.real(where, "lr", lr, above=0)
    pair = checks.sequence(where, "betas", betas, what="a (beta1, beta2) pair", length=2)
    beta1, beta2 = (
        checks.real(where, f"betas[{i}]", b, at_least=0, below=1) for i, b in enumerate(pair)
    )
    k = checks.size(where, "batch_size", batch_size)
    mode = checks.choice(where, "mode", mode, MODES)
    progress = checks.flag(where, "progress", progress)
    step_of = _Step(model, mode, max(len(seq) for seq in checked))
    optimizer = Adam(model.parameters(), lr=lr, betas=(beta1, beta2))
    scheduler = LambdaLR(optimizer, lambda step: 1.0 - step / steps)
    bar = None
    if progress:
        # Imported only when wanted: tqdm.auto warns in a notebook without ipywidgets.
        from tqdm.auto import tqdm

        bar = tqdm(total=steps, desc=f"train ({mode})", unit="step")
    losses = []
    for step in range(steps):
        batch = [checked[(step * k + j) % len(checked)] for j in range(k)]
        optimizer.zero_grad()
        loss = step_of(batch)
        optimizer.step()
        scheduler.step()
        losses.append(loss)
        if bar is not None:
            bar.update()
            bar.set_postfix(loss=f"{loss:.4f}", refresh=False)
    if bar is not None:
        bar.close()
    return losses


def evaluate(model: GPT, seqs: Sequence[Sequence[int]]) -> float:
    """The mean loss per predicted token over ``seqs``, without recording graphs.

    ``(1/N) sum -log p(next token)`` over every (position, next token) pair of
    every sequence, ``N`` pairs in all; each name of ``L`` characters gives
    ``L + 1`` pairs (its characters and the closing BOS).

    Args:
        model: the model.
        seqs: token sequences from :func:`sequences`.

    Returns:
        The mean loss per token, in nats.

    Examples:
        >>> model = GPT(3, block_size=4, n_embd=2, n_head=1, seed=0)
        >>> 1.0 < evaluate(model, [[2, 0, 1, 2]]) < 1.2  # near log 3 = 1.0986 before training
        True
    """
    model = _check_model("evaluate", model)
    checked = _check_sequences("evaluate", model, seqs)
    total, count = 0.0, 0
    with no_grad():
        for seq in checked:
            total += cross_entropy(model(seq[:-1]), seq[1:], reduction="sum").data
            count += len(seq) - 1
    return total / count


def main(argv: Sequence[str] | None = None) -> int:
    """Train a GPT on names, compare it with a bigram model, sample names.

    The names are shuffled with ``--seed`` and split 90/10 into training and
    held-out sets. The model is microgpt's; by default it trains batched, 64 names
    per step for 100 steps (about 20 s on one core), which sees far more names per
    second than one name per step. ``--mode compiled --batch-size 1 --steps 1000`` is
    microgpt's own schedule, with the same numbers as ``--mode dynamic``, faster.
    Prints the time per training step, the held-out loss per token next to a
    character-bigram model's counted on the training names, and ``--samples`` new
    names.

    Args:
        argv: the command-line arguments, a sequence of str (None reads ``sys.argv``).

    Returns:
        0, the exit status.

    Raises:
        TypeError: if ``argv`` is not a sequence of str. Bad options are argparse's
            to report: it prints the usage and exits with status 2.

    Examples:
        >>> quick = ["--steps", "2", "--batch-size", "1", "--mode", "dynamic"]
        >>> main([*quick, "--samples", "0", "--quiet"])  # doctest: +ELLIPSIS
        training on 4647 names, 516 held out; 4,... parameters
        ...
        0
    """
    parser = argparse.ArgumentParser(
        prog="python -m nn.models.gpt", description="Train a tiny GPT on names and sample some."
    )
    parser.add_argument("--steps", type=int, default=100, help="training steps (default 100)")
    parser.add_argument(
        "--batch-size", type=int, default=64, help="names per step (default 64; microgpt: 1)"
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        default="batched",
        help="how gradients are computed, all with the same numbers (default batched)",
    )
    parser.add_argument("--seed", type=int, default=42, help="seed of everything (default 42)")
    parser.add_argument("--samples", type=int, default=20, help="names to sample (default 20)")
    parser.add_argument(
        "--temperature", type=float, default=0.5, help="sampling temperature (default 0.5)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    if argv is not None:
        items = checks.sequence("main", "argv", argv, what="a sequence of str")
        for i, item in enumerate(items):
            checks.instance("main", f"argv[{i}]", item, str, "a str")
        argv = list(items)
    args = parser.parse_args(argv)

    everyone = names()
    random.Random(args.seed).shuffle(everyone)
    n_test = len(everyone) // 10
    test_names, train_names = everyone[:n_test], everyone[n_test:]
    tokenizer = CharTokenizer(everyone)
    model = GPT(tokenizer.vocab_size, seed=args.seed)
    train_seqs = sequences(train_names, tokenizer, model.block_size)
    test_seqs = sequences(test_names, tokenizer, model.block_size)
    print(
        f"training on {len(train_names)} names, {len(test_names)} held out; "
        f"{len(model.parameters()):,} parameters"
    )

    start = time.perf_counter()
    losses = train(
        model,
        train_seqs,
        args.steps,
        batch_size=args.batch_size,
        mode=args.mode,
        progress=not args.quiet,
    )
    seconds = time.perf_counter() - start
    print(
        f"{args.steps} steps of {args.batch_size} name{'s' * (args.batch_size != 1)} "
        f"({args.mode}) in {seconds:.1f} s, "
        f"{1000 * seconds / args.steps:.1f} ms per step"
    )
    print(f"last training loss {losses[-1]:.4f}")
    print(f"held-out loss per token: GPT {evaluate(model, test_seqs):.4f}, ", end="")
    print(f"character bigram {bigram_loss(train_seqs, test_seqs, tokenizer.vocab_size):.4f}")

    rng = random.Random(args.seed)
    for _ in range(args.samples):
        ids = model.generate(
            [tokenizer.bos], model.block_size, args.temperature, rng, stop=tokenizer.bos
        )
        print(tokenizer.decode(ids))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
