"""Token patterns looked up by their first word find what spaCy's Matcher finds, aligned alike."""

from __future__ import annotations

from typing import Any, cast

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from feedback_lint import Linter
from feedback_lint.matching.columns import Columns
from feedback_lint.matching.sequences import TokenSequence, ambiguous, compile_sequence

Pattern = list[dict[str, Any]]
Found = set[tuple[int, int, tuple[int, ...]]]


def _by_matcher(doc: Doc, pattern: Pattern) -> Found:
    """Each match's span, and its alignment unless quantifiers can make that ambiguous."""
    matcher = Matcher(doc.vocab, validate=True)
    matcher.add("P", [pattern])
    found = cast("list[tuple[int, int, int, list[int]]]", matcher(doc, with_alignments=True))
    return {(s, e, () if ambiguous(pattern) else tuple(a)) for _, s, e, a in found}


def _by_sequence(doc: Doc, pattern: Pattern, sequence: TokenSequence) -> Found:
    columns = Columns(doc)
    return {
        (position - sequence.offset, end, () if ambiguous(pattern) else tuple(aligned))
        for position, value in enumerate(columns.values(sequence.anchor))
        if value in sequence.values and position >= sequence.offset
        for end, aligned in sequence.matches(columns, position - sequence.offset)
    }


def _compiled(doc: Doc, pattern: Pattern, common: frozenset[str] | None = None) -> TokenSequence:
    """``pattern`` compiled for ``doc``; with ``common``, anchored on its rarest word."""

    def ids(values: Any) -> frozenset[int]:
        return frozenset(doc.vocab.strings.add(value) for value in values)

    if common is None:
        sequence = compile_sequence(pattern, ids)
    else:
        sequence = compile_sequence(pattern, ids, common=ids(common).__contains__)
    assert sequence is not None
    return sequence


@pytest.fixture(scope="module")
def nlp(linter: Linter) -> Language:
    return linter.nlp


PARSED_TEXT = (
    "You could maybe try to add a test. We could, and we would, review it again soon. "
    "Would you please write the tests before the release? You never ever ever test it! "
    "I think that you could have been clearer in the last review, which is fine."
)

PATTERNS: list[Pattern] = [
    [{"LOWER": "you"}, {"LOWER": "could"}],
    [{"LOWER": {"IN": ["you", "we"]}}, {"LOWER": "could"}, {"POS": "ADV", "OP": "?"}],
    [{"LOWER": {"IN": ["you", "we"]}}, {"IS_ALPHA": True, "OP": "*"}, {"LEMMA": "test"}],
    [{"LOWER": "you"}, {"LOWER": "never"}, {"LOWER": "ever", "OP": "+"}],
    [{"LOWER": "you"}, {"LOWER": "never"}, {"LOWER": "ever", "OP": "*"}, {"LOWER": "ever"}],
    [{"LOWER": "ever", "POS": "ADV"}, {"OP": "?"}, {"OP": "?"}],
    [{"ORTH": ","}, {"LOWER": {"IN": ["and", "which"]}}, {"TAG": {"IN": ["PRP", "VBZ"]}}],
    [{"TEXT": "Would"}, {"LOWER": "you"}, {"LOWER": "please", "OP": "?"}, {"POS": "VERB"}],
    [{"LEMMA": {"IN": ["be", "have"]}, "POS": "AUX"}, {"TAG": "VBN", "OP": "+"}],
    [{"LOWER": "the"}, {"IS_ALPHA": True, "LENGTH": {">=": 5}, "OP": "*"}, {"IS_PUNCT": True}],
    [{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"NOT_IN": ["could"]}, "OP": "+"}],
    [{"LOWER": "review", "IS_ALPHA": True}],
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=repr)
def test_sequences_agree_with_spacy_matcher(nlp: Language, pattern: Pattern) -> None:
    doc = nlp(PARSED_TEXT)
    expected = _by_matcher(doc, pattern)
    assert _by_sequence(doc, pattern, _compiled(doc, pattern)) == expected
    assert _by_sequence(doc, pattern, _compiled(doc, pattern, COMMON)) == expected
    assert expected, "every pattern here matches the text, so the comparison says something"


