"""Profiles: selection and severities for a genre, combined with select and ignore."""

from __future__ import annotations

import pytest

from conftest import RuleWriter
from feedback_lint import Linter, Severity
from feedback_lint.errors import RuleError
from feedback_lint.rules import load_rules
from feedback_lint.rules.profiles import load_profile, profile_names


def _codes(linter: Linter) -> set[str]:
    return {rule.code for rule in linter.rules}


def test_profiles_builtin_names() -> None:
    assert {"message", "review", "code-review"} <= set(profile_names())


def test_profiles_choose_rules_for_a_genre() -> None:
    message, review, code_review = (Linter(profile=p) for p in ("message", "review", "code-review"))
    assert {"FB101", "FB201", "FB303"} <= _codes(message)
    assert not {"FB301", "FB302", "FB304"} & _codes(message)
    assert {"FB101", "FB301", "FB304", "FB305", "FB306", "FB307"} <= _codes(review)
    assert {"FB201", "FB303"} <= _codes(code_review)
    assert not {"FB101", "FB301"} & _codes(code_review)
    fb303 = next(rule for rule in code_review.rules if rule.code == "FB303")
    assert fb303.severity is Severity.INFO


def test_profiles_combine_with_select_and_ignore() -> None:
    assert _codes(Linter(profile="review", select=["FB101"])) == {"FB101"}
    extended = Linter(profile="code-review", extend_select=["FB101"])
    assert {"FB101", "FB201"} <= _codes(extended)
    assert "FB303" not in _codes(Linter(profile="message", extend_ignore=["FB303"]))
    assert "FB303" not in _codes(Linter(profile="message", ignore=["FB3"]))


def test_profiles_unknown_profile() -> None:
    with pytest.raises(RuleError) as caught:
        Linter(profile="novel")
    assert caught.value.code == "R116"
    assert "message" in caught.value.detail


@pytest.mark.parametrize(
    ("body", "code", "line"),
    [
        ("profile: mine\nsummary: s.\nselect: [ZZ9]\n", "C203", 3),
        ("profile: mine\nsummary: s.\ncolour: red\n", "R102", 3),
        ("profile: other\nsummary: s.\n", "R110", 1),
        ("profile: mine\nsummary: s.\nseverity:\n  FB101: loud\n", "R104", 4),
        ("profile: mine\nsummary: s.\nthresholds:\n  FB304: -1\n", "R104", 4),
    ],
)
def test_profiles_errors_name_file_and_line(
    rule_dir: RuleWriter, body: str, code: str, line: int
) -> None:
    folder = rule_dir({"profiles/mine.yml": body})
    with pytest.raises(RuleError) as caught:
        load_profile("mine", load_rules(), [folder])
    assert caught.value.code == code
    assert (caught.value.path, caught.value.line) == (str(folder / "profiles" / "mine.yml"), line)


def test_profiles_user_folder_adds_a_profile(rule_dir: RuleWriter) -> None:
    body = "profile: mine\nsummary: s.\nselect: [FB304]\nthresholds:\n  FB304: 0\n"
    folder = rule_dir({"profiles/mine.yml": body})
    linter = Linter(profile="mine", rules_dirs=[folder])
    assert _codes(linter) == {"FB304"}
    report = linter.lint_text("You missed the deadline.", format="text")
    assert [f.code for f in report.findings] == ["FB304"]
