"""What a decision-maker could misread is left out of a report: published claims about models the runs never
included (they are in `pertask claims`), a node line for runs that had no node, a samples/s rate over several runs
that would count the time between them, and the same warning once per run."""

from __future__ import annotations

import json

from tests.conftest import ROOT, run_json

SCRIPT = ROOT / "examples" / "scripted-smoke.json"


def test_a_report_of_two_api_runs_says_nothing_it_did_not_measure(cli, tmp_path):
    runs = [tmp_path / "first", tmp_path / "second"]
    for out in runs:
        run_json(cli, "run", "--suite", "smoke", "--model", f"scripted:{SCRIPT}", "--model", "oracle", "--out", out)
    md, page = tmp_path / "r.md", tmp_path / "r.html"
    code, text, err = cli("report", *runs, "--markdown", md, "--html", page)
    assert code == 0, err
    flat = " ".join(text.split())
    # No claim: the runs include none of their models (the JSON contract still carries them all).
    assert "claim" not in flat.lower() and "Published claims" not in page.read_text()
    assert json.loads(cli("report", *runs, "--json")[1])["claims"]
    # No node: these runs called an API and the oracle.
    assert "node:" not in md.read_text() and "× ?" not in page.read_text()
    # One rate per run, never one over both.
    assert "samples/s over" in flat and "(first)" in flat and "(second)" in flat, flat
    # The model's missing price, said once for both runs.
    warned = [w for w in flat.split("warning: ")[1:] if "price unknown" in w]
    assert len(warned) == 1 and "2 runs (first, second)" in warned[0], warned
    code, listed, _ = cli("claims")
    assert code == 0 and "as stated:" in listed and "recomputed:" in listed
