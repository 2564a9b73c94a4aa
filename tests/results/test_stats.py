"""Statistics against known cases, and the DataFrame loaders round-tripping a real run."""

from __future__ import annotations

import random

import pytest

from results.records import SampleRecord
from results.stats import consistency, paired, pass_at_k, pass_at_ks
from results.summary import summarize_model


def rec(task: str, epoch: int, passed: bool, usd: float = 0.01, model: str = "m") -> SampleRecord:
    return SampleRecord(sample_id=f"{model}|{task}|{epoch}", task_id=task, suite="s", model=model, epoch=epoch,
                        score=1.0 if passed else 0.0, passed=passed, usd=usd)


@pytest.mark.parametrize("n,c,k,want", [(5, 2, 1, 0.4), (5, 2, 2, 0.7), (5, 0, 3, 0.0), (3, 3, 2, 1.0),
                                        (10, 3, 5, 1 - 21 / 252), (4, 1, 4, 1.0)])
def test_pass_at_k_matches_the_unbiased_estimator_by_hand(n, c, k, want):
    assert pass_at_k(n, c, k) == pytest.approx(want)


def test_pass_at_k_over_tasks_and_consistency():
    samples = [rec("a", e, p) for e, p in enumerate([True, False, False], 1)] + \
              [rec("b", e, True) for e in (1, 2, 3)] + [rec("c", e, False) for e in (1, 2, 3)]
    got = pass_at_ks(samples)
    assert got["1"] == pytest.approx((1 / 3 + 1 + 0) / 3) and got["3"] == pytest.approx(2 / 3)
    assert consistency(samples) == pytest.approx(2 / 3)


def test_bootstrap_interval_covers_the_true_value():
    """Simulated runs with a known pass rate: the 95% interval holds it in most of them."""
    truth, covered, runs = 0.6, 0, 60
    for seed in range(runs):
        rng = random.Random(seed)
        samples = [rec(f"t{i}", e, rng.random() < truth) for i in range(80) for e in (1, 2)]
        lo, hi = summarize_model("m", samples)["accuracy_ci"]
        covered += lo <= truth <= hi
    assert covered / runs >= 0.85, covered


def test_paired_comparison_by_hand():
    a = [rec("t1", 1, True, 0.02, "a"), rec("t2", 1, True, 0.04, "a"), rec("t3", 1, False, 0.02, "a")]
    b = [rec("t1", 1, False, 0.01, "b"), rec("t2", 1, True, 0.01, "b"), rec("t3", 1, False, 0.01, "b"),
         rec("t4", 1, True, 0.01, "b")]
    p = paired("a", a, "b", b)
    assert p["n_tasks"] == 3 and p["accuracy_diff"] == pytest.approx(1 / 3)
    assert (p["a_wins"], p["b_wins"], p["ties"]) == (1, 0, 2)
    assert p["usd_per_task_diff"] == pytest.approx(0.05 / 3, rel=1e-4) and p["usd_ratio"] == pytest.approx(0.08 / 0.03, rel=1e-4)
    lo, hi = p["accuracy_diff_ci"]
    assert lo <= p["accuracy_diff"] <= hi


def test_dataframe_loaders_round_trip_a_run(cli, tmp_path):
    import pandas as pd

    import results
    from tests.conftest import ROOT, load_samples, run_json

    out = tmp_path / "run"
    summary = run_json(cli, "run", "--suite", "smoke", "--model", "oracle", "--model",
                       f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}", "--prices",
                       ROOT / "examples" / "scripted-prices.toml", "--out", out)
    df = results.load(out)
    raw = {r["sample_id"]: r for r in load_samples(out)}
    assert len(df) == len(raw) == 10 and set(df.sample_id) == set(raw)
    for row in df.itertuples():
        r = raw[row.sample_id]
        assert (row.passed, row.turns, row.tok_output) == (r["passed"], r["turns"], r["usage"]["output"])
        assert (pd.isna(row.usd) and r["usd"] is None) or row.usd == pytest.approx(r["usd"])
    by_model = {m["model"]: m for m in summary["models"]}
    for model, group in df.groupby("model"):
        assert group.passed.mean() == pytest.approx(by_model[model]["accuracy"])
    calls = results.load_calls(out)
    assert len(calls) == sum(r["turns"] for r in raw.values())  # one model call a turn
    assert calls.groupby("sample_id").tok_output.sum().to_dict() == {k: v["usage"]["output"] for k, v in raw.items()}
    code, _, err = cli("report", out, "--parquet", tmp_path / "s.parquet", "--markdown", tmp_path / "s.md",
                       "--csv", tmp_path / "s.csv")
    assert code == 0, err
    back = pd.read_parquet(tmp_path / "s.parquet")
    assert back.sort_values("sample_id").reset_index(drop=True)[["sample_id", "passed", "usd"]].equals(
        df.sort_values("sample_id").reset_index(drop=True)[["sample_id", "passed", "usd"]])
    md, csv_text = (tmp_path / "s.md").read_text(), (tmp_path / "s.csv").read_text()
    assert md.startswith("| model |") and "| oracle |" in md and "vs oracle on 5 tasks" in md
    assert csv_text.splitlines()[0].startswith("model,n,accuracy") and len(csv_text.splitlines()) == 3
