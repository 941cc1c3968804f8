"""Tests for nn._checks: each check's accepted values and the errors naming what is wrong."""

from __future__ import annotations

import random

import pytest

from nn._checks import (
    check_bool,
    check_choice,
    check_int,
    check_positive,
    check_sequence,
    check_token,
    make_rng,
)


class TestCheckInt:
    def test_accepts_ints_at_or_above_the_minimum(self) -> None:
        """An int >= minimum comes back as an int."""
        assert check_int("f", "n", 3) == 3
        assert check_int("f", "n", 0, 0) == 0

    @pytest.mark.parametrize(
        ("value", "error"), [(0, ValueError), (-2, ValueError), (2.0, TypeError), (True, TypeError)]
    )
    def test_refuses(self, value: object, error: type[Exception]) -> None:
        """Below the minimum is a ValueError; a float or bool is a TypeError; both name f and n."""
        with pytest.raises(error, match="f: n must"):
            check_int("f", "n", value)


class TestCheckPositive:
    def test_accepts_positive_numbers(self) -> None:
        """A positive int or float comes back as a float."""
        assert check_positive("f", "x", 2) == 2.0
        assert isinstance(check_positive("f", "x", 2), float)

    @pytest.mark.parametrize(
        ("value", "error"),
        [
            (0.0, ValueError),
            (-1.0, ValueError),
            (float("inf"), ValueError),
            (float("nan"), ValueError),
            (10**400, ValueError),
            ("1", TypeError),
            (True, TypeError),
        ],
    )
    def test_refuses(self, value: object, error: type[Exception]) -> None:
        """Zero, negatives, inf, NaN and huge ints are ValueErrors; strings and bools TypeErrors."""
        with pytest.raises(error, match="f: x must"):
            check_positive("f", "x", value)


class TestOtherChecks:
    def test_bool(self) -> None:
        """Only True and False pass check_bool."""
        assert check_bool("f", "b", True) is True
        with pytest.raises(TypeError, match="f: b must be True or False, got int"):
            check_bool("f", "b", 1)

    def test_choice(self) -> None:
        """A choice must be a str among the choices, which the message lists."""
        assert check_choice("f", "c", "a", ["a", "b"]) == "a"
        with pytest.raises(ValueError, match="f: c must be one of a, b; got 'z'"):
            check_choice("f", "c", "z", ["a", "b"])
        with pytest.raises(TypeError, match="f: c must be a str"):
            check_choice("f", "c", 1, ["a"])

    def test_sequence(self) -> None:
        """Sequences pass (with the right length when asked); strings and iterators do not."""
        assert check_sequence("f", "x", (1, 2), 2) == (1, 2)
        with pytest.raises(ValueError, match="f: x must have 3 items, got 2"):
            check_sequence("f", "x", [1, 2], 3)
        with pytest.raises(TypeError, match="f: x must be a sequence, got str"):
            check_sequence("f", "x", "ab")
        with pytest.raises(TypeError, match="got generator"):
            check_sequence("f", "x", (i for i in range(2)))
        with pytest.raises(TypeError, match="got dict"):
            check_sequence("f", "x", {0: 1.0})

    def test_sequence_accepts_numpy_rows(self) -> None:
        """A NumPy array has a length and indexing, so it counts as a sequence."""
        np = pytest.importorskip("numpy")
        row = np.array([1.0, 2.0])
        assert check_sequence("f", "x", row, 2) is row

    def test_token(self) -> None:
        """A token must be an int in [0, limit)."""
        assert check_token("f", "t", 4, 5) == 4
        with pytest.raises(ValueError, match=r"f: t must be in \[0, 5\), got 5"):
            check_token("f", "t", 5, 5)
        with pytest.raises(ValueError, match="got -1"):
            check_token("f", "t", -1, 5)
        with pytest.raises(TypeError, match="f: t must be an int, got float"):
            check_token("f", "t", 1.0, 5)


class TestMakeRng:
    def test_same_int_same_stream(self) -> None:
        """Two generators from one int seed draw the same numbers."""
        assert make_rng("f", 5).random() == make_rng("f", 5).random()

    def test_a_generator_is_used_as_is(self) -> None:
        """A random.Random passed in is returned, not copied."""
        rng = random.Random(1)
        assert make_rng("f", rng) is rng

    def test_none_leaves_the_global_state_alone(self) -> None:
        """None gives a fresh generator without touching the random module's state."""
        random.seed(3)
        expected = random.random()
        random.seed(3)
        make_rng("f", None).random()
        assert random.random() == expected

    @pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), ("1", TypeError)])
    def test_bad_seeds(self, seed: object, error: type[Exception]) -> None:
        """A negative seed (an alias of its absolute value) or a string is refused."""
        with pytest.raises(error, match="f: seed"):
            make_rng("f", seed)
