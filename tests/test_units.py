"""Feedback units: regions, signals per unit, document rules, and the public values."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import Doc

from feedback_lint import Linter, Unit
from feedback_lint.documents import Region, from_text
from feedback_lint.findings import apply_edits
from feedback_lint.formatters.json_format import report_json
from feedback_lint.matching import SignalMatch
from feedback_lint.matching.document import holds
from feedback_lint.rules import MatchSpec, When
from feedback_lint.rules.signals import Signal
from feedback_lint.units import Found, collect, unit_regions

COMPLETE = (
    "In Tuesday's stand-up, I observed the update ran 15 minutes over, which pushed the "
    "design review to Friday. Could we timebox it to five minutes next week?"
)
STRUCTURE = {"FB301", "FB302", "FB303", "FB304"}


def _signal(name: str) -> Signal:
    spec = MatchSpec("phrase", (), (), ("match",), "LOWER", ("match",), (), (), False, 1)
    return Signal(name, "s.", "", (spec,), (), f"{name}.yml")


def _found(doc: Doc, name: str, start: int, end: int, offset: int = 0) -> Found:
    span = doc[start:end]
    spec = _signal(name).matches[0]
    return Found(SignalMatch(_signal(name), spec, span, span.start_char, span.end_char), offset)


@pytest.fixture(scope="module")
def doc() -> Doc:
    nlp = spacy.blank("en")
    return Doc(nlp.vocab, words=["You", "were", "late", "and", "rude", ",", "please", "stop"])


def test_units_regions_by_kind() -> None:
    document = from_text("# A\n\n- one\n- two\n\n# B\n\nthree\n", format="markdown")
    assert unit_regions(document, "document") == (Region(0, len(document.text)),)
    assert unit_regions(document, "section") == document.sections
    assert unit_regions(document, "item") == document.items
    assert len(document.sections) == 2


def test_units_collect_merges_overlaps_and_keeps_every_name(doc: Doc) -> None:
    found = [
        _found(doc, "criticism", 2, 3),
        _found(doc, "criticism", 2, 5),  # overlaps the first: one point, not two
        _found(doc, "next-step", 6, 8),
    ]
    (unit,) = collect([Region(0, len(doc.text))], found, ["criticism", "impact", "next-step"])
    assert unit.spans == {
        "criticism": ((9, 22),),
        "impact": (),
        "next-step": ((25, 36),),
    }
    assert unit.unit() == Unit(0, len(doc.text), dict(unit.spans))


def test_units_collect_assigns_finds_to_their_unit(doc: Doc) -> None:
    found = [_found(doc, "criticism", 2, 3), _found(doc, "criticism", 2, 3, offset=100)]
    first, second = collect([Region(0, 50), Region(50, 200)], found, ["criticism"])
    assert first.spans["criticism"] == ((9, 13),)
    assert second.spans["criticism"] == ((109, 113),)


def test_units_when_has_lacks_and_counts(doc: Doc) -> None:
    found = [_found(doc, "criticism", 2, 3), _found(doc, "criticism", 4, 5)]
    (unit,) = collect([Region(0, 36)], found, ["criticism", "impact"])
    assert holds(When(("criticism",), ("impact",), (), 1), unit)
    assert not holds(When(("impact",), (), (), 1), unit)
    assert not holds(When(("criticism",), ("criticism",), (), 1), unit)
    assert holds(When((), (), (("criticism", 1),), 1), unit)
    assert not holds(When((), (), (("criticism", 2),), 1), unit)
    assert not holds(When((), (), (("criticism", 1),), 1), unit, threshold=2)


def test_units_criticism_only_raises_impact_and_next_step(linter: Linter) -> None:
    report = linter.lint_text("You missed the deadline.", format="text")
    codes = {f.code for f in report.findings}
    assert {"FB302", "FB303"} <= codes
    finding = next(f for f in report.findings if f.code == "FB302")
    assert report.text[finding.start : finding.end] == "missed the deadline"
    (suggestion,) = finding.suggestions
    assert suggestion.replacement == " This mattered because [impact on the team or goal]."
    assert report.fixed_text(applicability=[suggestion.applicability]).startswith(
        "You missed the deadline. For example, in [situation]"
    )


def test_units_complete_feedback_raises_no_structure_finding(linter: Linter) -> None:
    report = linter.lint_text(COMPLETE, format="text")
    assert not {f.code for f in report.findings} & STRUCTURE
    (unit,) = report.units
    assert (unit.start, unit.end) == (0, len(COMPLETE))
    assert unit.signals["observation"] and unit.signals["impact"] and unit.signals["next-step"]


def test_units_sections_are_judged_one_by_one() -> None:
    text = "# Demo\n\nYou missed the deadline.\n\n# Thanks\n\nThanks for the quick fix.\n"
    linter = Linter(unit="section", select=["FB303"])
    report = linter.lint_text(text, format="markdown")
    assert [f.line for f in report.findings] == [3]
    assert len(report.units) == 2
    assert report.units[0].signals["criticism"] and not report.units[1].signals["criticism"]


def test_units_threshold_and_json(linter: Linter) -> None:
    text = "You missed the deadline. The tests are missing."
    assert "FB304" not in {f.code for f in linter.lint_text(text, format="text").findings}
    report = Linter(select=["FB304"], thresholds={"FB304": 1}).lint_text(text, format="text")
    assert [f.code for f in report.findings] == ["FB304"]
    data = json.loads(json.dumps(report_json(report)))
    (unit,) = data["units"]
    assert [text[a:b] for a, b in unit["signals"]["criticism"]] == [
        "missed the deadline",
        "missing",
    ]


def test_units_unknown_unit_or_threshold_is_an_error() -> None:
    from feedback_lint.errors import ConfigError

    with pytest.raises(ConfigError):
        Linter(unit="paragraph")
    with pytest.raises(ConfigError):
        Linter(thresholds={"FB101": 2})


def test_units_count_the_clauses_a_signal_is_found_in() -> None:
    nlp = spacy.blank("en")
    words = ["It", "was", "late", "and", "rude", ",", "it", "was", "wrong"]
    heads = [1, 1, 1, 2, 2, 1, 7, 1, 7]
    deps = ["nsubj", "ROOT", "acomp", "cc", "conj", "punct", "nsubj", "conj", "acomp"]
    pos = ["PRON", "AUX", "ADJ", "CCONJ", "ADJ", "PUNCT", "PRON", "AUX", "ADJ"]
    parsed = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos)
    found = [_found(parsed, "criticism", i, i + 1) for i in (2, 4, 8)]
    (unit,) = collect([Region(0, len(parsed.text))], found, ["criticism"])
    # "late" and "rude" are said in one clause, "wrong" in a second one.
    assert len(unit.spans["criticism"]) == 3
    assert unit.clauses["criticism"] == 2
    assert holds(When((), (), (("criticism", 1),), 1), unit)
    assert not holds(When((), (), (("criticism", 2),), 1), unit)


def test_units_sentence_rules_make_a_unit_critical_whatever_is_selected() -> None:
    text = "Great job breaking the build again, genius."
    for select in (["FB303"], ["FB201", "FB303"]):
        report = Linter(select=select).lint_text(text, format="text")
        (unit,) = report.units
        assert unit.signals["criticism"], select
        assert "FB303" in {f.code for f in report.findings}
    only = Linter(select=["FB303"]).lint_text(text, format="text")
    assert {f.code for f in only.findings} == {"FB303"}  # FB201 ran for the signal only


def test_units_praise_and_technical_words_are_not_criticism(linter: Linter) -> None:
    praise = ("She ships on time every sprint.", "The page is lazy-loading the images.")
    for text in praise:
        (unit,) = linter.lint_text(text, format="text").units
        assert not unit.signals["criticism"], text


def test_units_too_many_issues_keeps_as_many_points_as_its_count() -> None:
    text = (
        "The report was late. The tests are missing. The naming is confusing. "
        "The code is sloppy. Could you pair with Ana on it this week?"
    )
    for count, kept in (
        (3, "The report was late. The tests are missing. The naming is confusing. "),
        (2, "The report was late. The tests are missing. "),
    ):
        linter = Linter(select=["FB304"], thresholds={"FB304": count})
        (finding,) = linter.lint_text(text, format="text").findings
        fixed = apply_edits(text, finding.suggestions[0].edits)
        assert fixed == kept + "Could you pair with Ana on it this week?"
        assert linter.lint_text(fixed, format="text").findings == ()


def test_units_too_many_issues_leaves_out_a_joined_clause_with_its_joiner() -> None:
    text = (
        "You missed the retro, you skipped the tests, your estimate was wrong "
        "and the summary was vague."
    )
    linter = Linter(select=["FB304"])
    (finding,) = linter.lint_text(text, format="text").findings
    assert apply_edits(text, finding.suggestions[0].edits) == (
        "You missed the retro, you skipped the tests, your estimate was wrong."
    )


def test_units_too_many_issues_leaves_out_points_of_other_blocks() -> None:
    # one section, three paragraphs: each paragraph is parsed as its own block, so
    # the points that go are cut at their own block's place in the document
    text = (
        "# Review\n\nThe report was late. The tests are missing.\n\n"
        "The naming is confusing.\n\nThe code is sloppy. Could you pair with Ana this week?\n"
    )
    linter = Linter(select=["FB304"], thresholds={"FB304": 2})
    (finding,) = linter.lint_text(text, format="markdown").findings
    fixed = apply_edits(text, finding.suggestions[0].edits)
    assert fixed == (
        "# Review\n\nThe report was late. The tests are missing.\n\n"
        "Could you pair with Ana this week?\n"
    )
    assert linter.lint_text(fixed, format="markdown").findings == ()
