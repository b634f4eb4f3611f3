"""Dependency patterns (``kind: dependency``), grouped by what a text must hold for them.

Each group of patterns that require the same words, tags and relations
(:func:`dependency_requirements`) is tried only on texts that hold them (the
prefilter, :mod:`columns`). A pattern whose relations are all ``>``, ``<`` or
``>>`` and whose nodes are one-token tests of :mod:`columns` is matched on the
text's HEAD column (:class:`ColumnPattern`), giving the ``DependencyMatcher``'s
own matches in its own order; a group with any other pattern, or a text whose
trees interleave, runs the group's ``DependencyMatcher``. Extension attributes
(``_``) are tested on a match's own tokens afterwards.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from ..rules import MATCH_NODE, MatchSpec
from .columns import (
    Columns,
    IdAnchor,
    Prefilter,
    Requirements,
    TokenTest,
    compile_test,
    node_requirements,
)
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


#: The relations a :class:`ColumnPattern` follows on the HEAD column.
COLUMN_RELATIONS: Final = frozenset({">", "<", ">>"})


@dataclass(frozen=True)
class ColumnPattern:
    """A dependency pattern matched on a text's HEAD column instead of a DependencyMatcher.

    ``tests``: each node's one-token test; ``links``: for each node after the
    first, its relation and the position of its ``LEFT_ID`` node (always an
    earlier one). The matches are every assignment of tokens to nodes (two
    nodes may share a token, as in spaCy) that meets every relation, in
    lexicographic order of the token positions: the order in which spaCy's
    ``DependencyMatcher`` gives them when each tree covers consecutive tokens
    (it walks trees in order, then the product of each node's tokens in order).
    """

    tests: tuple[TokenTest, ...]
    links: tuple[tuple[str, int], ...]

    def matches(self, columns: Columns) -> list[list[int]]:
        """The token positions of each match in ``columns``' text, node by node."""
        first = columns.accepting(self.tests[0])
        if not first:
            return []
        found: list[list[int]] = []
        heads = columns.heads()
        chosen = [0] * len(self.tests)
        for position in first:
            chosen[0] = position
            self._extend(columns, heads, chosen, 1, found)
        return found

    def _extend(
        self,
        columns: Columns,
        heads: list[int],
        chosen: list[int],
        node: int,
        found: list[list[int]],
    ) -> None:
        if node == len(self.tests):
            found.append(list(chosen))
            return
        rel, left = self.links[node - 1]
        anchor = chosen[left]
        test = self.tests[node]
        if rel == ">":
            options: Iterable[int] = columns.children()[anchor]
            accepted = None
        elif rel == "<":
            head = heads[anchor]
            options = () if head == anchor else (head,)
            accepted = None
        else:  # ">>": the tokens below the anchor, tested by climbing from each
            options = (i for i in columns.accepting(test) if _below(i, anchor, heads))
            accepted = True
        for position in options:
            if accepted or test.holds(columns, position):
                chosen[node] = position
                self._extend(columns, heads, chosen, node + 1, found)


def _below(position: int, anchor: int, heads: list[int]) -> bool:
    """Whether the token at ``anchor`` is an ancestor of the token at ``position``."""
    for _ in range(len(heads)):  # bounded: a hand-built Doc's heads may form a cycle
        head = heads[position]
        if head == position:
            return False
        if head == anchor:
            return True
        position = head
    return False


def compile_column_pattern(
    pattern: Sequence[dict[str, Any]],
    test: Callable[[dict[str, Any]], TokenTest],
) -> ColumnPattern | None:
    """``pattern`` (without extension attributes) as a :class:`ColumnPattern`, or None
    when it uses a relation or an attribute the columns do not follow; ``test``
    compiles one node's attributes (raising ValueError as :func:`columns.compile_test`)."""
    positions: dict[str, int] = {}
    tests: list[TokenTest] = []
    links: list[tuple[str, int]] = []
    for node in pattern:
        attrs = node.get("RIGHT_ATTRS")
        if not isinstance(attrs, dict):
            return None
        if tests:
            rel, left = node.get("REL_OP"), positions.get(str(node.get("LEFT_ID")))
            if rel not in COLUMN_RELATIONS or left is None:
                return None
            links.append((str(rel), left))
        elif "REL_OP" in node:
            return None
        try:
            tests.append(test(attrs))
        except (ValueError, re.error):
            return None
        positions[str(node.get("RIGHT_ID"))] = len(tests) - 1
    return ColumnPattern(tuple(tests), tuple(links)) if tests else None


class DependencyPatterns:
    """Every dependency pattern of the rules and signals, grouped by what they require."""

    def __init__(
        self,
        vocab: Vocab,
        ids: Callable[[Iterable[str]], frozenset[int]],
        prefilter: Prefilter,
        conditions: Conditions,
        *,
        columns: bool = True,
    ) -> None:
        self._vocab = vocab
        self._ids = ids
        self._prefilter = prefilter
        self._conditions = conditions
        #: Whether patterns the columns can follow are matched on them (the tests compare
        #: both ways); off, every group runs its DependencyMatcher.
        self.columns = columns
        # requirements -> (their id in the prefilter, the group's DependencyMatcher)
        self._groups: dict[Requirements, tuple[int, DependencyMatcher]] = {}
        # requirements -> the group's patterns in the order added (key, column pattern),
        # when the columns can follow every one of them
        self._column_groups: dict[Requirements, list[tuple[int, ColumnPattern]] | None] = {}
        # requirements id -> the group's requirements, in the order the groups were added
        self._order: dict[int, Requirements] = {}
        # one-token tests by their attributes, so that a text computes each once
        self._tests: dict[str, TokenTest] = {}
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
        group.add(key, [plain])  # validated by spaCy either way
        if number < 0:
            number = self._prefilter.add(required)
        self._groups[required] = (number, group)
        key_id = self._vocab.strings[key]
        if tests:
            self._node_tests[key_id] = tests
        self._keys[key_id] = (owner, spec, names)
        followed = self._column_groups.setdefault(required, [])
        if followed is not None:
            compiled = compile_column_pattern(plain, self._test)
            if compiled is None:
                self._column_groups[required] = None
            else:
                followed.append((key_id, compiled))

    def _test(self, attrs: dict[str, Any]) -> TokenTest:
        """The one-token test of a node's attributes, shared by the nodes that list the same."""
        name = json.dumps(attrs, sort_keys=True)
        test = self._tests.get(name)
        if test is None:
            test = self._tests[name] = compile_test(attrs, self._ids)
        return test

    def find(self, doc: Doc, columns: Columns, viable: set[int]) -> Iterator[Candidate]:
        """Every match in ``doc`` of the patterns whose requirements are ``viable``."""
        if len(self._order) != len(self._groups):
            # Requirements ids grow as groups are added, so their order is the groups' order.
            self._order = {number: required for required, (number, _) in self._groups.items()}
        for number in sorted(viable.intersection(self._order)):
            required = self._order[number]
            group = self._groups[required][1]
            followed = self._column_groups[required] if self.columns else None
            if followed is not None and columns.trees_in_order():
                found = [
                    (key, ids) for key, pattern in followed for ids in pattern.matches(columns)
                ]
            else:
                found = group(doc)
            for key, token_ids in found:
                tests = self._node_tests.get(key)
                if tests and not all(test(doc[token_ids[i]]) for i, test in tests):
                    continue
                owner, spec, names = self._keys[key]
                nodes = {
                    str(name): doc[i : i + 1] for name, i in zip(names, token_ids, strict=False)
                }
                nodes[MATCH_NODE] = doc[min(token_ids) : max(token_ids) + 1]
                yield owner, spec, nodes
