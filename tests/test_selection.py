"""flake8's select/ignore semantics: prefixes, the longer prefix wins, ties ignore."""

from __future__ import annotations

import pytest

from feedback_lint.errors import ConfigError
from feedback_lint.findings import Severity
from feedback_lint.rules import Rule
from feedback_lint.selection import Selection


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
