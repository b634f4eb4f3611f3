"""The evaluation command on a small CSV written by the test: no evaluation data needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback_lint import Linter
from feedback_lint.evaluate import (
    Row,
    Score,
    build_linter,
    errors,
    findings_per_row,
    main,
    read_probes,
    read_rows,
    score,
    score_probes,
)

CSV = """text,label,tags
You always miss deadlines.,1,absolute
"You never listen, and
you are lazy.",1,absolute|label
The build always runs on merge.,0,process
Thanks for the quick review.,0,thanks
She is on leave until Monday.,1,absolute
"""


@pytest.fixture(scope="module")
def fb1() -> Linter:
    """A linter with only the two rules these tests count."""
    return Linter(select=["FB101", "FB102"])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_evaluate_reads_rows_and_filters_by_tag(data: Path) -> None:
    rows = read_rows(data, "label")
    assert [r.positive for r in rows] == [True, True, False, False, True]
    assert rows[1].text == "You never listen, and\nyou are lazy."
    only = read_rows(data, "label", where=[("tags", "label")])
    assert [r.text for r in only] == ["You never listen, and\nyou are lazy."]
    either = read_rows(data, "label", where=[("tags", "thanks,process")])
    assert [r.text for r in either] == [
        "The build always runs on merge.",
        "Thanks for the quick review.",
    ]
    negatives = read_rows(data, "label", positive="0")
    assert [r.positive for r in negatives] == [False, False, True, True, False]


def test_evaluate_score_counts_hits_and_false_alarms(fb1: Linter, data: Path) -> None:
    rows = read_rows(data, "label")
    scores = {s.rule: s for s in score(fb1, rows, rules=["FB101", "FB102"])}
    assert scores["FB101"] == Score("FB101", 2, 0, 3, 2)
    assert scores["FB102"] == Score("FB102", 1, 0, 3, 2)
    assert scores["any"] == Score("any", 2, 0, 3, 2)
    assert scores["FB101"].precision == 1.0
    assert scores["FB101"].recall == pytest.approx(2 / 3)
    assert scores["FB101"].false_alarm_rate == 0.0


def test_evaluate_score_rates_without_hits_are_undefined() -> None:
    empty = Score("FB999", 0, 0, 0, 0)
    assert (empty.precision, empty.recall, empty.f1, empty.false_alarm_rate) == (
        None,
        None,
        None,
        None,
    )
    assert Score("FB999", 1, 1, 4, 10).f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_evaluate_errors_show_false_alarms_and_misses(fb1: Linter) -> None:
    rows = [
        Row("You always miss deadlines.", False),
        Row("Thanks for the review.", True),
        Row("You never listen.", True),
    ]
    found = findings_per_row(fb1, rows)
    assert errors(rows, found, positive=False, limit=5) == [
        "FP  FB101 'You always miss'  <-  You always miss deadlines."
    ]
    assert errors(rows, found, positive=True, limit=5) == ["FN  Thanks for the review."]
    assert errors(rows, found, positive=True, limit=0) == []


def test_evaluate_main_prints_table_and_examples(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(data), "--label", "label", "--rules", "FB101", "--show-fn", "2"]) == 0
    out = capsys.readouterr().out
    assert "FB101" in out and "rows: 3 positive, 2 negative" in out
    assert "FN  She is on leave until Monday." in out


def test_evaluate_main_json_and_where(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(data), "--label", "label", "--rules", "FB101", "--where", "tags=absolute"]
    assert main([*argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert '"rule": "FB101"' in out and '"positives": 3' in out


def test_evaluate_main_reports_a_missing_column(data: Path) -> None:
    with pytest.raises(SystemExit, match="no column"):
        main([str(data), "--label", "uncivil", "--rules", "FB101"])


PROBES = (
    '{"text": "You always miss deadlines.", "expect": ["absolute-language"], "note": "pos"}\n'
    '{"text": "The build always runs on merge.", "expect": [], "note": "hard-neg"}\n'
    "\n"
    '{"text": "You are lazy.", "expect": ["character-label", "FB101"], "note": "pos"}\n'
)


def test_evaluate_probes_score_each_rule_against_its_own_label(fb1: Linter, tmp_path: Path) -> None:
    path = tmp_path / "probes.jsonl"
    path.write_text(PROBES, encoding="utf-8")
    probes = read_probes(path)
    assert [sorted(p.expect) for p in probes] == [
        ["absolute-language"],
        [],
        ["FB101", "character-label"],
    ]
    found = findings_per_row(fb1, [Row(p.text, True) for p in probes])
    scores = {s.rule: s for s, _, _ in score_probes(fb1, probes, found)}
    # FB101 fires on the first probe only; the third expects it (by code) but gets FB102.
    assert scores["FB101"] == Score("FB101", 1, 0, 2, 1)
    assert scores["FB102"] == Score("FB102", 1, 0, 1, 2)


def test_evaluate_probes_name_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok", "expect": []}\n{"expect": []}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"bad.jsonl:2: not a probe item"):
        read_probes(path)


def test_evaluate_main_reads_jsonl_without_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "probes.jsonl"
    path.write_text(PROBES, encoding="utf-8")
    assert main([str(path), "--rules", "FB101,FB102", "--show-fn", "5"]) == 0
    out = capsys.readouterr().out
    assert "FB101: 2 positive, 1 negative" in out
    assert "FB101 FN  You are lazy." in out


def test_evaluate_profile_runs_its_rules_and_scores_only_the_named_ones() -> None:
    linter, scored = build_linter(["FB301", "FB302"], profile="message")
    codes = {rule.code for rule in linter.rules}
    # The message profile's own rules run, with the named ones added to them.
    assert {"FB101", "FB201", "FB303", "FB301", "FB302"} <= codes
    assert "FB304" not in codes
    assert scored == ["FB301", "FB302"]
    _, everything = build_linter(None, profile="message")
    assert everything is None


def test_evaluate_main_with_a_profile_prints_only_the_named_rules(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(data), "--label", "label", "--rules", "FB101", "--profile", "message"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "FB101" in out and "FB102" not in out and "FB303" not in out
