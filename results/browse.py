"""What `pertask view` serves about a folder of runs, as data: the runs, a run's samples, one sample with its
transcript, each computed again only when its run has written since (the page polls). It only reads; no path
outside the folder is reachable by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .rundirs import describe, running
from .store import RunStore

SAMPLE_FIELDS = ("sample_id", "model", "task_id", "epoch", "passed", "score", "usd", "turns", "wall_s")


def _stamp(d: Path) -> tuple:
    """What changes when a run writes: its records, its manifest, its server records (each rename shows on the
    folder). The page polls; a summary is computed again only when this changes."""
    out = []
    for p in (d / "samples.jsonl", d / "manifest.json", d / "servers"):
        try:
            st = p.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


class Viewer:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._cache: dict[tuple[str, Path], tuple[tuple, Any]] = {}

    def cached(self, kind: str, d: Path, make) -> Any:
        stamp = _stamp(d)
        hit = self._cache.get((kind, d))
        if hit is None or hit[0] != stamp:
            hit = self._cache[(kind, d)] = (stamp, make(d))
        return hit[1]

    def run_dir(self, run_id: str) -> Path | None:
        """A direct child of the root holding a manifest, by name only: no path reaches outside the root."""
        if not run_id or "/" in run_id or run_id.startswith("."):
            return None
        if (self.root / "manifest.json").exists() and run_id == self.root.name:
            return self.root
        d = self.root / run_id
        return d if (d / "manifest.json").exists() else None

    def runs(self) -> list[dict[str, Any]]:
        dirs = [self.root] if (self.root / "manifest.json").exists() else \
            sorted(p for p in self.root.iterdir() if p.is_dir()) if self.root.is_dir() else []
        # "running" is read fresh each time; the rest only when the run has written since
        rows = [{**d, "id": Path(d["run"]).name, "state": "running" if running(p) else d["state"]}
                for p in dirs if (d := self.cached("describe", p, lambda p: describe(p, live=False)))]
        return sorted(rows, key=lambda r: r["last"] or "", reverse=True)

    def samples(self, d: Path) -> list[dict[str, Any]]:
        out = []
        for s in RunStore(d).load_samples():
            row = {k: getattr(s, k) for k in SAMPLE_FIELDS}
            row["error"] = s.error.value
            row["failed_checks"] = sum(1 for c in (s.grader or {}).get("checks", []) if not c.get("passed"))
            out.append(row)
        return out

    def sample(self, d: Path, sid: str) -> dict[str, Any] | None:
        rec = next((s for s in RunStore(d).load_samples() if s.sample_id == sid), None)
        if rec is None:
            return None
        path = d / rec.transcript if rec.transcript else None
        transcript = json.loads(path.read_text()) if path and path.is_file() and path.resolve().is_relative_to(d) else {}
        return {"record": json.loads(rec.to_json()), "messages": transcript.get("messages", []),
                "calls": transcript.get("calls", []), "checks": (rec.grader or {}).get("checks", [])}
