"""Safe fixes: --diff changes nothing; --fix writes atomically, keeps the form, is idempotent."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest

from conftest import RuleWriter
from feedback_lint import fixes
from feedback_lint.cli import main
from feedback_lint.errors import InputError
from feedback_lint.findings import Applicability, Edit, Finding, Report, Severity, Suggestion
from rule_texts import UTILIZE

FB101_MESSAGE = '"you always miss" turns some occasions into a verdict on every occasion.'
NO_SAFE_FIXES = (
    "feedback-lint: no safe fixes; {count} left to rewrite by hand "
    "(--format json shows each suggested rewrite)\n"
)


@pytest.fixture
def rules(rule_dir: RuleWriter) -> str:
    return str(rule_dir({"style/XX101-utilize.yml": UTILIZE}))


def lint(capsys: pytest.CaptureFixture[str], rules: str, *args: str) -> tuple[int, str, str]:
    code = main(["--select", "XX101,FB101", "--rules-dir", rules, *args])
    out, err = capsys.readouterr()
    return code, out, err


def finding(
    start: int, end: int, *edits: Edit, kind: Applicability = Applicability.SAFE
) -> Finding:
    suggestion = Suggestion("t", "r", edits, kind)
    return Finding("XX101", "x", Severity.INFO, "m", start, end, 1, 1, 1, 1, (suggestion,))


def test_fixes_take_whole_non_overlapping_safe_suggestions() -> None:
    report = Report(
        "a.md",
        "abcdefghij",
        (
            finding(0, 2, Edit(0, 2, "AB")),
            finding(1, 3, Edit(1, 3, "X"), Edit(8, 9, "Y")),  # overlaps the first: all skipped
            finding(4, 5, Edit(4, 5, "E"), kind=Applicability.UNSAFE),
            finding(6, 7, Edit(6, 7, "G"), Edit(9, 10, "J")),
        ),
    )
    edits, count = fixes.safe_edits(report)
    assert count == 2
    assert [e.replacement for e in edits] == ["AB", "G", "J"]


def test_fixes_report_fixed_text_follows_the_one_fix_policy() -> None:
    # Report.fixed_text and --fix choose the same edits: whole suggestions, none overlapping.
    report = Report(
        "a.md",
        "abcdefghij",
        (
            finding(0, 2, Edit(0, 2, "AB")),
            finding(1, 3, Edit(1, 3, "X"), Edit(8, 9, "Y")),  # overlaps the first: all skipped
            finding(6, 7, Edit(6, 7, "G")),
        ),
    )
    edits, _ = fixes.safe_edits(report)
    assert report.edits() == tuple(edits)
    assert report.fixed_text() == "ABcdefGhij"  # not "ABcdefGhYj": "Y" belongs to "X"


def test_fixes_diff_leaves_files_untouched(
    capsys: pytest.CaptureFixture[str], rules: str, tmp_path: Path
) -> None:
    path = tmp_path / "note.md"
    path.write_bytes(b"Please utilize the helper.\n")
    code, out, _ = lint(capsys, rules, "--diff", str(path))
    assert code == 1
    assert out == (
        f"--- a/{path}\n+++ b/{path}\n@@ -1 +1 @@\n"
        "-Please utilize the helper.\n+Please use the helper.\n"
    )
    assert path.read_bytes() == b"Please utilize the helper.\n"
    clean = tmp_path / "clean.md"
    clean.write_text("Please use the helper.\n")
    assert lint(capsys, rules, "--diff", str(clean)) == (0, "", "")


def test_fixes_fix_keeps_bom_newlines_and_mode_and_is_idempotent(
    capsys: pytest.CaptureFixture[str], rules: str, tmp_path: Path
) -> None:
    path = tmp_path / "note.md"
    original = (
        "\ufeffPlease utilize it.\r\n\r\nUtilize the helper; utilise it; you always miss it.\r\n"
    )
    path.write_bytes(original.encode("utf-8"))
    path.chmod(0o640)
    code, out, err = lint(capsys, rules, "--fix", str(path))
    assert code == 1  # FB101 has no safe fix and remains
    assert out == f"{path}:3:25: FB101 {FB101_MESSAGE}\n"
    assert err == "feedback-lint: fixed 3 findings\n"
    expected = "\ufeffPlease use it.\r\n\r\nUse the helper; use it; you always miss it.\r\n"
    assert path.read_bytes() == expected.encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["note.md", "rules"]
    again = lint(capsys, rules, "--fix", str(path))
    assert again == (1, out, NO_SAFE_FIXES.format(count="1 finding"))
    assert path.read_bytes() == expected.encode("utf-8")


def test_fixes_refuse_a_file_changed_since_read(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("Please utilize it.\n")
    path.write_text("Someone else edited this.\n")
    with pytest.raises(InputError) as caught:
        fixes.write_fixed(str(path), "Please utilize it.\n", "Please use it.\n", False)
    assert caught.value.code == "E907" and caught.value.path == str(path)
    assert path.read_text() == "Someone else edited this.\n"


def test_fixes_interrupted_write_leaves_original_and_no_temp(
    capsys: pytest.CaptureFixture[str],
    rules: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "note.md"
    path.write_text("Please utilize it.\n")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    code, out, _ = lint(capsys, rules, "--fix", str(path))
    assert code == 1
    assert (
        out.splitlines()[0]
        == f"{path}:1:1: E908 cannot write the fixed file: No space left on device"
    )
    assert path.read_text() == "Please utilize it.\n"
    assert sorted(os.listdir(tmp_path)) == ["note.md", "rules"]


def test_fixes_stdin_prints_fixed_text(
    capsys: pytest.CaptureFixture[str], rules: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Utilize it.\n")))
    code, out, err = lint(capsys, rules, "--fix", "-")
    assert (code, out) == (0, "Use it.\n")
    assert err == "feedback-lint: fixed 1 finding\n"


def test_fixes_fix_and_diff_together_is_usage_error(
    capsys: pytest.CaptureFixture[str], rules: str
) -> None:
    assert lint(capsys, rules, "--fix", "--diff", "x.md")[0] == 2


def test_fixes_diff_and_fix_say_when_there_are_no_safe_fixes(
    capsys: pytest.CaptureFixture[str], rules: str, tmp_path: Path
) -> None:
    path = tmp_path / "note.md"
    path.write_text("You always miss it. You always skip it.\n")
    assert lint(capsys, rules, "--diff", str(path)) == (
        0,
        "",
        NO_SAFE_FIXES.format(count="2 findings"),
    )
    code, out, err = lint(capsys, rules, "--fix", str(path))
    assert (code, err) == (1, NO_SAFE_FIXES.format(count="2 findings"))
    assert out.count("FB101") == 2
    assert path.read_text() == "You always miss it. You always skip it.\n"


BUILTIN_FIXABLE = (
    "# Review\n\n"
    "PLEASE READ THE DOCS before opening an issue. As everyone knows, the cache is per "
    "process.\n\nYou obviously need to rebase first, and STOP PUSHING TO MAIN.\n"
)
BUILTIN_FIXED = (
    "# Review\n\n"
    "Please read the docs before opening an issue. The cache is per process.\n\n"
    "You need to rebase first, and stop pushing to main.\n"
)


def test_fixes_builtin_safe_rewrites_apply_and_a_second_fix_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "review.md"
    path.write_text(BUILTIN_FIXABLE)
    select = ["--select", "FB208,FB209"]
    code, out, err = main([*select, "--diff", str(path)]), *capsys.readouterr()
    assert code == 1 and err == ""
    assert "-PLEASE READ THE DOCS before" in out and "+Please read the docs before" in out
    assert path.read_text() == BUILTIN_FIXABLE
    assert main([*select, "--fix", str(path)]) == 0
    assert capsys.readouterr() == ("", "feedback-lint: fixed 4 findings\n")
    assert path.read_text() == BUILTIN_FIXED
    assert main([*select, "--fix", str(path)]) == 0
    assert capsys.readouterr() == ("", "")
    assert path.read_text() == BUILTIN_FIXED
