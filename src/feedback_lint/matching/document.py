"""Document rules: a `kind: document` rule matches a feedback unit whose signals meet `when`.

The units and the signals found in them come from :mod:`feedback_lint.units`;
a match here is a :class:`Match` like any other, so messages, suggestions and
findings are built the same way for every kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from ..rules import MATCH_NODE, Rule, When
from ..units import Found, UnitSignals, clause_of
from .matches import Match

#: The nodes a count rule's match (``more_than``) carries besides ``match``: the first
#: find of each separate clause beyond the count, in text order (``excess0``, ...), so
#: that its suggestion can keep the points that fit and leave out the rest.
EXCESS_NODE: Final = "excess"
#: ... and the points within the count (``kept0``, ...), which that suggestion keeps.
KEPT_NODE: Final = "kept"

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
                offsets = {MATCH_NODE: first.offset}
                for name, found in excess_points(spec.when, unit, threshold).items():
                    nodes[name] = found.match.span
                    offsets[name] = found.offset
                start, end = first.match.start_char, first.match.end_char
                result.append((Match(rule, spec, nodes, start, end, offsets), first.offset))
    return result


def excess_points(when: When, unit: UnitSignals, threshold: int | None = None) -> dict[str, Found]:
    """The points of ``unit`` counted by ``when.more_than``, by their match node names.

    A point is a separate clause (see :func:`clause_of`), named by its first find and
    its place among the points: ``kept<i>`` for the points a rewrite keeps (as many as
    the count: first those whose clause holds another signal's find, then the
    earliest), ``excess<i>`` for the others.
    """
    nodes: dict[str, Found] = {}
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
            prefix = KEPT_NODE if index in keep else EXCESS_NODE
            nodes[f"{prefix}{index}"] = found
    return nodes
