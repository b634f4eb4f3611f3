"""Compile every rule into shared matchers and find the matches in a parsed text.

Token patterns whose first element lists its words, tags or a flag are looked
up by that value at each token and tried only there (:mod:`sequences`); the
others share one spaCy ``Matcher``. All phrases share one ``PhraseMatcher`` per attribute.
Dependency patterns are grouped by the words and tags their nodes require
(:func:`dependency_requirements`), one ``DependencyMatcher`` per group, run only on texts that
contain them. A match is mapped back to its rule through the key it was added
under. Conditions (``require`` / ``unless``) are compiled to token tests
(:mod:`columns`) and tried on the tokens related to a match. Signals (see
:mod:`signals`) are compiled alongside the rules and come back as
:class:`SignalMatch` values from the same pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

import regex

from .columns import (
    ANCHOR_ATTRS,
    FLAG_ATTRS,
    Columns,
    IdAnchor,
    Prefilter,
    Requirements,
    TokenTest,
    column_values,
    compile_test,
)
from .errors import RuleError
from .predicates import Predicate, compile_predicate
from .rules import MATCH_NODE, NODE_KEY, Condition, MatchSpec, Rule, template_fields
from .sequences import TokenSequence, compile_sequence
from .signals import Signal
from .targets import TargetWords, register, use_words

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import DependencyMatcher, Matcher
    from spacy.tokens import Doc, Span, Token

#: Seconds a rule's regular expression may run on one block before it is stopped.
REGEX_TIMEOUT: Final = 1.0

_TAGGER: Final = frozenset({"tok2vec", "tagger", "attribute_ruler"})
_LEMMA: Final = _TAGGER | {"lemmatizer"}
_PARSER: Final = frozenset({"tok2vec", "parser"})
#: Token attributes and the pipeline components that set them.
_ATTR_COMPONENTS: Final[dict[str, frozenset[str]]] = {
    "POS": _TAGGER,
    "TAG": _TAGGER,
    "MORPH": _TAGGER,
    "LEMMA": _LEMMA,
    "DEP": _PARSER,
    "SENT_START": _PARSER,
    "IS_SENT_START": _PARSER,
    "ENT_TYPE": frozenset({"tok2vec", "ner"}),
    # the extension attribute _.target (see targets.py) reads tags, lemmas and the parse
    "TARGET": _LEMMA | _PARSER,
    "ENT_IOB": frozenset({"tok2vec", "ner"}),
    "ENT_ID": frozenset({"tok2vec", "ner"}),
}
#: What templates need when they ask more of a node than its surface text.
_TEMPLATE_COMPONENTS: Final = _LEMMA | _PARSER
_SURFACE_ATTRS: Final = frozenset({"", "text", "lower", "ordinary"})
_PUNCTUATION: Final = (*".,;:!?-'\"()[]", "...", "\u2026", "--", "\u2014", "\u2013", "'s", "n't")


@dataclass(frozen=True)
class Match:
    """A rule's match in one parsed block: the named nodes and the span to report."""

    rule: Rule
    spec: MatchSpec
    nodes: dict[str, Span]
    start_char: int
    end_char: int


@dataclass(frozen=True)
class SignalMatch:
    """Where a signal was found in one parsed block: the reported span and its offsets."""

    signal: Signal
    spec: MatchSpec
    span: Span
    start_char: int
    end_char: int


#: What a compiled pattern belongs to: a rule, or a signal.
Owner = Rule | Signal
#: A token pattern looked up by one of its elements: its owner, spec, element names,
#: sequence, the id of its requirements in the prefilter, and where its matches go
#: in the order of a text's matches.
_Indexed = tuple[Owner, MatchSpec, tuple[str | None, ...], TokenSequence, int, int]


def _owner_label(owner: Owner) -> str:
    return owner.code if isinstance(owner, Rule) else f"signal {owner.name}"


class RegexTimeout(RuleError):
    """A rule's regular expression ran longer than :data:`REGEX_TIMEOUT`."""


