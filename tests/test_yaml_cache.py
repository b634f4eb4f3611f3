"""Parsed rule files are kept by content, and what is read back is checked, never trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from feedback_lint.errors import RuleError
from feedback_lint.rules import BUILTIN_RULES_DIR, load_rules
from feedback_lint.rules.yamlfile import CACHE_VARIABLE, LineDict, LineList, load_yaml

RULE = BUILTIN_RULES_DIR / "person" / "FB101-absolute-language.yml"


def _shape(value: Any) -> Any:
    """A value with every line it carries, for comparing two loads."""
    if isinstance(value, LineDict):
        items = sorted((k, value.key_lines[k], _shape(v)) for k, v in value.items())
        return ("map", value.line, items)
    if isinstance(value, LineList):
        return ("seq", value.line, value.item_lines, [_shape(v) for v in value])
    return (type(value).__name__, value)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(folder))
    return folder


def test_yaml_cache_gives_what_parsing_gives(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_yaml(RULE)
    (entry,) = cache.glob("*.json")
    again = load_yaml(RULE)
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    fresh = load_yaml(RULE)
    assert _shape(again) == _shape(first) == _shape(fresh)
    assert entry.stat().st_size > 0
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    assert load_rules() == load_rules()  # every built-in file, from the cache the second time


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b'["feedback-lint", 1, ["map", "one", []]]',
        b'["feedback-lint", 1, ["map", 1, [["code", 1, ["seq", 2, [[3]]]]]]]',
        b'["feedback-lint", 1, ["map", 1, [["code", true, "FB101"]]]]',
        b'["feedback-lint", 999, "x"]',
        b"\xff\xfe garbage",
        b"[" * 100_000,
    ],
    ids=[
        "empty",
        "not-json",
        "bad-line",
        "short-item",
        "bool-line",
        "other-format",
        "binary",
        "deep",
    ],
)
def test_yaml_cache_ignores_a_damaged_entry(cache: Path, content: bytes) -> None:
    expected = _shape(load_yaml(RULE))
    (entry,) = cache.glob("*.json")
    entry.write_bytes(content)
    assert _shape(load_yaml(RULE)) == expected


def test_yaml_cache_keeps_nothing_it_cannot_hold_and_still_reports_errors(
    cache: Path, tmp_path: Path
) -> None:
    dated = tmp_path / "dated.yml"
    dated.write_text("when: 2026-12-01\n", encoding="utf-8")
    assert str(load_yaml(dated)["when"]) == "2026-12-01"
    broken = tmp_path / "broken.yml"
    broken.write_text("a: [1,\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"broken\.yml"):
        load_yaml(broken)
    assert not list(cache.glob("*.json"))


def test_yaml_cache_in_an_unwritable_place_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))
    assert load_yaml(RULE)["code"] == "FB101"
