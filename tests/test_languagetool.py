"""LanguageTool matches that clients can apply: no overlaps, each with its rewrites."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from feedback_lint import Linter
from feedback_lint.findings import Applicability, Edit, Finding, Report, Severity, Suggestion
from feedback_lint.languagetool import AnnotatedText, check_json, placed_matches


def _finding(code: str, start: int, end: int, edit: Edit, severity: Severity) -> Finding:
    suggestion = Suggestion("t", edit.replacement, (edit,), Applicability.DISPLAY_ONLY)
    return Finding(code, code.lower(), severity, f"{code} message.", start, end, 1, 1, 1, 1,
                   (suggestion,))  # fmt: skip


TEXT = "You are lazy and careless."


def test_languagetool_document_findings_move_to_the_sentence_end_and_merge() -> None:
    warning = Severity.WARNING
    report = Report(
        "<string>",
        TEXT,
        (
            _finding("FB102", 0, 12, Edit(0, 12, "I noticed you [x]"), warning),
            _finding("FB301", 8, 12, Edit(26, 26, " For example, [y]."), warning),
            _finding("FB302", 8, 12, Edit(26, 26, " This mattered because [z]."), warning),
        ),
    )
    placed = placed_matches(report, TEXT, frozenset({"FB301", "FB302"}))
    assert [(m.start, m.end) for m in placed] == [(0, 12), (25, 26)]
    assert [f.code for f in placed[1].findings] == ["FB301", "FB302"]
    assert placed[1].replacements == (
        ". For example, [y]. This mattered because [z].",
        ". For example, [y].",
        ". This mattered because [z].",
    )


def test_languagetool_overlapping_sentence_matches_keep_the_more_severe_then_narrower() -> None:
    report = Report(
        "<string>",
        TEXT,
        (
            _finding("FB101", 0, 16, Edit(0, 16, "wide"), Severity.WARNING),
            _finding("FB103", 4, 12, Edit(4, 12, "severe"), Severity.ERROR),
            _finding("FB104", 0, 7, Edit(0, 7, "narrow"), Severity.WARNING),
            _finding("FB105", 17, 25, Edit(17, 25, "apart"), Severity.INFO),
        ),
    )
    placed = placed_matches(report, TEXT, frozenset())
    assert [m.findings[0].code for m in placed] == ["FB103", "FB105"]


def _apply(text: str, matches: list[dict[str, Any]]) -> str:
    for match in sorted(matches, key=lambda m: -m["offset"]):
        start, length = match["offset"], match["length"]
        text = text[:start] + match["replacements"][0]["value"] + text[start + length :]
    return text


@pytest.mark.parametrize(
    "text",
    [
        "You are lazy and you never listen.",
        "You always miss deadlines and you are lazy. He is a slacker.",
        "Chris is arrogant in meetings and always interrupts people.",
        "You're always so lazy about writing tests.",
    ],
)
def test_languagetool_matches_never_overlap_and_all_apply(linter: Linter, text: str) -> None:
    report = linter.lint_text(text)
    answer = check_json(report, AnnotatedText.from_text(text), "en-US", linter.rules, {})
    matches = answer["matches"]
    assert matches
    spans = sorted((m["offset"], m["offset"] + m["length"]) for m in matches)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
    assert all(m["replacements"] for m in matches)
    rewritten = _apply(text, matches)
    again = linter.lint_text(rewritten)
    tone = {f.code for f in again.findings if f.code.startswith(("FB1", "FB2"))}
    assert tone == set(), rewritten
