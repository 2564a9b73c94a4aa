"""Speed and reliability per model spec, through the CLI, against scripted providers that inject known faults: every
sample's calls meet a rate limit with Retry-After, a 503, a dropped connection, a tool call whose arguments do not
parse and an answer cut off by the length limit; another provider answers cleanly after known delays. The report
recovers the injected counts exactly and the latency within its interval, in every format."""

from __future__ import annotations

import csv
import json

from tests.conftest import load_samples, run_json

# The built-in agent's turns on each smoke task: one fault or flaw per turn, at known rates per call. (A fault fires
# once per conversation: one conversation per task.)
MATCHES = ["wrong medians", "slugify(text", "ledger totals", "launch-planning", "budget-versus-actuals"]
TURNS = [
    {"tool_calls": [{"name": "bash", "arguments": {"command": "ls"}}], "fault": "http_429", "retry_after_s": 0.05},
    {"tool_calls": [{"name": "bash", "arguments": "{not json"}], "fault": "http_503", "fault_times": 2},  # a burst
    {"tool_calls": [{"name": "bash", "arguments": {"command": "true"}}], "fault": "drop", "finish_reason": "length"},
    {"tool_calls": [{"name": "submit", "arguments": {}}]},
]
FAULTY = {"model": "faulty", "conversations": [{"match": m, "turns": TURNS} for m in MATCHES]}
DELAYS = [0.1, 0.2, 0.3, 0.4]
STEADY = {"model": "steady", "default": [
    *({"tool_calls": [{"name": "bash", "arguments": {"command": "true"}}], "delay_s": d} for d in DELAYS[:-1]),
    {"tool_calls": [{"name": "submit", "arguments": {}}], "delay_s": DELAYS[-1]},
]}


def test_injected_faults_and_latencies_are_recovered_in_every_report_format(cli, tmp_path, write_script):
    faulty, steady = write_script(FAULTY, "faulty.json"), write_script(STEADY, "steady.json")
    out = tmp_path / "run"
    summary = run_json(cli, "run", "--suite", "smoke", "--model", f"scripted:{faulty}", "--model", f"scripted:{steady}",
                       "--concurrency", "5", "--out", out)
    assert len(load_samples(out)) == 10
    m = {x["model"]: x["speed"] for x in summary["models"]}
    bad, good = m["scripted:faulty"], m["scripted:steady"]  # named by their files
    # 5 samples of 4 calls: a rate limit, a burst of two 503s and a dropped connection in each, 4 retries a sample.
    assert bad["calls"] == 20 and bad["retries_by_cause"] == {"rate_limit": 5, "server_error": 10, "unreachable": 5}
    assert bad["retries"]["per_100"] == 100.0 and bad["cut_off"]["per_100"] == 25.0
    assert bad["bad_tool_calls"]["per_100"] == 25.0 and bad["refused"]["per_100"] == 0.0
    assert bad["rate_limit_wait_s"] >= 5 * 0.05  # each waited at least its Retry-After
    assert good["retries"]["per_100"] == 0.0 and good["retries_by_cause"] == {} and good["cut_off"]["per_100"] == 0.0
    # The steady provider's latencies are its delays plus the loopback: the median of 0.1-0.4 s is 0.25 s.
    lat = good["latency_s"]
    # (a busy 2-core machine adds up to ~0.1 s of its own to a call)
    assert 0.25 <= lat["p50"] < 0.4 and lat["p50_ci"][0] <= lat["p50"] <= lat["p50_ci"][1], lat
    assert 0.4 <= lat["p95"] < 0.6, lat
    # The same figures in Markdown, CSV and HTML, and on the terminal.
    md, table, page = tmp_path / "r.md", tmp_path / "r.csv", tmp_path / "r.html"
    code, text, err = cli("report", out, "--markdown", md, "--csv", table, "--html", page)
    assert code == 0, err
    assert "speed and reliability" in text and "100.0" in text
    section = md.read_text().split("**Speed and reliability**")[1]
    row = next(r for r in section.splitlines() if r.startswith("| scripted:") and "faulty" in r)
    assert "| 20 |" in row and "| 100.0 [" in row and "| 25.0 [" in row, row
    rows = {r["model"]: r for r in csv.DictReader(table.open())}
    faulty_row, steady_row = rows["scripted:faulty"], rows["scripted:steady"]
    assert float(faulty_row["retries_per_100"]) == 100.0 and faulty_row["retries_rate_limit"] == "5"
    assert float(steady_row["latency_s_p50_low"]) <= float(steady_row["latency_s_p50"])
    assert "Speed and reliability" in page.read_text() and "5 rate limit, 10 server error, 5 unreachable" in page.read_text()
    assert json.loads((out / "samples.jsonl").read_text().splitlines()[0])["usage"]["retries"] is not None


def test_a_stream_cut_short_is_retried_and_counted_and_time_to_first_token_measured(cli, tmp_path, write_script):
    """Streamed: every sample's first answer is cut before its end (the SSE stream closes early) once."""
    turns = [{**TURNS[0], "fault": "truncated_stream", "delay_s": 0.05}, *TURNS[3:]]
    script = write_script({"model": "cut", "conversations": [{"match": m, "turns": turns} for m in MATCHES]})
    summary = run_json(cli, "run", "--suite", "smoke", "--model", f"scripted:{script}", "--stream", "--out",
                       tmp_path / "run")
    (m,) = summary["models"]
    sp = m["speed"]
    assert sp["calls"] == 10 and sp["retries_by_cause"] == {"dropped": 5} and sp["retries"]["per_100"] == 50.0
    assert sp["ttft_s"]["n"] == 10 and sp["ttft_s"]["p50"] is not None
