"""Dependency patterns matched on the HEAD column give spaCy's DependencyMatcher's own
matches, in its order: compared on every rule and signal example, on texts generated
from the patterns' own words, and on hand-built Docs."""

from __future__ import annotations

import random
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from feedback_lint import Linter
from feedback_lint.matching import CompiledRules
from feedback_lint.matching.columns import Columns, compile_test
from feedback_lint.matching.dependency import ColumnPattern, compile_column_pattern

Listed = list[tuple[object, ...]]


def _every_rule(linter: Linter, columns: bool) -> CompiledRules:
    return CompiledRules(
        linter.all_rules,
        linter.nlp,
        linter.signals,
        linter.targets,
        prefilter=False,
        dependency_columns=columns,
    )


def _listed(compiled: CompiledRules, doc: Doc) -> Listed:
    """The dependency matches of every pattern in ``doc``, in the order found."""
    viable = set(range(len(compiled._requirements)))
    found = compiled._dependencies.find(doc, Columns(doc), viable)
    return [
        (
            getattr(owner, "code", None) or owner.name,
            id(spec),
            sorted((name, span.start, span.end) for name, span in nodes.items()),
        )
        for owner, spec, nodes in found
    ]


def _words(linter: Linter) -> list[str]:
    """Every word the dependency patterns list (LOWER and LEMMA values)."""
    words: set[str] = set()
    for owner in (*linter.all_rules, *linter.signals):
        for spec in owner.matches:
            if spec.kind != "dependency":
                continue
            for pattern in spec.patterns:
                for node in pattern:
                    for attr in ("LOWER", "LEMMA"):
                        value: Any = node["RIGHT_ATTRS"].get(attr)
                        if isinstance(value, str):
                            words.add(value)
                        elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                            words.update(str(word) for word in value["IN"])
    return sorted(words)


def _texts(linter: Linter, count: int = 500) -> list[str]:
    """Rule and signal examples, and as many more made from them: two examples joined,
    a word of each replaced by a word some dependency pattern lists."""
    examples = [e.text for r in linter.all_rules for e in r.examples]
    examples += [e.text for s in linter.signals for e in s.examples]
    words = _words(linter)
    rng = random.Random(17)
    generated = []
    for _ in range(count):
        text = " ".join(rng.sample(examples, 2)).split()
        for _ in range(2):
            text[rng.randrange(len(text))] = rng.choice(words)
        generated.append(" ".join(text))
    return examples + generated


def test_dependency_columns_match_as_spacy_does(linter: Linter) -> None:
    fast, spacy_only = _every_rule(linter, True), _every_rule(linter, False)
    followed = [group for group in fast._dependencies._column_groups.values() if group]
    assert len(followed) > len(fast._dependencies._groups) / 2, "most groups take the columns"
    matched = 0
    for doc in linter.nlp.pipe(_texts(linter)):
        expected = _listed(spacy_only, doc)
        assert _listed(fast, doc) == expected, doc.text
        matched += bool(expected)
        assert fast.scan(doc) == spacy_only.scan(doc), doc.text
    assert matched > 300, "the comparison says something only if texts match"


def _pattern(nlp: Language, nodes: list[dict[str, Any]]) -> ColumnPattern:
    compiled = compile_column_pattern(
        nodes,
        lambda attrs: compile_test(attrs, lambda v: frozenset(nlp.vocab.strings.add(w) for w in v)),
    )
    assert compiled is not None
    return compiled


def _doc(nlp: Language, heads: list[int]) -> Doc:
    words = ["you", "never", "ever", "listen", "to", "them"]
    return Doc(nlp.vocab, words=words, heads=heads, deps=["dep"] * len(words))


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        (">", [[3, 0], [3, 1], [3, 4]]),  # the children of "listen", in order
        (">>", [[3, 0], [3, 1], [3, 2], [3, 4], [3, 5]]),  # everything below it
        ("<", []),  # "listen" is the root: it has no head
    ],
)
def test_dependency_columns_follow_each_relation(
    linter: Linter, rel: str, expected: list[list[int]]
) -> None:
    doc = _doc(linter.nlp, [3, 3, 1, 3, 3, 4])
    pattern = _pattern(
        linter.nlp,
        [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": "listen"}},
            {"LEFT_ID": "verb", "REL_OP": rel, "RIGHT_ID": "other", "RIGHT_ATTRS": {}},
        ],
    )
    assert pattern.matches(Columns(doc)) == expected


def test_dependency_columns_let_two_nodes_share_a_token(linter: Linter) -> None:
    doc = _doc(linter.nlp, [3, 3, 1, 3, 3, 4])
    pattern = _pattern(
        linter.nlp,
        [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": "listen"}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "a", "RIGHT_ATTRS": {"LOWER": "you"}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "b", "RIGHT_ATTRS": {"LOWER": "you"}},
        ],
    )
    assert pattern.matches(Columns(doc)) == [[3, 0, 0]]


@pytest.mark.parametrize(
    ("node", "followed"),
    [
        ({"LEFT_ID": "verb", "REL_OP": ".", "RIGHT_ID": "next", "RIGHT_ATTRS": {}}, False),
        ({"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "x", "RIGHT_ATTRS": {"LENGTH": 3}}, True),
        ({"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "x", "RIGHT_ATTRS": {"MORPH": "a"}}, False),
    ],
)
def test_dependency_columns_leave_what_they_cannot_follow_to_spacy(
    linter: Linter, node: dict[str, Any], followed: bool
) -> None:
    nodes = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB"}}, node]
    ids = lambda v: frozenset(linter.nlp.vocab.strings.add(w) for w in v)  # noqa: E731
    compiled = compile_column_pattern(nodes, lambda attrs: compile_test(attrs, ids))
    assert (compiled is not None) is followed


@pytest.mark.parametrize(
    ("heads", "in_order"),
    [
        ([3, 3, 1, 3, 3, 4], True),  # one tree
        ([1, 1, 3, 3, 5, 5], True),  # three trees, one after another
        ([2, 1, 2, 1, 5, 5], False),  # the trees of "never" and "ever" interleave
    ],
)
def test_dependency_columns_tell_interleaved_trees(
    linter: Linter, heads: list[int], in_order: bool
) -> None:
    assert Columns(_doc(linter.nlp, heads)).trees_in_order() is in_order


def test_dependency_interleaved_trees_go_to_spacy(linter: Linter) -> None:
    fast, spacy_only = _every_rule(linter, True), _every_rule(linter, False)
    parsed = linter.nlp("You never listen. You always miss deadlines.")
    heads = [token.head.i for token in parsed]
    heads[1] = parsed[6].i if parsed[6].dep_ == "ROOT" else heads[1]  # "never" moves over
    doc = Doc(
        linter.nlp.vocab,
        words=[t.text for t in parsed],
        spaces=[bool(t.whitespace_) for t in parsed],
        tags=[t.tag_ for t in parsed],
        pos=[t.pos_ for t in parsed],
        lemmas=[t.lemma_ for t in parsed],
        heads=heads,
        deps=[t.dep_ for t in parsed],
    )
    assert not Columns(doc).trees_in_order()
    expected = _listed(spacy_only, doc)
    assert expected, "some pattern matches"
    assert _listed(fast, doc) == expected
