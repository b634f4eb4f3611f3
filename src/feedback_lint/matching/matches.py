"""What matching finds: a rule's match or a signal's, and what a pattern belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import RuleError
from ..rules import MatchSpec, Rule, Signal

if TYPE_CHECKING:
    from spacy.tokens import Span

#: What a compiled pattern belongs to: a rule, or a signal.
Owner = Rule | Signal
#: A match found by one kind of pattern, before its conditions are tested: its owner,
#: its spec and its named nodes (``match`` the whole span).
Candidate = tuple[Owner, MatchSpec, dict[str, "Span"]]


@dataclass(frozen=True)
class Match:
    """A rule's match in one parsed block: the named nodes and the span to report."""

    rule: Rule
    spec: MatchSpec
    nodes: dict[str, Span]
    start_char: int
    end_char: int
    #: Where the parsed block of a node starts in its document, for the nodes of a
    #: document rule's match, which may lie in other blocks than the one it reports
    #: (a node without an entry is in the match's own block).
    offsets: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SignalMatch:
    """Where a signal was found in one parsed block: the reported span and its offsets."""

    signal: Signal
    spec: MatchSpec
    span: Span
    start_char: int
    end_char: int


def owner_label(owner: Owner) -> str:
    """How an error message names a pattern's owner."""
    return owner.code if isinstance(owner, Rule) else f"signal {owner.name}"


def pattern_error(owner: Owner, line: int, kind: str, exc: Exception) -> RuleError:
    """The load error for a pattern of ``owner`` that spaCy or this package refused."""
    reason = " ".join(str(exc).split())
    return RuleError("R105", owner.path, line, kind=kind, reason=reason)
