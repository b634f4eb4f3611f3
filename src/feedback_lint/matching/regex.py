"""Regular-expression patterns (``kind: regex``), run on a block's text with a time limit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

import regex

from ..errors import RuleError
from ..rules import MATCH_NODE, MatchSpec
from .matches import Candidate, Owner, owner_label

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

#: Seconds a rule's regular expression may run on one block before it is stopped.
REGEX_TIMEOUT: Final = 1.0


class RegexTimeout(RuleError):
    """A rule's regular expression ran longer than :data:`REGEX_TIMEOUT`."""


class RegexPatterns:
    """Every regular-expression pattern of the rules and signals, in the order added."""

    def __init__(self) -> None:
        self._patterns: list[tuple[Owner, MatchSpec, regex.Pattern[str]]] = []

    def add(self, owner: Owner, spec: MatchSpec) -> None:
        """Compile the expressions of ``spec`` (regex raises ``regex.error`` on a bad one)."""
        flags = 0 if spec.case_sensitive else regex.IGNORECASE
        for pattern in spec.patterns:
            self._patterns.append((owner, spec, regex.compile(pattern, flags)))

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def find(self, doc: Doc, text: str) -> Iterator[Candidate]:
        """Every match in ``doc`` (whose text is ``text``), with its named groups as nodes."""
        for owner, spec, compiled in self._patterns:
            for nodes in self._nodes(doc, text, owner, spec, compiled):
                yield owner, spec, nodes

    @staticmethod
    def _nodes(
        doc: Doc, text: str, owner: Owner, spec: MatchSpec, compiled: regex.Pattern[str]
    ) -> Iterator[dict[str, Span]]:
        try:
            found = list(compiled.finditer(text, timeout=REGEX_TIMEOUT))
        except TimeoutError:
            raise RegexTimeout(
                "R114",
                owner.path,
                spec.line,
                reason=f"{owner_label(owner)}: regular expression stopped after "
                f"{REGEX_TIMEOUT:g} s",
            ) from None
        for found_match in found:
            if found_match.start() == found_match.end():
                continue
            nodes: dict[str, Span] = {}
            for name, (start, end) in [
                (MATCH_NODE, found_match.span()),
                *((n, found_match.span(n)) for n in compiled.groupindex),
            ]:
                if start < 0:
                    continue
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and len(span):
                    nodes[name] = span
            if MATCH_NODE in nodes:
                yield nodes
