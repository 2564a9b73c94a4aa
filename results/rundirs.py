"""What a folder of runs holds: each run directory's suite, models, samples and state (running, complete,
resumable), read from its manifest and records; `pertask runs` and the viewer show it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .records import ErrorClass
from .store import LOCK, RunStore


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


def render_runs(rows: list[dict[str, Any]], where: Path, as_json: bool = False) -> None:
    """`pertask runs`: a table of the runs under `where`, newest first (or JSON)."""
    import json

    from rich.console import Console
    from rich.table import Table

    if as_json:
        print(json.dumps(rows, indent=1))
        return
    if not rows:
        print(f"no run directories under {where}")
        return
    from .fit import fit, width

    t = Table(title=f"runs under {where} (newest first)", title_justify="left")
    for col in ("run", "suite", "models", "samples", "state", "last"):  # a run's id is copied whole: never folded
        t.add_column(col, overflow="fold", no_wrap=col in ("run", "samples", "state", "last"))
    for r in rows:
        t.add_row(r["run"], r["suite"], ", ".join(r["models"]), f"{r['samples']}/{r['planned']}", r["state"],
                  (r["last"] or "")[:16].replace("T", " "))
    console = Console(width=width(), emoji=False, markup=False)
    console.print(fit(t, console))  # where it does not fit: a block per run, its id whole on its own line
