"""Compile every rule into one set of spaCy matchers and find the matches in a parsed text.

All token patterns share one ``Matcher``, all phrases one ``PhraseMatcher``
per attribute, all dependency patterns one ``DependencyMatcher``; a match is
mapped back to its rule through the key it was added under. Conditions
(``require`` / ``unless``) are single-token patterns in one more ``Matcher``,
run only on texts where some rule with conditions matched. Signals (see
:mod:`signals`) are compiled into the same matchers and come back as
:class:`SignalMatch` values from the same pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

import regex

from .errors import RuleError
from .predicates import Predicate, UnsupportedPattern, compile_predicate
from .rules import MATCH_NODE, NODE_KEY, Condition, MatchSpec, Rule, template_fields
from .signals import Signal

if TYPE_CHECKING:
    from spacy.language import Language
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
    "ENT_IOB": frozenset({"tok2vec", "ner"}),
    "ENT_ID": frozenset({"tok2vec", "ner"}),
}
#: What templates need when they ask more of a node than its surface text.
_TEMPLATE_COMPONENTS: Final = _LEMMA | _PARSER
_SURFACE_ATTRS: Final = frozenset({"", "text", "lower"})


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
        templates = [rule.message] + ([rule.suggestion.replace_with] if rule.suggestion else [])
        if any(attr not in _SURFACE_ATTRS for t in templates for _, attr in template_fields(t)):
            needed |= _TEMPLATE_COMPONENTS
        if rule.suggestion and rule.suggestion.target != MATCH_NODE:
            needed |= _PARSER
    return frozenset(needed)


#: String attributes whose values a pattern can require (TEXT is ORTH).
_ANCHOR_ATTRS: Final = ("LOWER", "ORTH", "TEXT", "NORM", "LEMMA", "POS", "TAG", "DEP")

#: What one pattern node requires of a single token: (attribute, accepted values) pairs.
NodeAnchor = tuple[tuple[str, frozenset[str]], ...]
#: The same with the values as the integer IDs that spaCy stores for them.
_IdAnchor = tuple[tuple[str, frozenset[int]], ...]


def _accepted(value: Any) -> frozenset[str] | None:
    """The values a pattern attribute accepts, when it lists them (a literal or ``IN``)."""
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(value["IN"])
    return None


def anchors(pattern: Sequence[dict[str, Any]]) -> tuple[NodeAnchor, ...]:
    """What each node of a dependency pattern requires of some token of the text.

    A text in which no token meets one node's requirements cannot match the
    pattern, so the DependencyMatcher need not run on it.
    """
    found: list[NodeAnchor] = []
    for node in pattern:
        wanted = sorted(
            (
                (attr.upper(), values)
                for attr, value in node.get("RIGHT_ATTRS", {}).items()
                if attr.upper() in _ANCHOR_ATTRS and (values := _accepted(value)) is not None
            ),
            # Words first: they rule out more texts than a part of speech or a relation.
            key=lambda pair: _ANCHOR_ATTRS.index(pair[0]),
        )
        if wanted:
            found.append(tuple(wanted))
    return tuple(found)


class _Columns:
    """A parsed text's attribute values as spaCy's integer IDs, read once per text
    (with ``Doc.to_array``) and shared by every test."""

    def __init__(self, doc: Doc, attr_ids: Mapping[str, int]) -> None:
        self.doc = doc
        self._attr_ids = attr_ids
        self._lists: dict[str, list[int]] = {}
        self._sets: dict[str, set[int]] = {}
        self._satisfied: dict[_IdAnchor, bool] = {}

    def values(self, attr: str) -> list[int]:
        if attr not in self._lists:
            self._lists[attr] = (
                self.doc.to_array(self._attr_ids[attr]).tolist() if len(self.doc) else []
            )
        return self._lists[attr]

    def present(self, attr: str) -> set[int]:
        if attr not in self._sets:
            self._sets[attr] = set(self.values(attr))
        return self._sets[attr]

    def satisfies(self, node: _IdAnchor) -> bool:
        """Whether some single token meets all of a node's requirements."""
        known = self._satisfied.get(node)
        if known is None:
            known = self._satisfied[node] = self._search(node)
        return known

    def _search(self, node: _IdAnchor) -> bool:
        if any(wanted.isdisjoint(self.present(attr)) for attr, wanted in node):
            return False
        (attr, wanted), *others = node
        positions = [i for i, value in enumerate(self.values(attr)) if value in wanted]
        columns = [(self.values(other), accepted) for other, accepted in others]
        return any(all(values[i] in ok for values, ok in columns) for i in positions)


