"""Tests for nn.attention: weights worked by hand, causality, the key/value cache, errors."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value, gradcheck
from nn import CausalSelfAttention, KVCache

#: Exact arithmetic up to a few roundings.
RTOL = 1e-12


def _identity(n_head: int) -> CausalSelfAttention:
    """Attention over 2-vectors whose four projections are the identity (no biases)."""
    attn = CausalSelfAttention(2, n_head, bias=False, seed=0)
    state = {}
    for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
        for i in range(2):
            for j in range(2):
                state[f"{proj}.weight.{i}.{j}"] = 1.0 if i == j else 0.0
    attn.load_state_dict(state)
    return attn


class TestByHand:
    def test_first_position_sees_only_itself(self) -> None:
        """With one position the weights are (1), so the output is its value vector."""
        (out,) = _identity(1)([[1.0, 0.0]])
        assert [y.data for y in out] == [1.0, 0.0]

    def test_one_head(self) -> None:
        """x = (1, 0), (0, 1): position 2 scores (0, 1/sqrt 2) and mixes them by their softmax."""
        _, second = _identity(1)([[1.0, 0.0], [0.0, 1.0]])
        e = math.exp(1 / math.sqrt(2))
        assert second[0].data == pytest.approx(1 / (1 + e), rel=RTOL)
        assert second[1].data == pytest.approx(e / (1 + e), rel=RTOL)

    def test_two_heads_attend_separately(self) -> None:
        """With head size 1, head 0 scores (0, 0) and averages; head 1 scores (0, 1)."""
        _, second = _identity(2)([[1.0, 0.0], [0.0, 1.0]])
        assert second[0].data == pytest.approx(0.5, rel=RTOL)
        assert second[1].data == pytest.approx(math.e / (1 + math.e), rel=RTOL)

    def test_gradient_of_the_mixture(self) -> None:
        """d out_2[1] / d x for inputs (1, 0), (0, x) and one head, worked through the softmax.

        q_2, k_2 and v_2 are all (0, x), so position 2 scores s = x^2 / sqrt 2 and
        position 1 scores 0; with a = e^s / (1 + e^s), out_2[1] = a x and
        d out_2[1] / d x = a + x a (1 - a) (2 x / sqrt 2).
        """
        x = Value(1.0)
        _, second = _identity(1)([[1.0, 0.0], [0.0, x]])
        second[1].backward()
        a = math.exp(1 / math.sqrt(2)) / (1 + math.exp(1 / math.sqrt(2)))
        assert x.grad == pytest.approx(a + a * (1 - a) * 2 / math.sqrt(2), rel=RTOL)


class TestCausality:
    def test_later_positions_do_not_change_earlier_outputs(self) -> None:
        """Changing position 3 leaves the outputs of positions 1 and 2 exactly as they were."""
        attn = CausalSelfAttention(4, 2, seed=1)
        xs = [[0.1, -0.2, 0.3, 0.5], [0.4, 0.0, -0.6, 0.2], [1.0, 1.0, 1.0, 1.0]]
        changed = [*xs[:2], [-3.0, 2.0, 0.0, 1.0]]
        before, after = attn(xs), attn(changed)
        for t in (0, 1):
            assert [y.data for y in before[t]] == [y.data for y in after[t]]
        assert [y.data for y in before[2]] != [y.data for y in after[2]]

    def test_later_positions_get_no_gradient_from_earlier_outputs(self) -> None:
        """The gradient of position 1's output reaches no input of position 2."""
        attn = CausalSelfAttention(2, 1, seed=2)
        xs = [[Value(0.3), Value(-0.4)], [Value(0.8), Value(0.1)]]
        autograd.sum(attn(xs)[0]).backward()
        assert [v.grad for v in xs[1]] == [0.0, 0.0]
        assert any(v.grad != 0.0 for v in xs[0])


