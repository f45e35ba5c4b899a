"""The HTML report in a real browser: headless Chromium through chromedriver.

For each sample plan: no console errors, no request leaves the file, the key
sections are visible, the findings filter works, and a full-page screenshot goes
to tests/artifacts/ for a person to look at.

Skipped only when Chromium or chromedriver is missing on a developer's machine;
in CI (CI set) a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLES, run_cli

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SECTIONS = ("verdict", "top-risks", "heatmap", "capacity", "findings", "data-quality")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
MAX_SHOT_HEIGHT = 16000  # px: a full page, within what an image viewer opens


def _binary(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = _binary("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMEDRIVER = _binary("chromedriver")


def _samples() -> list[tuple[str, list[str]]]:
    """(name, audit arguments) for every sample plan, Jira ones included when present."""
    runs = [(p.stem, [str(p)]) for p in sorted(SAMPLES.glob("*.xlsx"))]
    jira = SAMPLES / "jira"
    if jira.is_dir():
        context = [a for c in sorted(jira.glob("*.xlsx")) for a in ("--context", str(c))]
        for plan in sorted(jira.iterdir()):
            if plan.suffix.lower() in (".csv", ".json") or (
                plan.is_dir() and any(plan.glob("*.json"))
            ):
                runs.append((f"jira-{plan.stem}", [str(plan), *context]))
    return runs


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        missing = "chromium" if not CHROMIUM else "chromedriver"
        if os.environ.get("CI"):
            pytest.fail(
                f"{missing} is not installed; CI must run the browser test (apt-get install chromium "
                "chromium-driver)"
            )
        pytest.skip(f"{missing} is not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,1400")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _requested_urls(driver) -> list[str]:
    """What the report's page asked for. Chromium's own new-tab page (chrome:// resources) can
    still be loading in the log on a busy machine: it is the browser's, not the report's."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            params = message["params"]
            if not params.get("documentURL", "").startswith("chrome://"):
                urls.append(params["request"]["url"])
    return urls


@pytest.mark.parametrize("name,args", _samples(), ids=[n for n, _ in _samples()])
def test_report_in_a_browser(browser, tmp_path: Path, name: str, args: list[str]):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    report = tmp_path / f"{name}.html"
    result = run_cli("audit", *args, "-o", str(report), cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    browser.get_log("browser")  # start each page with empty logs
    browser.get_log("performance")
    browser.set_window_size(1280, 1400)
    browser.get(report.as_uri())

    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors
    urls = _requested_urls(browser)
    assert urls, "the performance log saw no request at all"
    outside = [u for u in urls if not u.startswith(("file://", "data:"))]
    assert outside == [], f"requests left the file: {outside}"

    for section in SECTIONS:
        element = browser.find_element(By.ID, section)
        browser.execute_script("arguments[0].scrollIntoView()", element)
        assert element.is_displayed(), section
        assert element.size["height"] > 20, section

    # at a laptop's 1280 px, every rule family of the heat map shows without scrolling sideways
    wide, room = browser.execute_script(
        "const t = document.querySelector('#heatmap table'); return [t.scrollWidth, t.parentElement.clientWidth]"
    )
    assert wide <= room, f"the heat map is {wide} px wide in {room} px"

    cards = browser.find_elements(By.CSS_SELECTOR, "details.finding")
    count = browser.find_element(By.ID, "f-count")
    if cards:
        assert browser.find_element(By.ID, "filters").is_displayed()
        assert count.text == f"{len(cards)} of {len(cards)} shown"
        severity = Select(browser.find_element(By.ID, "f-sev"))
        choice = min(severity.options[1:], key=lambda o: int(o.text.split("(")[1].rstrip(")")))
        expected = int(choice.text.split("(")[1].rstrip(")"))
        severity.select_by_value(choice.get_attribute("value") or "")
        visible = [c for c in cards if c.is_displayed()]
        assert len(visible) == expected and count.text == f"{expected} of {len(cards)} shown"
        assert all(
            c.get_attribute("data-severity") == choice.get_attribute("value") for c in visible
        )
        if expected < len(cards):
            assert len(visible) < len(cards)
        # a team filter narrows further; reset brings everything back
        Select(browser.find_element(By.ID, "f-team")).select_by_index(1)
        browser.find_element(By.ID, "f-reset").click()
        assert count.text == f"{len(cards)} of {len(cards)} shown"
        # sorting by team puts the cards in team order
        Select(browser.find_element(By.ID, "f-sort")).select_by_value("team")
        order = [
            c.get_attribute("data-team") or "~"
            for c in browser.find_elements(By.CSS_SELECTOR, "#finding-list details.finding")
        ]
        assert order == sorted(order)
        browser.find_element(By.ID, "f-reset").click()
        # a heat-map cell shows the findings behind it
        cell = browser.find_elements(By.CSS_SELECTOR, "td.cell a[data-show-team]")
        if cell:
            browser.execute_script("arguments[0].click()", cell[0])
            team, fam = (
                cell[0].get_attribute("data-show-team"),
                cell[0].get_attribute("data-show-family"),
            )
            shown = [c for c in cards if c.is_displayed()]
            assert shown and all(
                team in c.get_attribute("data-teams").split("|")
                and c.get_attribute("data-family") == fam
                for c in shown
            )
            browser.find_element(By.ID, "f-reset").click()
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors

    ARTIFACTS.mkdir(exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(MAX_SHOT_HEIGHT, height + 120))
    assert browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    browser.set_window_size(1280, 1400)


WIDTHS = (390, 1280)  # a phone, a laptop


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name,args", _samples(), ids=[n for n, _ in _samples()])
def test_report_on_any_screen(browser, tmp_path: Path, name: str, args: list[str], width: int):
    """No sideways scroll; every section heading clears the sticky bar after its nav link is
    followed; the actions table names the owner of each action."""
    from selenium.webdriver.common.by import By

    report = tmp_path / f"{name}.html"
    result = run_cli("audit", *args, "-o", str(report), cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    browser.set_window_size(width, 900)
    browser.get(report.as_uri())
    try:
        inner, wide = browser.execute_script(
            "return [innerWidth, document.scrollingElement.scrollWidth]"
        )
        assert wide <= inner, f"the page scrolls sideways at {width} px: {wide} px wide"

        links = browser.find_elements(By.CSS_SELECTOR, ".topbar nav a")
        assert links
        for link in links:
            target = link.get_attribute("hash")
            browser.execute_script("arguments[0].click()", link)
            top, bar, height = browser.execute_script(
                "const s = document.querySelector(arguments[0]); const h = s.querySelector('h2') || s;"
                "return [h.getBoundingClientRect().top,"
                " document.querySelector('.topbar').getBoundingClientRect().bottom,"
                " innerHeight]",
                target,
            )
            assert bar <= top < height, (
                f"{target}'s heading is at {top} px, the sticky bar ends at {bar} px"
            )

        browser.execute_script("window.scrollTo(0, 0)")
        if browser.find_elements(By.CSS_SELECTOR, "#advice table.actions"):
            heads = [
                h.get_attribute("textContent").strip()
                for h in browser.find_elements(By.CSS_SELECTOR, "#advice table.actions thead th")
            ]
            assert heads[0] == "owner", heads
            owners = browser.find_elements(By.CSS_SELECTOR, "#advice table.actions th.owner")
            assert owners and all(o.is_displayed() and o.text for o in owners)
        ARTIFACTS.mkdir(exist_ok=True)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(MAX_SHOT_HEIGHT, height + 120))
        assert browser.save_screenshot(str(ARTIFACTS / f"{name}-{width}px.png"))
    finally:
        browser.set_window_size(1280, 1400)


# Everything after the pre-read: hidden to measure the pre-read alone (it starts the appendix on a new page)
APPENDIX = (
    "#appendix",
    "#appendix ~ *",
    "#top-risks",
    "#heatmap",
    "#org",
    "#dependencies",
    "#findings",
    "#data-quality",
    "#teams",
    "main > footer",
)
PRE_READ_PAGES = (
    4  # A4 pages for the verdict, the actions by owner, capacity and delivery of the sample
)


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF Chromium printed: its page objects (its page tree's /Count when they are packed away)."""
    import re

    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    return pages or max(counts, default=0)


def _print_pdf(html: Path, pdf: Path) -> int:
    import subprocess

    assert CHROMIUM is not None  # the tests that print are skipped without it

    subprocess.run(
        [CHROMIUM, *FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert pdf.is_file() and pdf.stat().st_size > 0, "Chromium printed no PDF"
    return pdf_pages(pdf.read_bytes())


def test_the_print_layout_starts_with_a_short_pre_read(browser, tmp_path: Path):
    """Printed, the sample's first pages hold the verdict, the actions by owner, capacity and delivery;
    the full findings follow as an appendix. Page counts from PDFs Chromium prints."""
    from .conftest import SAMPLES

    report = tmp_path / "northwind.html"
    result = run_cli("audit", str(SAMPLES / "northwind-2026-Q3.xlsx"), "-o", str(report), cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    html = report.read_text(encoding="utf-8")
    assert 'id="appendix"' in html
    pre_read = tmp_path / "pre-read.html"
    pre_read.write_text(
        html.replace(
            "</head>",
            "<style>@media print { "
            + ", ".join(APPENDIX)
            + " { display: none !important; } }</style></head>",
            1,
        ),
        encoding="utf-8",
    )
    whole = _print_pdf(report, tmp_path / "whole.pdf")
    first = _print_pdf(pre_read, tmp_path / "pre-read.pdf")
    print(f"Northwind printed on A4: pre-read {first} pages, whole report {whole} pages")
    assert 1 <= first <= PRE_READ_PAGES, first
    assert whole > first

    # in print the pre-read comes first: verdict, actions, capacity, delivery, then the appendix
    browser.get(report.as_uri())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        tops = browser.execute_script(
            "return arguments[0].map(s => document.querySelector(s).getBoundingClientRect().top)",
            [
                "#verdict",
                "#advice",
                "#capacity",
                "#forecast",
                "#appendix",
                "#top-risks",
                "#findings",
            ],
        )
        assert tops == sorted(tops), tops
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