def _attribute_names(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _attribute_names(item)
    elif isinstance(value, list):
        for item in value:
            yield from _attribute_names(item)


def required_components(rules: Iterable[Rule], signals: Iterable[Signal] = ()) -> frozenset[str]:
    """The pipeline components that the given rules and signals need (the tokenizer is
    always there)."""
    needed: set[str] = set()
    owners: list[Owner] = [*signals, *rules]
    for owner in owners:
        for spec in owner.matches:
            if spec.kind == "dependency" or spec.require or spec.unless:
                needed |= _PARSER
            for name in _attribute_names(
                [*spec.patterns, *(c.attrs for c in spec.require), *(c.attrs for c in spec.unless)]
            ):
                needed |= _ATTR_COMPONENTS.get(name.upper(), frozenset())
        if not isinstance(owner, Rule):
            continue
        rule = owner
        templates = [rule.message] + [s.replace_with for s in rule.suggestions]
        if any(attr not in _SURFACE_ATTRS for t in templates for _, attr in template_fields(t)):
            needed |= _TEMPLATE_COMPONENTS
        if any(s.target != MATCH_NODE for s in rule.suggestions):
            needed |= _PARSER
    return frozenset(needed)


def _node_requirements(
    attrs: Mapping[str, Any], ids: Callable[[Iterable[str]], frozenset[int]]
) -> IdAnchor:
    """What one pattern node requires of a token, as column values, words first."""
    order = (*ANCHOR_ATTRS, *FLAG_ATTRS)  # words first: they rule out the most tokens
    listed = (
        (str(attr).upper(), column_values(str(attr).upper(), value, ids))
        for attr, value in attrs.items()
    )
    wanted = [(attr, values) for attr, values in listed if values is not None]
    return tuple(sorted(wanted, key=lambda pair: order.index(pair[0])))


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
        right = _node_requirements(attrs, ids)
        nodes[str(node.get("RIGHT_ID"))] = right
        left = nodes.get(str(node.get("LEFT_ID")))
        if left is None or not (left or right):
            continue
        if node.get("REL_OP") == ">":
            edges.append((left, right))
        elif node.get("REL_OP") == "<":
            edges.append((right, left))
    return Requirements(tuple(n for n in nodes.values() if n), tuple(edges))


def token_requirements(
    pattern: Sequence[dict[str, Any]], ids: Callable[[Iterable[str]], frozenset[int]]
) -> Requirements:
    """What a text must hold for a token pattern to match in it: a token meeting the
    listed attributes of each element that takes at least one token."""
    nodes = (
        _node_requirements({k: v for k, v in element.items() if k != "OP"}, ids)
        for element in pattern
        if isinstance(element, dict) and element.get("OP") in (None, "+")
    )
    return Requirements(tuple(node for node in nodes if node))


def _without_extensions(
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


def _token_nodes(
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


def _related(token: Token, rel: str, columns: Columns) -> Iterable[int]:
    """The positions of the tokens in relation ``rel`` to ``token`` (see rules.RELATIONS)."""
    i = token.i
    if rel == "self":
        return (i,)
    if rel == ">":
        return (t.i for t in token.children)
    if rel == "<":
        return () if token.head.i == i else (token.head.i,)
    if rel == ">>":
        return (t.i for t in token.subtree if t.i != i)
    if rel == "<<":
        return (t.i for t in token.ancestors)
    if rel == ".":
        return (i + 1,) if i + 1 < len(columns.doc) else ()
    if rel == ";":
        return (i - 1,) if i > 0 else ()
    if rel in ("$+", "$-"):
        head = token.head
        if head.i == i:
            return ()
        return (t.i for t in head.children if (t.i > i if rel == "$+" else t.i < i))
    start, end = columns.sentence(i)
    if rel == "before":
        return range(start, i)
    if rel == "after":
        return range(i + 1, end)
    return range(start, end)


class CompiledRules:
    """All active rules, and the signals, compiled into shared matchers for one vocabulary."""

    def __init__(
        self,
        rules: Sequence[Rule],
        nlp: Language,
        signals: Sequence[Signal] = (),
        targets: TargetWords | None = None,
        *,
        prefilter: bool = True,
    ) -> None:
        from spacy.matcher import PhraseMatcher

        register()  # before any matcher is built: patterns may test _.target
        #: The words that decide ``_.target``; None keeps the built-in lists.
        self.targets = targets
        self.rules = tuple(rules)
        self.signals = tuple(signals)
        self._vocab = nlp.vocab
        self._phrases: dict[str, PhraseMatcher] = {}
        #: Whether patterns are tried only on texts that meet their requirements; off,
        #: every pattern runs on every text (the tests compare the two).
        self.prefilter = prefilter
        # Stop words and punctuation are in most texts: a pattern is better looked up by
        # another of its words.
        words = (*nlp.Defaults.stop_words, *_PUNCTUATION)
        common = self._ids(form for word in words for form in (word, word.title(), word.upper()))
        self._common = common.__contains__
        # What each token sequence and dependency group needs of a text to match in it.
        self._requirements = Prefilter(self._common)
        # Dependency patterns grouped by what a text must hold for them to match (see
        # dependency_requirements()), each group in a DependencyMatcher of its own that
        # runs only on texts that hold it; with the group's id in the prefilter.
        self._dependencies: dict[Requirements, tuple[int, DependencyMatcher]] = {}
        # Token patterns that sequences cannot take, grouped the same way in Matchers; a
        # one-token pattern is a test of each token's columns instead (key, test).
        self._token_groups: dict[Requirements, tuple[int, Matcher]] = {}
        self._one_token: list[tuple[int, int, TokenTest]] = []
        self._regexes: list[tuple[Owner, MatchSpec, regex.Pattern[str]]] = []
        # match key -> (rule or signal, spec, node name of each token-pattern element)
        self._keys: dict[int, tuple[Owner, MatchSpec, tuple[str | None, ...]]] = {}
        self._conditions: dict[int, TokenTest] = {}
        # dependency pattern key -> extension tests (node position, predicate), tried on
        # a match's own tokens rather than by the DependencyMatcher on every token
        self._node_tests: dict[int, tuple[tuple[int, Predicate], ...]] = {}
        # attribute -> value ID -> token patterns whose anchor element accepts it
        self._words: dict[str, dict[int, list[_Indexed]]] = {}
        # The attributes of the token patterns' first elements, in the order first seen:
        # matches are ordered by these, then by start, as if found from the first element.
        self._first_attrs: dict[str, int] = {}
        owners: list[tuple[Owner, str]] = [(rule, rule.code) for rule in self.rules]
        owners += [(signal, f"signal:{signal.name}") for signal in self.signals]
        for owner, prefix in owners:
            for spec_index, spec in enumerate(owner.matches):
                if spec.kind == "document":
                    continue  # judged per unit from the signals, not matched in a block
                for condition in (*spec.require, *spec.unless):
                    self._add_condition(owner, condition)
                self._add(nlp, owner, spec, f"{prefix}/{spec_index}")
        self._word_sets = {attr: set(index) for attr, index in self._words.items()}

    def _fail(self, rule: Owner, line: int, kind: str, exc: Exception) -> RuleError:
        reason = " ".join(str(exc).split())
        return RuleError("R105", rule.path, line, kind=kind, reason=reason)

    def _add(self, nlp: Language, rule: Owner, spec: MatchSpec, key: str) -> None:
        if spec.kind == "regex":
            flags = 0 if spec.case_sensitive else regex.IGNORECASE
            for pattern in spec.patterns:
                self._regexes.append((rule, spec, regex.compile(pattern, flags)))
            return
        if spec.kind == "phrase":
            matcher = self._phrases.get(spec.attr)
            if matcher is None:
                from spacy.matcher import PhraseMatcher

                matcher = self._phrases[spec.attr] = PhraseMatcher(nlp.vocab, attr=spec.attr)
            matcher.add(key, [nlp.make_doc(phrase) for phrase in spec.patterns])
            self._keys[nlp.vocab.strings[key]] = (rule, spec, ())
            return
        for index, (pattern, line) in enumerate(
            zip(spec.patterns, spec.pattern_lines, strict=False)
        ):
            pattern_key = f"{key}/{index}"
            try:
                if spec.kind == "token":
                    names = tuple(element.get(NODE_KEY) for element in pattern)
                    stripped = [{k: v for k, v in e.items() if k != NODE_KEY} for e in pattern]
                    if not self._index_sequence(rule, spec, stripped, names):
                        self._add_to_matcher(spec, stripped, pattern_key)
                else:
                    names = tuple(node.get("RIGHT_ID") for node in pattern)
                    found = dependency_requirements(pattern, self._ids)
                    required = Requirements(
                        found.nodes + self._required_by_conditions(spec), found.edges
                    )
                    number, group = self._dependencies.get(required) or (-1, None)
                    if group is None:
                        from spacy.matcher import DependencyMatcher

                        group = DependencyMatcher(nlp.vocab, validate=True)
                    plain, tests = _without_extensions(pattern)
                    group.add(pattern_key, [plain])
                    if number < 0:
                        number = self._requirements.add(required)
                    self._dependencies[required] = (number, group)
                    if tests:
                        self._node_tests[nlp.vocab.strings[pattern_key]] = tests
            except Exception as exc:  # spaCy raises ValueError, KeyError and its own errors
                raise self._fail(rule, line, spec.kind, exc) from None
            self._keys[nlp.vocab.strings[pattern_key]] = (rule, spec, names)

    def _add_to_matcher(self, spec: MatchSpec, pattern: list[dict[str, Any]], key: str) -> None:
        """Add a token pattern to the Matcher of the patterns that need what it needs."""
        from spacy.matcher import Matcher

        found = token_requirements(pattern, self._ids)
        required = Requirements(found.nodes + self._required_by_conditions(spec))
        if len(pattern) == 1 and "OP" not in pattern[0]:
            try:
                test = compile_test(pattern[0], self._ids)
            except ValueError:
                pass  # what conditions cannot evaluate, the Matcher can
            else:
                number = self._requirements.add(required)
                self._one_token.append((number, self._vocab.strings.add(key), test))
                return
        number, group = self._token_groups.get(required) or (-1, None)
        if group is None:
            group = Matcher(self._vocab, validate=True)
        group.add(key, [pattern])
        if number < 0:
            number = self._requirements.add(required)
        self._token_groups[required] = (number, group)

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
        required = Requirements(elements + self._required_by_conditions(spec))
        number = self._requirements.add(required)
        rank = self._first_attrs.setdefault(first.anchor, len(self._first_attrs))
        index = self._words.setdefault(sequence.anchor, {})
        for word in sequence.values:
            index.setdefault(word, []).append((owner, spec, names, sequence, number, rank))
        return True

    def _required_by_conditions(self, spec: MatchSpec) -> tuple[IdAnchor, ...]:
        """What the ``require`` conditions of ``spec`` need some token of a text to be:
        each names a token of the text that must meet its listed attributes."""
        tests = (self._conditions[id(condition)] for condition in spec.require)
        return tuple(test.columns for test in tests if test.columns)

    def _ids(self, values: Iterable[str]) -> frozenset[int]:
        """The integer IDs spaCy stores for these attribute values."""
        return frozenset(self._vocab.strings[value] for value in values)

    def _add_condition(self, rule: Owner, condition: Condition) -> None:
        try:
            self._conditions[id(condition)] = compile_test(condition.attrs, self._ids)
        except (ValueError, re.error) as exc:
            raise self._fail(rule, condition.line, "condition", exc) from None

    def find(self, doc: Doc) -> list[Match]:
        """Every match of every rule in ``doc`` that satisfies its conditions."""
        return self.scan(doc)[0]

    def scan(self, doc: Doc, text: str | None = None) -> tuple[list[Match], list[SignalMatch]]:
        """In one pass, every rule match and every signal found in ``doc``, conditions met.

        ``text`` is ``doc.text`` when the caller has it (spaCy rebuilds it from the tokens).
        """
        candidates: list[tuple[Owner, MatchSpec, dict[str, Span]]] = []
        if self.targets is not None:
            use_words(doc, self.targets)
        columns = Columns(doc)
        if self.prefilter:
            viable = self._requirements.viable(columns)
        else:
            viable = set(range(len(self._requirements)))
        for number, matcher in self._token_groups.values():
            if number not in viable:
                continue
            aligned = cast(
                "list[tuple[int, int, int, list[int]]]", matcher(doc, with_alignments=True)
            )
            for key, start, end, alignments in aligned:
                rule, spec, names = self._keys[key]
                candidates.append((rule, spec, _token_nodes(doc, names, start, end, alignments)))
        for number, key, test in self._one_token:
            if number not in viable:
                continue
            rule, spec, names = self._keys[key]
            for i in range(len(doc)):
                if test.holds(columns, i):
                    candidates.append((rule, spec, _token_nodes(doc, names, i, i + 1, (0,))))
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
            candidates.append((owner, spec, _token_nodes(doc, names, start, end, alignments)))
        for phrases in self._phrases.values():
            for key, start, end in phrases(doc):
                rule, spec, _ = self._keys[key]
                candidates.append((rule, spec, {MATCH_NODE: doc[start:end]}))
        for number, group in self._dependencies.values():
            if number not in viable:
                continue
            for key, token_ids in group(doc):
                tests = self._node_tests.get(key)
                if tests and not all(test(doc[token_ids[i]]) for i, test in tests):
                    continue
                rule, spec, names = self._keys[key]
                nodes = {
                    str(name): doc[i : i + 1] for name, i in zip(names, token_ids, strict=False)
                }
                nodes[MATCH_NODE] = doc[min(token_ids) : max(token_ids) + 1]
                candidates.append((rule, spec, nodes))
        if self._regexes:
            text = doc.text if text is None else text
            for rule, spec, compiled in self._regexes:
                found = self._regex_nodes(doc, text, compiled)
                candidates.extend((rule, spec, nodes) for nodes in found)
        if not candidates:
            return [], []
        matches: list[Match] = []
        signals: list[SignalMatch] = []
        for owner, spec, nodes in candidates:
            if not self._conditions_hold(spec, nodes, columns):
                continue
            reported = [nodes[name] for name in spec.report]
            start = min(span.start_char for span in reported)
            end = max(span.end_char for span in reported)
            if isinstance(owner, Rule):
                matches.append(Match(owner, spec, nodes, start, end))
            else:
                span = doc[min(s.start for s in reported) : max(s.end for s in reported)]
                signals.append(SignalMatch(owner, spec, span, start, end))
        return matches, signals

    def _regex_nodes(
        self, doc: Doc, text: str, compiled: regex.Pattern[str]
    ) -> Iterator[dict[str, Span]]:
        try:
            found = list(compiled.finditer(text, timeout=REGEX_TIMEOUT))
        except TimeoutError:
            rule, spec = next((r, s) for r, s, c in self._regexes if c is compiled)
            raise RegexTimeout(
                "R114",
                rule.path,
                spec.line,
                reason=f"{_owner_label(rule)}: regular expression stopped after "
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

    def _holds(self, condition: Condition, nodes: dict[str, Span], columns: Columns) -> bool:
        test = self._conditions[id(condition)]
        span = nodes[condition.node]
        # The next and previous tokens of a multi-token node are those around the whole node.
        rel = condition.rel
        anchor = span[-1] if rel == "." else span[0] if rel == ";" else span.root
        return test.holds_at_any(columns, _related(anchor, rel, columns))

    def _conditions_hold(self, spec: MatchSpec, nodes: dict[str, Span], columns: Columns) -> bool:
        return all(self._holds(c, nodes, columns) for c in spec.require) and not any(
            self._holds(c, nodes, columns) for c in spec.unless
        )