def _related(token: Token, rel: str) -> Iterable[Token]:
    """The tokens in relation ``rel`` to ``token`` (see rules.RELATIONS)."""
    doc = token.doc
    if rel == "self":
        return (token,)
    if rel == ">":
        return token.children
    if rel == "<":
        return () if token.head.i == token.i else (token.head,)
    if rel == ">>":
        return (t for t in token.subtree if t.i != token.i)
    if rel == "<<":
        return token.ancestors
    if rel == ".":
        return (doc[token.i + 1],) if token.i + 1 < len(doc) else ()
    if rel == ";":
        return (doc[token.i - 1],) if token.i > 0 else ()
    if rel == "$+":
        return (t for t in token.head.children if t.i > token.i) if token.head.i != token.i else ()
    if rel == "$-":
        return (t for t in token.head.children if t.i < token.i) if token.head.i != token.i else ()
    sentence = token.sent
    if rel == "before":
        return sentence.doc[sentence.start : token.i]
    if rel == "after":
        return sentence.doc[token.i + 1 : sentence.end]
    return sentence


class CompiledRules:
    """All active rules, and the signals, compiled into shared matchers for one vocabulary."""

    def __init__(
        self, rules: Sequence[Rule], nlp: Language, signals: Sequence[Signal] = ()
    ) -> None:
        from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher

        self.rules = tuple(rules)
        self.signals = tuple(signals)
        vocab = self._vocab = nlp.vocab
        self._matcher = Matcher(vocab, validate=True)
        self._phrases: dict[str, PhraseMatcher] = {}
        self._dependency = DependencyMatcher(vocab, validate=True)
        # The words each dependency pattern cannot match without (see anchors()).
        self._dependency_anchors: list[tuple[_IdAnchor, ...]] = []
        from spacy import attrs

        self._attr_ids = {
            name: getattr(attrs, "ORTH" if name == "TEXT" else name) for name in _ANCHOR_ATTRS
        }
        self._regexes: list[tuple[Owner, MatchSpec, regex.Pattern[str]]] = []
        # match key -> (rule or signal, spec, node name of each token-pattern element)
        self._keys: dict[int, tuple[Owner, MatchSpec, tuple[str | None, ...]]] = {}
        self._predicates: dict[int, Predicate] = {}
        # attribute -> value ID -> one-token patterns accepting it (see _index_word)
        self._words: dict[str, dict[int, list[tuple[Owner, MatchSpec, str | None, Predicate]]]] = {}
        owners: list[tuple[Owner, str]] = [(rule, rule.code) for rule in self.rules]
        owners += [(signal, f"signal:{signal.name}") for signal in self.signals]
        for owner, prefix in owners:
            for spec_index, spec in enumerate(owner.matches):
                if spec.kind == "document":
                    continue  # judged per unit from the signals, not matched in a block
                self._add(nlp, owner, spec, f"{prefix}/{spec_index}")
                for condition in (*spec.require, *spec.unless):
                    self._add_condition(owner, condition)

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
                    if not self._index_word(rule, spec, stripped, names):
                        self._matcher.add(pattern_key, [stripped])
                else:
                    names = tuple(node.get("RIGHT_ID") for node in pattern)
                    self._dependency.add(pattern_key, [pattern])
                    self._dependency_anchors.append(
                        tuple(
                            tuple((attr, self._ids(values)) for attr, values in node)
                            for node in anchors(pattern)
                        )
                    )
            except Exception as exc:  # spaCy raises ValueError, KeyError and its own errors
                raise self._fail(rule, line, spec.kind, exc) from None
            self._keys[nlp.vocab.strings[pattern_key]] = (rule, spec, names)

    def _index_word(
        self,
        owner: Owner,
        spec: MatchSpec,
        pattern: list[dict[str, Any]],
        names: tuple[str | None, ...],
    ) -> bool:
        """Index a one-token pattern by the words it accepts, instead of matching it.

        A Matcher pays for every pattern at every token, while a one-token pattern
        that names its words is a dictionary look-up per token plus a test of the
        rest of its attributes on the few tokens found. Returns False, leaving the
        pattern to the Matcher, when it is not of that form.
        """
        if len(pattern) != 1 or "OP" in pattern[0]:
            return False
        element = pattern[0]
        for attr, value in element.items():
            name = attr.upper()
            words = _accepted(value) if name in _ANCHOR_ATTRS else None
            if words is None:
                continue
            from spacy.schemas import validate_token_pattern

            errors = validate_token_pattern(pattern)
            if errors:
                raise ValueError("; ".join(errors))
            try:
                rest = compile_predicate({k: v for k, v in element.items() if k != attr})
            except UnsupportedPattern:
                return False
            index = self._words.setdefault(name, {})
            for word in self._ids(words):
                index.setdefault(word, []).append((owner, spec, names[0], rest))
            return True
        return False

    def _ids(self, values: Iterable[str]) -> frozenset[int]:
        """The integer IDs spaCy stores for these attribute values."""
        return frozenset(self._vocab.strings[value] for value in values)

    def _add_condition(self, rule: Owner, condition: Condition) -> None:
        try:
            self._predicates[id(condition)] = compile_predicate(condition.attrs)
        except (ValueError, re.error) as exc:
            raise self._fail(rule, condition.line, "condition", exc) from None

    def find(self, doc: Doc) -> list[Match]:
        """Every match of every rule in ``doc`` that satisfies its conditions."""
        return self.scan(doc)[0]

    def scan(self, doc: Doc) -> tuple[list[Match], list[SignalMatch]]:
        """In one pass, every rule match and every signal found in ``doc``, conditions met."""
        candidates: list[tuple[Owner, MatchSpec, dict[str, Span]]] = []
        if len(self._matcher):
            aligned = cast(
                "list[tuple[int, int, int, list[int]]]",
                self._matcher(doc, with_alignments=True),
            )
            for key, start, end, alignments in aligned:
                rule, spec, names = self._keys[key]
                nodes = {MATCH_NODE: doc[start:end]}
                for offset, element in enumerate(alignments):
                    name = names[element]
                    if name is not None and name not in nodes:
                        nodes[name] = doc[start + offset : start + offset + 1]
                candidates.append((rule, spec, nodes))
        columns = _Columns(doc, self._attr_ids)
        for attr, index in self._words.items():
            for i, value in enumerate(columns.values(attr)):
                for owner, spec, name, rest in index.get(value, ()):
                    token = doc[i]
                    if rest(token):
                        span = doc[i : i + 1]
                        nodes = (
                            {MATCH_NODE: span} if name is None else {MATCH_NODE: span, name: span}
                        )
                        candidates.append((owner, spec, nodes))
        for matcher in self._phrases.values():
            for key, start, end in matcher(doc):
                rule, spec, _ = self._keys[key]
                candidates.append((rule, spec, {MATCH_NODE: doc[start:end]}))
        if len(self._dependency) and self._any_anchored(columns):
            for key, token_ids in self._dependency(doc):
                rule, spec, names = self._keys[key]
                nodes = {
                    str(name): doc[i : i + 1] for name, i in zip(names, token_ids, strict=False)
                }
                nodes[MATCH_NODE] = doc[min(token_ids) : max(token_ids) + 1]
                candidates.append((rule, spec, nodes))
        for rule, spec, compiled in self._regexes:
            candidates.extend((rule, spec, nodes) for nodes in self._regex_nodes(doc, compiled))
        if not candidates:
            return [], []
        matches: list[Match] = []
        signals: list[SignalMatch] = []
        for owner, spec, nodes in candidates:
            if not self._conditions_hold(spec, nodes):
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

    def _regex_nodes(self, doc: Doc, compiled: regex.Pattern[str]) -> Iterator[dict[str, Span]]:
        try:
            found = list(compiled.finditer(doc.text, timeout=REGEX_TIMEOUT))
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

    def _any_anchored(self, columns: _Columns) -> bool:
        """Whether some dependency pattern has, for each of its nodes, a token that could be it.

        The DependencyMatcher costs as much as all its patterns' nodes together,
        while most texts contain none of the words that its patterns require.
        """
        return any(
            all(columns.satisfies(node) for node in pattern_anchors)
            for pattern_anchors in self._dependency_anchors
        )

    def _holds(self, condition: Condition, nodes: dict[str, Span]) -> bool:
        test = self._predicates[id(condition)]
        span = nodes[condition.node]
        # The next and previous tokens of a multi-token node are those around the whole node.
        rel = condition.rel
        anchor = span[-1] if rel == "." else span[0] if rel == ";" else span.root
        return any(test(token) for token in _related(anchor, rel))

    def _conditions_hold(self, spec: MatchSpec, nodes: dict[str, Span]) -> bool:
        return all(self._holds(c, nodes) for c in spec.require) and not any(
            self._holds(c, nodes) for c in spec.unless
        )