#: Words taken as common, so that a pattern that starts with one is looked up by another.
COMMON = frozenset({"you", "we", "i", "the", ",", "could"})


def test_sequences_are_looked_up_by_their_rarest_leading_word(nlp: Language) -> None:
    doc = nlp(PARSED_TEXT)
    pattern: Pattern = [{"LOWER": "you"}, {"LOWER": "never"}, {"LOWER": "ever", "OP": "+"}]
    sequence = _compiled(doc, pattern, COMMON)
    assert (sequence.anchor, sequence.offset) == ("LOWER", 1)
    assert sequence.values == frozenset([doc.vocab.strings["never"]])
    # a quantified element is never the anchor: its offset from the start is not fixed
    late: Pattern = [{"LOWER": "you"}, {"POS": "ADV", "OP": "?"}, {"LOWER": "never"}]
    assert _compiled(doc, late, COMMON).offset == 0


_BLANK = spacy.blank("en")
_WORDS = ["a", "b", "c"]
_element = st.fixed_dictionaries(
    {
        "LOWER": st.one_of(
            st.sampled_from(_WORDS),
            st.lists(st.sampled_from(_WORDS), min_size=1, max_size=2).map(lambda w: {"IN": w}),
        )
    },
    optional={"OP": st.sampled_from(["?", "*", "+"])},
)
_patterns = st.tuples(
    _element.map(lambda e: {k: v for k, v in e.items() if k != "OP"}),
    st.lists(_element, max_size=3),
).map(lambda pair: [pair[0], *pair[1]])


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8), pattern=_patterns)
def test_sequences_agree_with_spacy_matcher_on_any_pattern(
    words: list[str], pattern: Pattern
) -> None:
    doc = Doc(_BLANK.vocab, words=words)
    expected = _by_matcher(doc, pattern)
    assert _by_sequence(doc, pattern, _compiled(doc, pattern)) == expected
    assert _by_sequence(doc, pattern, _compiled(doc, pattern, frozenset({"a"}))) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "you", "OP": "?"}, {"LOWER": "could"}],
        [{"LENGTH": {">=": 2}}, {"LOWER": "could"}],
        [{"LOWER": "you"}, {"LOWER": "could", "OP": "!"}],
        [{"LOWER": "you"}, {"LOWER": "could", "OP": "{2}"}],
        [{"LOWER": "you"}, {"MORPH": {"IS_SUBSET": ["Number=Sing"]}}],
        [{"LOWER": {"REGEX": "^you"}}, {"LOWER": "could"}],
    ],
    ids=["optional-first", "nothing-listed-first", "negation", "count", "morph", "regex-first"],
)
def test_sequences_leave_other_forms_to_the_matcher(pattern: Pattern) -> None:
    assert compile_sequence(pattern, lambda values: frozenset()) is None


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ([{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "c"}], False),
        ([{"LOWER": "a"}, {"LOWER": "b", "OP": "*"}, {"LOWER": "b"}], True),
        (
            [{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "c", "OP": "?"}, {"LOWER": "b"}],
            True,
        ),
        ([{"LOWER": "a"}, {"LOWER": "b", "OP": "+"}, {"LOWER": "c"}, {"LOWER": "b"}], False),
        ([{"LOWER": "a"}, {"ORTH": ",", "OP": "?"}, {"LOWER": {"IN": ["but", "yet"]}}], False),
        ([{"LOWER": "a"}, {"TEXT": "But", "OP": "?"}, {"LOWER": {"IN": ["but", "yet"]}}], True),
        ([{"LOWER": "a"}, {"IS_UPPER": True, "OP": "+"}, {"IS_UPPER": False}], False),
        ([{"LOWER": "a"}, {"POS": "ADV", "OP": "?"}, {"LOWER": "now"}], True),
    ],
)
def test_sequences_know_when_an_alignment_could_be_ambiguous(
    pattern: Pattern, expected: bool
) -> None:
    assert ambiguous(pattern) is expected
    compiled = compile_sequence(pattern, lambda values: frozenset(), aligned=True)
    assert (compiled is None) is expected


def test_sequences_refuse_an_invalid_pattern() -> None:
    with pytest.raises(ValueError, match="COLOUR"):
        compile_sequence([{"LOWER": "you", "COLOUR": "red"}], lambda values: frozenset())
