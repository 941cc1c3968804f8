"""Text for language models: first names shipped with the package, and a character tokenizer."""

from __future__ import annotations

import functools
import numbers
from collections.abc import Iterable
from importlib import resources

__all__ = ["CharTokenizer", "names"]


@functools.lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    text = resources.files("nn").joinpath("names.txt").read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line and not line.startswith("#"))


def names() -> list[str]:
    """5,163 real first names, lowercase ``a``-``z`` only, sorted, read from the package.

    They come from the US Census Bureau's 1990 first-name lists (female and
    male), which are in the public domain, as carried by the MIT-licensed
    ``names`` package on PyPI; ``nn/names.txt`` says so in its header. Nothing
    is downloaded. Shuffle them yourself (with a seeded ``random.Random``)
    before splitting into training and test sets.

    Returns:
        A new list of the names, in alphabetical order.

    Example:
        >>> everyone = names()
        >>> len(everyone), everyone[:3]
        (5163, ['aaron', 'abbey', 'abbie'])
    """
    return list(_names())


class CharTokenizer:
    """Characters to token ids and back, plus a token, BOS, marking where a text begins and ends.

    The characters are those found in ``texts``, sorted; character ``c`` gets
    its rank as id (``"a"`` is 0 for lowercase names) and BOS gets the next id,
    so ``vocab_size = len(chars) + 1``. A training sequence for a name is
    ``[bos, *encode(name), bos]``: the model learns to start a name after BOS
    and to end it by predicting BOS.

    Args:
        texts: the texts whose characters make the vocabulary (at least one
            character in all).

    Raises:
        TypeError: if an item of ``texts`` is not a str.
        ValueError: if there are no characters at all.

    Example:
        >>> tok = CharTokenizer(["ab", "ba", "c"])
        >>> tok.vocab_size, tok.bos, tok.encode("cab")
        (4, 3, [2, 0, 1])
        >>> tok.decode([tok.bos, 2, 0, 1, tok.bos])
        'cab'
    """

    def __init__(self, texts: Iterable[str]) -> None:
        where = "CharTokenizer"
        if isinstance(texts, (bytes, bytearray)) or not isinstance(texts, Iterable):
            raise TypeError(
                f"{where}: texts must be an iterable of str, got {type(texts).__name__}"
            )
        seen: set[str] = set()
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"{where}: texts[{index}] must be a str, got {type(text).__name__}")
            seen.update(text)
        if not seen:
            raise ValueError(f"{where}: texts hold no characters to make a vocabulary from")
        #: The vocabulary's characters, sorted; a character's id is its index here.
        self.chars = "".join(sorted(seen))
        self._ids = {c: i for i, c in enumerate(self.chars)}
        #: The id of the begin/end-of-sequence token: one past the last character's.
        self.bos = len(self.chars)
        #: The number of token ids: the characters and BOS.
        self.vocab_size = len(self.chars) + 1

    def encode(self, text: str) -> list[int]:
        """The id of each character of ``text`` (no BOS is added).

        Args:
            text: a string of characters in the vocabulary.

        Returns:
            A list of ints, one per character.

        Raises:
            TypeError: if ``text`` is not a str.
            ValueError: naming the first character not in the vocabulary.

        Example:
            >>> CharTokenizer(["abc"]).encode("cab")
            [2, 0, 1]
        """
        if not isinstance(text, str):
            raise TypeError(f"CharTokenizer.encode: text must be a str, got {type(text).__name__}")
        try:
            return [self._ids[c] for c in text]
        except KeyError as error:
            c = error.args[0]
            raise ValueError(
                f"CharTokenizer.encode: character {c!r} at index {text.index(c)} "
                f"is not in the vocabulary {self.chars!r}"
            ) from None

    def decode(self, ids: Iterable[int]) -> str:
        """The text for a list of ids; BOS tokens are left out.

        Args:
            ids: token ids in ``[0, vocab_size)``.

        Returns:
            The string of their characters.

        Raises:
            TypeError: if an id is not an int.
            ValueError: if an id is out of range.

        Example:
            >>> tok = CharTokenizer(["abc"])
            >>> tok.decode([tok.bos, 1, 1, 0, tok.bos])
            'bba'
        """
        where = "CharTokenizer.decode"
        if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
            raise TypeError(f"{where}: ids must be an iterable of ints, got {type(ids).__name__}")
        out: list[str] = []
        for index, i in enumerate(ids):
            if isinstance(i, bool) or not isinstance(i, numbers.Integral):
                raise TypeError(f"{where}: ids[{index}] must be an int, got {type(i).__name__}")
            if not 0 <= int(i) < self.vocab_size:
                raise ValueError(
                    f"{where}: ids[{index}] must be in [0, {self.vocab_size}), got {int(i)}"
                )
            if i != self.bos:
                out.append(self.chars[i])
        return "".join(out)

    def __repr__(self) -> str:
        return f"CharTokenizer(chars={self.chars!r}, bos={self.bos})"
