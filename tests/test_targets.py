"""The target of a judgement and the tone lexicons, on hand-built parses."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from feedback_lint.matching.predicates import compile_predicate
from feedback_lint.targets import TargetWords, judging, register, target
from feedback_lint.tone import parse_overrides, valence_words

WORDS = TargetWords(
    people=frozenset({"you", "your", "he", "his", "whoever"}),
    roles=frozenset({"author", "team", "someone"}),
    writer=frozenset({"i", "my", "we"}),
    work=frozenset({"code", "design"}),
    pointers=frozenset({"this", "that", "it"}),
    calendar=frozenset({"march"}),
    public=frozenset({"government", "article", "bill"}),
    reader=frozenset({"you", "your"}),
)


def parse(words: list[str], pos: list[str], heads: list[int], deps: list[str]) -> Doc:
    nlp = spacy.blank("en")
    lemmas = [
        w.lower().rstrip("s") if p == "NOUN" else w.lower()
        for w, p in zip(words, pos, strict=True)
    ]
    tags = ["WDT" if w.lower() == "which" else "_" for w in words]  # a relative pronoun
    return Doc(nlp.vocab, words=words, pos=pos, tags=tags, heads=heads, deps=deps, lemmas=lemmas)


@pytest.mark.parametrize(
    ("words", "pos", "heads", "deps", "index", "expected"),
    [
        # "The authors are clueless": a role is a person
        (["The", "authors", "are", "clueless"], ["DET", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["det", "nsubj", "ROOT", "acomp"], 1, "person"),
        # "Your code is bad": what a person owns is their work
        (["Your", "code", "is", "bad"], ["PRON", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["poss", "nsubj", "ROOT", "acomp"], 1, "work"),
        # "Your team is slow", "my team is slow": a group of people is people, whoever's
        (["Your", "team", "is", "slow"], ["PRON", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["poss", "nsubj", "ROOT", "acomp"], 1, "person"),
        (["My", "team", "is", "slow"], ["PRON", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["poss", "nsubj", "ROOT", "acomp"], 1, "person"),
        # "My code is crap": the writer's own work
        (["My", "code", "is", "crap"], ["PRON", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["poss", "nsubj", "ROOT", "acomp"], 1, "writer"),
        # "The build is slow": a thing
        (["The", "build", "is", "slow"], ["DET", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["det", "nsubj", "ROOT", "acomp"], 1, "thing"),
        # "This is stupid": a pointer at the thing under review
        (["This", "is", "stupid"], ["PRON", "AUX", "ADJ"],
         [1, 1, 1], ["nsubj", "ROOT", "acomp"], 0, "work"),
        # "this build is slow": a pointed-at noun is under review
        (["this", "build", "is", "slow"], ["DET", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["det", "nsubj", "ROOT", "acomp"], 1, "work"),
        # "Whoever wrote this is lazy": a clause about a person
        (["Whoever", "wrote", "this", "is", "lazy"], ["PRON", "VERB", "PRON", "AUX", "ADJ"],
         [1, 3, 1, 3, 3], ["nsubj", "csubj", "dobj", "ROOT", "acomp"], 1, "person"),
        # "Sam is late": a name is a person
        (["Sam", "is", "late"], ["PROPN", "AUX", "ADJ"],
         [1, 1, 1], ["nsubj", "ROOT", "acomp"], 0, "person"),
        # "March was busy": a month is no person
        (["March", "was", "busy"], ["PROPN", "AUX", "ADJ"],
         [1, 1, 1], ["nsubj", "ROOT", "acomp"], 0, "thing"),
        # "Someone broke it": an indefinite pronoun of people
        (["Someone", "broke", "it"], ["PRON", "VERB", "PRON"],
         [1, 1, 1], ["nsubj", "ROOT", "dobj"], 0, "person"),
        # "your design, which is a mess": a relative pronoun stands for its antecedent
        (["your", "design", ",", "which", "is", "a", "mess"],
         ["PRON", "NOUN", "PUNCT", "PRON", "AUX", "DET", "NOUN"],
         [1, 1, 1, 4, 1, 6, 4], ["poss", "ROOT", "punct", "nsubj", "relcl", "det", "attr"],
         3, "work"),
        # "It is absurd to ship this": an expletive "it" stands for the clause, no target
        (["It", "is", "absurd", "to", "ship", "this"],
         ["PRON", "AUX", "ADJ", "PART", "VERB", "PRON"],
         [1, 1, 1, 4, 1, 4], ["nsubj", "ROOT", "acomp", "aux", "xcomp", "dobj"], 0, ""),
        # "It is dumb for us to check": the clause parsed as an adverbial infinitive
        (["It", "is", "dumb", "for", "us", "to", "check"],
         ["PRON", "AUX", "ADJ", "SCONJ", "PRON", "PART", "VERB"],
         [1, 1, 1, 6, 6, 6, 1], ["nsubj", "ROOT", "acomp", "mark", "nsubj", "aux", "advcl"],
         0, ""),
        # "It is dumb because it crashes": a reason leaves "it" pointing at the work
        (["It", "is", "dumb", "because", "it", "crashes"],
         ["PRON", "AUX", "ADJ", "SCONJ", "PRON", "VERB"],
         [1, 1, 1, 5, 5, 1], ["nsubj", "ROOT", "acomp", "mark", "nsubj", "advcl"], 0, "work"),
        # "It is time you stepped up": the "it" of the hour, no target
        (["It", "is", "time", "you", "stepped", "up"],
         ["PRON", "AUX", "NOUN", "PRON", "VERB", "ADP"],
         [1, 1, 1, 4, 2, 4], ["nsubj", "ROOT", "attr", "nsubj", "relcl", "prt"], 0, ""),
        # "It is a time sink": a thing called so is still the work
        (["It", "is", "a", "sink"], ["PRON", "AUX", "DET", "NOUN"],
         [1, 1, 3, 1], ["nsubj", "ROOT", "det", "attr"], 0, "work"),
        # "Something about your code is bad": a part of the work
        (["Something", "about", "your", "code", "is", "bad"],
         ["PRON", "ADP", "PRON", "NOUN", "AUX", "ADJ"],
         [4, 0, 3, 1, 4, 4], ["nsubj", "prep", "poss", "pobj", "ROOT", "acomp"], 0, "work"),
        # "Nothing about your code is bad": no part of it is meant
        (["Nothing", "about", "your", "code", "is", "bad"],
         ["PRON", "ADP", "PRON", "NOUN", "AUX", "ADJ"],
         [4, 0, 3, 1, 4, 4], ["nsubj", "prep", "poss", "pobj", "ROOT", "acomp"], 0, ""),
        # "It is absurd": "it" points at the thing under review
        (["It", "is", "absurd"], ["PRON", "AUX", "ADJ"],
         [1, 1, 1], ["nsubj", "ROOT", "acomp"], 0, "work"),
        # "I suck": the writer
        (["I", "suck"], ["PRON", "VERB"], [1, 1], ["nsubj", "ROOT"], 0, "writer"),
        # a verb is no target
        (["I", "suck"], ["PRON", "VERB"], [1, 1], ["nsubj", "ROOT"], 1, ""),
        # "The article is wrong", "the bill is bad": a public matter is nobody's work
        (["The", "article", "is", "wrong"], ["DET", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["det", "nsubj", "ROOT", "acomp"], 1, "thing"),
        # "Your article is wrong": unless it is the reader's
        (["Your", "article", "is", "wrong"], ["PRON", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["poss", "nsubj", "ROOT", "acomp"], 1, "work"),
        # "His bill is bad": a third party's public matter stays public
        (["His", "bill", "is", "bad"], ["PRON", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["poss", "nsubj", "ROOT", "acomp"], 1, "thing"),
        # "The government's design is bad": what a public body owns is public
        (["The", "government", "'s", "design", "is", "bad"],
         ["DET", "NOUN", "PART", "NOUN", "AUX", "ADJ"],
         [1, 3, 1, 4, 4, 4], ["det", "poss", "case", "nsubj", "ROOT", "acomp"], 3, "thing"),
        # "His code is bad", "his job is bad": a third party owns only what names work
        (["His", "code", "is", "bad"], ["PRON", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["poss", "nsubj", "ROOT", "acomp"], 1, "work"),
        (["His", "job", "is", "bad"], ["PRON", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["poss", "nsubj", "ROOT", "acomp"], 1, "thing"),
        # "Your job is late": whatever the reader has is theirs
        (["Your", "job", "is", "late"], ["PRON", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["poss", "nsubj", "ROOT", "acomp"], 1, "work"),
        # "That build is slow": "that" points away from the thing at hand
        (["That", "build", "is", "slow"], ["DET", "NOUN", "AUX", "ADJ"],
         [1, 2, 2, 2], ["det", "nsubj", "ROOT", "acomp"], 1, "thing"),
        # "Everything you touch is garbage": what a relative clause says a person did
        (["Everything", "you", "touch", "is", "garbage"], ["PRON", "PRON", "VERB", "AUX", "NOUN"],
         [3, 2, 0, 3, 3], ["nsubj", "nsubj", "relcl", "ROOT", "attr"], 0, "work"),
        (["The", "stuff", "he", "ships", "is", "bad"],
         ["DET", "NOUN", "PRON", "VERB", "AUX", "ADJ"],
         [1, 4, 3, 1, 4, 4], ["det", "nsubj", "nsubj", "relcl", "ROOT", "acomp"], 1, "work"),
        # "Everything I touch is garbage": the writer's is not
        (["Everything", "I", "touch", "is", "garbage"], ["PRON", "PRON", "VERB", "AUX", "NOUN"],
         [3, 2, 0, 3, 3], ["nsubj", "nsubj", "relcl", "ROOT", "attr"], 0, ""),
        # "the box which broke": a relative pronoun as the clause's subject adds nothing
        (["The", "box", "which", "broke", "is", "here"],
         ["DET", "NOUN", "PRON", "VERB", "AUX", "ADV"],
         [1, 4, 3, 1, 4, 4], ["det", "nsubj", "nsubj", "relcl", "ROOT", "advmod"], 1, "thing"),
    ],
)  # fmt: skip
def test_targets_of_hand_parsed_subjects(
    words: list[str], pos: list[str], heads: list[int], deps: list[str], index: int, expected: str
) -> None:
    doc = parse(words, pos, heads, deps)
    assert target(doc[index], WORDS) == expected


def test_targets_extension_reads_the_words_being_matched_with() -> None:
    register()
    doc = parse(["The", "authors", "are", "late"], ["DET", "NOUN", "AUX", "ADJ"],
                [1, 2, 2, 2], ["det", "nsubj", "ROOT", "acomp"])  # fmt: skip
    is_person = compile_predicate({"_": {"target": {"IN": ["person", "work"]}}})
    with judging(WORDS):
        assert doc[1]._.target == "person"
        with judging(TargetWords.from_lexicons({})):
            assert doc[1]._.target == "thing"
            assert not is_person(doc[1])
        assert is_person(doc[1])
    # outside, the built-in lists; the Doc itself keeps nothing
    assert doc[1]._.target == "person"
    assert doc.user_data == {}


def test_tone_thresholds_select_scored_words_and_apply_overrides() -> None:
    negative = valence_words("$valence<=-2")
    assert negative is not None
    assert "stupid" in negative and "pathetic" in negative
    assert "great" not in negative and "lazy" not in negative  # lazy is -1.5
    assert "kill" in negative
    overridden = valence_words("$valence<=-2", ("kill 0", "sloppy -2.2"))
    assert overridden is not None
    assert "kill" not in overridden and "sloppy" in overridden
    positive = valence_words("$valence>=2.5")
    assert positive is not None and "brilliant" in positive and "nice" not in positive
    assert valence_words("$trait-adjectives") is None
    assert parse_overrides(["kill 0", "sloppy -1.9"]) == {"kill": 0.0, "sloppy": -1.9}
    with pytest.raises(ValueError, match="word value"):
        parse_overrides(["sloppy"])
