"""Tests for nn.text: the shipped names and the character tokenizer."""

from __future__ import annotations

from importlib import resources

import pytest

import nn
from nn.text import CharTokenizer, names


class TestNames:
    def test_at_least_two_thousand_alphabetic_lowercase_names(self) -> None:
        """There are over 2,000 names, each lowercase a-z only, none twice."""
        everyone = names()
        assert len(everyone) >= 2000
        assert all(name.isascii() and name.isalpha() and name.islower() for name in everyone)
        assert len(set(everyone)) == len(everyone)

    def test_sorted_and_stable(self) -> None:
        """The names come in alphabetical order, the same on every call."""
        everyone = names()
        assert everyone == sorted(everyone)
        assert names() == everyone

    def test_real_names(self) -> None:
        """Common names from both census lists are there."""
        assert {"mary", "james", "emma", "william"} <= set(names())

    def test_each_call_returns_a_new_list(self) -> None:
        """Shuffling the returned list does not change what the next call returns."""
        first = names()
        first.reverse()
        assert names()[0] == "aaron"

    def test_file_states_its_provenance(self) -> None:
        """The data file's header names its source and licence."""
        text = resources.files("nn").joinpath("names.txt").read_text(encoding="utf-8")
        header = "".join(line for line in text.splitlines() if line.startswith("#"))
        assert "Census" in header
        assert "public domain" in header
        assert "MIT" in header

    def test_reexported_from_data(self) -> None:
        """nn.data offers names and CharTokenizer too."""
        assert nn.data.names is names
        assert nn.data.CharTokenizer is CharTokenizer


class TestCharTokenizer:
    def test_vocabulary(self) -> None:
        """Characters are sorted and numbered from 0; BOS is the next id."""
        tok = CharTokenizer(["hello", "world"])
        assert tok.chars == "dehlorw"
        assert (tok.bos, tok.vocab_size) == (7, 8)

    def test_names_give_27_tokens(self) -> None:
        """The names use a-z, so with BOS the vocabulary has 27 tokens and 'a' is 0."""
        tok = CharTokenizer(names())
        assert tok.chars == "abcdefghijklmnopqrstuvwxyz"
        assert tok.vocab_size == 27
        assert tok.encode("az") == [0, 25]

    def test_round_trip(self) -> None:
        """decode(encode(text)) is text, and BOS ids are left out."""
        tok = CharTokenizer(["abc"])
        assert tok.decode(tok.encode("cabb")) == "cabb"
        assert tok.decode([tok.bos, *tok.encode("ab"), tok.bos]) == "ab"

    def test_unknown_character(self) -> None:
        """Encoding a character outside the vocabulary names it and its index."""
        with pytest.raises(
            ValueError,
            match="text holds the character 'z' at index 1, which is not in the vocabulary",
        ):
            CharTokenizer(["abc"]).encode("az")

    @pytest.mark.parametrize(
        ("ids", "error", "match"),
        [
            ([0, 4], ValueError, r"ids\[1\] must be <= 3 for vocab_size 4, got 4"),
            ([-1], ValueError, r"ids\[0\] must be >= 0"),
            ([1.0], TypeError, r"ids\[0\] must be an int, got float"),
            ([True], TypeError, r"ids\[0\] must be an int, got bool"),
            ("ab", TypeError, "ids must be an iterable of ints"),
        ],
    )
    def test_bad_ids(self, ids: object, error: type[Exception], match: str) -> None:
        """Decoding an id out of range or not an int is refused, naming it."""
        with pytest.raises(error, match=f"CharTokenizer.decode: {match}"):
            CharTokenizer(["abc"]).decode(ids)  # type: ignore[arg-type]

    def test_bad_texts(self) -> None:
        """A vocabulary needs str texts and at least one character."""
        with pytest.raises(TypeError, match=r"CharTokenizer: texts\[1\] must be a str, got int"):
            CharTokenizer(["a", 1])  # type: ignore[list-item]
        with pytest.raises(ValueError, match="no characters"):
            CharTokenizer(["", ""])
        with pytest.raises(TypeError, match=r"CharTokenizer\.encode: text must be a str"):
            CharTokenizer(["a"]).encode(["a"])  # type: ignore[arg-type]

    def test_repr(self) -> None:
        """repr shows the characters and the BOS id."""
        assert repr(CharTokenizer(["ba"])) == "CharTokenizer(chars='ab', bos=2)"
