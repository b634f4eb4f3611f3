"""The page at GET /, in a real browser: Debian's Chromium driven by Playwright.

The browser tests are skipped, saying why, only when /usr/bin/chromium is absent
(``.ci/run`` installs it) or Playwright is not installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed")

import httpx

from feedback_lint.server import STATIC_DIR, create_app, serving

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DRAFT = (
    "Great work on the demo 🎉! You always miss deadlines and you are lazy.\n\n"
    "Next time, please send the report by Friday so the team can plan."
)

browser = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: apt-get install chromium"
)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """The base URL of the service, started on a free loopback port for this module."""
    with serving(create_app(), host="127.0.0.1") as base:
        yield base


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: apt-get install chromium")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        browser_context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=LAUNCH_ARGS,
            viewport={"width": 1100, "height": 900},
        )
        try:
            yield browser_context
        finally:
            browser_context.close()


@pytest.fixture
def page(context: BrowserContext, url: str) -> Iterator[Page]:
    """The page at GET /, with every request it makes recorded in ``page.requested``."""
    tab = context.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(f"{url}/")
    tab.requested = requested  # type: ignore[attr-defined]
    try:
        yield tab
    finally:
        tab.close()


def _check(page: Page, draft: str) -> None:
    page.locator("#draft").fill("")
    page.locator("#draft").press_sequentially(draft[:20])
    page.locator("#draft").fill(draft)
    page.locator("#check").click()
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_function("document.getElementById('check').disabled === false")


def _api(url: str, draft: str) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.post(f"{url}/v1/lint", json={"text": draft}, timeout=60).json()
    return answer


@browser
def test_page_highlights_findings_with_messages_and_rewrites(page: Page, url: str) -> None:
    _check(page, DRAFT)
    marks = page.locator("#highlighted mark.finding").all_inner_texts()
    assert "You always miss" in marks
    assert "you are lazy" in marks
    assert page.locator("#highlighted").inner_text().replace("\n", "") == DRAFT.replace("\n", "")
    findings = _api(url, DRAFT)["files"][0]["findings"]
    items = page.locator("#findings li")
    assert items.count() == len(findings)
    listed = page.locator("#findings").inner_text()
    for finding in findings:
        assert finding["message"] in listed
        for suggestion in finding["suggestions"]:
            assert suggestion["replacement"].strip() in listed
    verdict = page.locator("#verdict")
    assert re.search(r"verdict-(review|block)", verdict.get_attribute("class") or "")


@browser
def test_page_shows_the_units_checklist(page: Page, url: str) -> None:
    _check(page, DRAFT)
    signals = _api(url, DRAFT)["files"][0]["units"][0]["signals"]
    checklist = page.locator("#checklist")
    for name, spans in signals.items():
        if name in ("criticism", "commentary"):
            continue
        item = checklist.locator(f"li[data-signal='{name}']")
        assert item.count() == 1
        assert item.get_attribute("class") == ("present" if spans else "missing")
    if "next-step" in signals:
        text = checklist.inner_text()
        assert "Next step" in text
        assert "Next time" in text


@browser
def test_page_says_why_commentary_gets_no_checklist(page: Page, url: str) -> None:
    text = "The government keeps raising taxes before the election, and the voters notice."
    (unit,) = _api(url, text)["files"][0]["units"]
    assert unit["signals"]["commentary"]
    _check(page, text)
    checklist = page.locator("#checklist")
    assert checklist.locator("li[data-signal='commentary']").count() == 0
    assert "comments on public life" in checklist.locator("p.commentary").inner_text()


@browser
def test_page_clean_draft_is_ok_and_everything_stays_local(page: Page, url: str) -> None:
    _check(page, "Thanks for fixing the login bug yesterday; the release went out on time.")
    assert page.locator("#highlighted mark").count() == 0
    assert page.locator("#no-findings").is_visible()
    assert "ok" in page.locator("#verdict").inner_text()
    requested: list[str] = page.requested  # type: ignore[attr-defined]
    assert requested
    assert all(address.startswith((url, "data:")) for address in requested)


def test_page_assets_are_served_and_nothing_is_external(url: str) -> None:
    html = httpx.get(f"{url}/", timeout=30).text
    assert '<textarea id="draft"' in html
    for name in ("page.js", "page.css"):
        response = httpx.get(f"{url}/static/{name}", timeout=30)
        assert response.status_code == 200
    for path in STATIC_DIR.glob("*.[hjc]*"):
        text = path.read_text("utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path
        assert "@import" not in text and "fetch('http" not in text, path
