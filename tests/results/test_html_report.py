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
    # The oracle (the tasks' solutions) is a reference, drawn hollow and never on the front a buyer reads as winners.
    (ref,) = browser.find_elements(By.CSS_SELECTOR, "#cost-accuracy circle.reference")
    assert ref.get_attribute("data-model") == "oracle" and "front" not in ref.get_attribute("class")
    assert browser.find_elements(By.CSS_SELECTOR, "#token-mix rect.seg")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#per-task tbody tr")) == 5
    assert len(browser.find_elements(By.CSS_SELECTOR, "a.sample")) == 5 * 2 * 2  # tasks x models x epochs
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    # A laptop's screen (1280 px) shows the per-model tables whole: neither scrolls sideways, nor does the page.
    browser.set_window_size(1280, 900)
    for table in ("summary", "tokens"):
        scroll, width = browser.execute_script(
            f"var t = document.getElementById('{table}'); return [t.scrollWidth, t.clientWidth];")
        assert scroll <= width, (table, scroll, width)
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    browser.set_window_size(1400, 1000)
    browser.save_screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_a_click_opens_the_transcript(report, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    viewer = browser.find_element(By.ID, "viewer")
    assert not viewer.is_displayed()
    mark = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.sample")
                if a.get_attribute("data-sample").split(":", 1)[1].startswith("scripted:"))  # RUN:SAMPLE
    mark.click()
    assert viewer.is_displayed()
    text = browser.find_element(By.ID, "viewer-body").text
    assert "ASSISTANT" in text and "TOOL" in text and "call 1:" in text and "$" in text
    assert "grade:" not in text and "{" not in text.split("\n")[0], "the grade in words, not raw JSON"
    checks = browser.find_elements(By.CSS_SELECTOR, "#viewer-body ul.checks li")
    assert checks and all(li.text[:1] in "✓✗" for li in checks), "which hidden checks passed and failed"
    assert "\\n" not in text, "tool arguments as text, not one-line escaped JSON"
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


def test_servers_replicas_load_and_placement(fake, browser, tmp_path):
    """Two scripted servers as replicas of one self-hosted model (they expose vLLM's /metrics series): the page has
    the server row with its node price and busy share, a row per replica, the load chart, and where it ran."""
    from selenium.webdriver.common.by import By

    from harness.cli import main
    from tests.conftest import SUBMIT, bash
    from tests.harness.run.test_resume import TASK_MATCH

    usage = {"prompt_tokens": 200, "completion_tokens": 20}
    turns = [{"tool_calls": [bash("ls")], "usage": usage, "delay_s": 0.4}] * 2 + [{**SUBMIT, "usage": usage}]
    a, b = (fake({"model": "m", "api_key": None, "conversations": [{"match": m, "turns": turns}
                                                                  for m in TASK_MATCH.values()]}) for _ in range(2))
    out, page = tmp_path / "run", tmp_path / "report.html"
    assert main(["run", "--suite", "smoke", "--model", f"vllm:m@{a.url},{b.url}#preset=generic,protocol=tools",
                 "--concurrency", "2", "--no-preflight", "--scrape-every", "0.25", "--gpus", "2",
                 "--gpu-hour-usd", "3.59", "--out", str(out)]) == 0
    assert main(["report", str(out), "--html", str(page)]) == 0
    browser.get(page.as_uri())
    (row,) = browser.find_elements(By.CSS_SELECTOR, "#servers tbody tr")
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert cells[-2] == "2 × $3.59/h" and cells[-1].startswith("$") and cells[-3].endswith("%"), cells
    replicas = browser.find_elements(By.CSS_SELECTOR, "#replicas tbody tr")
    assert sorted(r.find_elements(By.TAG_NAME, "td")[1].text for r in replicas) == sorted([a.url, b.url])
    assert sum(int(r.find_elements(By.TAG_NAME, "td")[3].text) for r in replicas) == 5, "samples per replica add up"
    assert browser.find_elements(By.CSS_SELECTOR, "svg.server-load rect.running")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.server-load polyline.gen")
    (cost,) = browser.find_elements(By.CSS_SELECTOR, "ul.node-cost li")
    assert cost.text.startswith("node cost of ") and "2 GPU(s) × $3.59/h" in cost.text and "s serving" in cost.text
    (where,) = browser.find_elements(By.CSS_SELECTOR, "#placement li")
    assert where.text.startswith("local on ") and where.text.endswith(": 5 sample(s)")
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    browser.save_screenshot(str(tmp_path / "servers.png"))


