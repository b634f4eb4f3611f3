"""Configuration files: discovery, validation, and the command line winning over them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from feedback_lint.cli import main
from feedback_lint.config import Config, build_parser, discover, find_config, load_config, settings
from feedback_lint.errors import ConfigError
from feedback_lint.findings import Severity

LAZY = "You are lazy. You always miss deadlines.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_config_finds_nearest_file_upward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pyproject.toml", '[tool.feedback-lint]\nselect = ["FB101"]\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "other"\n')  # no table: passed over
    monkeypatch.chdir(nested)
    assert find_config() == tmp_path / "pyproject.toml"
    assert discover().select == ("FB101",)
    write(tmp_path / "a" / ".feedback-lint.yaml", "select: [FB102]\n")
    assert discover().select == ("FB102",)
    assert discover(isolated=True) == Config(base=discover(isolated=True).base)


def test_config_yaml_before_pyproject_in_one_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.feedback-lint]\nselect = 'FB101'\n")
    write(tmp_path / ".feedback-lint.yaml", "select: FB102\n")
    assert find_config(tmp_path) == tmp_path / ".feedback-lint.yaml"


def test_config_reads_every_key(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        """
        [tool.feedback-lint]
        select = ["FB1"]
        ignore = "FB102, FB103"
        extend-select = ["FB2"]
        extend-ignore = ["FB201"]
        exclude = ["drafts/", "*.tmp.md"]
        profile = "review"
        unit = "section"
        rules-dirs = ["team-rules"]
        model = "./models/en"
        fail-on = "warning"
        include-quotes = true
        jobs = 3
        cache-dir = "build/lint-cache"
        max-file-size = 200000

        [tool.feedback-lint.per-file-ignores]
        "notes/*.md" = ["FB101"]
        """,
    )
    config = load_config(path)
    assert config.select == ("FB1",)
    assert config.ignore == ("FB102", "FB103")
    assert config.extend_select == ("FB2",) and config.extend_ignore == ("FB201",)
    assert config.exclude == ("drafts/", "*.tmp.md")
    assert config.per_file_ignores == (("notes/*.md", ("FB101",)),)
    assert (config.profile, config.unit) == ("review", "section")
    assert config.rules_dirs == ((tmp_path / "team-rules").resolve(),)
    assert config.model == str((tmp_path / "models" / "en").resolve())
    assert config.fail_on is Severity.WARNING and config.include_quotes is True
    assert config.base == tmp_path
    assert (config.jobs, config.max_file_size) == (3, 200000)
    assert config.cache_dir == (tmp_path / "build" / "lint-cache").resolve()


@pytest.mark.parametrize(
    ("name", "text", "code", "key", "line"),
    [
        (
            "pyproject.toml",
            "[tool.feedback-lint]\nselect = ['FB1']\nselct = 1\n",
            "C201",
            "selct",
            3,
        ),
        (".feedback-lint.yaml", "select: [FB1]\n\nignroe: [FB102]\n", "C201", "ignroe", 3),
        ("pyproject.toml", "[tool.feedback-lint]\nselect = 3\n", "C202", "select", 2),
        (".feedback-lint.yaml", "include-quotes: sometimes\n", "C202", "include-quotes", 1),
        (".feedback-lint.yaml", "fail-on: fatal\n", "C202", "fail-on", 1),
        (".feedback-lint.yaml", "unit: chapter\n", "C202", "unit", 1),
        (".feedback-lint.yaml", "profile: [a, b]\n", "C202", "profile", 1),
        (".feedback-lint.yaml", "per-file-ignores: [FB101]\n", "C202", "per-file-ignores", 1),
        (
            "pyproject.toml",
            "[tool.feedback-lint]\nselect = []\n[tool.feedback-lint.per-file-ignores]\n'a' = 3\n",
            "C202",
            "per-file-ignores",
            3,
        ),
        ("pyproject.toml", "[tool.feedback-lint]\nrules-dirs = [1]\n", "C202", "rules-dirs", 2),
        (".feedback-lint.yaml", "jobs: 0\n", "C202", "jobs", 1),
        (".feedback-lint.yaml", "max-file-size: big\n", "C202", "max-file-size", 1),
        (".feedback-lint.yaml", "cache-dir: [a]\n", "C202", "cache-dir", 1),
    ],
)
def test_config_bad_key_names_file_line_and_key(
    tmp_path: Path, name: str, text: str, code: str, key: str, line: int
) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert (error.code, error.path, error.line) == (code, str(path), line)
    assert repr(key) in str(error)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", "[tool.feedback-lint\nselect = 1\n"),
        (".feedback-lint.yaml", "select: [FB1\n"),
        (".feedback-lint.yaml", "- just\n- a list\n"),
    ],
)
def test_config_unreadable_file_is_c207(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.code == "C207" and caught.value.path == str(path)


def test_config_missing_explicit_file_is_c208(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        discover(str(tmp_path / "nope.toml"))
    assert caught.value.code == "C208"


def test_config_errors_exit_two_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / ".feedback-lint.yaml", "select: [FB101]\ncolour: red\n")
    code, out, err = run(capsys, "--config", str(path), "-")
    assert code == 2 and out == ""
    assert err == f"feedback-lint: {path}:2: C201 unknown configuration key 'colour'\n"
    bad_code = write(tmp_path / "b.yaml", "extend-ignore: [ZZ9]\n")
    code, _, err = run(capsys, "--config", str(bad_code), "--list-rules")
    assert code == 2 and err.startswith(f"feedback-lint: {bad_code}: C203 ")


def test_config_applies_and_command_line_wins(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / ".feedback-lint.yaml", "select: [FB102]\nfail-on: error\n")
    write(tmp_path / "draft.md", LAZY)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "draft.md")
    assert code == 0  # FB102 is a warning, below fail-on: error
    assert [line.split()[1] for line in out.splitlines()] == ["FB102"]
    code, out, _ = run(capsys, "--select", "FB101", "--fail-on", "warning", "draft.md")
    assert code == 1 and [line.split()[1] for line in out.splitlines()] == ["FB101"]
    code, out, _ = run(capsys, "--isolated", "--select", "FB101,FB102", "draft.md")
    assert code == 1 and len(out.splitlines()) == 2


def test_config_rules_dirs_relative_to_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "project" / "team" / "style" / "XX101-utilize.yml",
        """
        code: XX101
        name: utilize
        severity: info
        summary: Prefer "use" to "utilize".
        message: Say "use".
        rationale: Plain words read faster.
        match: {kind: regex, pattern: '\\butilize\\b'}
        examples: [{flag: Please utilize it.}, {pass: Please use it.}]
        """,
    )
    write(tmp_path / "project" / "pyproject.toml", '[tool.feedback-lint]\nrules-dirs = ["team"]\n')
    write(tmp_path / "project" / "docs" / "a.md", "Please utilize the helper.\n")
    monkeypatch.chdir(tmp_path / "project" / "docs")
    code, out, _ = run(capsys, "--select", "XX", "a.md")
    assert code == 1 and out == 'a.md:1:8: XX101 Say "use".\n'


def test_config_per_file_ignores_exclude_and_quotes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / ".feedback-lint.yaml",
        """
        select: [FB101, FB102]
        per-file-ignores:
          "notes/*.md": [FB101]
        exclude: [drafts/]
        include-quotes: true
        """,
    )
    for name in ("notes/a.md", "drafts/b.md", "c.md"):
        write(tmp_path / name, LAZY)
    write(tmp_path / "q.md", "> You are lazy.\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, ".")
    assert code == 1
    found = sorted((line.split(":")[0], line.split()[1]) for line in out.splitlines())
    assert found == [
        ("./c.md", "FB101"),
        ("./c.md", "FB102"),
        ("./notes/a.md", "FB102"),
        ("./q.md", "FB102"),
    ]
    _, out, _ = run(capsys, "--no-include-quotes", "--exclude", "notes,c.md", ".")
    assert sorted({line.split(":")[0] for line in out.splitlines()}) == ["./drafts/b.md"]


def test_config_profile_and_unit_passed_only_when_set(tmp_path: Path) -> None:
    args = build_parser().parse_args(["x.md"])
    assert "profile" not in settings(args, Config()).linter_options
    assert "unit" not in settings(args, Config()).linter_options
    path = write(tmp_path / ".feedback-lint.yaml", "profile: review\nunit: item\n")
    options = settings(args, load_config(path)).linter_options
    assert options["profile"] == "review" and options["unit"] == "item"


def test_config_unknown_profile_names_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / ".feedback-lint.yaml", "profile: no-such-profile\n")
    code, _, err = run(capsys, "--config", str(path), "--list-rules")
    assert code == 2 and err.startswith(f"feedback-lint: {path}: ")
    assert "no-such-profile" in err
