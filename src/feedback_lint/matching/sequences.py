"""Token patterns matched only where their first token can be, instead of by spaCy's Matcher.

spaCy's ``Matcher`` starts every pattern at every token, so its cost grows
with the number of patterns even when the words they begin with are absent.
A pattern whose first element lists its words (``{"LOWER": {"IN": [...]}}``),
tags or flags (``{"IS_UPPER": true}``) can instead be looked up in the text's
columns (:mod:`columns`) and tried only where it can start. Only what can be
evaluated exactly is taken: the quantifiers ``?``, ``*`` and ``+``, and the
attributes of :mod:`predicates`; any other pattern stays with the Matcher.
The matches are the Matcher's own (``tests/test_sequences.py`` compares them).
Where quantifiers let a token belong to either of two elements, the Matcher
picks one by its own search order, which is not reproduced here; so a pattern
whose elements are named is taken only when that cannot happen (:func:`ambiguous`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from .columns import (
    ANCHOR_ATTRS,
    FLAG_ATTRS,
    Columns,
    TokenTest,
    accepted,
    compile_test,
    rarity,
)
from .predicates import UnsupportedPattern

#: Quantifier -> (fewest, most) tokens an element takes; ``None`` is unbounded.
_QUANTIFIERS: Final[dict[str | None, tuple[int, int | None]]] = {
    None: (1, 1),
    "?": (0, 1),
    "*": (0, None),
    "+": (1, None),
}


@dataclass(frozen=True)
class Element:
    """One element of a token pattern: what a token must be, and how many tokens it takes."""

    token: TokenTest
    fewest: int
    most: int | None


@dataclass(frozen=True)
class TokenSequence:
    """A token pattern, tried only from the positions its first element accepts.

    ``anchor`` is the attribute that the positions are looked up by, and
    ``values`` the column values it accepts (see :mod:`columns`), both of the
    element ``offset`` tokens after the start (one of the leading elements that
    take one token each, the one whose words are rarest); ``elements`` are all
    the pattern's elements.
    """

    anchor: str
    values: frozenset[int]
    elements: tuple[Element, ...]
    offset: int = 0

    @cached_property
    def fixed(self) -> int:
        """How many leading elements take exactly one token each."""
        return next(
            (i for i, e in enumerate(self.elements) if (e.fewest, e.most) != (1, 1)),
            len(self.elements),
        )

    def matches(self, columns: Columns, start: int) -> list[tuple[int, list[int]]]:
        """Each end of a match from ``start``, once, with the pattern element of each token.

        ``start`` + ``offset`` must hold one of ``values``. Like the Matcher, every possible end
        is reported; where elements could share tokens in several ways, the
        alignment is the one that gives the earlier elements the fewest tokens.
        """
        # Most tries fail on the first elements, which need no search: test them first.
        fixed = self.fixed
        if start + fixed > len(columns.doc):
            return []
        for offset in range(fixed):
            if not self.elements[offset].token.holds(columns, start + offset):
                return []
        found: dict[int, list[int]] = {}
        for end, aligned in self._walk(columns, fixed, start + fixed, list(range(fixed))):
            found.setdefault(end, aligned)
        return list(found.items())

    def _walk(
        self, columns: Columns, index: int, position: int, aligned: list[int]
    ) -> Iterator[tuple[int, list[int]]]:
        if index == len(self.elements):
            yield position, aligned
            return
        element = self.elements[index]
        if element.fewest == 0:
            yield from self._walk(columns, index + 1, position, aligned)
        taken = 0
        length = len(columns.doc)
        while (
            position + taken < length
            and (element.most is None or taken < element.most)
            and element.token.holds(columns, position + taken)
        ):
            taken += 1
            if taken >= element.fewest:
                further = aligned + [index] * taken
                yield from self._walk(columns, index + 1, position + taken, further)


def compile_sequence(
    pattern: Sequence[dict[str, Any]],
    ids: Callable[[Iterable[str]], frozenset[int]],
    *,
    aligned: bool = False,
    common: Callable[[int], bool] | None = None,
) -> TokenSequence | None:
    """``pattern`` as a :class:`TokenSequence`, or None when it is not of a form evaluated here.

    ``ids`` turns attribute values into spaCy's IDs; ``aligned`` says that the
    caller needs each token's element as the Matcher gives it. With ``common``
    (whether a word ID is one most texts hold, see :func:`columns.rarity`), the
    sequence is looked up by the rarest listed value of its leading one-token
    elements; without it, by its first element. Raises :class:`ValueError`
    naming the problem when spaCy's schema rejects the pattern.
    """
    from spacy.schemas import validate_token_pattern

    errors = validate_token_pattern(list(pattern))
    if errors:
        raise ValueError("; ".join(errors))
    if not pattern or "OP" in pattern[0] or (aligned and ambiguous(pattern)):
        return None
    try:
        elements = tuple(_element(element, ids) for element in pattern)
    except UnsupportedPattern:
        return None
    listed = dict(elements[0].token.columns)
    anchor = next((a for a in (*ANCHOR_ATTRS, *FLAG_ATTRS) if a in listed), None)
    if anchor is None:
        return None
    sequence = TokenSequence(anchor, listed[anchor], elements)
    if common is None:
        return sequence
    choices = [
        (rarity(attr, values, common), offset, attr, values)
        for offset, element in enumerate(elements[: sequence.fixed])
        for attr, values in element.token.columns
    ]
    _, offset, attr, values = min(choices, key=lambda choice: choice[:2])
    return TokenSequence(attr, values, elements, offset)


def ambiguous(pattern: Sequence[dict[str, Any]]) -> bool:
    """Whether quantifiers may let one token of a match belong to either of two elements.

    Two alignments of one match first differ at a token that a quantified element
    takes in one and a later element in the other, every element between them
    taking none; so if each quantified element excludes every element it can be
    followed by directly (or across elements that may take no token), the
    alignment of each match is the only one.
    """
    listed = [_listed(element) for element in pattern]
    for i, element in enumerate(pattern):
        if _QUANTIFIERS.get(element.get("OP"), (1, 1)) == (1, 1):
            continue
        for j in range(i + 1, len(pattern)):
            if not any(
                attr in listed[j] and values.isdisjoint(listed[j][attr])
                for attr, values in listed[i].items()
            ):
                return True
            if _QUANTIFIERS.get(pattern[j].get("OP"), (1, 1))[0] > 0:
                break
    return False


def _listed(element: dict[str, Any]) -> dict[str, frozenset[object]]:
    """The values an element lists for each attribute; an ORTH also gives its LOWER."""
    listed: dict[str, frozenset[object]] = {}
    for attr, value in element.items():
        name = "ORTH" if attr.upper() == "TEXT" else attr.upper()
        if name in FLAG_ATTRS and isinstance(value, bool):
            listed[name] = frozenset([value])
        elif name in ANCHOR_ATTRS and (words := accepted(value)) is not None:
            listed[name] = frozenset(words)
            if name == "ORTH":
                listed.setdefault("LOWER", frozenset(word.lower() for word in words))
    return listed


def _element(element: dict[str, Any], ids: Callable[[Iterable[str]], frozenset[int]]) -> Element:
    op = element.get("OP")
    if op not in _QUANTIFIERS:
        raise UnsupportedPattern(f"quantifier {op!r}")
    fewest, most = _QUANTIFIERS[op]
    token = compile_test({k: v for k, v in element.items() if k != "OP"}, ids)
    return Element(token, fewest, most)
