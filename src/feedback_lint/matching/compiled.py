"""All active rules and signals compiled once for one vocabulary, and matched in one pass.

Each kind of pattern has a module of its own (:mod:`.token`, :mod:`.phrase`,
:mod:`.dependency`, :mod:`.regex`); this one adds each pattern to its kind,
asks each kind for its candidate matches in a parsed text (only those whose
requirements the text meets, :class:`columns.Prefilter`), tests their
conditions (:mod:`.conditions`) and maps them back to rules and signals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from ..rules import MatchSpec, Rule, Signal
from ..targets import TargetWords, judging, register
from .columns import Columns, Prefilter
from .conditions import Conditions
from .dependency import DependencyPatterns
from .matches import Candidate, Match, Owner, SignalMatch, pattern_error
from .phrase import PhrasePatterns
from .regex import RegexPatterns
from .token import TokenPatterns

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_PUNCTUATION: Final = (*".,;:!?-'\"()[]", "...", "\u2026", "--", "\u2014", "\u2013", "'s", "n't")


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
        dependency_columns: bool = True,
    ) -> None:
        register()  # before any matcher is built: patterns may test _.target
        #: The words that decide ``_.target``; None keeps the built-in lists.
        self.targets = targets
        self.rules = tuple(rules)
        self.signals = tuple(signals)
        self._vocab = nlp.vocab
        #: Whether patterns are tried only on texts that meet their requirements; off,
        #: every pattern runs on every text (the tests compare the two).
        self.prefilter = prefilter
        # Stop words and punctuation are in most texts: a pattern is better looked up by
        # another of its words.
        words = (*nlp.Defaults.stop_words, *_PUNCTUATION)
        common = self._ids(form for word in words for form in (word, word.title(), word.upper()))
        self._common = common.__contains__
        # What each token pattern and dependency group needs of a text to match in it.
        self._requirements = Prefilter(self._common)
        self._conditions = Conditions(self._ids)
        self._token = TokenPatterns(
            nlp.vocab, self._ids, self._common, self._requirements, self._conditions
        )
        self._phrases = PhrasePatterns(nlp)
        #: ``dependency_columns``: whether dependency patterns the HEAD column can follow
        #: are matched on it rather than by spaCy's DependencyMatcher (identical matches;
        #: the tests compare the two).
        self._dependencies = DependencyPatterns(
            nlp.vocab, self._ids, self._requirements, self._conditions, columns=dependency_columns
        )
        self._regexes = RegexPatterns()
        owners: list[tuple[Owner, str]] = [(rule, rule.code) for rule in self.rules]
        owners += [(signal, f"signal:{signal.name}") for signal in self.signals]
        for owner, prefix in owners:
            for spec_index, spec in enumerate(owner.matches):
                if spec.kind == "document":
                    continue  # judged per unit from the signals, not matched in a block
                for condition in (*spec.require, *spec.unless):
                    self._conditions.add(owner, condition)
                self._add(owner, spec, f"{prefix}/{spec_index}")
        #: The columns that every text is likely to need, read from it in one call.
        self._together = self._requirements.attributes

    def _add(self, owner: Owner, spec: MatchSpec, key: str) -> None:
        if spec.kind == "regex":
            self._regexes.add(owner, spec)
            return
        if spec.kind == "phrase":
            self._phrases.add(owner, spec, key)
            return
        kind = self._token if spec.kind == "token" else self._dependencies
        for index, (pattern, line) in enumerate(
            zip(spec.patterns, spec.pattern_lines, strict=False)
        ):
            try:
                kind.add(owner, spec, pattern, f"{key}/{index}")
            except Exception as exc:  # spaCy raises ValueError, KeyError and its own errors
                raise pattern_error(owner, line, spec.kind, exc) from None

    def _ids(self, values: Iterable[str]) -> frozenset[int]:
        """The integer IDs spaCy stores for these attribute values."""
        return frozenset(self._vocab.strings[value] for value in values)

    def find(self, doc: Doc) -> list[Match]:
        """Every match of every rule in ``doc`` that satisfies its conditions."""
        return self.scan(doc)[0]

    def scan(self, doc: Doc, text: str | None = None) -> tuple[list[Match], list[SignalMatch]]:
        """In one pass, every rule match and every signal found in ``doc``, conditions met.

        ``text`` is ``doc.text`` when the caller has it (spaCy rebuilds it from the tokens).
        """
        with judging(self.targets):
            return self._scan(doc, text)

    def _scan(self, doc: Doc, text: str | None) -> tuple[list[Match], list[SignalMatch]]:
        columns = Columns(doc, self._together)
        if self.prefilter:
            viable = self._requirements.viable(columns)
        else:
            viable = set(range(len(self._requirements)))
        candidates: list[Candidate] = [*self._token.find(doc, columns, viable)]
        candidates.extend(self._phrases.find(doc))
        candidates.extend(self._dependencies.find(doc, columns, viable))
        if self._regexes:
            candidates.extend(self._regexes.find(doc, doc.text if text is None else text))
        if not candidates:
            return [], []
        matches: list[Match] = []
        signals: list[SignalMatch] = []
        for owner, spec, nodes in candidates:
            if not self._conditions.hold(spec, nodes, columns):
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
