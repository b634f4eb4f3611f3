"""Feedback units: split a document into the pieces that document-level rules judge.

A unit is the whole text (``document``, the default), a Markdown section
(``section``: a heading and what follows it) or a separate piece of feedback
(``item``: a top-level list item or a paragraph outside lists), taken from the
regions :mod:`documents` computes. Each unit collects the signals found in its
blocks, and a ``kind: document`` rule fires on a unit when its ``when`` holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from .documents import Document, Region
from .findings import Unit
from .rules import MATCH_NODE, Rule, When

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .matching import Match, SignalMatch
    from .rules import Signal

UnitKind = Literal["document", "section", "item"]
#: The nodes a count rule's match (``more_than``) carries besides ``match``: the first
#: find of each separate clause beyond the count, in text order (``excess0``, ...), so
#: that its suggestion can keep the points that fit and leave out the rest.
EXCESS_NODE: Final = "excess"
#: ... and the points within the count (``kept0``, ...), which that suggestion keeps.
KEPT_NODE: Final = "kept"
#: Where a parsed block starts in its document (``Doc.user_data``), for edits of a
#: match's nodes that lie in other blocks than the one it reports.
BLOCK_OFFSET: Final = "feedback_lint.block_offset"
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


def holds(when: When, unit: UnitSignals, threshold: int | None = None) -> bool:
    """Whether ``when`` holds in ``unit``; ``threshold`` replaces the counts of ``more_than``."""
    if not all(unit.spans.get(name) for name in when.has):
        return False
    if any(unit.spans.get(name) for name in when.lacks):
        return False
    return all(
        unit.clauses.get(name, 0) > (count if threshold is None else threshold)
        for name, count in when.more_than
    )


def is_document_rule(rule: Rule) -> bool:
    """Whether ``rule`` judges whole units (``kind: document``) instead of matching text."""
    return any(spec.kind == "document" for spec in rule.matches)


def document_matches(
    rules: Sequence[Rule],
    units: Sequence[UnitSignals],
    thresholds: Mapping[str, int] | None = None,
) -> list[tuple[Match, int]]:
    """Each document rule's match in each unit where it holds, with its block offset.

    The match's node ``match`` is the first find of the rule's ``report`` signal.
    """
    from .matching import Match

    thresholds = thresholds or {}
    result: list[tuple[Match, int]] = []
    for rule in rules:
        for spec in rule.matches:
            if spec.when is None:
                continue
            threshold = thresholds.get(rule.code, thresholds.get(rule.name))
            for unit in units:
                if not holds(spec.when, unit, threshold):
                    continue
                first = unit.found[spec.report[0]][0]
                nodes = {MATCH_NODE: first.match.span}
                first.match.span.doc.user_data[BLOCK_OFFSET] = first.offset
                nodes.update(excess_points(spec.when, unit, threshold))
                match = Match(rule, spec, nodes, first.match.start_char, first.match.end_char)
                result.append((match, first.offset))
    return result


def excess_points(when: When, unit: UnitSignals, threshold: int | None = None) -> dict[str, Span]:
    """The points of ``unit`` counted by ``when.more_than``, as match nodes.

    A point is a separate clause (see :func:`clause_of`), named by its first find and
    its place among the points: ``kept<i>`` for the points a rewrite keeps (as many as
    the count: first those whose clause holds another signal's find, then the
    earliest), ``excess<i>`` for the others. Each node's block offset is recorded on
    its parse (``BLOCK_OFFSET``).
    """
    nodes: dict[str, Span] = {}
    for name, count in when.more_than:
        seen: set[tuple[int, int]] = set()
        points: list[Found] = []
        for found in unit.found.get(name, ()):
            clause = clause_of(found)
            if clause not in seen:
                seen.add(clause)
                points.append(found)
        # A point that also says something else (where, what it caused, what to do)
        # is kept before one that only complains; then the earlier before the later.
        others = {
            clause_of(found)
            for other, finds in unit.found.items()
            if other != name
            for found in finds
        }
        ranked = sorted(range(len(points)), key=lambda i: (clause_of(points[i]) not in others, i))
        keep = set(ranked[: count if threshold is None else threshold])
        for index, found in enumerate(points):
            found.match.span.doc.user_data[BLOCK_OFFSET] = found.offset
            prefix = KEPT_NODE if index in keep else EXCESS_NODE
            nodes[f"{prefix}{index}"] = found.match.span
    return nodes
