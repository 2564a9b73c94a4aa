"""Where runs live: the default run directory (the same command resumes the same run) and `pertask runs`, a
list of run directories with their suite, models, samples and state."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from results.records import ErrorClass
from results.store import LOCK, RunStore

# What makes two commands the same run: the samples they plan and how those are produced.
IDENTITY = ("suite", "task_format", "model", "task", "limit", "epochs", "max_turns", "max_tokens", "temperature",
            "protocol", "agent", "judge", "sandbox", "vllm_arg", "stream", "batch_pricing")


def default_out(a: Any, suite_name: str) -> Path:
    """runs/SUITE-DIGEST: a digest of what the command plans, so running it again resumes it; --fresh makes a new,
    dated one instead."""
    if a.fresh:
        return Path("runs") / f"{datetime.now():%Y%m%d-%H%M%S}-{suite_name}"
    key = json.dumps({k: getattr(a, k, None) for k in IDENTITY}, sort_keys=True, default=str)
    return Path("runs") / f"{suite_name}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def running(root: Path) -> bool:
    """Whether a process holds the run's lock, read from /proc/locks: probing by taking the lock could make the
    run's own attempt fail at that very moment."""
    try:
        inode = (root / LOCK).stat().st_ino
        locks = Path("/proc/locks").read_text()
    except OSError:
        return False
    return any(len(f) > 5 and f[1] == "FLOCK" and f[5].rsplit(":", 1)[-1] == str(inode)
               for f in (line.split() for line in locks.splitlines()))


def describe(root: Path, live: bool = True) -> dict[str, Any] | None:
    """A run's suite, models, samples and state; `live=False` leaves "running" out (the caller checks it)."""
    store = RunStore(root)
    m = store.read_manifest()
    if m is None:
        return None
    samples = store.load_samples()
    planned = len(m.tasks) * len(m.models) * m.epochs
    infra = sum(1 for s in samples if s.error == ErrorClass.infra)
    done = len(samples) - infra
    state = ("running" if live and running(root) else "complete" if done >= planned and not infra
             else f"{infra} infra, resumable" if infra else "incomplete, resumable")
    last = m.sessions[-1] if m.sessions else {}
    return {"run": str(root), "suite": m.suite, "models": [x.spec for x in m.models], "samples": done,
            "planned": planned, "state": state, "last": last.get("finished_at") or m.started_at,
            "command": " ".join(last.get("command") or [])}


def list_runs(where: Path) -> list[dict[str, Any]]:
    roots = [where] if (where / "manifest.json").exists() else sorted(p for p in where.iterdir() if p.is_dir()) \
        if where.is_dir() else []
    rows = [d for r in roots if (d := describe(r))]
    return sorted(rows, key=lambda r: r["last"] or "", reverse=True)


def cmd_runs(where: Path, as_json: bool) -> int:
    rows = list_runs(where)
    if as_json:
        print(json.dumps(rows, indent=1))
        return 0
    if not rows:
        print(f"no run directories under {where}")
        return 0
    t = Table(title=f"runs under {where} (newest first)")
    for col in ("run", "suite", "models", "samples", "state", "last"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r["run"], r["suite"], ", ".join(r["models"]), f"{r['samples']}/{r['planned']}", r["state"],
                  (r["last"] or "")[:19])
    Console().print(t)
    return 0
