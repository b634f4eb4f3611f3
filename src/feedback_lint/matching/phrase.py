"""Phrase lists (``kind: phrase``): one spaCy ``PhraseMatcher`` per token attribute."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..rules import MATCH_NODE, MatchSpec
from .matches import Candidate, Owner

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc


class PhrasePatterns:
    """Every phrase list of the rules and signals, shared by attribute."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._matchers: dict[str, PhraseMatcher] = {}
        self._keys: dict[int, tuple[Owner, MatchSpec]] = {}

    def add(self, owner: Owner, spec: MatchSpec, key: str) -> None:
        """Add the phrases of ``spec`` under ``key``."""
        nlp = self._nlp
        matcher = self._matchers.get(spec.attr)
        if matcher is None:
            from spacy.matcher import PhraseMatcher

            matcher = self._matchers[spec.attr] = PhraseMatcher(nlp.vocab, attr=spec.attr)
        matcher.add(key, [nlp.make_doc(phrase) for phrase in spec.patterns])
        self._keys[nlp.vocab.strings[key]] = (owner, spec)

    def find(self, doc: Doc) -> Iterator[Candidate]:
        """Every phrase found in ``doc``."""
        for matcher in self._matchers.values():
            for key, start, end in matcher(doc):
                owner, spec = self._keys[key]
                yield owner, spec, {MATCH_NODE: doc[start:end]}