def test_plots_keep_zero_cost_apart_even_decades_and_no_label_clipped_or_overlapping(report, browser):
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    box = lambda sel: browser.execute_script(  # noqa: E731
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => {const b = e.getBoundingClientRect(), "
        "s = e.ownerSVGElement.getBoundingClientRect(); "  # on screen, transforms (the rotated axis title) included
        "return [b.x - s.x, b.y - s.y, b.width, b.height, e.textContent]})", sel)
    strip = browser.find_element(By.CSS_SELECTOR, "#cost-accuracy rect.zero-strip")
    x0, w0 = float(strip.get_attribute("x")), float(strip.get_attribute("width"))
    oracle = browser.find_element(By.CSS_SELECTOR, '#cost-accuracy circle[data-model="oracle"]')
    assert x0 <= float(oracle.get_attribute("cx")) <= x0 + w0, "the $0 model sits in its strip, off the log axis"
    ticks = [b[0] + b[2] / 2 for b in box("#cost-accuracy text.decade")]
    gaps = [round(b - a, 1) for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) >= 2 and max(gaps) - min(gaps) <= 0.5, f"decades evenly spaced: {gaps}"
    for sel, width in (("#cost-accuracy text", 680), ("#token-mix text", 640)):
        for x, _, w, _, text in box(sel):
            assert x >= 0 and x + w <= width + 0.5, f"{text!r} is cut at the edge of {sel}"
    legend = sorted(box("#token-mix text.tick"))
    for (x1, _, w1, _, t1), (x2, _, _, _, t2) in zip(legend, legend[1:], strict=False):
        assert x1 + w1 <= x2, f"legend labels {t1!r} and {t2!r} overlap"


def test_no_string_a_model_writes_can_break_the_page(cli, browser, tmp_path):
    """A model's message is embedded in the page's data: "<!--<script>" would put the browser's parser into its
    "script data double escaped" state and "</script>" would end the element, each taking the transcripts and
    the table's sorting down for every model in the report."""
    import json

    from selenium.webdriver.common.by import By

    breaker = "<!--<script> </script><script>document.title='pwned'</script> \u2028 &amp;"
    script = tmp_path / "s.json"
    script.write_text(json.dumps({"model": "breaker", "default": [{"content": breaker, "tool_calls": [
        {"name": "bash", "arguments": {"command": f"echo '{breaker}'"}}]}, {"tool_calls": [{"name": "submit"}]}]}))
    out, page = tmp_path / "run", tmp_path / "report.html"
    assert cli("run", "--suite", "smoke", "--task", "fix-median", "--task", "csv-totals", "--model", "oracle",
               "--model", f"scripted:{script}", "--out", out)[0] == 0
    assert cli("report", out, "--html", page)[0] == 0
    browser.get(page.as_uri())
    assert browser.title == "pertask report"
    mark = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.sample") if "scripted:" in a.get_attribute("data-sample"))
    mark.click()
    assert breaker.split(" \u2028")[0] in browser.find_element(By.ID, "viewer-body").text  # shown as text, whole
    browser.find_element(By.ID, "viewer-close").click()
    head = browser.find_elements(By.CSS_SELECTOR, "#per-task th")[0]
    head.click()
    rows = [r.find_elements(By.TAG_NAME, "td")[0].text for r in browser.find_elements(By.CSS_SELECTOR, "#per-task tbody tr")]
    assert rows == sorted(rows) and len(rows) == 2
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
