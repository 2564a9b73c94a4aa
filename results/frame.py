"""Runs as pandas DataFrames, so that analysis needs no parsing:

    import results
    samples = results.load("runs/20261122-smoke")        # one row per sample (latest record)
    calls = results.load_calls("runs/20261122-smoke")    # one row per model call, from transcripts
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .records import TOKEN_FIELDS, SampleRecord
from .store import RunStore


def sample_row(s: SampleRecord, run: str) -> dict:
    row = {"run": run, "sample_id": s.sample_id, "suite": s.suite, "task_id": s.task_id,
           "task_version": s.task_version, "model": s.model, "epoch": s.epoch, "protocol": s.protocol,
           "score": s.score, "passed": s.passed, "error": s.error.value, "error_detail": s.error_detail,
           "turns": s.turns, "format_errors": s.format_errors, "usd": s.usd, "cost_basis": s.cost_basis,
           "wall_s": s.wall_s, "calls": s.usage.calls, "calls_without_usage": s.usage.calls_without_usage,
           "latency_s": s.usage.latency_s, "started_at": s.started_at, "finished_at": s.finished_at,
           "transcript": s.transcript}
    row.update({f"tok_{f}": getattr(s.usage, f) for f in TOKEN_FIELDS})
    j = s.judge
    row.update({"judge_model": j.model if j else None, "judge_score": j.score if j else None,
                "judge_usd": j.usd if j else None})
    return row


def load(*run_dirs: str | Path) -> pd.DataFrame:
    """Every sample of the runs (each sample's latest record), typed columns, one row each."""
    rows = []
    for d in run_dirs:
        rows += [sample_row(s, str(d)) for s in RunStore(Path(d)).load_samples()]
    df = pd.DataFrame(rows, columns=list(sample_row(SampleRecord(sample_id="", task_id="", suite="", model="",
                                                                       epoch=0), "").keys()))
    return df.astype({"passed": "boolean", "score": "Float64", "usd": "Float64", "judge_score": "Float64",
                      "judge_usd": "Float64"})


def load_calls(*run_dirs: str | Path) -> pd.DataFrame:
    """Every model call of the runs: tokens, dollars, latency and finish reason, with its sample."""
    rows = []
    for d in run_dirs:
        for s in RunStore(Path(d)).load_samples():
            path = Path(d) / s.transcript
            if not s.transcript or not path.is_file():
                continue
            for c in json.loads(path.read_text()).get("calls", []):
                usage = c.get("usage") or {}
                rows.append({"run": str(d), "sample_id": s.sample_id, "task_id": s.task_id, "model": s.model,
                             "epoch": s.epoch, "turn": c.get("turn"), "usd": c.get("usd"),
                             "finish_reason": c.get("finish_reason"), "latency_s": usage.get("latency_s"),
                             "ttft_s": usage.get("ttft_s"),
                             **{f"tok_{f}": usage.get(f, 0) for f in TOKEN_FIELDS}})
    cols = ["run", "sample_id", "task_id", "model", "epoch", "turn", "usd", "finish_reason", "latency_s", "ttft_s",
            *(f"tok_{f}" for f in TOKEN_FIELDS)]
    return pd.DataFrame(rows, columns=cols).astype({"usd": "Float64", "ttft_s": "Float64"})


def to_parquet(run_dirs: list[Path], path: Path) -> Path:
    load(*run_dirs).to_parquet(path, index=False)
    return path


def write_parquet(summary: dict, runs: list[Path], path: Path) -> list[Path]:
    return [to_parquet(runs, path)]
