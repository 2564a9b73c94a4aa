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
        assert c["source"] and c["date"] and c["figures"] and c["kind"] in ("usd_per_task", "accuracy", "cheaper",
                                                                               "hardware")


def test_catalog_ratio_is_list_prices_on_the_stated_mix():
    rows = {r["id"]: r for r in evaluate({"models": []}, {})}
    cheaper = rows["glm-5.2-85pct-cheaper"]
    cat = Catalog.load()
    mix = tomllib.loads(CLAIMS.read_text())["reference_mix"]

    def usd(provider, model):
        p = cat.lookup(provider, model)
        return (mix["input_uncached"] * p.input + mix["input_cached"] * p.cached_input + mix["output"] * p.output) / 1e6

    want = usd("openai", "gpt-5.5") / usd("zai", "glm-5.2")
    assert cheaper["catalog"]["ratio"]["gpt-5.5"] == pytest.approx(want, rel=1e-3)
    assert cheaper["claimed_ratio"]["gpt-5.5"] == pytest.approx(1 / 0.15, rel=1e-3)
    assert cheaper["measured"] is None and "reference mix" in cheaper["catalog"]["basis"]


def test_runs_with_the_models_give_measured_ratios(cli, tmp_path, write_script):
    prices = tmp_path / "p.toml"
    prices.write_text('[[price]]\nprovider = "scripted"\nmodel = "glm-5.2"\ninput = 1.0\noutput = 3.0\n\n'
                      '[[price]]\nprovider = "scripted"\nmodel = "gpt-5.5"\ninput = 5.0\noutput = 30.0\n')
    usage = {"prompt_tokens": 1000, "completion_tokens": 100, "cached_tokens": 0}
    specs = []
    for name in ("glm-5.2", "gpt-5.5"):
        script = {"model": name, "default": [{"tool_calls": [bash("ls")], "usage": usage}, {**SUBMIT, "usage": usage}]}
        specs += ["--model", f"scripted:{write_script(script, name + '.json')}"]
    summary = run_json(cli, "run", "--suite", "smoke", "--task", "fix-median", *specs, "--prices", prices,
                       "--out", tmp_path / "run")
    row = next(c for c in summary["claims"] if c["id"] == "glm-5.2-85pct-cheaper")
    usd = {m["model"].split("/")[-1]: m["usd_per_task"] for m in summary["models"]}
    assert row["measured"]["ratio"]["gpt-5.5"] == pytest.approx(
        (2 * (1000 * 5 + 100 * 30)) / (2 * (1000 * 1 + 100 * 3)), rel=1e-3)
    assert all(v is not None for v in usd.values())
    acc = next(c for c in summary["claims"] if c["id"] == "glm-5.2-vs-opus-coding")
    assert acc["measured"] is None  # Opus is not in these runs
