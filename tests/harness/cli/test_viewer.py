"""`pertask view` in a real headless Chromium: the runs list, a summary whose figures are `report --json`'s, a
filter, a transcript with its failed checks and formatted tool calls, and a run that updates while it writes."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from tests.conftest import PERTASK, ROOT, run_json, subprocess_env
from tests.results.test_html_report import CHROMIUM, DRIVER, browser  # noqa: F401 (the fixture)

SCRIPTED_SPEC = f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}"
SCRIPTED = "scripted:scripted-smoke"  # what the run names it: its file's name
PRICES = str(ROOT / "examples" / "scripted-prices.toml")
assert CHROMIUM and DRIVER  # the module above skips (or fails under PERTASK_REQUIRE_BROWSER) without them


@pytest.fixture
def viewer(tmp_path):
    from results.viewer_server import start_in_thread

    runs = tmp_path / "runs"
    runs.mkdir()
    server, url = start_in_thread(runs)
    yield runs, url
    server.shutdown()


def _wait(fn, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = fn()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError("timed out waiting in the browser")


def _cells(row):
    from selenium.webdriver.common.by import By

    return [td.text for td in row.find_elements(By.TAG_NAME, "td")]


def test_runs_summary_filter_and_a_transcript_with_its_failed_checks(viewer, browser, cli):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    runs, url = viewer
    run_json(cli, "run", "--suite", "smoke", "--model", "oracle", "--model", SCRIPTED_SPEC, "--prices", PRICES,
             "--out", runs / "first")
    report = run_json(cli, "report", runs / "first")
    browser.get(url + "#first")
    rows = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#runs tbody tr"))
    assert _cells(rows[0]) == ["first", "10/10", "complete"]
    summary = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#summary tbody tr"))
    for tr, m in zip(summary, report["models"], strict=True):  # the figures of report --json, as it writes them
        cells = _cells(tr)
        assert cells[0] == m["model"] and cells[1] == str(m["n_samples"])
        assert cells[2].startswith(f"{round(m['accuracy'] * 100)}%") and f"${m['usd_per_task']:.4f}" in cells[3]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#samples tbody tr")) == 10
    Select(browser.find_element(By.ID, "f-model")).select_by_value(SCRIPTED)
    Select(browser.find_element(By.ID, "f-passed")).select_by_value("fail")
    failed = browser.find_elements(By.CSS_SELECTOR, "#samples tbody tr")
    want = [s for s in report_samples(runs / "first") if s["model"] == SCRIPTED and not s["passed"]]
    assert len(failed) == len(want) > 0 and all(_cells(r)[0] == SCRIPTED for r in failed)
    failed[0].click()
    checks = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#checks li.fail"))
    sample = next(s for s in want if s["sample_id"] == failed[0].get_attribute("data-sample"))
    bad = [c for c in sample["grader"]["checks"] if not c["passed"]]
    assert [li.text.rstrip() for li in checks] == [(f"✗ {c['name']}" + (f": {c['message']}" if c["message"] else "")).rstrip()
                                          for c in bad]
    calls = [n for n in browser.find_elements(By.CSS_SELECTOR, "#t-body .note") if n.text.startswith("tool call: ")]
    args = [p.text for p in browser.find_elements(By.CSS_SELECTOR, "#t-body .msg pre.code")]
    assert calls and args and not any("\\n" in a for a in args), "tool arguments as text, not one-line escaped JSON"
    # The score as a reader takes it in; each model call's dollars and tokens beside the message it gave.
    title = browser.find_element(By.ID, "t-title").text
    assert f"score {sample['score']:.2f} ·" in title, title
    spent = [n.text for n in browser.find_elements(By.CSS_SELECTOR, "#t-body .call")]
    assert len(spent) == sample["turns"] and all(t.startswith("$0.00") and " out" in t for t in spent), spent
    # The sample has an address: opened from it, the page shows that transcript.
    address = browser.current_url
    assert "?sample=" in address
    browser.get("about:blank")
    browser.get(address)
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#checks li.fail"))
    assert browser.find_element(By.ID, "t-title").text == title
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def report_samples(run_dir):
    return [json.loads(x) for x in (run_dir / "samples.jsonl").read_text().splitlines() if x.strip()]


def test_a_run_that_is_still_writing_updates_in_the_page(viewer, browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    runs, url = viewer
    script = json.loads((ROOT / "examples" / "scripted-smoke.json").read_text())
    for conv in script["conversations"]:
        for turn in conv["turns"]:
            turn["delay_s"] = 0.6  # a slow model: samples finish one by one
    path = tmp_path / "slow.json"
    path.write_text(json.dumps(script))
    proc = subprocess.Popen([*PERTASK, "run", "--suite", "smoke", "--model", f"scripted:{path}", "--prices", PRICES,
                             "--concurrency", "1", "--out", str(runs / "live")], cwd=ROOT, env=subprocess_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        browser.get(url + "#live")
        _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#run-note .badge"))  # "live" while it writes
        seen = set()

        def count():
            n = len(browser.find_elements(By.CSS_SELECTOR, "#samples tbody tr"))
            seen.add(n)
            return n == 5

        _wait(count, 90)
        assert len(seen - {0}) >= 2, f"the page showed the samples arrive, not only the end: {seen}"
        _wait(lambda: "complete" in browser.find_element(By.ID, "run-note").text, 30)
    finally:
        proc.wait(60)
    assert proc.returncode == 0


def test_the_viewer_answers_only_pages_it_served(viewer, cli):
    """A web page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) sends its own Host header:
    it gets no run, no transcript."""
    import urllib.error
    import urllib.request

    runs, url = viewer
    run_json(cli, "run", "--suite", "smoke", "--task", "fix-median", "--model", "oracle", "--out", runs / "r")
    port = url.rsplit(":", 1)[1].strip("/")
    ok = urllib.request.urlopen(urllib.request.Request(url + "api/runs"), timeout=10)
    assert ok.status == 200 and json.loads(ok.read())[0]["id"] == "r"
    for host in (f"evil.example:{port}", "127.0.0.1:1", "evil.example"):
        req = urllib.request.Request(url + "api/runs/r/samples", headers={"Host": host})
        with pytest.raises(urllib.error.HTTPError) as got:
            urllib.request.urlopen(req, timeout=10)
        assert got.value.code == 403 and b"forbidden host" in got.value.read()
