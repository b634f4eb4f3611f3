"""Condition predicates agree with spaCy's own Matcher on one-token patterns."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.matcher import Matcher
from spacy.tokens import Doc

from feedback_lint.matching.columns import Columns, compile_test
from feedback_lint.matching.predicates import UnsupportedPattern, compile_predicate
from sample_doc import sample_doc

PATTERNS: list[dict[str, Any]] = [
    {"LOWER": "always"},
    {"ORTH": "?"},
    {"LOWER": {"IN": ["you", "he"]}},
    {"LOWER": {"NOT_IN": ["you", "he"]}},
    {"LEMMA": {"IN": ["miss", "be"]}, "POS": "VERB"},
    {"DEP": "nsubj"},
    {"DEP": {"IN": ["advmod", "neg"]}, "LOWER": {"IN": ["never", "always"]}},
    {"TAG": "VBP"},
    {"IS_UPPER": True},
    {"IS_ALPHA": False},
    {"IS_TITLE": True, "IS_ALPHA": True},
    {"LENGTH": {">=": 4}},
    {"LENGTH": {"<": 3}, "IS_PUNCT": False},
    {"TEXT": {"REGEX": "^[A-Z]"}},
    {"LIKE_NUM": True},
    {"SHAPE": "xxxx"},
]


@pytest.fixture(scope="module")
def doc() -> Doc:
    return sample_doc()


@pytest.mark.parametrize("attrs", PATTERNS, ids=lambda p: repr(p))
def test_predicates_agree_with_spacy_matcher(doc: Doc, attrs: dict[str, Any]) -> None:
    matcher = Matcher(doc.vocab, validate=True)
    matcher.add("P", [[attrs]])
    expected = {start for _, start, _ in matcher(doc)}
    test = compile_predicate(attrs)
    assert {token.i for token in doc if test(token)} == expected


@pytest.mark.parametrize(
    "attrs",
    [
        {"OP": "+", "LOWER": "a"},
        {"MORPH": {"IS_SUBSET": ["Number=Sing"]}},
        {"COLOUR": "red"},
        {"LOWER": {"FUZZY": "you"}},
    ],
    ids=["op", "morph", "unknown", "fuzzy"],
)
def test_predicates_refuse_what_they_cannot_evaluate(attrs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        compile_predicate(attrs)
    assert issubclass(UnsupportedPattern, ValueError)


@pytest.mark.parametrize(
    "attrs",
    [*PATTERNS, {"LOWER": {"REGEX": "^(you|do)$"}}, {"TAG": {"REGEX": "^VB"}, "IS_ALPHA": True}],
    ids=lambda p: repr(p),
)
def test_predicates_column_tests_agree_with_spacy_matcher(doc: Doc, attrs: dict[str, Any]) -> None:
    matcher = Matcher(doc.vocab, validate=True)
    matcher.add("P", [[attrs]])
    expected = {start for _, start, _ in matcher(doc)}
    test = compile_test(attrs, lambda values: frozenset(doc.vocab.strings.add(v) for v in values))
    columns = Columns(doc)
    for _ in range(2):  # the second time, regular expressions are answered from the cache
        assert {i for i in range(len(doc)) if test.holds(columns, i)} == expected
        assert test.holds_at_any(columns, range(len(doc))) is bool(expected)
