"""The library API: lint(), Linter and the values it returns."""

from __future__ import annotations

import dataclasses

import pytest

import feedback_lint
from feedback_lint import Finding, Linter, Report, Severity

#: The structure rules (FB3xx) judge whole units; these tests are about sentence rules.
SENTENCE_RULES = {"extend_ignore": ["FB3"]}


def _sentence_codes(report: Report) -> list[str]:
    return [f.code for f in report.findings if not f.code.startswith("FB3")]


def test_api_lint_returns_findings_as_values() -> None:
    text = "Thanks for the demo.\nYou always miss deadlines and you are lazy."
    report = feedback_lint.lint(text, **SENTENCE_RULES)
    assert isinstance(report, Report)
    assert [f.code for f in report.findings] == ["FB101", "FB102"]
    first = report.findings[0]
    assert isinstance(first, Finding)
    assert text[first.start : first.end] == "You always miss"
    assert (first.line, first.column) == (2, 1)
    assert (first.end_line, first.end_column) == (2, 16)
    assert first.severity is Severity.WARNING
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.code = "X"  # type: ignore[misc]


def test_api_offsets_point_into_the_original_text() -> None:
    text = "\ufeff# Notes\n\n- Honestly, `x` you never listen in meetings.\n"
    report = feedback_lint.lint(text.lstrip("\ufeff"), format="markdown", **SENTENCE_RULES)
    (finding,) = report.findings
    assert report.text[finding.start : finding.end] == "you never listen"
    assert (finding.line, finding.column) == (3, 17)


def test_api_options_select_rules() -> None:
    report = feedback_lint.lint("You are lazy and you always interrupt.", select=["FB102"])
    assert {f.code for f in report.findings} == {"FB102"}


def test_api_linter_loads_pipeline_once_and_streams(linter: Linter) -> None:
    texts = ["You are lazy.", "", "Thanks for the review!", "He never tests his code."]
    reports = list(linter.lint_many(texts))
    assert [_sentence_codes(r) for r in reports] == [["FB102"], [], [], ["FB101"]]
    assert linter.nlp is linter.nlp
    assert "ner" not in linter.nlp.pipe_names


def test_api_lint_path_reads_a_file(linter: Linter, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "note.md"
    path.write_text("```\nyou always\n```\nShe is abrasive.\n", encoding="utf-8")
    report = linter.lint_path(path)
    found = [(f.code, f.line, f.path) for f in report.findings if not f.code.startswith("FB3")]
    assert found == [("FB102", 4, str(path))]


def test_api_fixed_text_applies_only_safe_edits() -> None:
    report = feedback_lint.lint("You always miss deadlines.", **SENTENCE_RULES)
    assert report.fixed_text() == "You always miss deadlines."
    assert report.fixed_text(applicability=list(feedback_lint.Applicability)) == (
        "In [this project], I observed you miss deadlines [when?]."
    )
