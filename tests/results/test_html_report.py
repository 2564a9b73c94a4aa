"""The HTML report in a real headless Chromium (Debian's chromium + chromedriver): it renders
the table and the plot with no console errors, and a click opens a transcript."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    if os.environ.get("PERTASK_REQUIRE_BROWSER"):  # `make test` installs them: there a missing browser is a failure
        raise RuntimeError("chromium and chromedriver are required (scripts/setup.sh dev installs them)")
    pytest.skip("chromium/chromedriver not installed (scripts/setup.sh dev installs them)", allow_module_level=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    from harness.cli import main

    tmp = tmp_path_factory.mktemp("html")
    out = tmp / "run"
    code = main(["run", "--suite", "smoke", "--model", "oracle", "--model",
                 f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}", "--prices",
                 str(ROOT / "examples" / "scripted-prices.toml"), "--epochs", "2", "--out", str(out)])
    assert code == 0
    page = tmp / "report.html"
    assert main(["report", str(out), "--html", str(page)]) == 0
    return page


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        opts.add_argument(arg)
    opts.binary_location = CHROMIUM
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def test_page_renders_offline_without_errors(report, browser, tmp_path):
    from selenium.webdriver.common.by import By

    html = report.read_text()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html, "no CDN, no network"
    browser.get(report.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#summary tbody tr")
    assert [r.find_elements(By.TAG_NAME, "td")[0].text for r in rows][0] == "oracle" and len(rows) == 2
    points = browser.find_elements(By.CSS_SELECTOR, "#cost-accuracy circle.point")
    assert len(points) == 2 and browser.find_elements(By.CSS_SELECTOR, "#cost-accuracy circle.front")
    assert browser.find_elements(By.CSS_SELECTOR, "#token-mix rect.seg")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#per-task tbody tr")) == 5
    assert len(browser.find_elements(By.CSS_SELECTOR, "a.sample")) == 5 * 2 * 2  # tasks x models x epochs
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    browser.save_screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_a_click_opens_the_transcript(report, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    viewer = browser.find_element(By.ID, "viewer")
    assert not viewer.is_displayed()
    mark = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.sample")
                if a.get_attribute("data-sample").startswith("scripted:"))
    mark.click()
    assert viewer.is_displayed()
    text = browser.find_element(By.ID, "viewer-body").text
    assert "ASSISTANT" in text and "TOOL" in text and "call 1:" in text and "$" in text
    browser.save_screenshot(str(tmp_path / "transcript.png"))
    browser.find_element(By.ID, "viewer-close").click()
    assert not viewer.is_displayed()
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_per_task_table_sorts(report, browser):
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())

    def tasks():
        return [r.find_elements(By.TAG_NAME, "td")[0].text for r in
                browser.find_elements(By.CSS_SELECTOR, "#per-task tbody tr")]

    before = tasks()
    head = browser.find_elements(By.CSS_SELECTOR, "#per-task th")[0]
    head.click()
    asc = tasks()
    head.click()
    assert asc == sorted(before) and tasks() == sorted(before, reverse=True)
