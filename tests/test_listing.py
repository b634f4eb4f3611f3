"""``--list-rules`` and ``--explain`` read only the rules' headers: the same output and the
same choice of rules as a full load, one clear line for a broken rule file, few imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import RuleWriter
from feedback_lint import Linter
from feedback_lint.cli import main
from feedback_lint.errors import RuleError
from feedback_lint.rules import load_catalogue, load_headers, load_rules

VALID = """
code: XX101
name: sample-rule
severity: warning
summary: A sample rule.
message: 'found "{match.text}"'
rationale: Because tests need a rule.
match:
  - kind: phrase
    patterns: [bad thing]
  - kind: phrase
    patterns: [worse thing]
    suggestion: {title: Say what happened, replace_with: "[what]", applicability: unsafe}
suggestion: {title: Name it, replace_with: "[it]"}
examples:
  - flag: This is a bad thing.
    fixed: This is [it].
  - pass: This is a good thing.
"""
PATH = "custom/XX101-sample-rule.yml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_listing_headers_are_the_loaded_rules_headers() -> None:
    rules = load_rules()
    headers = load_headers()
    assert [h.code for h in headers] == [r.code for r in rules]
    for rule, header in zip(rules, headers, strict=True):
        for field in ("name", "severity", "enabled", "tags", "summary", "rationale", "examples"):
            assert getattr(header, field) == getattr(rule, field), (rule.code, field)
        assert (header.aliases, header.path, header.category) == (
            rule.aliases,
            rule.path,
            rule.category,
        )
        offered = [(s.title, s.applicability) for s in rule.suggestions]
        assert [(s.title, s.applicability) for s in header.suggestions] == offered
        own = rule.suggestion
        assert header.suggestion == (None if own is None else header.suggestions[0])
        assert (own is None) == (header.suggestion is None)


def test_listing_reads_match_level_suggestions(rule_dir: RuleWriter) -> None:
    (header,) = load_headers([rule_dir({PATH: VALID})], builtin=False)
    assert [(s.title, s.applicability.value) for s in header.suggestions] == [
        ("Name it", "display-only"),
        ("Say what happened", "unsafe"),
    ]
    (rule,) = load_rules([rule_dir({PATH: VALID})], builtin=False)
    assert [s.title for s in rule.suggestions] == ["Name it", "Say what happened"]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"profile": "message"},
        {"profile": "code-review", "extend_select": ["FB1"]},
        {"profile": "review", "ignore": "FB3"},
        {"select": "FB2", "ignore": ["FB201"]},
        {"select": ["ALL"], "extend_ignore": ["absolute-language"]},
    ],
)
def test_listing_chooses_the_rules_the_linter_runs(options: dict[str, object]) -> None:
    linter = Linter(**options)  # type: ignore[arg-type]
    catalogue = load_catalogue(options)
    assert [r.code for r in catalogue.all_rules] == [r.code for r in linter.all_rules]
    assert [r.code for r in catalogue.rules] == [r.code for r in linter.rules]


def test_listing_user_rules_list_and_explain(
    capsys: pytest.CaptureFixture[str], rule_dir: RuleWriter
) -> None:
    folder = rule_dir({PATH: VALID})
    code, out, _ = run(capsys, "--rules-dir", str(folder), "--list-rules")
    assert code == 0 and "XX101  sample-rule" in out and "FB101  absolute-language" in out
    code, out, _ = run(capsys, "--rules-dir", str(folder), "--explain", "sample-rule")
    assert code == 0 and out.startswith("XX101 sample-rule (warning)")
    assert 'Suggestion: "Say what happened". The suggestion may change' in out


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ("severity: warning", "severity: warning\ncolour: red", "R102", 4),
        ("summary: A sample rule.\n", "", "R103", 1),
        ("severity: warning", "severity: loud", "R104", 3),
        ("code: XX101", "code: x101", "R108", 1),
        ("name: sample-rule", "name: Sample_Rule", "R109", 2),
        ("  - pass: This is a good thing.", "  - pass: x\n    flag: y", "R114", 17),
        ("rationale: Because", "rationale: [Because", "R101", 7),
        ("applicability: unsafe", "applicability: maybe", "R104", 12),
        ("suggestion: {title: Name it", "suggestion: {name: Name it", "R102", 13),
        ("message: 'found", "message: ''\nx: 'found", "R102", 6),
    ],
)
def test_listing_broken_rule_file_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str],
    rule_dir: RuleWriter,
    old: str,
    new: str,
    code: str,
    line: int,
) -> None:
    assert old in VALID
    folder = rule_dir({PATH: VALID.replace(old, new)})
    path = folder / PATH
    for command in (["--list-rules"], ["--explain", "FB101"]):
        status, out, err = run(capsys, "--rules-dir", str(folder), *command)
        assert (status, out) == (2, "")
        assert err.startswith(f"feedback-lint: {path}:{line}: {code} "), err
        assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('found "{match.text}"', "found {verb.text}"),
        ("  - kind: phrase\n    patterns: [bad thing]", "  - kind: fuzzy\n    patterns: [x]"),
        ("patterns: [bad thing]", "patterns: [$nowhere]"),
        ("  - kind: phrase\n    patterns: [bad thing]", "  - kind: regex\n    pattern: 'a (b'"),
    ],
)
def test_listing_does_not_check_patterns_linting_does(
    capsys: pytest.CaptureFixture[str], rule_dir: RuleWriter, old: str, new: str
) -> None:
    assert old in VALID
    folder = rule_dir({PATH: VALID.replace(old, new)})
    code, out, _ = run(capsys, "--rules-dir", str(folder), "--list-rules")
    assert code == 0 and "XX101  sample-rule" in out
    code, _, err = run(capsys, "--rules-dir", str(folder), "-")
    assert code == 2 and f"{folder / PATH}:" in err


def test_listing_duplicate_code_and_missing_folder(
    capsys: pytest.CaptureFixture[str], rule_dir: RuleWriter, tmp_path: Path
) -> None:
    folder = rule_dir({PATH: VALID, "other/XX101-sample-rule.yml": VALID})
    code, _, err = run(capsys, "--rules-dir", str(folder), "--list-rules")
    assert code == 2 and " R111 " in err and err.count("\n") == 1
    code, _, err = run(capsys, "--rules-dir", str(tmp_path / "nowhere"), "--list-rules")
    assert code == 2 and f"{tmp_path / 'nowhere'}: R114 " in err


def test_listing_undecodable_rule_file(
    capsys: pytest.CaptureFixture[str], rule_dir: RuleWriter
) -> None:
    folder = rule_dir({PATH: VALID})
    (folder / PATH).write_bytes(b"code: XX101\nname: \xff\xfe\x00bad\n")
    code, _, err = run(capsys, "--rules-dir", str(folder), "--list-rules")
    assert code == 2 and err.startswith(f"feedback-lint: {folder / PATH}: R101 ")


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
_KEYS = ("code", "name", "severity", "enabled", "tags", "summary", "message", "rationale")
_KEYS += ("match", "suggestion", "examples", "aliases", "colour")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(_KEYS), value=_VALUES, drop=st.booleans())
def test_listing_any_value_of_a_key_is_loaded_or_a_rule_error(
    tmp_path_factory: pytest.TempPathFactory, key: str, value: object, drop: bool
) -> None:
    import yaml

    data = yaml.safe_load(VALID)
    if drop:
        data.pop(key, None)
    else:
        data[key] = value
    folder = tmp_path_factory.mktemp("rules")
    (folder / "XX101-sample-rule.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        load_headers([folder], builtin=False)
    except RuleError as error:
        assert error.path == str(folder / "XX101-sample-rule.yml")


def test_listing_imports_no_engine() -> None:
    engine = ("feedback_lint.linter", "feedback_lint.matching", "feedback_lint.suggestions")
    probe = (
        "import sys; from feedback_lint.cli import main\n"
        "for args in (['--list-rules'], ['--explain', 'FB101']):\n"
        "    assert main(args) == 0\n"
        f"loaded = [m for m in {engine!r} + ('spacy', 'regex') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_listing_package_names_load_on_first_use() -> None:
    probe = (
        "import sys, feedback_lint\n"
        "assert 'feedback_lint.linter' not in sys.modules\n"
        "assert feedback_lint.Linter.__module__ == 'feedback_lint.linter'\n"
        "assert feedback_lint._LINTERS is feedback_lint._LINTERS\n"
        "try:\n"
        "    feedback_lint.nothing\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('no AttributeError')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
