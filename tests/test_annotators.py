"""The column attribute ruler and lemmatizer give spaCy's own annotations."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token

from feedback_lint import annotators
from feedback_lint.annotators import ColumnLemmatizer, ColumnRuler
from feedback_lint.linter import Linter
from feedback_lint.parsing import load_spacy_pipeline

Annotation = tuple[str, str, str, str, str, str]


def _annotations(doc: Doc) -> list[Annotation]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def _ruler_words(nlp: Language) -> list[str]:
    """Every word the pipeline's attribute ruler lists, in its own spelling and in capitals."""
    words: set[str] = set()
    ruler: AttributeRuler = nlp.get_pipe("attribute_ruler")  # type: ignore[assignment]
    entries: list[Any] = ruler.patterns
    for entry in entries:
        for pattern in entry["patterns"]:
            for element in pattern:
                value = element.get("LOWER", element.get("ORTH"))
                if isinstance(value, str):
                    words.add(value)
                elif isinstance(value, dict):
                    words.update(v for v in value.get("IN", ()) if isinstance(v, str))
    return sorted(words | {word.upper() for word in words} | {word.title() for word in words})


def _generated(nlp: Language, count: int, seed: int = 17) -> Iterator[str]:
    """Texts that mix the ruler's words with ordinary prose, spaces and line breaks."""
    rng = random.Random(seed)
    prose = (
        "there is a problem with the build . you are late again , but she was kind !"
        " they have done it ; I 'm sure we 've seen y' all before ? nothin' works"
        " 3 tests failed at 10:30 - the team's code -- is it ready ? gon na , got ta"
    )
    words = _ruler_words(nlp) + prose.split(" ")
    for _ in range(count):
        picked = [rng.choice(words) for _ in range(rng.randint(1, 40))]
        gaps = [rng.choice([" ", " ", " ", "  ", "\n", "\n\n", ""]) for _ in picked]
        yield "".join(word + gap for word, gap in zip(picked, gaps, strict=True))


@pytest.fixture(scope="module")
def pipelines() -> tuple[Language, Language]:
    """The English pipeline as spaCy ships it, and with the column versions installed."""
    everything = frozenset({"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"})
    name = Linter().pipeline_name
    shipped = load_spacy_pipeline(name, everything)
    columns = annotators.install(load_spacy_pipeline(name, everything))
    return shipped, columns


def test_annotators_install_replaces_ruler_and_lemmatizer(
    pipelines: tuple[Language, Language],
) -> None:
    _, columns = pipelines
    assert isinstance(columns.get_pipe("attribute_ruler"), ColumnRuler)
    assert isinstance(columns.get_pipe("lemmatizer"), ColumnLemmatizer)
    ruler = columns.get_pipe("attribute_ruler")
    assert isinstance(ruler, ColumnRuler)
    assert ruler.fallback_patterns == 0


def test_annotators_match_spacy_on_generated_texts(pipelines: tuple[Language, Language]) -> None:
    shipped, columns = pipelines
    texts = [*_generated(shipped, 600), "", " ", "\n\n", "Ain't nobody gonna stop y'all."]
    tokens = 0
    for expected, got in zip(shipped.pipe(texts), columns.pipe(texts), strict=True):
        assert _annotations(got) == _annotations(expected), expected.text
        tokens += len(expected)
    assert tokens > 10_000


def test_annotators_match_spacy_on_new_words_in_memory_zones(
    pipelines: tuple[Language, Language],
) -> None:
    texts = ["The zorblaxes were frobnicated by the qwimbly reviewers.", "Zorblaxes frobnicate."]
    for _ in range(2):  # the second time, the lemmas come from the cache of the first
        shipped, columns = (_zoned(nlp, texts) for nlp in pipelines)
        assert columns == shipped


def _zoned(nlp: Language, texts: list[str]) -> list[list[Annotation]]:
    with nlp.memory_zone():
        return [_annotations(doc) for doc in nlp.pipe(texts)]


def _blank_with_ruler(patterns: list[dict[str, object]]) -> Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp


#: Patterns the columns express and ones they cannot (an operator, a length, a
#: NORM to set, an extension attribute), in an order where later ones override.
_PATTERNS: list[dict[str, object]] = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"LOWER": "the"}, {"TAG": "NN"}]], "attrs": {"POS": "PROPN"}, "index": -1},
    {"patterns": [[{"LOWER": {"REGEX": "^b"}}, {"OP": "+", "TAG": "NN"}]], "attrs": {"POS": "X"}},
    {"patterns": [[{"LENGTH": 3, "TAG": "NN"}]], "attrs": {"LEMMA": "three"}},
    {"patterns": [[{"DEP": {"NOT_IN": ["", "det"]}, "TAG": "NN"}]], "attrs": {"TAG": "NNS"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE", "MORPH": "_"}},
    {"patterns": [[{"TAG": {"IN": ["DT", "JJ"]}}]], "attrs": {"MORPH": "PronType=Art"}},
]


@pytest.mark.parametrize(
    "extra",
    [
        [],
        [{"patterns": [[{"LOWER": "cat"}]], "attrs": {"NORM": "feline"}}],
        [{"patterns": [[{"LOWER": "dog"}]], "attrs": {"POS": "VERB"}, "index": 0}],
    ],
    ids=["column-and-matcher-patterns", "an-attribute-only-spacy-sets", "a-later-override"],
)
def test_annotators_ruler_equals_spacy_on_built_docs(extra: list[dict[str, object]]) -> None:
    nlp = _blank_with_ruler([*_PATTERNS, *extra])
    shipped = nlp.get_pipe("attribute_ruler")
    columns = ColumnRuler(shipped)  # type: ignore[arg-type]
    assert columns.fallback_patterns == 2 + bool(extra and "NORM" in str(extra))
    rng = random.Random(3)
    vocabulary = [("the", "DT"), ("big", "JJ"), ("cat", "NN"), ("dog", "NN"), ("barks", "VBZ")]
    for _ in range(200):
        picked = [rng.choice(vocabulary) for _ in range(rng.randint(1, 8))]
        words = [w for w, _ in picked]
        spaces = [rng.random() < 0.8 for _ in picked]
        deps = [rng.choice(["det", "nsubj", "ROOT"]) for _ in picked]
        tags = [t for _, t in picked]
        built = {
            "words": words,
            "spaces": spaces,
            "tags": tags,
            "deps": deps,
            "heads": [0] * len(picked),
        }
        expected = shipped(Doc(nlp.vocab, **built))  # type: ignore[arg-type]
        got = columns(Doc(nlp.vocab, **built))  # type: ignore[arg-type]
        assert [(*a, t.norm_) for a, t in zip(_annotations(got), got, strict=True)] == [
            (*a, t.norm_) for a, t in zip(_annotations(expected), expected, strict=True)
        ]


def test_annotators_leave_a_lemmatizer_with_rules_of_its_own() -> None:
    from spacy.pipeline import Lemmatizer

    class Contextual(Lemmatizer):
        def is_base_form(self, token: Token) -> bool:
            return token.i == 0  # depends on more than the word, POS and morphology

    nlp = spacy.blank("en")
    own = Contextual(nlp.vocab, None, mode="rule")
    assert not annotators._cacheable(own)
    assert annotators._cacheable(Lemmatizer(nlp.vocab, None, mode="rule"))
    assert not annotators._cacheable(Lemmatizer(nlp.vocab, None, mode="lookup"))
