"""flake8's select/ignore semantics: prefixes, the longer prefix wins, ties ignore."""

from __future__ import annotations

from dataclasses import replace

import pytest

from feedback_lint.errors import ConfigError
from feedback_lint.findings import Severity
from feedback_lint.rules import Rule
from feedback_lint.selection import Selection, names, naming


def rule(code: str, enabled: bool = True, name: str = "") -> Rule:
    return Rule(
        code=code,
        name=name or f"rule-{code.lower()}",
        severity=Severity.WARNING,
        enabled=enabled,
        tags=(),
        summary="s.",
        message="m",
        rationale="r",
        matches=(),
        suggestion=None,
        examples=(),
        aliases=(),
        path="p",
        category="c",
        yields_to=(),
    )


RULES = [rule("FB101"), rule("FB102"), rule("FB201"), rule("FB301", enabled=False)]


def active(selection: Selection) -> list[str]:
    return [r.code for r in RULES if selection.selected(r)]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(), ["FB101", "FB102", "FB201"]),
        (Selection(select=("FB1",)), ["FB101", "FB102"]),
        (Selection(ignore=("FB1",)), ["FB201"]),
        (Selection(select=("FB1",), ignore=("FB102",)), ["FB101"]),
        (Selection(select=("FB102",), ignore=("FB1",)), ["FB102"]),
        (Selection(select=("FB1",), ignore=("FB1",)), []),
        (Selection(extend_select=("FB301",)), ["FB101", "FB102", "FB201", "FB301"]),
        (Selection(select=("ALL",)), ["FB101", "FB102", "FB201", "FB301"]),
        (Selection(extend_ignore=("FB2",)), ["FB101", "FB102"]),
        (Selection(select=("rule-fb201",)), ["FB201"]),
        (Selection(select=("FB",), ignore=("rule-fb101",)), ["FB102", "FB201", "FB301"]),
    ],
)
def test_selection_decisions(selection: Selection, expected: list[str]) -> None:
    assert active(selection) == expected


def test_selection_unknown_code_is_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        Selection(select=("FB9",)).check(RULES)
    assert caught.value.code == "C203"
    Selection(select=("FB", "ALL")).check(RULES)


# One table for every place that asks whether a key names a rule: select/ignore,
# per-file-ignores, suppression comments, profiles, --explain and the service.
NAMING = [
    # key, names FB101 (code, name, alias), names it whole (for --explain)
    ("FB101", True, True),
    ("fb101", True, True),
    ("FB1", True, False),
    ("fb", True, False),
    ("absolute-language", True, True),
    ("Absolute-Language", True, True),
    ("old-absolutes", True, True),
    ("absolute", False, False),
    ("FB1011", False, False),
    ("FB102", False, False),
    ("", False, False),
]


@pytest.mark.parametrize(("key", "named", "whole"), NAMING)
def test_naming_one_answer_for_every_key(key: str, named: bool, whole: bool) -> None:
    code, name, aliases = "FB101", "absolute-language", ("old-absolutes",)
    assert names(key, code, name, aliases) is named
    assert names(key, code, name, aliases, whole=True) is whole
    sample = replace(rule(code, name=name), aliases=aliases)
    assert (Selection(select=(key,)).selected(sample) if key else False) is named


def test_naming_prefix_length_decides_and_ignores_case() -> None:
    assert naming("fb10", "FB101", "x") == naming("FB10", "FB101", "x") == 4
    assert naming("x", "FB101", "x") == 5
    assert active(Selection(select=("fb1",), ignore=("fb101",))) == ["FB102"]
