"""Dependency patterns (``kind: dependency``), grouped by what a text must hold for them.

Each group of patterns that require the same words, tags and relations
(:func:`dependency_requirements`) has a ``DependencyMatcher`` of its own, run
only on texts that hold them (the prefilter, :mod:`columns`). Extension
attributes (``_``) are tested on a match's own tokens afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..rules import MATCH_NODE, MatchSpec
from .columns import Columns, IdAnchor, Prefilter, Requirements, node_requirements
from .conditions import Conditions
from .matches import Candidate, Owner
from .predicates import Predicate, compile_predicate

if TYPE_CHECKING:
    from spacy.matcher import DependencyMatcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab


def dependency_requirements(
    pattern: Sequence[dict[str, Any]], ids: Callable[[Iterable[str]], frozenset[int]]
) -> Requirements:
    """What a text must hold for a dependency pattern to match in it (see
    :class:`columns.Requirements`); ``ids`` turns strings into IDs.

    Each node needs a token meeting its listed attributes, and each ``>`` or
    ``<`` relation a token whose head is the other node's. A text that lacks one
    cannot match, so the DependencyMatcher need not run on it.
    """
    nodes: dict[str, IdAnchor] = {}
    edges: list[tuple[IdAnchor, IdAnchor]] = []
    for node in pattern:
        attrs = node.get("RIGHT_ATTRS") if isinstance(node, dict) else None
        if not isinstance(attrs, dict):
            continue  # a malformed node: the DependencyMatcher says what is wrong with it
        right = node_requirements(attrs, ids)
        nodes[str(node.get("RIGHT_ID"))] = right
        left = nodes.get(str(node.get("LEFT_ID")))
        if left is None or not (left or right):
            continue
        if node.get("REL_OP") == ">":
            edges.append((left, right))
        elif node.get("REL_OP") == "<":
            edges.append((right, left))
    return Requirements(tuple(n for n in nodes.values() if n), tuple(edges))


def without_extensions(
    pattern: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], tuple[tuple[int, Predicate], ...]]:
    """A dependency pattern without its extension attributes (``_``), and those as
    predicates by node position.

    spaCy would call an extension's getter on every token of every text for such a
    node; tested afterwards, it runs only on the tokens of each match.
    """
    plain: list[dict[str, Any]] = []
    tests: list[tuple[int, Predicate]] = []
    for position, node in enumerate(pattern):
        attrs = node.get("RIGHT_ATTRS") if isinstance(node, dict) else None
        if isinstance(attrs, dict) and "_" in attrs:
            tests.append((position, compile_predicate({"_": attrs["_"]})))
            node = {**node, "RIGHT_ATTRS": {k: v for k, v in attrs.items() if k != "_"}}
        plain.append(node)
    return plain, tuple(tests)


class DependencyPatterns:
    """Every dependency pattern of the rules and signals, grouped by what they require."""

    def __init__(
        self,
        vocab: Vocab,
        ids: Callable[[Iterable[str]], frozenset[int]],
        prefilter: Prefilter,
        conditions: Conditions,
    ) -> None:
        self._vocab = vocab
        self._ids = ids
        self._prefilter = prefilter
        self._conditions = conditions
        # requirements -> (their id in the prefilter, the group's DependencyMatcher)
        self._groups: dict[Requirements, tuple[int, DependencyMatcher]] = {}
        # match key -> (rule or signal, spec, node names)
        self._keys: dict[int, tuple[Owner, MatchSpec, tuple[str | None, ...]]] = {}
        # pattern key -> extension tests (node position, predicate), tried on a match's
        # own tokens rather than by the DependencyMatcher on every token
        self._node_tests: dict[int, tuple[tuple[int, Predicate], ...]] = {}

    def add(self, owner: Owner, spec: MatchSpec, pattern: list[dict[str, Any]], key: str) -> None:
        """Add one pattern of ``spec`` under ``key``; spaCy's errors are raised as they come."""
        names = tuple(node.get("RIGHT_ID") for node in pattern)
        found = dependency_requirements(pattern, self._ids)
        required = Requirements(found.nodes + self._conditions.required_by(spec), found.edges)
        number, group = self._groups.get(required) or (-1, None)
        if group is None:
            from spacy.matcher import DependencyMatcher

            group = DependencyMatcher(self._vocab, validate=True)
        plain, tests = without_extensions(pattern)
        group.add(key, [plain])
        if number < 0:
            number = self._prefilter.add(required)
        self._groups[required] = (number, group)
        if tests:
            self._node_tests[self._vocab.strings[key]] = tests
        self._keys[self._vocab.strings[key]] = (owner, spec, names)

    def find(self, doc: Doc, columns: Columns, viable: set[int]) -> Iterator[Candidate]:
        """Every match in ``doc`` of the patterns whose requirements are ``viable``."""
        for number, group in self._groups.values():
            if number not in viable:
                continue
            for key, token_ids in group(doc):
                tests = self._node_tests.get(key)
                if tests and not all(test(doc[token_ids[i]]) for i, test in tests):
                    continue
                owner, spec, names = self._keys[key]
                nodes = {
                    str(name): doc[i : i + 1] for name, i in zip(names, token_ids, strict=False)
                }
                nodes[MATCH_NODE] = doc[min(token_ids) : max(token_ids) + 1]
                yield owner, spec, nodes
