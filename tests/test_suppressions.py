"""Suppression comments: regions, next-line and same-line directives, in Markdown and text."""

from __future__ import annotations

import pytest

from feedback_lint import Linter
from feedback_lint.documents import Format, from_text
from feedback_lint.findings import Finding, Severity
from feedback_lint.suppressions import apply, find_directives


@pytest.fixture(scope="module")
def person_linter() -> Linter:
    return Linter(select=["FB101", "FB102"])


def finding_at(text: str, needle: str, code: str, name: str = "rule") -> Finding:
    start = text.index(needle)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Finding(
        code, name, Severity.WARNING, "m", start, start + len(needle), line, column, line, column
    )


def kept(text: str, findings: list[Finding], format: Format = "markdown") -> list[str]:
    document = from_text(text, path="x.md" if format == "markdown" else "x.txt", format=format)
    return [f"{f.code}@{f.line}" for f in apply(document, findings)]


def test_suppressions_disable_and_enable_regions() -> None:
    text = (
        "one\n<!-- feedback-lint: disable -->\ntwo\n<!-- feedback-lint: enable FB101 -->\n"
        "three\n<!-- feedback-lint: enable -->\nfour\n"
    )
    findings = [
        finding_at(text, word, code)
        for word in ("one", "two", "three", "four")
        for code in ("FB101", "FB102")
    ]
    assert kept(text, findings) == ["FB101@1", "FB102@1", "FB101@5", "FB101@7", "FB102@7"]


def test_suppressions_codes_prefixes_and_names() -> None:
    text = "<!-- feedback-lint: disable FB10, character-label -->\nwords here\n"
    findings = [
        finding_at(text, "words", "FB101"),
        finding_at(text, "here", "FB201", "sarcasm"),
        finding_at(text, "here", "XX102", "character-label"),
    ]
    assert kept(text, findings) == ["FB201@2"]
    # the same naming rule as select/ignore: any case
    lower = text.replace("FB10", "fb10").replace("character-label", "Character-Label")
    assert kept(lower, findings) == ["FB201@2"]


def test_suppressions_next_line_and_same_line() -> None:
    text = (
        "<!-- feedback-lint: disable-next-line FB102 -->\nalpha beta\n"
        "gamma <!-- feedback-lint: disable-line -->\ndelta\n"
    )
    findings = [
        finding_at(text, "alpha", "FB101"),
        finding_at(text, "beta", "FB102"),
        finding_at(text, "gamma", "FB101"),
        finding_at(text, "delta", "FB102"),
    ]
    assert kept(text, findings) == ["FB101@2", "FB102@4"]


def test_suppressions_examples_in_code_are_ignored() -> None:
    text = (
        "```\n<!-- feedback-lint: disable -->\n```\n"
        "Write `<!-- feedback-lint: disable -->` to turn rules off.\nwords\n"
    )
    assert find_directives(text, "markdown") == ()
    assert kept(text, [finding_at(text, "words", "FB101")]) == ["FB101@5"]


def test_suppressions_plain_text_line_comments() -> None:
    text = "# feedback-lint: disable-next-line\nalpha\n// feedback-lint: disable FB102\nbeta\n"
    findings = [
        finding_at(text, "alpha", "FB101"),
        finding_at(text, "beta", "FB101"),
        finding_at(text, "beta", "FB102"),
        finding_at(text, "feedback-lint: disable-next", "FB102"),
    ]
    assert kept(text, findings, "text") == ["FB101@4"]
    assert kept(text, findings, "markdown") == [
        "FB101@2",
        "FB101@4",
        "FB102@4",
        "FB102@1",
    ]  # in Markdown "#" is a heading, not a comment


def test_suppressions_unknown_directive_does_nothing() -> None:
    text = "<!-- feedback-lint: disabel -->\nwords\n"
    assert find_directives(text, "markdown") == ()


def test_suppressions_apply_in_the_linter(person_linter: Linter) -> None:
    text = (
        "You are lazy.\n\n<!-- feedback-lint: disable-next-line FB102 -->\n"
        "You are lazy and you always miss deadlines.\n\n"
        "<!-- feedback-lint: disable -->\nYou are lazy.\n"
    )
    report = person_linter.lint_text(text, path="review.md")
    assert [(f.code, f.line) for f in report.findings] == [("FB102", 1), ("FB101", 4)]
    plain = "You are lazy.\n# feedback-lint: disable-next-line\nYou are lazy.\n"
    report = person_linter.lint_text(plain, path="note.txt")
    assert [(f.code, f.line) for f in report.findings] == [("FB102", 1)]
