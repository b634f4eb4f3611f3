"""The schema of a loaded rule: what a rule file becomes once validated.

These values are what the rest of the linter reads (matching compiles their
patterns, suggestions render their templates); :mod:`.loading` builds them from
YAML and checks every field on the way (see docs/writing-rules.md).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Final, Literal

from ..findings import Applicability, Severity

MatchKind = Literal["token", "phrase", "dependency", "regex", "document"]
MATCH_KINDS: Final = ("token", "phrase", "dependency", "regex", "document")
PHRASE_ATTRS: Final = ("ORTH", "LOWER", "NORM")

#: Relations a condition may name, from the condition's node to the tokens it inspects.
RELATIONS: Final = (
    "self",
    ">",
    "<",
    ">>",
    "<<",
    ".",
    ";",
    "$+",
    "$-",
    "clause",
    "sentence",
    "before",
    "after",
)

#: Attributes a template field may ask of a node (``{node.attr}``).
TEMPLATE_ATTRS: Final = (
    "text",
    "lower",
    "lemma",
    "objective",
    "bare",
    "observed",
    "conjuncts",
    "situation",
    "ordinary",
    "clause",
    "subtree",
    "sentence",
    "work",
)

#: How far a suggestion's ``target: node.extent`` reaches from its node.
TARGET_EXTENTS: Final = ("clause", "predicates", "subtree", "end")

#: Extension key on token-pattern elements that names the tokens it matches.
NODE_KEY: Final = "NAME"

#: The node that every match has: the whole matched span.
MATCH_NODE: Final = "match"

CODE_RE: Final = re.compile(r"^[A-Z]{2}[0-9]{3}$")
NAME_RE: Final = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")



@dataclass(frozen=True)
class Condition:
    """A token test relative to a matched node: some token in ``rel`` of ``node`` has ``attrs``
    and meets the condition's own ``require`` and ``unless``, which are related to that token
    ("sorry", unless the next word is "but"). A nested condition's ``node`` is empty."""

    node: str
    rel: str
    attrs: Mapping[str, Any]
    line: int
    require: tuple[Condition, ...] = ()
    unless: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class When:
    """When a document-level rule fires on a feedback unit, judged from its signals.

    Every signal in ``has`` is found, none in ``lacks`` is, and each signal of
    ``more_than`` is found in more separate clauses than its threshold.
    """

    has: tuple[str, ...]
    lacks: tuple[str, ...]
    more_than: tuple[tuple[str, int], ...]
    line: int


@dataclass(frozen=True)
class SuggestionSpec:
    """How to build a rewrite from a match: a title, a template and where it goes."""

    title: str
    replace_with: str
    applicability: Applicability
    target: str
    line: int
    #: Words the rewrite leaves out of the predicates it renders (``bare``, ``observed``).
    drop: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MatchSpec:
    """One way a rule matches: a kind, its patterns, and the conditions on a match."""

    kind: MatchKind
    patterns: tuple[Any, ...]
    pattern_lines: tuple[int, ...]
    nodes: tuple[str, ...]
    attr: str
    report: tuple[str, ...]
    require: tuple[Condition, ...]
    unless: tuple[Condition, ...]
    case_sensitive: bool
    line: int
    #: For ``kind: document`` only: the condition over the unit's signals.
    when: When | None = None
    #: This way of matching's own rewrite, in place of the rule's ``suggestion``.
    suggestion: SuggestionSpec | None = None


@dataclass(frozen=True)
class Example:
    """A text the rule must flag (``flag``) or must not (``pass``), and the expected rewrite."""

    kind: Literal["flag", "pass"]
    text: str
    fixed: str | None
    line: int


@dataclass(frozen=True)
class RuleInfo:
    """What a rule file says about itself apart from how it matches and rewrites:
    shared by a loaded :class:`Rule` and by a :class:`RuleHeader` read for listing."""

    code: str
    name: str
    severity: Severity
    enabled: bool
    tags: tuple[str, ...]
    summary: str
    rationale: str
    examples: tuple[Example, ...]
    aliases: tuple[str, ...]
    path: str
    category: str
    #: Codes of rules whose finding on overlapping words replaces this rule's: "this
    #: crap" is profanity (FB210) and contempt for the work (FB202), reported once.
    yields_to: tuple[str, ...]

    def info(self) -> dict[str, Any]:
        """These fields by name, to build a fuller record of the same rule from them."""
        return {field.name: getattr(self, field.name) for field in fields(RuleInfo)}


@dataclass(frozen=True)
class Rule(RuleInfo):
    """A loaded, validated rule."""

    message: str
    matches: tuple[MatchSpec, ...]
    suggestion: SuggestionSpec | None

    @property
    def suggestions(self) -> tuple[SuggestionSpec, ...]:
        """Every rewrite the rule offers: its own, then those of single ways of matching."""
        own = (self.suggestion,) if self.suggestion is not None else ()
        return own + tuple(spec.suggestion for spec in self.matches if spec.suggestion)

    @property
    def nodes(self) -> frozenset[str]:
        """The node names that every match of this rule provides to templates."""
        common: set[str] | None = None
        for spec in self.matches:
            names = set(spec.nodes)
            common = names if common is None else common & names
        return frozenset(common or ())


@dataclass(frozen=True)
class Offer:
    """A rewrite as a rule's docs name it: its title and how safe it is to apply."""

    title: str
    applicability: Applicability


@dataclass(frozen=True)
class RuleHeader(RuleInfo):
    """What a rule file says about itself, read without its patterns: all that listing,
    explaining and selecting rules need (see :func:`.loading.load_headers`).

    ``suggestion`` is the rule's own rewrite; ``suggestions`` are every rewrite it
    offers, its own first, as :attr:`Rule.suggestions` orders them.
    """

    suggestion: Offer | None
    suggestions: tuple[Offer, ...]


def template_fields(template: str) -> list[tuple[str, str]]:
    """The ``(node, attr)`` pairs a template names; ``attr`` is "" for a bare ``{node}``."""
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    return [(node, attr) for node, _, attr in (f.partition(".") for f in fields)]
