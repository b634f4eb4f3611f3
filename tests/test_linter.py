"""The linter's own behaviour: ordering, merging, and memory over long runs."""

from __future__ import annotations

import pytest

from conftest import RuleWriter
from feedback_lint import Linter
from feedback_lint.errors import RuleError
from feedback_lint.findings import Finding, Severity
from feedback_lint.linter import merge_overlaps, yield_overlaps
from feedback_lint.rules import load_rules


def _finding(code: str, start: int, end: int) -> Finding:
    return Finding(code=code, name="n", severity=Severity.WARNING, message="m", start=start,
                   end=end, line=1, column=start + 1, end_line=1, end_column=end + 1)


def test_linter_merge_overlaps_keeps_one_per_rule() -> None:
    merged = merge_overlaps([
        _finding("FB101", 5, 9), _finding("FB101", 0, 10), _finding("FB102", 2, 4),
        _finding("FB101", 10, 12),
    ])
    assert [(f.code, f.start, f.end) for f in merged] == [
        ("FB101", 0, 10), ("FB102", 2, 4), ("FB101", 10, 12),
    ]


def test_linter_reports_come_in_input_order_across_groups() -> None:
    linter = Linter(zone_size=2, batch_size=3, extend_ignore=["FB3"])
    texts = ["You are lazy.", "", "# Title\n\n```\ncode\n```\n", "He never tests.", "Fine."] * 3
    reports = list(linter.lint_many(texts))
    assert [r.path for r in reports] == [f"<text {i}>" for i in range(len(texts))]
    assert [len(r.findings) for r in reports] == [1, 0, 0, 1, 0] * 3


def test_linter_memory_zone_frees_new_words() -> None:
    linter = Linter(zone_size=1)
    list(linter.lint_many(["You are lazy.", "Zorbluxian quintessifiers flummoxed."]))
    strings = linter.nlp.vocab.strings
    assert "Zorbluxian" not in strings
    assert linter.lint_text("You are lazy.").findings


def test_linter_batches_blocks_by_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["You always miss deadlines.\n\nThe build is green.\n\n" * 3, "You are lazy.\n" * 20]
    expected = [r.findings for r in Linter().lint_many(texts)]
    linter = Linter(batch_chars=60)
    seen: list[tuple[int, int]] = []
    pipe = linter.nlp.pipe

    def recording(texts: object, **options: object) -> object:
        batch = list(texts)  # type: ignore[call-overload]
        if options.get("as_tuples"):
            seen.append((len(batch), sum(len(text) for text, _ in batch)))
        return pipe(batch, **options)  # type: ignore[call-overload]

    monkeypatch.setattr(linter.nlp, "pipe", recording)
    assert [r.findings for r in linter.lint_many(texts)] == expected
    assert len(seen) >= 4  # seven blocks, of 27, 20 and 280 characters
    assert all(chars <= 60 or count == 1 for count, chars in seen)


def test_linter_cache_keeps_linters_by_options_and_shares_the_pipeline() -> None:
    from feedback_lint.linter import Linters, options_key

    linters = Linters({"extend_ignore": ["FB3"]}, size=2)
    linters.base.load(every_rule=True)
    first = linters.get(options_key({"select": ["FB1"]}))
    assert first is linters.get(options_key({"select": ("FB1",)}))  # lists and tuples alike
    assert first.nlp is linters.base.nlp
    assert [r.code for r in first.rules] == [r.code for r in Linter(select="FB1").rules]
    assert first.selection.extend_ignore == ("FB3",)  # the cache's options are kept under
    linters.get(options_key({"select": ["FB2"]}))
    linters.get(options_key({"select": ["FB101"]}))
    assert len(linters) == 2
    assert linters.get(options_key({"select": ["FB1"]})) is not first  # the oldest was dropped
    assert linters.get(()) is linters.base


def test_linter_lint_is_served_by_the_one_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    import feedback_lint
    from feedback_lint.findings import Report
    from feedback_lint.linter import options_key

    report = feedback_lint.lint("You are lazy.", select=["FB102"])
    assert [f.code for f in report.findings] == ["FB102"]
    cached = feedback_lint._LINTERS.get(options_key({"select": ["FB102"]}))
    sentinel = Report("<string>", "", ())
    monkeypatch.setattr(cached, "lint_text", lambda text, path, format: sentinel)
    assert feedback_lint.lint("You are lazy.", select=("FB102",)) is sentinel


