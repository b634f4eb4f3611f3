"""One-token tests read ``NOT_IN`` lists and extension attributes from a text's columns,
with the same answers as spaCy's Matcher and as a predicate on the token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from feedback_lint.matching.columns import Columns, compile_test
from feedback_lint.matching.predicates import compile_predicate
from sample_doc import sample_doc

_EXTENSION = "column_test_kind"
_CALLS: list[int] = []


def _kind(token: Token) -> str:
    _CALLS.append(token.i)
    return "noun" if token.pos_ == "NOUN" else "pronoun" if token.pos_ == "PRON" else ""


@pytest.fixture(scope="module")
def doc() -> Iterator[Doc]:
    Token.set_extension(_EXTENSION, getter=_kind, force=True)
    yield sample_doc()
    Token.remove_extension(_EXTENSION)


PATTERNS: list[dict[str, Any]] = [
    {"LOWER": {"NOT_IN": ["you", "never"]}},
    {"TEXT": {"NOT_IN": ["You", "?"]}},
    {"LEMMA": {"NOT_IN": ["deadline"]}, "POS": {"IN": ["NOUN", "VERB"]}},
    {"POS": {"NOT_IN": ["PRON", "PUNCT"]}, "IS_ALPHA": True},
    {"DEP": {"NOT_IN": ["nsubj", "ROOT"]}},
    {"_": {_EXTENSION: "noun"}},
    {"_": {_EXTENSION: {"IN": ["noun", "pronoun"]}}, "LOWER": {"NOT_IN": ["you"]}},
    {"_": {_EXTENSION: {"NOT_IN": ["noun"]}}, "IS_PUNCT": False},
]


def _ids(doc: Doc) -> Any:
    return lambda values: frozenset(doc.vocab.strings.add(v) for v in values)


@pytest.mark.parametrize("attrs", PATTERNS, ids=repr)
def test_column_tests_agree_with_predicates(doc: Doc, attrs: dict[str, Any]) -> None:
    predicate = compile_predicate(attrs)
    expected = {token.i for token in doc if predicate(token)}
    if "_" not in attrs:  # spaCy's Matcher checks the same without the extension
        matcher = Matcher(doc.vocab, validate=True)
        matcher.add("P", [[attrs]])
        assert expected == {start for _, start, _ in matcher(doc)}
    test = compile_test(attrs, _ids(doc))
    columns = Columns(doc)
    assert {i for i in range(len(doc)) if test.holds(columns, i)} == expected
    assert test.holds_at_any(columns, range(len(doc))) is bool(expected)


@pytest.mark.parametrize("attrs", PATTERNS, ids=repr)
def test_column_tests_need_no_token_predicate(doc: Doc, attrs: dict[str, Any]) -> None:
    test = compile_test(attrs, _ids(doc))
    assert test.rest is None
    assert test.excluded or test.extensions


def test_column_tests_read_an_extension_once_per_token(doc: Doc) -> None:
    first = compile_test({"_": {_EXTENSION: "noun"}}, _ids(doc))
    second = compile_test({"_": {_EXTENSION: {"IN": ["pronoun"]}}}, _ids(doc))
    columns = Columns(doc)
    _CALLS.clear()
    for test in (first, second, first):
        for i in range(len(doc)):
            test.holds(columns, i)
    assert sorted(_CALLS) == list(range(len(doc)))


@pytest.mark.parametrize(
    "together", [("LOWER",), ("LOWER", "POS", "DEP", "IS_ALPHA", "TEXT", "ORTH", "LIKE_NUM")]
)
def test_column_tests_read_together_as_one_by_one(doc: Doc, together: tuple[str, ...]) -> None:
    one_by_one = Columns(doc)
    at_once = Columns(doc, together)
    for attr in (*reversed(together), "TAG", "SENT_START"):
        assert at_once.values(attr) == one_by_one.values(attr)
    assert set(together) <= set(at_once._lists)
