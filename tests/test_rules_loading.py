"""Rule files are validated on load and every error names file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RuleWriter
from feedback_lint.errors import RuleError
from feedback_lint.rules import load_rules

VALID = """
code: XX101
name: sample-rule
severity: warning
summary: A sample rule.
message: 'found "{match.text}"'
rationale: Because tests need a rule.
match:
  kind: phrase
  patterns: [bad thing]
examples:
  - flag: This is a bad thing.
  - pass: This is a good thing.
"""


def _load(
    rule_dir: RuleWriter,
    body: str,
    name: str = "XX101-sample-rule.yml",
    lexicons: dict[str, str] | None = None,
) -> tuple[Path, RuleError]:
    folder = rule_dir({f"custom/{name}": body}, lexicons)
    with pytest.raises(RuleError) as caught:
        load_rules([folder], builtin=False)
    return folder / "custom" / name, caught.value


def test_rules_loading_valid_rule(rule_dir: RuleWriter) -> None:
    (rule,) = load_rules([rule_dir({"custom/XX101-sample-rule.yml": VALID})], builtin=False)
    assert (rule.code, rule.name, rule.category) == ("XX101", "sample-rule", "custom")
    assert rule.matches[0].patterns == ("bad thing",)
    assert [e.kind for e in rule.examples] == ["flag", "pass"]


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ("severity: warning", "severity: warning\ncolour: red", "R102", 4),
        ("summary: A sample rule.\n", "", "R103", 1),
        ("severity: warning", "severity: loud", "R104", 3),
        ("code: XX101", "code: x101", "R108", 1),
        ("name: sample-rule", "name: Sample_Rule", "R109", 2),
        ('found "{match.text}"', "found {verb.text}", "R106", 5),
        ('found "{match.text}"', "found {match.colour}", "R113", 5),
        ("  kind: phrase", "  kind: fuzzy", "R104", 8),
        (
            "  kind: phrase\n  patterns: [bad thing]",
            "  kind: regex\n  pattern: 'bad (thing'",
            "R107",
            9,
        ),
        ("  patterns: [bad thing]", "  patterns: [$nowhere]", "R112", 9),
        ("  - pass: This is a good thing.", "  - pass: x\n    flag: y", "R114", 12),
        ("rationale: Because", "rationale: [Because", "R101", 7),
    ],
)
def test_rules_loading_errors_name_file_and_line(
    rule_dir: RuleWriter, old: str, new: str, code: str, line: int
) -> None:
    assert old in VALID
    path, error = _load(rule_dir, VALID.replace(old, new))
    assert error.code == code
    assert (error.path, error.line) == (str(path), line)
    assert str(error).startswith(f"{path}:{line}: {code} ")


def test_rules_loading_file_name_must_match(rule_dir: RuleWriter) -> None:
    _, error = _load(rule_dir, VALID, name="XX101-other-name.yml")
    assert error.code == "R110"
    assert "XX101-sample-rule.yml" in error.detail


def test_rules_loading_duplicate_code(rule_dir: RuleWriter) -> None:
    folder = rule_dir(
        {
            "a/XX101-sample-rule.yml": VALID,
            "b/XX101-sample-rule.yml": VALID,
        }
    )
    with pytest.raises(RuleError) as caught:
        load_rules([folder], builtin=False)
    assert caught.value.code == "R111"


def test_rules_loading_lexicon_is_expanded(rule_dir: RuleWriter) -> None:
    body = VALID.replace("patterns: [bad thing]", "patterns: [$bad-things]")
    folder = rule_dir(
        {"custom/XX101-sample-rule.yml": body},
        {"bad-things": "# source: tests\nbad thing\nworse thing\n"},
    )
    (rule,) = load_rules([folder], builtin=False)
    assert rule.matches[0].patterns == ("bad thing", "worse thing")


def test_rules_loading_valence_reference_is_expanded_with_overrides(rule_dir: RuleWriter) -> None:
    body = VALID.replace("patterns: [bad thing]", "patterns: [$valence<=-3]")
    folder = rule_dir(
        {"custom/XX101-sample-rule.yml": body},
        {"valence-overrides": "# source: tests\nkill 0\nmeh -3.5\n"},
    )
    (rule,) = load_rules([folder], builtin=False)
    assert "worst" in rule.matches[0].patterns and "meh" in rule.matches[0].patterns
    assert "kill" not in rule.matches[0].patterns


def test_rules_loading_lexicons_and_words_mix_in_one_list(rule_dir: RuleWriter) -> None:
    body = VALID.replace(
        "kind: phrase\n  patterns: [bad thing]",
        "kind: token\n  pattern: [{LOWER: {IN: [$bad-words, meh, awful]}}]",
    )
    folder = rule_dir(
        {"custom/XX101-sample-rule.yml": body}, {"bad-words": "# source: tests\nawful\ndire\n"}
    )
    (rule,) = load_rules([folder], builtin=False)
    assert rule.matches[0].patterns == ([{"LOWER": {"IN": ["awful", "dire", "meh"]}}],)


def test_rules_loading_malformed_valence_override_names_the_rule(rule_dir: RuleWriter) -> None:
    body = VALID.replace("patterns: [bad thing]", "patterns: [$valence<=-3]")
    folder = rule_dir(
        {"custom/XX101-sample-rule.yml": body},
        {"valence-overrides": "# source: tests\nkill zero\n"},
    )
    with pytest.raises(RuleError) as caught:
        load_rules([folder], builtin=False)
    assert caught.value.code == "R114"
    assert "XX101-sample-rule.yml" in str(caught.value)
    assert "kill zero" in str(caught.value)


def test_rules_loading_yaml_is_safe(rule_dir: RuleWriter) -> None:
    body = VALID + "tags: !!python/object/apply:os.system ['echo unsafe']\n"
    _, error = _load(rule_dir, body)
    assert error.code == "R101"


def test_rules_loading_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path / "nowhere"], builtin=False)
    assert caught.value.code == "R114"


def test_rules_loading_names_a_word_yaml_read_as_a_boolean(rule_dir: RuleWriter) -> None:
    body = VALID.replace(
        "  kind: phrase\n  patterns: [bad thing]",
        "  kind: token\n  pattern:\n    - {LOWER: switch}\n    - {LOWER: {IN: [on, off]}}",
    )
    path, error = _load(rule_dir, body)
    assert error.code == "R105"
    assert (error.path, error.line) == (str(path), 11)
    assert "quote on, off" in str(error)
