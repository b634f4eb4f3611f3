"""Rewrites built from the parse: coordinated predicates, negation, and FB101's absolutes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc
from spacy.vocab import Vocab

from conftest import RuleWriter
from feedback_lint import Linter, evaluate
from feedback_lint.errors import RuleError
from feedback_lint.evaluate import rewrite_outcomes
from feedback_lint.findings import apply_edits
from feedback_lint.rules import BUILTIN_RULES_DIR, load_rules
from feedback_lint.rules.lexicons import load_lexicons
from feedback_lint.suggestions import predicate_heads, predicate_tokens

ABSOLUTES = sorted(load_lexicons([BUILTIN_RULES_DIR])["absolute-adverbs"])
ABSOLUTE_WORD = re.compile(rf"\b({'|'.join(ABSOLUTES)})\b", re.IGNORECASE)

# (third person, other persons) forms of a verb phrase
PHRASES = [
    ("misses the deadline", "miss the deadline"),
    ("interrupts people in meetings", "interrupt people in meetings"),
    ("ignores the review comments", "ignore the review comments"),
    ("pushes straight to main", "push straight to main"),
    ("forgets the changelog", "forget the changelog"),
    ("replies to questions in the channel", "reply to questions in the channel"),
    ("is late to the stand-up", "are late to the stand-up"),
    ("updates the ticket", "update the ticket"),
]
SUBJECTS = [("You", False), ("He", True), ("She", True), ("They", False), ("Sam", True)]


@st.composite
def absolute_sentences(draw: st.DrawFn) -> str:
    subject, third = draw(st.sampled_from(SUBJECTS))
    first = draw(st.sampled_from(PHRASES))[0 if third else 1]
    text = f"{subject} {draw(st.sampled_from(ABSOLUTES))} {first}"
    if draw(st.booleans()):
        second = draw(st.sampled_from(PHRASES))[0 if third else 1]
        text += f" and {draw(st.sampled_from(ABSOLUTES))} {second}"
    return text + "."


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=absolute_sentences())
def test_rewrites_of_absolutes_keep_no_absolute_adverb(linter: Linter, text: str) -> None:
    report = linter.lint_text(text, format="text")
    for finding in (f for f in report.findings if f.code == "FB101"):
        (suggestion,) = finding.suggestions
        assert "I observed" in suggestion.replacement
        assert not ABSOLUTE_WORD.search(suggestion.replacement), suggestion.replacement
        fixed = apply_edits(text, suggestion.edits)
        assert not ABSOLUTE_WORD.search(fixed), fixed
        assert "FB101" not in {f.code for f in linter.lint_text(fixed, format="text").findings}


def _doc(words: list[str], heads: list[int], deps: list[str], pos: list[str]) -> Doc:
    return Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos)


def test_rewrites_predicates_take_coordinated_verbs_that_share_the_subject() -> None:
    # "Chris is arrogant and always interrupts people , and it slows us down ."
    doc = _doc(
        ["Chris", "is", "arrogant", "and", "always", "interrupts", "people", ",", "and", "it",
         "slows", "us", "down", "."],
        [1, 1, 1, 1, 5, 1, 5, 1, 1, 10, 1, 10, 10, 1],
        ["nsubj", "ROOT", "acomp", "cc", "advmod", "conj", "dobj", "punct", "cc", "nsubj",
         "conj", "dobj", "prt", "punct"],
        ["PROPN", "AUX", "ADJ", "CCONJ", "ADV", "VERB", "NOUN", "PUNCT", "CCONJ", "PRON",
         "VERB", "PRON", "ADP", "PUNCT"],
    )  # fmt: skip
    assert [t.text for t in predicate_heads(doc[1])] == ["is", "interrupts"]
    assert " ".join(t.text for t in predicate_tokens(doc[1])) == (
        "Chris is arrogant and always interrupts people"
    )


def test_rewrites_evaluation_applies_each_rewrite_and_lints_again(
    linter: Linter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcomes = rewrite_outcomes(
        linter, ["You always miss deadlines.", "The build always runs.", "You're always so lazy."]
    )
    assert sorted((o.code, o.cured) for o in outcomes) == [
        ("FB101", True),
        ("FB101", True),
        ("FB102", True),
    ]
    first, label = outcomes[0], next(o for o in outcomes[1:] if o.code == "FB101")
    assert first.rewritten == "In [this project], I observed you miss deadlines [when?]."
    assert first.tone_left == () and first.tone_new == ()
    # the absolute's rewrite of "You're always so lazy" still labels the person
    assert label.tone_left == ("FB102",)
    data = tmp_path / "probes.jsonl"
    data.write_text('{"text": "You always miss deadlines."}\n\n{"text": "Thanks!"}\n')
    assert evaluate.main(["--rewrites", str(data), "--rules", "FB101"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2].split() == ["FB101", "1", "1.000", "1.000", "1.000", "1.000"]
    data.write_text('{"text": "You always miss deadlines."}\n{"txt": 1}\n')
    with pytest.raises(SystemExit, match=r"probes.jsonl:2: no text"):
        evaluate.main(["--rewrites", str(data)])
    assert evaluate.main(["--rewrites", str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl" in capsys.readouterr().err


PER_MATCH = """
code: XX101
name: sample-rule
severity: warning
summary: A sample rule.
message: 'found "{match.text}"'
rationale: Because tests need a rule.
match:
  - kind: phrase
    patterns: [bad thing]
  - kind: token
    pattern:
      - {LOWER: very, NAME: filler}
      - {LOWER: bad}
    suggestion:
      title: Leave it out
      replace_with: "{NODE}"
      target: filler
      applicability: safe
      drop: [$fillers, really]
