"""A report over several runs never merges them: a model two runs share is one row per run, transcripts are
addressed by run and sample, a task a model did not run says so, and --baseline picks the comparison's side."""

from __future__ import annotations

import json
import re

from tests.conftest import ROOT, run_json

SCRIPTED = f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}"
PRICES = ROOT / "examples" / "scripted-prices.toml"


def _two_runs(cli, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    run_json(cli, "run", "--suite", "smoke", "--model", "oracle", "--model", SCRIPTED, "--prices", PRICES,
             "--epochs", "2", "--out", a)
    run_json(cli, "run", "--suite", "smoke", "--task", "fix-median", "--task", "csv-totals", "--model", "oracle",
             "--model", "null", "--out", b)
    return a, b


def test_two_runs_with_the_same_model_names_stay_apart(cli, tmp_path):
    a, b = _two_runs(cli, tmp_path)
    page = tmp_path / "r.html"
    code, stdout, err = cli("report", a, b, "--json", "--html", page)
    assert code == 0, err
    models = {m["model"]: m for m in json.loads(stdout)["models"]}
    assert models["oracle @ a"]["n_samples"] == 10 and models["oracle @ b"]["n_samples"] == 2, list(models)
    assert "oracle" not in models and models["scripted:scripted-smoke"]["n_samples"] == 10 and models["null"]["n_samples"] == 2
    html = page.read_text()
    data = json.loads(re.search(r'<script type="application/json" id="transcripts">(.*?)</script>', html, re.S)[1])
    marks = re.findall(r'data-sample="([^"]+)"', html)
    assert len(marks) == len(set(marks)) == len(data) == 10 + 10 + 2 + 2, "one transcript per sample, none shared"
    assert any(k.startswith("0:oracle|") for k in data) and any(k.startswith("1:oracle|") for k in data)
    # null ran 2 of the 5 tasks: the other 3 cells of its column say so
    assert html.count('class="notrun"') == 2 * 3, "null and 'oracle @ b' miss 3 tasks each, the scripted model none"


def test_the_baseline_is_chosen_by_flag(cli, tmp_path):
    a, b = _two_runs(cli, tmp_path)
    summary = run_json(cli, "report", a, b, "--baseline", "oracle @ b")
    assert summary["models"][0]["model"] == "oracle @ b"
    assert {c["b"] for c in summary["comparisons"]} == {"oracle @ b"} and len(summary["comparisons"]) == 3
    by_run = run_json(cli, "report", a, b, "--baseline", "b")
    assert by_run["models"][0]["model"] == "oracle @ b", "a run names its first model"
    only = run_json(cli, "report", a, b, "--baseline", "null")
    assert only["models"][0]["model"] == "null"
    code, _, err = cli("report", a, b, "--baseline", "oracle")
    assert code == 2 and "in several runs; name one: oracle @ a, oracle @ b" in err
    code, _, err = cli("report", a, b, "--baseline", "gpt-9")
    assert code == 2 and "--baseline gpt-9: no such model or run" in err
