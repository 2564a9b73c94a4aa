"""Providers of one model side by side, through the CLI: three scripted providers of "GLM-5.2" (one named otherwise
and grouped by `#model_id=`), one slow, one that rate-limits every sample's first call and charges less. The report
groups them into one table against the reference, in every format, and each verdict names exactly the differences
that were injected — none for a provider that differs only by noise."""

from __future__ import annotations

import copy
import csv
import json

from tests.conftest import ROOT, run_json

PRICES = "".join(f'[[price]]\nprovider = "scripted"\nmodel = "{m}"\ninput = {i}\noutput = {o}\nsource = "test"\n'
                 f'date = "2026-12-01"\n' for m, i, o in (("glm-5.2", 1.0, 3.2), ("zai-org/GLM-5.2-FP8", 0.5, 1.6)))


def provider(model: str, delay: float, fault: str | None = None) -> dict:
    """The smoke demo's moves with fixed usage per turn, each answered after `delay`; `fault` on each first turn."""
    script = copy.deepcopy(json.loads((ROOT / "examples" / "scripted-smoke.json").read_text()))
    script["model"] = model
    for conv in script["conversations"]:
        for i, turn in enumerate(conv["turns"]):
            turn |= {"delay_s": delay, "usage": {"prompt_tokens": 1000, "completion_tokens": 50}}
            if fault and i == 0:
                turn |= {"fault": fault, "retry_after_s": 0.05}
    return script


def test_three_providers_of_one_model_in_one_table_with_verdicts(cli, tmp_path, write_script, monkeypatch):
    fast = write_script(provider("glm-5.2", 0.02), "fast.json")
    slow = write_script(provider("glm-5.2", 0.4), "slow.json")
    other = write_script(provider("zai-org/GLM-5.2-FP8", 0.02, "http_429"), "other.json")
    (tmp_path / "prices.toml").write_text(PRICES)
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", "smoke", "--model", f"scripted:{fast}", "--model", f"scripted:{slow}", "--model",
             f"scripted:{other}#model_id=GLM-5.2", "--model", "oracle", "--prices", tmp_path / "prices.toml",
             "--concurrency", "6", "--out", out)
    code, printed, err = cli("report", out, "--json")
    assert code == 0, err
    (group,) = json.loads(printed)["procurement"]  # the oracle serves no model of theirs: in no group
    assert group["model_id"] == "glm-5.2" and group["reference"] == "scripted:fast"  # each named by its file
    rows = {r["model"].split(":")[-1]: r for r in group["providers"]}
    assert rows["fast"]["reference"] and "verdict" not in rows["fast"]
    assert rows["slow"]["accuracy_diff"] == 0.0 and rows["slow"]["verdict"].endswith(
        "slower ({:.2f} vs {:.2f} s p50)".format(rows["slow"]["speed"]["latency_s"]["p50"],
                                                rows["fast"]["speed"]["latency_s"]["p50"])), rows["slow"]
    verdict = rows["other"]["verdict"]
    assert "cheaper (0.50× $/task)" in verdict and "more retries" in verdict and "slower" not in verdict, verdict
    # With the slow provider as the reference (--baseline), the fast one is the faster.
    code, printed, _ = cli("report", out, "--json", "--baseline", "scripted:slow")
    (group,) = json.loads(printed)["procurement"]
    assert "faster" in next(r["verdict"] for r in group["providers"] if r["model"] == "scripted:fast")
    # Every format: the terminal, Markdown, CSV and HTML.
    md, table, page = tmp_path / "r.md", tmp_path / "r.csv", tmp_path / "r.html"
    code, text, err = cli("report", out, "--markdown", md, "--csv", table, "--html", page)
    # The terminal folds long cells at its width: the title's words, and the retries figure, are there.
    assert code == 0 and "providers of glm-5.2" in " ".join(text.split()) and "27.8" in text, (text, err)
    assert "**Providers of glm-5.2" in md.read_text() and "| reference |" in md.read_text()
    by = {r["model"].split(":")[-1]: r for r in csv.DictReader(table.open())}
    assert by["other"]["model_id"] == "glm-5.2" and float(by["other"]["usd_per_task_diff_vs_reference"]) < 0
    assert by["oracle"]["model_id"] == ""
    # At 80 columns the speed and providers tables are a block per spec: no line passes the width, no figure is cut.
    monkeypatch.setenv("COLUMNS", "80")
    code, narrow, _ = cli("report", out)
    assert code == 0 and max(len(line) for line in narrow.splitlines()) <= 80, narrow
    flat = " ".join(narrow.split())
    assert f"verdict: {verdict.removeprefix('vs scripted:fast: ')}" in flat and "retries /100: 27.8" in flat, narrow
    assert f"latency p50 s: {rows['slow']['speed']['latency_s']['p50']:.2f}" in flat, narrow
    assert "Providers of glm-5.2" in page.read_text() and "more retries" in page.read_text()
