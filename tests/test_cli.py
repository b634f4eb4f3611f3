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
#: The rules whose findings on the example these tests pin down.
PERSON = ("--select", "FB101,FB102")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_example_prints_flake8_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *PERSON, str(EXAMPLE))
    assert code == 1
    lines = out.splitlines()
    assert lines == [
        f'{EXAMPLE}:16:1: FB101 "You always miss" turns some occasions into a verdict on '
        "every occasion.",
        f'{EXAMPLE}:16:52: FB102 "you are lazy" labels the person; describe what they did instead.',
        f'{EXAMPLE}:17:41: FB102 "He is a slacker" labels the person; describe what they did '
        "instead.",
        f'{EXAMPLE}:18:18: FB101 "you never listen" turns some occasions into a verdict on '
        "every occasion.",
    ]
    text = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert text[15][51:].startswith("you are lazy")


def test_cli_json_has_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *PERSON, "--format", "json", str(EXAMPLE))
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
    # Only the person rules are asserted on, so that rules added later do not change the case.
    assert {line.split()[1] for line in out.splitlines()} & {"FB101", "FB102"} == codes


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
    code, out, _ = run(capsys, *PERSON, str(bad), str(tmp_path / "missing.md"), str(EXAMPLE))
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
    # one naming rule: a code or a name in any case, but not a prefix
    for key in ("fb102", "Character-Label"):
        code, out, _ = run(capsys, "--explain", key)
        assert code == 0 and out.startswith("FB102 character-label"), out[:40]
    assert run(capsys, "--explain", "FB1")[0] == 2
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


def test_cli_show_parse_prints_aligned_tokens(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--show-parse", "You always miss deadlines.")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["i", "text", "lemma", "pos", "tag", "dep", "head"]
    assert lines[2].split() == ["1", "always", "always", "ADV", "RB", "advmod", "2", "miss"]
    assert lines[2][lines[0].index("lemma") :].startswith("always  ")  # columns line up
    assert all(len(line.split()) == 8 for line in lines[1:])
    draft = tmp_path / "draft.md"
    draft.write_text("# Notes\n\n`code` She is abrasive.\n", encoding="utf-8")
    code, out, _ = run(capsys, "--show-parse", str(draft))
    texts = [line.split()[1] for line in out.splitlines()[1:] if line and line[0] != "i"]
    assert code == 0 and "abrasive" in texts and "Notes" in texts
    assert "code" not in texts and "`" not in texts  # the parse of the prose the rules see


def test_cli_folders_globs_and_fail_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs" / "deep").mkdir(parents=True)
    (tmp_path / "docs" / "a.md").write_text("You are lazy.\n")
    (tmp_path / "docs" / "deep" / "b.txt").write_text("You always miss deadlines.\n")
    (tmp_path / "docs" / "c.py").write_text("x = 'You are lazy.'\n")
    monkeypatch.chdir(tmp_path)
    selected = ("--isolated", "--select", "FB101,FB102")
    code, out, _ = run(capsys, *selected, "docs")
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == ["docs/a.md", "docs/deep/b.txt"]
    code, out, _ = run(capsys, *selected, "docs/**/*.txt")
    assert [line.split(":")[0] for line in out.splitlines()] == ["docs/deep/b.txt"]
    assert run(capsys, *selected, "--fail-on", "error", "docs")[0] == 0
    code, out, _ = run(capsys, *selected, "--fail-on", "error", "docs/*.nothing")
    assert code == 1 and out.startswith("docs/*.nothing:1:1: E909 ")


def test_cli_pre_commit_hook_and_readme_links() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "feedback-lint")
    assert hook["entry"] == "feedback-lint" and hook["language"] == "python"
    assert hook["types_or"] == ["markdown", "text"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/ci.md)" in readme and "](docs/rules/index.md)" in readme
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "github/codeql-action/upload-sarif" in ci and "--format sarif" in ci
    assert ".pre-commit-config.yaml" in ci