suggestion:
  title: Say it plainly
  replace_with: "[what is wrong]"
  target: match.predicates
examples:
  - flag: This is a bad thing.
  - pass: This is a good thing.
"""


def test_rewrites_a_way_of_matching_has_its_own_checked_suggestion(rule_dir: RuleWriter) -> None:
    lexicons = {"fillers": "# test words\nquite\n"}
    folder = rule_dir({"custom/XX101-sample-rule.yml": PER_MATCH.replace("{NODE}", "")}, lexicons)
    (rule,) = load_rules([folder], builtin=False)
    assert rule.matches[0].suggestion is None
    own = rule.matches[1].suggestion
    assert own is not None and own.drop == frozenset({"quite", "really"})
    assert [s.title for s in rule.suggestions] == ["Say it plainly", "Leave it out"]
    bad = PER_MATCH.replace("{NODE}", "{verb.text}")
    folder = rule_dir({"custom/XX101-sample-rule.yml": bad}, lexicons)
    with pytest.raises(RuleError) as caught:
        load_rules([folder], builtin=False)
    assert "XX101-sample-rule.yml:16:" in str(caught.value) and "R106" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # a person: the rewrite speaks of what they did, not of them
        ("The reviewers are miserably failing to read the patch.", "what the reviewers did"),
        # the work, without the match's other words
        ("This moronic endorsement cost us the deal.", "this endorsement"),
        ("You wrote the most pointless test in the suite.", "the test in the suite"),
        # a clause naming a person: what they made
        ("Whoever wrote this parser clearly doesn't understand the grammar.", "this parser"),
    ],
)
def test_rewrites_name_the_work_a_judgement_is_about(
    linter: Linter, text: str, named: str
) -> None:
    report = linter.lint_text(text, format="text")
    (finding,) = (f for f in report.findings if f.code == "FB202")
    (suggestion,) = finding.suggestions
    assert suggestion.replacement.startswith(f"I see a problem with {named}: ")


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        # the closing quote of a quotation the sentence opened goes with the sentence
        ("The answer is still 'no'. Next point.", "{rewrite} Next point."),
        ('He wrote: "I\'m done with this whole project." Then he left.', "{rewrite} Then he left."),
        ("I've had enough of this (again)!", "{rewrite}"),
        # a quotation around the whole sentence keeps both its marks
        ('"I\'ve had enough of this." That was all.', '"{rewrite}" That was all.'),
    ],
)
def test_rewrites_a_sentence_takes_its_closing_quotes_and_marks(
    linter: Linter, text: str, fixed: str
) -> None:
    # Quoted words are linted only with include_quotes; the marks are what is tested here.
    quoting = linter.sharing_pipeline(select=["ALL"], include_quotes=True)
    report = quoting.lint_text(text, format="text")
    (finding,) = [f for f in report.findings if f.code in ("FB204", "FB211")]
    (suggestion,) = finding.suggestions
    assert apply_edits(text, suggestion.edits) == fixed.format(rewrite=suggestion.replacement)
