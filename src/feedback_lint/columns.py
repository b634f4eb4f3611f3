"""A parsed text's token attributes as spaCy's integer IDs, for cheap tests of words.

Patterns that list the words, tags or relations a token may have are tested
against these columns (read once per text with ``Doc.to_array``) instead of
through ``Token`` objects and their strings.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from .predicates import Predicate, compile_predicate

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: String attributes whose values a pattern can list (TEXT is ORTH).
ANCHOR_ATTRS: Final = ("LOWER", "ORTH", "TEXT", "NORM", "LEMMA", "POS", "TAG", "DEP")
#: Boolean attributes, held in a column as 0 or 1; those true of fewer tokens first.
FLAG_ATTRS: Final = (
    "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "IS_DIGIT", "IS_UPPER", "IS_TITLE",
    "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_LOWER", "IS_ALPHA", "IS_ASCII",
)  # fmt: skip

#: What one pattern element requires of a single token: (attribute, accepted column values).
IdAnchor = tuple[tuple[str, frozenset[int]], ...]


def accepted(value: Any) -> frozenset[str] | None:
    """The values a pattern attribute accepts, when it lists them (a literal or ``IN``)."""
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"}:
        words = value["IN"]
        if isinstance(words, list) and all(isinstance(word, str) for word in words):
            return frozenset(words)
    return None  # not a list of words, or not one spaCy accepts: validation reports it


def column_values(
    attr: str, value: Any, ids: Callable[[Iterable[str]], frozenset[int]]
) -> frozenset[int] | None:
    """The column values that a pattern's ``value`` for ``attr`` (upper case) accepts,
    when it lists them; ``ids`` turns strings into spaCy's IDs."""
    if attr in FLAG_ATTRS:
        return frozenset([int(value)]) if isinstance(value, bool) else None
    words = accepted(value) if attr in ANCHOR_ATTRS else None
    return None if words is None else ids(words)


@cache
def _attr_id(attr: str) -> int:
    from spacy import attrs

    return int(getattr(attrs, "ORTH" if attr == "TEXT" else attr))


class Columns:
    """One parsed text's attribute columns, each read on first use and shared by every test."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._lists: dict[str, list[int]] = {}
        self._sets: dict[str, set[int]] = {}
        self._satisfied: dict[IdAnchor, bool] = {}
        self._sentence_starts: list[int] | None = None

    def values(self, attr: str) -> list[int]:
        """The value of ``attr`` (a token attribute of ``spacy.attrs``) for each token."""
        found = self._lists.get(attr)
        if found is None:
            found = self.doc.to_array(_attr_id(attr)).tolist() if len(self.doc) else []
            self._lists[attr] = found
        return found

    def holds(self, requirements: IdAnchor, position: int) -> bool:
        """Whether the token at ``position`` meets all of ``requirements``."""
        # A loop, not all() over a generator: this runs for every candidate token.
        for attr, wanted in requirements:  # noqa: SIM110
            if self.values(attr)[position] not in wanted:
                return False
        return True

    def sentence(self, position: int) -> tuple[int, int]:
        """The start and end of the sentence that holds the token at ``position``."""
        starts = self._sentence_starts
        if starts is None:
            flags = self.values("SENT_START")  # 1 where a sentence starts
            starts = self._sentence_starts = [i for i, f in enumerate(flags) if f == 1 or i == 0]
        index = bisect.bisect_right(starts, position) - 1
        end = starts[index + 1] if index + 1 < len(starts) else len(self.doc)
        return starts[index], end

    def satisfies(self, nodes: tuple[IdAnchor, ...]) -> bool:
        """Whether, for each of ``nodes``, some single token meets all its requirements."""
        for node in nodes:  # first whether each value is there at all, which is cheap
            for attr, wanted in node:
                if wanted.isdisjoint(self._present(attr)):
                    return False
        return all(len(node) == 1 or self._search(node) for node in nodes)

    def _present(self, attr: str) -> set[int]:
        if attr not in self._sets:
            self._sets[attr] = set(self.values(attr))
        return self._sets[attr]

    def _search(self, node: IdAnchor) -> bool:
        known = self._satisfied.get(node)
        if known is not None:
            return known
        (attr, wanted), *others = node
        rest = tuple(others)
        known = self._satisfied[node] = any(
            self.holds(rest, i) for i, value in enumerate(self.values(attr)) if value in wanted
        )
        return known


@dataclass(frozen=True)
class TokenTest:
    """A one-token pattern split in two: ``columns``, the attributes that list their
    values, tested on a text's columns; ``rest``, tested on the token itself."""

    columns: IdAnchor
    rest: Predicate | None

    def holds(self, columns: Columns, position: int) -> bool:
        """Whether the token at ``position`` is one the pattern accepts."""
        return columns.holds(self.columns, position) and (
            self.rest is None or self.rest(columns.doc[position])
        )


def compile_test(
    attrs: Mapping[str, Any], ids: Callable[[Iterable[str]], frozenset[int]]
) -> TokenTest:
    """The one-token pattern ``attrs`` as a :class:`TokenTest`; ``ids`` turns strings
    into spaCy's IDs. Raises ValueError as :func:`predicates.compile_predicate` does."""
    compile_predicate(attrs)  # validated whole, and refused if any of it cannot be evaluated
    listed: list[tuple[str, frozenset[int]]] = []
    others: dict[str, Any] = {}
    for attr, value in attrs.items():
        values = column_values(attr.upper(), value, ids)
        if values is not None:
            listed.append((attr.upper(), values))
        else:
            others[attr] = value
    return TokenTest(tuple(listed), compile_predicate(others) if others else None)
