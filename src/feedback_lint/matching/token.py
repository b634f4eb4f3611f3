"""Token patterns (``kind: token``): sequences looked up by their words, the rest in Matchers.

A pattern whose first element lists its words, tags or a flag is indexed by
the values of its rarest leading element and tried only where it can start
(:mod:`sequences`); a one-token pattern is a test of each token's columns;
any other pattern joins a spaCy ``Matcher`` shared by the patterns that need
what it needs, run only on texts that hold it (the prefilter, :mod:`columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from ..rules import MATCH_NODE, NODE_KEY, MatchSpec
from .columns import Columns, Prefilter, Requirements, TokenTest, compile_test, node_requirements
from .conditions import Conditions
from .matches import Candidate, Owner
from .sequences import TokenSequence, compile_sequence

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

#: A token pattern looked up by one of its elements: its owner, spec, element names,
#: sequence, the id of its requirements in the prefilter, and where its matches go
#: in the order of a text's matches.
_Indexed = tuple[Owner, MatchSpec, tuple[str | None, ...], TokenSequence, int, int]


def token_requirements(
    pattern: Sequence[dict[str, Any]], ids: Callable[[Iterable[str]], frozenset[int]]
) -> Requirements:
    """What a text must hold for a token pattern to match in it: a token meeting the
    listed attributes of each element that takes at least one token."""
    nodes = (
        node_requirements({k: v for k, v in element.items() if k != "OP"}, ids)
        for element in pattern
        if isinstance(element, dict) and element.get("OP") in (None, "+")
    )
    return Requirements(tuple(node for node in nodes if node))


def token_nodes(
    doc: Doc, names: Sequence[str | None], start: int, end: int, alignments: Sequence[int]
) -> dict[str, Span]:
    """The nodes of a token pattern's match: the whole span, and each named element's
    first token."""
    nodes = {MATCH_NODE: doc[start:end]}
    for offset, element in enumerate(alignments):
        name = names[element]
        if name is not None and name not in nodes:
            nodes[name] = doc[start + offset : start + offset + 1]
    return nodes


class TokenPatterns:
    """Every token pattern of the rules and signals, each where it is cheapest to match."""

    def __init__(
        self,
        vocab: Vocab,
        ids: Callable[[Iterable[str]], frozenset[int]],
        common: Callable[[int], bool],
        prefilter: Prefilter,
        conditions: Conditions,
    ) -> None:
        self._vocab = vocab
        self._ids = ids
        self._common = common
        self._prefilter = prefilter
        self._conditions = conditions
        # Patterns that sequences cannot take, grouped by what they need in Matchers; a
        # one-token pattern is a test of each token's columns instead (key, test).
        self._groups: dict[Requirements, tuple[int, Matcher]] = {}
        self._one_token: list[tuple[int, int, TokenTest]] = []
        # match key -> (rule or signal, spec, node name of each element)
        self._keys: dict[int, tuple[Owner, MatchSpec, tuple[str | None, ...]]] = {}
        # attribute -> value ID -> token patterns whose anchor element accepts it
        self._words: dict[str, dict[int, list[_Indexed]]] = {}
        # The attributes of the patterns' first elements, in the order first seen:
        # matches are ordered by these, then by start, as if found from the first element.
        self._first_attrs: dict[str, int] = {}
        self._word_sets: dict[str, set[int]] = {}

    def add(self, owner: Owner, spec: MatchSpec, pattern: list[dict[str, Any]], key: str) -> None:
        """Add one pattern of ``spec`` under ``key``; spaCy's errors are raised as they come."""
        names = tuple(element.get(NODE_KEY) for element in pattern)
        stripped = [{k: v for k, v in e.items() if k != NODE_KEY} for e in pattern]
        if not self._index_sequence(owner, spec, stripped, names):
            self._add_to_matcher(spec, stripped, key)
        self._keys[self._vocab.strings[key]] = (owner, spec, names)

    def _add_to_matcher(self, spec: MatchSpec, pattern: list[dict[str, Any]], key: str) -> None:
        """Add a token pattern to the Matcher of the patterns that need what it needs."""
        from spacy.matcher import Matcher

        found = token_requirements(pattern, self._ids)
        required = Requirements(found.nodes + self._conditions.required_by(spec))
        if len(pattern) == 1 and "OP" not in pattern[0]:
            try:
                test = compile_test(pattern[0], self._ids)
            except ValueError:
                pass  # what conditions cannot evaluate, the Matcher can
            else:
                number = self._prefilter.add(required)
                self._one_token.append((number, self._vocab.strings.add(key), test))
                return
        number, group = self._groups.get(required) or (-1, None)
        if group is None:
            group = Matcher(self._vocab, validate=True)
        group.add(key, [pattern])
        if number < 0:
            number = self._prefilter.add(required)
        self._groups[required] = (number, group)

    def _index_sequence(
        self,
        owner: Owner,
        spec: MatchSpec,
        pattern: list[dict[str, Any]],
        names: tuple[str | None, ...],
    ) -> bool:
        """Index a token pattern by the values its first element lists, instead of adding
        it to the Matcher (see :mod:`sequences`).

        Returns False, leaving the pattern to the Matcher, when its first element
        lists none or it uses what :mod:`sequences` does not evaluate.
        """
        named = any(name is not None for name in names)
        first = compile_sequence(pattern, self._ids, aligned=named)
        if first is None:
            return False
        sequence = compile_sequence(pattern, self._ids, aligned=named, common=self._common)
        assert sequence is not None
        elements = tuple(e.token.columns for e in sequence.elements if e.fewest and e.token.columns)
        required = Requirements(elements + self._conditions.required_by(spec))
        number = self._prefilter.add(required)
        rank = self._first_attrs.setdefault(first.anchor, len(self._first_attrs))
        index = self._words.setdefault(sequence.anchor, {})
        for word in sequence.values:
            index.setdefault(word, []).append((owner, spec, names, sequence, number, rank))
        self._word_sets.setdefault(sequence.anchor, set()).update(sequence.values)
        return True

    def find(self, doc: Doc, columns: Columns, viable: set[int]) -> Iterator[Candidate]:
        """Every match in ``doc`` of the patterns whose requirements are ``viable``."""
        for number, matcher in self._groups.values():
            if number not in viable:
                continue
            aligned = cast(
                "list[tuple[int, int, int, list[int]]]", matcher(doc, with_alignments=True)
            )
            for key, start, end, alignments in aligned:
                owner, spec, names = self._keys[key]
                yield owner, spec, token_nodes(doc, names, start, end, alignments)
        for number, key, test in self._one_token:
            if number not in viable:
                continue
            owner, spec, names = self._keys[key]
            for i in range(len(doc)):
                if test.holds(columns, i):
                    yield owner, spec, token_nodes(doc, names, i, i + 1, (0,))
        sequences: list[tuple[tuple[int, int, int], _Indexed, int, int, list[int]]] = []
        for attr, index in self._words.items():
            held = columns.present(attr) & self._word_sets[attr]  # walks the smaller set
            if not held:
                continue
            for position, value in enumerate(columns.values(attr)):
                if value not in held:
                    continue
                for entry in index[value]:
                    sequence, number = entry[3], entry[4]
                    start = position - sequence.offset
                    if number not in viable or start < 0:
                        continue
                    for end, alignments in sequence.matches(columns, start):
                        order = (entry[5], start, number)
                        sequences.append((order, entry, start, end, alignments))
        # Back in the order a lookup by first elements gives, which findings keep on ties.
        sequences.sort(key=lambda item: item[0])
        for _, (owner, spec, names, *_), start, end, alignments in sequences:
            yield owner, spec, token_nodes(doc, names, start, end, alignments)