class TestCache:
    def test_one_at_a_time_equals_all_at_once(self) -> None:
        """Positions fed one by one through a cache give the full pass's outputs, bit for bit."""
        attn = CausalSelfAttention(4, 2, seed=3)
        xs = [[0.1 * (t + 1) * (j - 1.5) for j in range(4)] for t in range(5)]
        full = attn(xs)
        cache = KVCache()
        pieces = [attn([x], cache)[0] for x in xs[:2]] + attn(xs[2:], cache)
        assert [[y.data for y in row] for row in pieces] == [[y.data for y in row] for row in full]
        assert len(cache) == 5

    def test_cache_holds_keys_and_values(self) -> None:
        """The cache grows by one key and one value per position, each the projection of x."""
        attn = _identity(1)
        cache = KVCache()
        attn([[1.0, 2.0]], cache)
        assert [k.data for k in cache.keys[0]] == [1.0, 2.0]
        assert [v.data for v in cache.values[0]] == [1.0, 2.0]
        assert repr(cache) == "KVCache(1 positions)"

    def test_bad_input_leaves_the_cache_alone(self) -> None:
        """When one of the new vectors is the wrong length, nothing is appended."""
        attn = _identity(1)
        cache = KVCache()
        with pytest.raises(ValueError, match=r"xs\[1\] must have 2 items, got 3"):
            attn([[1.0, 2.0], [1.0, 2.0, 3.0]], cache)
        assert len(cache) == 0


class TestLastAttention:
    def test_one_head_by_hand(self) -> None:
        """x = (1, 0), (0, 1): row 1 is (1, 0); row 2 is the softmax of (0, 1/sqrt 2)."""
        attn = _identity(1)
        attn([[1.0, 0.0], [0.0, 1.0]])
        e = math.exp(1 / math.sqrt(2))
        (head,) = attn.last_attention
        assert head[0] == [1.0, 0.0]
        assert head[1] == pytest.approx([1 / (1 + e), e / (1 + e)], rel=RTOL)

    def test_two_heads_by_hand(self) -> None:
        """Head 0 scores (0, 0) and averages; head 1 scores (0, 1), as the outputs show."""
        attn = _identity(2)
        attn([[1.0, 0.0], [0.0, 1.0]])
        first, second = attn.last_attention
        assert first[1] == [0.5, 0.5]
        assert second[1] == pytest.approx([1 / (1 + math.e), math.e / (1 + math.e)], rel=RTOL)

    def test_square_lower_triangular_rows_summing_to_one(self) -> None:
        """A full pass over T positions gives n_head T x T matrices, 0 above the diagonal."""
        attn = CausalSelfAttention(6, 3, seed=5)
        xs = [[math.sin(t + j) for j in range(6)] for t in range(5)]
        outputs = attn(xs)
        weights = attn.last_attention
        assert len(weights) == 3
        for head in weights:
            assert len(head) == 5
            for t, row in enumerate(head):
                assert len(row) == 5
                assert all(a == 0.0 for a in row[t + 1 :])
                assert all(a > 0.0 for a in row[: t + 1])
                assert math.fsum(row) == pytest.approx(1.0, rel=RTOL)
        assert all(type(a) is float for head in weights for row in head for a in row)
        assert len(outputs) == 5

    def test_they_are_the_weights_the_outputs_use(self) -> None:
        """With value projections the identity, output t of a head is sum_s a_ts x_s."""
        attn = _identity(2)  # head h reads and returns entry h of each vector
        xs = [[0.3, -1.2], [0.7, 0.4], [-0.5, 0.9]]
        outputs = attn(xs)
        for h, head in enumerate(attn.last_attention):
            for t, row in enumerate(head):
                mixed = sum(a * x[h] for a, x in zip(row, xs))
                assert outputs[t][h].data == pytest.approx(mixed, rel=RTOL)

    def test_with_a_cache_rows_are_the_new_positions(self) -> None:
        """One position at a time, each call keeps one row per head over the cache's positions.

        Each row is the full pass's row for that position, bit for bit, without the
        zeros for positions the cache has not seen yet.
        """
        attn = CausalSelfAttention(4, 2, seed=3)
        xs = [[0.1 * (t + 1) * (j - 1.5) for j in range(4)] for t in range(3)]
        attn(xs)
        full = attn.last_attention
        cache = KVCache()
        for t, x in enumerate(xs):
            attn([x], cache)
            assert [head[0] for head in attn.last_attention] == [head[t][: t + 1] for head in full]

    def test_kept_as_floats_not_as_parameters(self) -> None:
        """Recording them adds no parameter, no state and no graph: the next call replaces them."""
        attn = CausalSelfAttention(2, 1, seed=0)
        assert attn.last_attention == [[]]
        names_before = [name for name, _ in attn.named_parameters()]
        attn([[1.0, 2.0], [3.0, 4.0]])
        assert [name for name, _ in attn.named_parameters()] == names_before
        assert list(attn.state_dict()) == names_before
        attn([[1.0, 2.0]])
        assert attn.last_attention == [[[1.0]]]
        assert attn.last_attention is attn.last_attention

    def test_a_refused_call_leaves_them_alone(self) -> None:
        """A call refused for a bad input keeps the previous call's weights."""
        attn = _identity(1)
        attn([[1.0, 0.0]])
        with pytest.raises(TypeError, match=r"CausalSelfAttention: xs\[0\]\[1\]"):
            attn([[1.0, "0"]])  # type: ignore[list-item]
        assert attn.last_attention == [[[1.0]]]


