"""The rule reference in docs/rules/ is generated from the rule files and must be current."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback_lint import ruledocs
from feedback_lint.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "rules"
SECTIONS = ("## What it does", "## Why it matters", "## Example", "## Use instead", "## Fix safety")


def test_ruledocs_are_current(tmp_path: Path) -> None:
    assert ruledocs.main([str(tmp_path)]) == 0
    generated = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    stale = sorted(
        n for n in generated.keys() | committed.keys() if generated.get(n) != committed.get(n)
    )
    assert not stale, f"docs/rules is stale ({', '.join(stale)}); run {ruledocs.COMMAND}"


def test_ruledocs_page_has_every_section_and_every_rule_is_indexed() -> None:
    rules = load_rules()
    pages = ruledocs.generate(rules)
    for rule in rules:
        page = pages[ruledocs.page_name(rule)]
        positions = [page.index(section) for section in SECTIONS]
        assert positions == sorted(positions), rule.code
        assert f"[{rule.name}]({ruledocs.page_name(rule)})" in pages[ruledocs.INDEX]
        assert all(e.text.rstrip("\n") in page for e in rule.examples)


def test_ruledocs_check_reports_stale_and_write_removes_old_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "FB999-gone.md").write_text("old\n", encoding="utf-8")
    assert ruledocs.main(["--check", str(tmp_path)]) == 1
    assert "FB999-gone.md: stale" in capsys.readouterr().err
    assert ruledocs.main([str(tmp_path)]) == 0
    assert not (tmp_path / "FB999-gone.md").exists()
    assert ruledocs.main(["--check", str(tmp_path)]) == 0
