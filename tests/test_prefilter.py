"""The prefilter (patterns tried only on texts that hold what they require) never
drops a match: with it and without it, every rule and signal finds the same."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from feedback_lint import Linter
from feedback_lint.matching import CompiledRules, Match, SignalMatch
from feedback_lint.matching.columns import Columns, Requirements
from feedback_lint.matching.dependency import dependency_requirements

Found = tuple[list[tuple[object, ...]], list[tuple[object, ...]]]


def _found(result: tuple[list[Match], list[SignalMatch]]) -> Found:
    matches, signals = result
    return (
        [
            (
                m.rule.code,
                id(m.spec),
                m.start_char,
                m.end_char,
                sorted((name, span.start, span.end) for name, span in m.nodes.items()),
            )
            for m in matches
        ],
        [(s.signal.name, id(s.spec), s.start_char, s.end_char) for s in signals],
    )


def _texts(linter: Linter) -> list[str]:
    texts = [e.text for r in linter.all_rules for e in r.examples]
    texts += [e.fixed for r in linter.all_rules for e in r.examples if e.fixed]
    texts += [e.text for s in linter.signals for e in s.examples]
    return texts


def test_prefilter_never_drops_a_match(linter: Linter) -> None:
    compiled = linter.compiled
    unfiltered = CompiledRules(
        compiled.rules, linter.nlp, compiled.signals, compiled.targets, prefilter=False
    )
    docs = list(linter.nlp.pipe(_texts(linter)))
    matched = 0
    for doc in docs:
        expected = _found(unfiltered.scan(doc))
        assert _found(compiled.scan(doc)) == expected, doc.text
        matched += bool(expected[0])
    assert matched > len(docs) / 5, "the comparison says something only if texts match"


def _doc(nlp: Language) -> Doc:
    """'You never listen .' parsed by hand."""
    return Doc(
        nlp.vocab,
        words=["You", "never", "listen", "."],
        pos=["PRON", "ADV", "VERB", "PUNCT"],
        heads=[2, 2, 2, 2],
        deps=["nsubj", "neg", "ROOT", "punct"],
    )


@pytest.mark.parametrize(
    ("head", "child", "met"),
    [
        ("VERB", "PRON", True),  # "listen" heads "You"
        ("PRON", "VERB", False),  # "You" heads nothing
        ("VERB", "VERB", False),  # the root is its own head, which is no relation
    ],
)
def test_prefilter_requires_the_relation_of_two_nodes(
    linter: Linter, head: str, child: str, met: bool
) -> None:
    pattern = [
        {"RIGHT_ID": "head", "RIGHT_ATTRS": {"POS": head}},
        {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "child", "RIGHT_ATTRS": {"POS": child}},
    ]
    strings = linter.nlp.vocab.strings
    required = dependency_requirements(
        pattern, lambda values: frozenset(strings.add(v) for v in values)
    )
    assert len(required.nodes) == 2 and len(required.edges) == 1
    assert Columns(_doc(linter.nlp)).meets(required) is met


def test_prefilter_keys_a_pattern_on_its_rarest_word() -> None:
    common = frozenset({1})
    required = Requirements(
        (
            (("POS", frozenset({7})),),
            (("LOWER", frozenset({1})),),
            (("LOWER", frozenset({2, 3})), ("DEP", frozenset({4}))),
        )
    )
    assert required.key(common.__contains__) == ("LOWER", frozenset({2, 3}))
    assert Requirements().key(common.__contains__) is None
