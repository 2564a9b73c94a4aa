"""The published claims beside the catalog's figures and, when the runs include the models, the runs' own."""

from __future__ import annotations

import tomllib

import pytest

from results.claims import CLAIMS, evaluate
from results.prices import Catalog
from tests.conftest import SUBMIT, bash, run_json


def test_every_claim_has_a_source_and_date():
    data = tomllib.loads(CLAIMS.read_text())
    assert len(data["claim"]) >= 4
    for c in data["claim"]:
        assert c["source"] and c["date"] and c["figures"] and c["kind"] in ("usd_per_task", "accuracy", "cheaper", "elo",
                                                                               "hardware")
        # A reader can follow it: a public address, or a plain statement that none was found.
        assert "https://" in c["source"] or "unverified" in c["source"], c["id"]


def test_every_price_cites_a_public_document():
    from results.prices import Catalog

    for e in Catalog.load().entries():
        if e.provider != "pertask":  # the reference models: free by definition
            assert "https://" in e.source and "issue #" not in e.source and e.date, (e.provider, e.model, e.source)


def _mix_usd(cat, provider, model, mix):
    p = cat.lookup(provider, model)
    write = p.cache_write if p.cache_write is not None else p.input  # unpublished: billed as input
    return (mix["input_uncached"] * p.input + mix["input_cached"] * p.cached_input + mix["cache_write"] * write
            + mix["output"] * p.output) / 1e6


def test_the_85_percent_claim_is_recomputed_from_list_prices_and_on_the_stated_mix():
    rows = {r["id"]: r for r in evaluate({"models": []}, {})}
    cheaper = rows["glm-5.2-85pct-cheaper"]
    assert cheaper["as_stated"] == "85% cheaper"
    by = {r["basis"].split(":")[0]: r for r in cheaper["recomputed"]}
    assert by["list output prices"]["figure"] == f"{(1 - 4.40 / 30) * 100:.1f}% cheaper" == "85.3% cheaper"
    assert "glm-5.2 $4.40/M (zai, 2026-11)" in by["list output prices"]["basis"]
    assert by["list input prices"]["figure"] == f"{(1 - 1.40 / 5.00) * 100:.1f}% cheaper"
    mix = tomllib.loads(CLAIMS.read_text())["reference_mix"]
    assert mix["cache_write"] > 0, "the stated mix writes to the cache"
    on_mix = next(r for r in cheaper["recomputed"] if r["basis"].startswith("list prices on the stated reference mix"))
    cat = Catalog.load()
    want = _mix_usd(cat, "openai", "gpt-5.5", mix) / _mix_usd(cat, "zai", "glm-5.2", mix)
    assert on_mix["ratio"]["gpt-5.5"] == pytest.approx(want, rel=1e-3) and "cache-write" in on_mix["basis"]
    assert cheaper["claimed_ratio"]["gpt-5.5"] == pytest.approx(1 / 0.15, rel=1e-3)
    assert not any("measured by these runs" in r["basis"] for r in cheaper["recomputed"])
    ascend = rows["ascend-3x"]
    assert ascend["assumption"] is True and ascend["recomputed"] == [] and "ASSUMPTION, not a check" in ascend["note"]


def test_claims_follow_the_prices_in_force(cli, tmp_path, write_script):
    """report --prices: the recomputed figures use the override, not the built-in catalog."""
    script = {"model": "m", "default": [{**SUBMIT, "usage": {"prompt_tokens": 10, "completion_tokens": 1}}]}
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{write_script(script)}",
             "--out", out)
    prices = tmp_path / "p.toml"
    prices.write_text('[[price]]\nprovider = "zai"\nmodel = "glm-5.2"\ninput = 1.0\ncached_input = 0.2\n'
                      'output = 3.0\ndate = "2026-12"\nsource = "a negotiated rate"\n')
    summary = run_json(cli, "report", out, "--prices", prices)
    row = next(c for c in summary["claims"] if c["id"] == "glm-5.2-85pct-cheaper")
    by = {r["basis"].split(":")[0]: r for r in row["recomputed"]}
    assert by["list output prices"]["figure"] == f"{(1 - 3.0 / 30) * 100:.1f}% cheaper" == "90.0% cheaper"
    assert "glm-5.2 $3.00/M (zai, 2026-12)" in by["list output prices"]["basis"]
    default = next(c for c in run_json(cli, "report", out)["claims"] if c["id"] == "glm-5.2-85pct-cheaper")
    assert default["recomputed"][0]["figure"] == "85.3% cheaper", "without --prices, the built-in catalog"


def test_runs_with_the_models_give_measured_ratios_and_the_terminal_prints_them(cli, tmp_path, write_script):
    prices = tmp_path / "p.toml"
    prices.write_text('[[price]]\nprovider = "scripted"\nmodel = "glm-5.2"\ninput = 1.0\noutput = 3.0\n\n'
                      '[[price]]\nprovider = "scripted"\nmodel = "gpt-5.5"\ninput = 5.0\noutput = 30.0\n')
    usage = {"prompt_tokens": 1000, "completion_tokens": 100, "cached_tokens": 0}
    specs = []
    for name in ("glm-5.2", "gpt-5.5"):
        script = {"model": name, "default": [{"tool_calls": [bash("ls")], "usage": usage}, {**SUBMIT, "usage": usage}]}
        specs += ["--model", f"scripted:{write_script(script, name + '.json')}"]
    summary = run_json(cli, "run", "--suite", "smoke", "--task", "fix-median", "--task", "csv-totals", *specs,
                       "--prices", prices, "--out", tmp_path / "run")
    row = next(c for c in summary["claims"] if c["id"] == "glm-5.2-85pct-cheaper")
    run = next(r for r in row["recomputed"] if "measured by these runs" in r["basis"])
    assert run["ratio"]["gpt-5.5"] == pytest.approx((1000 * 5 + 100 * 30) / (1000 * 1 + 100 * 3), rel=1e-3)
    assert run["figure"] == f"{(1 - 1300 / 8000) * 100:.1f}% cheaper"
    # Both models ran: the coding-score claim gets the runs' accuracies with their intervals.
    acc = next(c for c in summary["claims"] if c["id"] == "glm-5.2-vs-opus-coding")
    assert acc["recomputed"] == [], "Opus is not in these runs"
    code, text, err = cli("report", tmp_path / "run", "--prices", prices)
    text = " ".join(text.split())  # the terminal wraps long lines at its width
    assert code == 0 and "as stated: 85% cheaper" in text and "85.3% cheaper" in text and run["figure"] in text, text


def test_the_coding_score_claim_against_the_runs_accuracy_with_its_interval(cli, tmp_path, write_script):
    usage = {"prompt_tokens": 100, "completion_tokens": 10}
    specs = []
    for name in ("glm-5.2", "claude-opus-4-8"):
        script = {"model": name, "default": [{**SUBMIT, "usage": usage}]}
        specs += ["--model", f"scripted:{write_script(script, name + '.json')}"]
    summary = run_json(cli, "run", "--suite", "smoke", *specs, "--no-preflight", "--out", tmp_path / "run")
    acc = next(c for c in summary["claims"] if c["id"] == "glm-5.2-vs-opus-coding")
    (r,) = acc["recomputed"]
    assert set(r["accuracy"]) == {"glm-5.2", "claude-opus-4-8"} and all(v["ci"] for v in r["accuracy"].values())
    assert "glm-5.2 0.0% [0%, 0%]" in r["figure"] and "points" in r["figure"], r["figure"]
