"""The audit report: its counts, its escaping, and the page in a real browser.

The browser test opens the written file in Debian's Chromium (Playwright), as
tests/test_page.py does, and is skipped, saying why, where it is absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

pytest.importorskip("altair", reason="the report extra is not installed")
pytest.importorskip("vl_convert", reason="the report extra is not installed")

from feedback_lint import Linter
from feedback_lint.formatters.json_format import report_json
from feedback_lint.report import Tally, charts, render, write_report

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SECTIONS = ("rules", "severity", "folders", "gaps", "phrases", "worst")
TEXTS = {
    "team-a/alex.md": "You always miss deadlines and you are lazy.\n\nDo better.",
    "team-a/sam.md": "Great job breaking the build again, genius. You never listen.",
    "team-b/priya.md": (
        "In Tuesday's stand-up, the update ran over the slot, so the team lost time. "
        "Next time, please keep it to five minutes."
    ),
    "team-b/kai.md": "What were you thinking? If this happens again, you're off the project.",
    "team-b/mei.md": "Thanks for the careful review of the payments API.",
}


def _finding(code: str, severity: str, text: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"rule-{code}",
        "severity": severity,
        "message": f"{text} is flagged",
        "line": 1,
        "column": 1,
        "text": text,
    }


def _unit(**signals: bool) -> dict[str, Any]:
    return {"start": 0, "end": 1, "signals": {k: [[0, 1]] if v else [] for k, v in signals.items()}}


def test_report_tally_counts_rules_folders_gaps_phrases_and_worst() -> None:
    tally = Tally()
    tally.add(
        {
            "path": "a/one.md",
            "findings": [
                _finding("FB101", "warning", "You  always"),
                _finding("FB201", "error", "x"),
            ],
            "units": [_unit(criticism=True, impact=False, **{"next-step": True})],
        }
    )
    tally.add(
        {
            "path": "b/two.md",
            "findings": [_finding("FB101", "warning", "you always")],
            "units": [_unit(criticism=True, impact=False, **{"next-step": False}), _unit()],
        }
    )
    tally.add({"path": "b/clean.md", "findings": [], "units": [_unit(criticism=False)]})
    tally.add({"path": "b/bad.md", "line": None, "code": "E903", "message": "binary file"})
    assert (tally.files, tally.findings, tally.errors, tally.units) == (3, 3, 1, 4)
    assert tally.by_rule[("FB101", "rule-FB101", "warning")] == 2
    assert tally.by_severity == {"warning": 2, "error": 1}
    assert tally.by_folder == {"a": 2, "b": 1}
    assert tally.files_by_folder == {"a": 1, "b": 2}
    assert tally.critical_units == 2
    assert tally.missing["impact"] == 2 and tally.missing["next-step"] == 1
    assert tally.phrases.most_common(1) == [("you always", 2)]
    assert [ranked.path for ranked in tally.worst] == ["a/one.md", "b/two.md"]
    gaps = {row["lacks"]: row["share"] for row in charts(tally)["gaps"]["data"]["values"]}
    assert gaps["an impact"] == 1.0 and gaps["a next step"] == 0.5


def test_report_escapes_paths_messages_and_phrases() -> None:
    hostile = "</script><script>alert(1)</script>"
    tally = Tally()
    tally.add(
        {
            "path": f"{hostile}.md",
            "findings": [_finding("FB101", "warning", hostile)],
            "units": [],
        }
    )
    tally.add({"path": f"{hostile}.txt", "line": None, "code": "E903", "message": hostile})
    page = render(tally, title=hostile)
    assert "<script>alert(1)" not in page
    assert page.count("</script>") == page.count("<script")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory, linter: Linter) -> Path:
    """A report of real findings, with one unreadable file, written to a temporary folder."""
    tally = Tally()
    for path, text in TEXTS.items():
        tally.add(report_json(linter.lint_text(text, path=path)))
    tally.add({"path": "team-b/binary.txt", "line": None, "code": "E903", "message": "binary"})
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(tally, path)
    return path


@pytest.fixture
def page() -> Iterator[Page]:
    """A tab of a headless Chromium with a fresh profile."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield browser.new_page(viewport={"width": 1100, "height": 900})
        finally:
            browser.close()


def test_report_opens_offline_without_errors_and_draws_a_chart_per_section(
    page: Page, report_file: Path, tmp_path: Path
) -> None:
    problems: list[str] = []
    requested: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: requested.append(request.url))
    page.goto(report_file.as_uri())
    for name in SECTIONS:
        page.wait_for_selector(f"#chart-{name}[data-drawn='true'] svg", timeout=30_000)
    assert problems == []
    assert all(url.startswith(("file:", "data:")) for url in requested), requested
    for name in SECTIONS:
        marks = page.locator(f"#chart-{name} svg .mark-rect path")
        assert marks.count() >= 1, name
    assert page.locator("#rules").inner_text().count("FB1") >= 2
    assert "team-b/binary.txt" in page.locator("#errors").inner_text()
    # A document's link opens its findings.
    first = page.locator("#worst table a").first
    first.click()
    # the page opens it on the hash change, after the click returns
    page.wait_for_function("document.getElementById('doc-0').open", timeout=10_000)
    assert page.locator("#doc-0").get_attribute("open") is not None
    assert "line 1" in page.locator("#doc-0").inner_text()
    folder = Path(os.environ.get("FEEDBACK_LINT_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
