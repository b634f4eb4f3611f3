"""Feedback units: split a document into the pieces that document-level rules judge.

A unit is the whole text (``document``, the default), a Markdown section
(``section``: a heading and what follows it) or a separate piece of feedback
(``item``: a top-level list item or a paragraph outside lists), taken from the
regions :mod:`documents` computes. Each unit collects the signals found in its
blocks; :mod:`feedback_lint.matching.document` judges the units by the
``kind: document`` rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from .documents import Document, Region
from .findings import Unit

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .matching import Match, SignalMatch
    from .rules import Signal

UnitKind = Literal["document", "section", "item"]
#: The ways a document can be split into feedback units.
UNIT_KINDS: Final = ("document", "section", "item")


def unit_regions(document: Document, unit: str) -> tuple[Region, ...]:
    """The regions of ``document`` that are its feedback units of kind ``unit``."""
    if unit == "section":
        return document.sections
    if unit == "item":
        return document.items
    return (Region(0, len(document.text)),)


@dataclass(frozen=True)
class Found:
    """A signal found in a document: the match in its parsed block, and the block's offset."""

    match: SignalMatch
    offset: int

    @property
    def start(self) -> int:
        """The start in the document's text."""
        return self.match.start_char + self.offset

    @property
    def end(self) -> int:
        """The end in the document's text."""
        return self.match.end_char + self.offset


def rule_finds(
    matches: Sequence[Match], sources: Mapping[str, Sequence[Signal]], offset: int
) -> list[Found]:
    """The finds of signals that count rule matches (``rules:`` in a signal file).

    Each match of a rule named in ``sources`` is a find of each of its signals, over
    the match's reported span.
    """
    from .matching import SignalMatch

    found: list[Found] = []
    for match in matches:
        for signal in sources.get(match.rule.code, ()):
            reported = [match.nodes[name] for name in match.spec.report]
            doc = reported[0].doc
            span = doc[min(s.start for s in reported) : max(s.end for s in reported)]
            found.append(
                Found(
                    SignalMatch(signal, match.spec, span, match.start_char, match.end_char), offset
                )
            )
    return found


def clause_of(found: Found) -> tuple[int, int]:
    """The clause a find belongs to: its block offset and the position of the clause's head.

    The head is the first verb at or above the find that has a subject of its own, or
    the sentence's root: "you missed the deadline, you didn't test it" are two clauses.
    """
    token = found.match.span.root
    while token.head.i != token.i and not _has_subject(token):
        token = token.head
    return found.offset, token.i


def _has_subject(token: Token) -> bool:
    return token.pos_ in _CLAUSE_POS and any(c.dep_ in _SUBJECTS for c in token.children)


_CLAUSE_POS: Final = frozenset({"VERB", "AUX"})
_SUBJECTS: Final = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})


@dataclass(frozen=True)
class UnitSignals:
    """One unit's region and, for each signal, what was found there, in text order.

    ``spans`` merges overlapping finds of a signal, so that one phrase matched by
    several patterns counts once; ``found`` keeps the first find of each merged span;
    ``clauses`` counts the separate clauses the signal was found in (see
    :func:`clause_of`), so that one sentence naming a problem twice is one point.
    """

    region: Region
    spans: Mapping[str, tuple[tuple[int, int], ...]]
    found: Mapping[str, tuple[Found, ...]]
    clauses: Mapping[str, int]

    def unit(self) -> Unit:
        """The public value for ``Report.units``."""
        return Unit(self.region.start, self.region.end, dict(self.spans))


def collect(
    regions: Sequence[Region], found: Sequence[Found], names: Sequence[str]
) -> list[UnitSignals]:
    """Assign each find to the unit that contains it and merge overlapping finds."""
    units: list[UnitSignals] = []
    for region in regions:
        inside = sorted(
            (f for f in found if region.start <= f.start and f.end <= region.end),
            key=lambda f: (f.start, -f.end),
        )
        spans: dict[str, list[tuple[int, int]]] = {name: [] for name in names}
        firsts: dict[str, list[Found]] = {name: [] for name in names}
        for item in inside:
            name = item.match.signal.name
            merged = spans.setdefault(name, [])
            if merged and item.start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], item.end))
                continue
            merged.append((item.start, item.end))
            firsts.setdefault(name, []).append(item)
        units.append(
            UnitSignals(
                region,
                {name: tuple(value) for name, value in spans.items()},
                {name: tuple(value) for name, value in firsts.items()},
                {name: len({clause_of(f) for f in value}) for name, value in firsts.items()},
            )
        )
    return units
