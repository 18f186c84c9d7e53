"""Text for character-level models: a tokenizer and the names data set.

``names.txt`` (32,033 first names, one per line, lower case) is a copy of
``names.txt`` from the karpathy/makemore repository, MIT licence; the licence
ships beside it as ``nn/datasets/names.LICENSE``.
"""

from __future__ import annotations

from importlib import resources
from typing import Iterable, Sequence

__all__ = ["CharTokenizer", "load_names"]


class CharTokenizer:
    """Characters ↔ token ids: the characters of ``docs`` sorted, then one BOS token last.

    BOS marks both the beginning and the end of a document, so a name is
    encoded for training as ``[bos, *encode(name), bos]`` (:meth:`document`).
    This is how the well-known GPT-from-scalars code numbers its tokens:
    ``vocab_size = len(chars) + 1`` and ``bos = len(chars)``.
    """

    def __init__(self, docs: Iterable[str]) -> None:
        if isinstance(docs, str):
            raise TypeError("CharTokenizer(docs) expects a list of documents, got one str; wrap it: [text]")
        chars: set[str] = set()
        for i, d in enumerate(docs):
            if not isinstance(d, str):
                raise TypeError(f"CharTokenizer(docs)[{i}] must be a str, got {type(d).__name__}: {d!r}")
            chars.update(d)
        if not chars:
            raise ValueError("CharTokenizer(docs): the documents hold no characters")
        self.chars = "".join(sorted(chars))
        self._ids = {c: i for i, c in enumerate(self.chars)}
        self.bos = len(self.chars)
        self.vocab_size = len(self.chars) + 1

    def encode(self, text: str) -> list[int]:
        """The id of each character of ``text``; ValueError naming a character outside the vocabulary."""
        if not isinstance(text, str):
            raise TypeError(f"CharTokenizer.encode: expected a str, got {type(text).__name__}: {text!r}")
        ids = self._ids
        try:
            return [ids[c] for c in text]
        except KeyError as e:
            pos = next(i for i, c in enumerate(text) if c not in ids)
            raise ValueError(
                f"CharTokenizer.encode: character {e.args[0]!r} at position {pos} of {text!r} is not in the "
                f"vocabulary ({self.chars!r})"
            ) from None

    def document(self, text: str) -> list[int]:
        """``[bos, *encode(text), bos]``: one training document."""
        return [self.bos, *self.encode(text), self.bos]

    def decode(self, ids: Sequence[int]) -> str:
        """The characters of ``ids``; BOS tokens are left out.  ValueError naming a bad id."""
        out = []
        for i, t in enumerate(ids):
            if isinstance(t, bool) or not isinstance(t, int):
                raise TypeError(f"CharTokenizer.decode: ids[{i}] must be an int, got {type(t).__name__}: {t!r}")
            if not 0 <= t <= self.bos:
                raise ValueError(f"CharTokenizer.decode: ids[{i}] = {t} is not a token id (0 … {self.bos})")
            if t != self.bos:
                out.append(self.chars[t])
        return "".join(out)

    def __repr__(self) -> str:
        return f"CharTokenizer({self.chars!r} + BOS; vocab_size={self.vocab_size})"


def load_names() -> list[str]:
    """The 32,033 names of karpathy/makemore's ``names.txt`` (MIT licence), in file order."""
    text = resources.files("nn").joinpath("datasets").joinpath("names.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]
