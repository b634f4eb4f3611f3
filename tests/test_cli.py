"""The command line: output format, options and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from feedback_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "review.md"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_example_prints_flake8_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(EXAMPLE))
    assert code == 1
    lines = out.splitlines()
    assert lines == [
        f'{EXAMPLE}:16:1: FB101 "You always miss" turns some occasions into a verdict on '
        "every occasion.",
        f'{EXAMPLE}:16:52: FB102 "you are lazy" labels the person; describe what they did instead.',
        f'{EXAMPLE}:17:41: FB102 "he is a slacker" labels the person; describe what they did '
        "instead.",
        f'{EXAMPLE}:18:18: FB101 "you never listen" turns some occasions into a verdict on '
        "every occasion.",
    ]
    text = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert text[15][51:].startswith("you are lazy")


def test_cli_json_has_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "json", str(EXAMPLE))
    assert code == 1
    data = json.loads(out)
    assert data["version"] == 1
    assert data["tool"]["pipeline"]["name"]
    findings = data["files"][0]["findings"]
    assert [f["code"] for f in findings] == ["FB101", "FB102", "FB102", "FB101"]
    assert findings[0]["suggestions"][0]["replacement"].startswith("In [this project], I observed")
    source = EXAMPLE.read_text(encoding="utf-8")
    assert all(source[f["start"] : f["end"]] == f["text"] for f in findings)


def test_cli_clean_input_exits_zero(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "ok.md"
    path.write_text("In Tuesday's stand-up, the update ran over. Could we timebox it?\n")
    assert run(capsys, str(path)) == (0, "", "")


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (["--select", "FB102"], {"FB102"}),
        (["--ignore", "FB10"], set()),
        (["--select", "FB1", "--ignore", "FB101"], {"FB102"}),
        (["--extend-ignore", "FB102"], {"FB101"}),
    ],
)
def test_cli_select_and_ignore(
    capsys: pytest.CaptureFixture[str], args: list[str], codes: set[str]
) -> None:
    _, out, _ = run(capsys, *args, str(EXAMPLE))
    assert {line.split()[1] for line in out.splitlines()} == codes


def test_cli_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"You are lazy.\n")))
    code, out, _ = run(capsys, "--stdin-filename", "draft.txt", "-")
    assert code == 1
    assert out.startswith("draft.txt:1:1: FB102 ")


def test_cli_unreadable_file_is_reported_and_others_linted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"fine\n\xff\xfe broken\n")
    code, out, _ = run(capsys, str(bad), str(tmp_path / "missing.md"), str(EXAMPLE))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{bad}:2:1: E902 ")
    assert lines[1].startswith(f"{tmp_path / 'missing.md'}:1:1: E906 ")
    assert len(lines) == 6


def test_cli_usage_errors_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--select", "ZZ9", str(EXAMPLE))[0] == 2
    assert run(capsys)[0] == 2
    with pytest.raises(SystemExit) as caught:
        main(["--format", "nope", str(EXAMPLE)])
    assert caught.value.code == 2


def test_cli_bad_rule_file_exits_two(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "mine" / "custom"
    folder.mkdir(parents=True)
    (folder / "XX101-bad.yml").write_text(
        "code: XX101\nname: bad\nseverity: loud\nsummary: s.\nmessage: m\nrationale: r\n"
        "match: {kind: phrase, pattern: [x]}\nexamples: [{flag: x}]\n"
    )
    code, _, err = run(capsys, "--rules-dir", str(tmp_path / "mine"), str(EXAMPLE))
    assert code == 2
    assert f"{folder / 'XX101-bad.yml'}:3: R104" in err


def test_cli_list_explain_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list-rules")
    assert code == 0 and "FB101  absolute-language" in out
    code, out, _ = run(capsys, "--explain", "FB102")
    assert code == 0 and "Why it matters:" in out and "You are lazy." in out
    assert run(capsys, "--explain", "FB999")[0] == 2
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("feedback-lint ") and "pipeline en_core_web_sm" in out


def test_cli_fast_commands_do_not_import_spacy() -> None:
    for args in (["--version"], ["--list-rules"], ["--explain", "FB101"]):
        probe = (
            f"import sys; from feedback_lint.cli import main; code = main({args!r}); "
            "sys.stdout.flush(); assert 'spacy' not in sys.modules, 'spacy imported'; "
            "sys.exit(code)"
        )
        result = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr


def test_cli_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "feedback_lint", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("feedback-lint ")
