"""Text for language models: first names shipped with the package, and a character tokenizer.

Arguments are checked with :mod:`autograd.checks` (a wrong type is a ``TypeError``,
a wrong value a ``ValueError``, each naming the method and the parameter).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources

from autograd import checks

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

    Examples:
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
        TypeError: if ``texts`` is a str (not an iterable of them) or not
            iterable, or an item of it is not a str.
        ValueError: if there are no characters at all.

    Examples:
        >>> tok = CharTokenizer(["ab", "ba", "c"])
        >>> tok.vocab_size, tok.bos, tok.encode("cab")
        (4, 3, [2, 0, 1])
        >>> tok.decode([tok.bos, 2, 0, 1, tok.bos])
        'cab'
    """

    def __init__(self, texts: Iterable[str]) -> None:
        where = "CharTokenizer"
        items = checks.iterable(where, "texts", texts, what="an iterable of str")
        seen: set[str] = set()
        for index, text in enumerate(items):
            seen.update(checks.instance(where, f"texts[{index}]", text, str, "a str"))
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

        Examples:
            >>> CharTokenizer(["abc"]).encode("cab")
            [2, 0, 1]
        """
        checks.instance("CharTokenizer.encode", "text", text, str, "a str")
        try:
            return [self._ids[c] for c in text]
        except KeyError as error:
            c = error.args[0]
            raise ValueError(
                f"CharTokenizer.encode: text holds the character {c!r} at index "
                f"{text.index(c)}, which is not in the vocabulary {checks.shown(self.chars)}"
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

        Examples:
            >>> tok = CharTokenizer(["abc"])
            >>> tok.decode([tok.bos, 1, 1, 0, tok.bos])
            'bba'
        """
        where = "CharTokenizer.decode"
        top, why = self.vocab_size - 1, f" for vocab_size {self.vocab_size}"
        out: list[str] = []
        for index, i in enumerate(checks.iterable(where, "ids", ids, what="an iterable of ints")):
            i = checks.integer(where, f"ids[{index}]", i, minimum=0, maximum=top, why=why)
            if i != self.bos:
                out.append(self.chars[i])
        return "".join(out)

    def __repr__(self) -> str:
        return f"CharTokenizer(chars={self.chars!r}, bos={self.bos})"
