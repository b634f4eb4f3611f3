"""Properties that hold for any input: no exceptions, offsets in bounds, stable results."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback_lint import Applicability, Linter
from feedback_lint.findings import Edit, apply_edits

WORDS = ["You", "you", "always", "never", "are", "lazy", "she", "is", "abrasive", "the",
         "build", "\n", "\n\n", "```", "`", "#", "-", ">", "<!--", "-->", ".", ",", "?",
         "é", "\u200b", "\ufeff", "\r\n", "http://x.y", "**", "|"]
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(text=TEXTS)
def test_properties_findings_point_into_the_text(linter: Linter, text: str) -> None:
    report = linter.lint_text(text)
    assert report.text == text
    for finding in report.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end].strip()
        before = text[: finding.start]
        assert finding.line == before.count("\n") + 1
        assert finding.column == finding.start - (before.rfind("\n") + 1) + 1
        for suggestion in finding.suggestions:
            for edit in suggestion.edits:
                assert 0 <= edit.start <= edit.end <= len(text)


@SETTINGS
@given(text=TEXTS)
def test_properties_results_are_deterministic(linter: Linter, text: str) -> None:
    assert linter.lint_text(text).findings == linter.lint_text(text).findings


@SETTINGS
@given(text=TEXTS)
def test_properties_fixes_are_idempotent(linter: Linter, text: str) -> None:
    everything = tuple(Applicability)
    once = linter.lint_text(text).fixed_text(applicability=everything)
    report = linter.lint_text(once)
    assert report.fixed_text(applicability=()) == once


@given(
    text=st.text(max_size=80),
    spans=st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80), st.text(max_size=5)),
                   max_size=6),
)
def test_properties_edits_change_nothing_outside_their_ranges(
    text: str, spans: list[tuple[int, int, str]]
) -> None:
    edits = [Edit(min(a, b, len(text)), min(max(a, b), len(text)), r) for a, b, r in spans]
    result = apply_edits(text, edits)
    taken = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start >= position:
            taken.append(edit)
            position = edit.end
    first = taken[0].start if taken else len(text)
    last = taken[-1].end if taken else len(text)
    assert result.startswith(text[:first])
    assert result.endswith(text[last:])
    assert apply_edits(result, []) == result
