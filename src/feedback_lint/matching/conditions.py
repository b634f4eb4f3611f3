"""Conditions (``require`` / ``unless``): one-token tests on the tokens related to a match.

Each condition is compiled to a :class:`columns.TokenTest` and tried only on
the few tokens in its relation to one of the match's nodes, instead of by a
second Matcher over every token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..clauses import clause_around
from ..rules import Condition, MatchSpec
from .columns import Columns, IdAnchor, TokenTest, compile_test
from .matches import Owner, pattern_error

if TYPE_CHECKING:
    from spacy.tokens import Span


def related(i: int, rel: str, columns: Columns) -> Iterable[int]:
    """The positions of the tokens in relation ``rel`` (see rules.RELATIONS) to the token
    at ``i``, read from the text's columns where they hold it."""
    if rel == "self":
        return (i,)
    if rel == ">":
        return columns.children()[i]
    if rel == "<":
        head = columns.heads()[i]
        return () if head == i else (head,)
    if rel == ">>":
        return (t.i for t in columns.doc[i].subtree if t.i != i)
    if rel == "<<":
        return (t.i for t in columns.doc[i].ancestors)
    if rel == ".":
        return (i + 1,) if i + 1 < len(columns.doc) else ()
    if rel == ";":
        return (i - 1,) if i > 0 else ()
    if rel in ("$+", "$-"):
        head = columns.heads()[i]
        if head == i:
            return ()
        siblings = columns.children()[head]
        return [t for t in siblings if t > i] if rel == "$+" else [t for t in siblings if t < i]
    if rel == "clause":
        return (t.i for t in clause_around(columns.doc[i]))
    start, end = columns.sentence(i)
    if rel == "before":
        return range(start, i)
    if rel == "after":
        return range(i + 1, end)
    return range(start, end)


class Conditions:
    """The compiled conditions of every rule and signal, by the condition they come from."""

    def __init__(self, ids: Callable[[Iterable[str]], frozenset[int]]) -> None:
        self._ids = ids
        self._tests: dict[int, TokenTest] = {}

    def add(self, owner: Owner, condition: Condition) -> None:
        """Compile ``condition`` and its own conditions; a pattern one of them cannot
        evaluate is a load error of ``owner``."""
        try:
            self._tests[id(condition)] = compile_test(condition.attrs, self._ids)
        except (ValueError, re.error) as exc:
            raise pattern_error(owner, condition.line, "condition", exc) from None
        for inner in (*condition.require, *condition.unless):
            self.add(owner, inner)

    def required_by(self, spec: MatchSpec) -> tuple[IdAnchor, ...]:
        """What the ``require`` conditions of ``spec`` need some token of a text to be:
        each names a token of the text that must meet its listed attributes."""
        tests = (self._tests[id(condition)] for condition in spec.require)
        return tuple(test.columns for test in tests if test.columns)

    def hold(self, spec: MatchSpec, nodes: dict[str, Span], columns: Columns) -> bool:
        """Whether a match of ``spec`` with these nodes meets all its conditions."""
        return all(self._holds(c, nodes, columns) for c in spec.require) and not any(
            self._holds(c, nodes, columns) for c in spec.unless
        )

    def _holds(self, condition: Condition, nodes: dict[str, Span], columns: Columns) -> bool:
        span = nodes[condition.node]
        # The next and previous tokens of a multi-token node are those around the whole node.
        rel = condition.rel
        if rel == ".":
            anchor = span.end - 1
        elif rel == ";" or len(span) == 1:
            anchor = span.start
        else:
            anchor = span.root.i
        return self._holds_from(condition, anchor, columns)

    def _holds_from(self, condition: Condition, anchor: int, columns: Columns) -> bool:
        """Whether some token in ``condition``'s relation to the token at ``anchor`` meets
        its attributes and its own conditions, which are related to that token."""
        test = self._tests[id(condition)]
        positions = related(anchor, condition.rel, columns)
        if not condition.require and not condition.unless:
            return test.holds_at_any(columns, positions)
        return any(
            test.holds(columns, i)
            and all(self._holds_from(inner, i, columns) for inner in condition.require)
            and not any(self._holds_from(inner, i, columns) for inner in condition.unless)
            for i in positions
        )