class TestAttention:
    def test_gradients_match_finite_differences(self) -> None:
        """Gradients with respect to every input pass gradcheck."""
        attn = CausalSelfAttention(2, 2, seed=4)

        def f(a: Value, b: Value, c: Value, d: Value) -> Value:
            out: list[list[Value]] = attn([[a, b], [c, d]])
            return autograd.dot(out[1], [1.0, -2.0]) + out[0][0]

        assert gradcheck(f, [0.2, -0.5, 0.9, 0.4])

    def test_names_and_count(self) -> None:
        """The projections are q_proj, k_proj, v_proj and out_proj: 4 (n^2 + n) parameters."""
        attn = CausalSelfAttention(4, 2, seed=0)
        assert [name for name, _ in attn.named_children()] == [
            "q_proj",
            "k_proj",
            "v_proj",
            "out_proj",
        ]
        assert len(attn.parameters()) == 4 * (16 + 4)

    def test_draws_in_its_own_cluster(self) -> None:
        """Inside a scope, the projections' nodes sit under the attention module's scope."""
        with autograd.scope("f"):
            out = CausalSelfAttention(2, 1, seed=0)([[1.0, 2.0]])
        assert autograd.scope_of(out[0][0]) == ("f", "CausalSelfAttention", "out_proj")

    def test_empty_input(self) -> None:
        """No new positions give no outputs."""
        assert CausalSelfAttention(2, 1, seed=0)([]) == []

    @pytest.mark.parametrize(
        ("args", "error", "word"),
        [
            ((4, 3), ValueError, "multiple of n_head"),
            ((0, 1), ValueError, "n_embd"),
            ((4, 0), ValueError, "n_head"),
            ((4.0, 2), TypeError, "n_embd"),
        ],
    )
    def test_bad_arguments(
        self, args: tuple[object, ...], error: type[Exception], word: str
    ) -> None:
        """Bad sizes raise an error naming CausalSelfAttention and the problem."""
        with pytest.raises(error, match=f"CausalSelfAttention: .*{word}"):
            CausalSelfAttention(*args)  # type: ignore[arg-type]

    def test_bad_cache(self) -> None:
        """A cache that is not a KVCache is a TypeError."""
        with pytest.raises(TypeError, match="cache must be a KVCache"):
            _identity(1)([[1.0, 2.0]], [])
