"""Oracle and null through the CLI: every grader provably passes and provably fails."""

from __future__ import annotations

import json

from tasks import load_suite
from tests.conftest import load_samples, run_json


def test_oracle_passes_and_null_fails_every_smoke_task(cli, tmp_path):
    out = tmp_path / "run"
    summary = run_json(cli, "run", "--suite", "smoke", "--model", "oracle", "--model", "null", "--out", out)
    models = {m["model"]: m for m in summary["models"]}
    assert models["oracle"]["accuracy"] == 1.0 and models["null"]["accuracy"] == 0.0
    n_tasks = len(load_suite("smoke").tasks)
    assert n_tasks == 5
    samples = load_samples(out)
    assert len(samples) == 2 * n_tasks
    for s in samples:
        assert s["error"] == "none", s["error_detail"]
        if s["model"] == "oracle":
            assert s["passed"] is True and s["score"] == 1.0, s["task_id"]
        else:
            assert s["passed"] is False and s["score"] < 1.0, s["task_id"]
        assert s["grader"]["checks"], "every grade lists its checks"
    # Free models have a known price of zero, not an unknown one.
    assert models["oracle"]["usd_per_task"] == 0.0 and models["null"]["usd_per_success"] is None


def test_manifest_and_transcripts(cli, tmp_path):
    out = tmp_path / "run"
    code, _, err = cli("run", "--suite", "smoke", "--model", "oracle", "--task", "fix-median", "--out", out)
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["suite"] == "smoke" and len(manifest["suite_version"]) == 12
    assert manifest["tasks"] == ["fix-median"] and manifest["models"][0]["spec"] == "oracle"
    assert manifest["sandbox"] in ("bwrap", "none") and manifest["sessions"][0]["planned"] == 1
    (sample,) = load_samples(out)
    transcript = json.loads((out / sample["transcript"]).read_text())
    roles = [m["role"] for m in transcript["messages"]]
    assert roles[:3] == ["system", "user", "assistant"] and "tool" in roles
    assert transcript["grade"]["passed"] is True


def test_report_table_and_json_contract(cli, tmp_path):
    out = tmp_path / "run"
    cli("run", "--suite", "smoke", "--model", "null", "--limit", "2", "--epochs", "2", "--out", out)
    code, table, _ = cli("report", out)
    assert code == 0 and "null" in table and "accuracy" in table
    (m,) = run_json(cli, "report", out)["models"]
    assert m["n_samples"] == 4 and m["n_tasks"] == 2
    for key in ("model", "accuracy", "accuracy_ci", "usd_per_task", "usd_per_task_ci", "usd_per_success", "errors"):
        assert key in m
    assert set(m["tokens_per_task"]) == {"input_uncached", "input_cached", "cache_write", "output", "reasoning"}
    assert set(m["errors"]) == {"none", "model", "limit", "infra", "tampered"}


def test_kept_workspaces_survive_a_resume(cli, tmp_path):
    out = tmp_path / "run"
    cli("run", "--suite", "smoke", "--model", "oracle", "--task", "fix-median", "--keep-workspaces", "--out", out)
    (kept,) = [p for p in (out / "workspaces").iterdir()]
    fixed = next(kept.glob("fix-median-*/ws/stats/core.py"))
    assert "len(values) % 2" in fixed.read_text(), "the oracle's final workspace is kept"
    cli("run", "--suite", "smoke", "--model", "oracle", "--task", "fix-median", "--task", "add-slugify", "--out", out)
    assert fixed.exists(), "a later session does not delete what an earlier one kept"
    assert not (out / "workspaces" / "active").exists()


def test_a_relative_out_directory(cli, tmp_path, monkeypatch):
    # As `make demo` runs: --out (or the default runs/...) relative to the working directory. The saved
    # agent phase is mounted again for grading from another directory, so its paths must not be relative.
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("run", "--suite", "smoke", "--model", "oracle", "--task", "fix-median", "--task",
                       "budget-reconcile", "--out", "rel/run")
    assert code == 0, err
    assert all(s["passed"] for s in load_samples(tmp_path / "rel" / "run"))
