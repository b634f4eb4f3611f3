"""Reported speech: which clauses are someone else's words; findings there are not reported.

With ``include_quotes`` and on a parsed Doc it is tested with quotations, in
tests/test_quotations.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RuleWriter
from feedback_lint import Linter
from feedback_lint.reported import reported_clauses


def reported(linter: Linter, text: str) -> list[str]:
    clauses = reported_clauses(linter.nlp(text), linter.speech_verbs, linter.targets)
    return [text[start:end] for start, end in clauses]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She wrote that the reviewer is an idiot.", ["that the reviewer is an idiot"]),
        ("They complained the design was garbage.", ["the design was garbage"]),
        ("The design is garbage, he said.", ["The design is garbage"]),
        # passive: whoever told them is not the writer
        ("We were told the design was garbage.", ["the design was garbage"]),
        # a source
        ("The postmortem says the team was careless.", ["the team was careless"]),
    ],
)
def test_reported_clauses_are_what_a_person_other_than_the_writer_said(
    linter: Linter, text: str, expected: list[str]
) -> None:
    assert reported(linter, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'd say the reviewer is an idiot.",  # the writer's own words
        "We told them the design was garbage.",
        "Tell him he is an idiot.",  # an order: no speaker
        "Needless to say, the design is garbage.",
        "It irritates me, which tells me they are misleading readers.",  # a thing tells
        "This tells me you don't care about the team.",
        "She thinks the reviewer is an idiot.",  # a guess at a mind is no report
    ],
)
def test_reported_clauses_leave_the_writers_own_words(linter: Linter, text: str) -> None:
    assert reported(linter, text) == []


def codes(linter: Linter, text: str) -> set[str]:
    return {f.code for f in linter.lint_text(text).findings}


def test_linter_does_not_report_someone_elses_reported_words(linter: Linter) -> None:
    assert "FB202" in codes(linter, "I'd say the reviewer is an idiot.")  # the words alone
    for text in (
        "She wrote that the reviewer is an idiot.",
        "The media have been saying for weeks that the minister is a joke.",
        "We were told the design was garbage.",
    ):
        assert not {"FB102", "FB202"} & codes(linter, text), text


def test_linter_keeps_the_signals_of_reported_words(linter: Linter) -> None:
    # what someone reported is the writer's evidence: the unit still reads it
    text = "Three customers wrote that the export was broken for a week."
    clause = text.index("that the export")
    report = linter.lint_text(text)
    spans = [span for unit in report.units for found in unit.signals.values() for span in found]
    assert any(start >= clause for start, _ in spans)


def test_linter_a_rules_folder_adds_verbs_of_saying(rule_dir: RuleWriter) -> None:
    text = "She gossiped that the reviewer is an idiot."
    assert "FB202" in {f.code for f in Linter(select=["FB202"]).lint_text(text).findings}
    folder: Path = rule_dir({}, {"reporting-verbs": "gossip\n"})
    extended = Linter(select=["FB202"], rules_dirs=[folder])
    assert "FB202" not in {f.code for f in extended.lint_text(text).findings}