def test_linter_yield_overlaps_drops_only_findings_under_a_rule_they_yield_to() -> None:
    findings = [
        _finding("FB102", 0, 15), _finding("FB202", 9, 14), _finding("FB210", 20, 24),
        _finding("FB102", 30, 40), _finding("FB202", 40, 44), _finding("FB210", 50, 55),
    ]
    kept = yield_overlaps(findings, {"FB102": frozenset({"FB202"})})
    # the label under the insult goes; one that only touches an insult's edge stays,
    # and so does a finding of a rule the label does not yield to
    assert [(f.code, f.start) for f in kept] == [
        ("FB202", 9), ("FB210", 20), ("FB102", 30), ("FB202", 40), ("FB210", 50),
    ]
    assert yield_overlaps(findings, {}) == tuple(findings)


YIELDING = {
    "custom/XX101-label.yml": """
        code: XX101
        name: label
        severity: warning
        yields_to: [XX102]
        summary: A label.
        message: 'label "{match.text}"'
        rationale: Labels.
        match:
          kind: phrase
          patterns: [a total clown, a clown]
        examples:
          - flag: You are a clown.
          - pass: The circus hired a juggler.
        """,
    "custom/XX102-insult.yml": """
        code: XX102
        name: insult
        severity: error
        summary: An insult.
        message: 'insult "{match.text}"'
        rationale: Insults.
        match:
          kind: phrase
          patterns: [clown]
        examples:
          - flag: You clown.
          - pass: The circus hired a juggler.
        """,
}


def test_linter_a_finding_yields_to_a_reported_finding_on_the_same_words(
    rule_dir: RuleWriter, linter: Linter
) -> None:
    folder = rule_dir(YIELDING)
    text = "You are a total clown. We hired a clown.\n"

    def codes(**options: object) -> list[tuple[str, str]]:
        own = linter.sharing_pipeline(rules_dirs=[folder], builtin_rules=False, **options)
        report = own.lint_text(text, path="review.md")
        return [(f.code, text[f.start : f.end]) for f in report.findings]

    assert codes() == [("XX102", "clown"), ("XX102", "clown")]
    # the rule it yields to is not run, or its finding is turned off: the label stands
    assert codes(select=["XX101"]) == [("XX101", "a total clown"), ("XX101", "a clown")]
    assert codes(ignore=["XX102"]) == [("XX101", "a total clown"), ("XX101", "a clown")]
    text = "<!-- feedback-lint: disable-next-line XX102 -->\nYou are a total clown.\n"
    assert codes() == [("XX101", "a total clown")]


@pytest.mark.parametrize(
    ("yields", "code", "detail"),
    [
        ("[XX1]", "R108", "'XX1'"),
        ("[XX103]", "R119", "'XX103'"),
        ("[XX101]", "R120", "XX101 -> XX101"),
    ],
)
def test_linter_a_bad_yields_to_names_the_rule_file(
    rule_dir: RuleWriter, yields: str, code: str, detail: str
) -> None:
    rules = dict(YIELDING)
    rules["custom/XX101-label.yml"] = rules["custom/XX101-label.yml"].replace("[XX102]", yields)
    with pytest.raises(RuleError) as caught:
        load_rules([rule_dir(rules)], builtin=False)
    assert caught.value.code == code
    assert "XX101-label.yml" in str(caught.value) and detail in str(caught.value)


def test_linter_rules_that_yield_to_each_other_are_refused(rule_dir: RuleWriter) -> None:
    rules = dict(YIELDING)
    rules["custom/XX102-insult.yml"] = rules["custom/XX102-insult.yml"].replace(
        "severity: error", "severity: error\n        yields_to: [XX101]"
    )
    with pytest.raises(RuleError) as caught:
        load_rules([rule_dir(rules)], builtin=False)
    assert caught.value.code == "R120" and "XX101 -> XX102 -> XX101" in str(caught.value)
