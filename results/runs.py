"""Several runs in one report: a model that more than one run has is labelled by its run ("SPEC @ RUN"), so
nothing merges silently; the paired comparison is against the --baseline chosen (a model label, a spec, or
a run's first model)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from .store import RunDirError, RunStore


def run_labels(run_dirs: list[Path]) -> dict[Path, str]:
    """A short name per run: its folder's name, with its parent's where two share a name, else its position."""
    names = {d: Path(d).name for d in run_dirs}
    if len(set(names.values())) < len(names):
        names = {d: f"{Path(d).parent.name}/{Path(d).name}" for d in run_dirs}
    if len(set(names.values())) < len(names):
        names = {d: f"run{i + 1}" for i, d in enumerate(run_dirs)}
    return names


class Relabel:
    """spec (as recorded) + run -> the label the report shows."""

    def __init__(self, run_dirs: list[Path]):
        self.runs = run_labels(run_dirs)
        specs: Counter[str] = Counter()
        for d in run_dirs:
            store = RunStore(d)
            manifest = store.read_manifest()
            have = {m.spec for m in manifest.models} if manifest else {s.model for s in store.load_samples()}
            specs.update(have)
        self.repeated = {s for s, n in specs.items() if n > 1}

    def __call__(self, spec: str, run_dir: Path) -> str:
        return f"{spec} @ {self.runs[run_dir]}" if spec in self.repeated else spec


def with_baseline(order: list[str], baseline: str | None, relabel: Relabel, run_dirs: list[Path]) -> list[str]:
    """The model order with the baseline first (paired comparisons are each model against the first)."""
    if not baseline:
        return order
    if baseline in order:
        chosen = baseline
    elif (by_run := [d for d, name in relabel.runs.items() if name == baseline or str(d) == baseline]):
        mine = [m for m in order if m.endswith(f" @ {relabel.runs[by_run[0]]}")] or \
            [m for m in order if relabel(m, by_run[0]) == m]
        chosen = mine[0] if mine else None
    else:
        matches = [m for m in order if m.split(" @ ")[0] == baseline]
        chosen = matches[0] if len(matches) == 1 else None
        if len(matches) > 1:
            raise RunDirError(f"--baseline {baseline}: that model is in several runs; name one: {', '.join(matches)}")
    if chosen is None:
        raise RunDirError(f"--baseline {baseline}: no such model or run (models: {', '.join(order)}; runs: "
                          f"{', '.join(relabel.runs.values())})")
    return [chosen, *(m for m in order if m != chosen)]


def merged(warnings: list[str], run_dirs: list[Path]) -> list[str]:
    """A warning that several runs give alike — `RUN: text`, or `MODEL @ RUN: text` of a model in several runs — said
    once, naming the runs; any other said once."""
    runs: dict[tuple[str, str], list[str]] = {}
    names = {str(d): d.name for d in run_dirs} | {d.name: d.name for d in run_dirs}
    for w in warnings:
        d = next((str(d) for d in run_dirs if w.startswith(f"{d}: ")), None)
        m = re.match(r"^(.+) @ (\S+): (.*)$", w, re.S) if d is None else None
        if d is not None:
            runs.setdefault(("", w[len(d) + 2:]), []).append(names[d])
        elif m and m.group(2) in names:
            runs.setdefault((m.group(1), m.group(3)), []).append(m.group(2))
        else:
            runs.setdefault(("", w), [])
    out = []
    for (who, text), ds in runs.items():
        where = ds[0] if len(ds) == 1 else f"{len(ds)} runs ({', '.join(ds)})"
        out.append(text if not ds else f"{who} @ {where}: {text}" if who else f"{where}: {text}")
    return out


def placement(samples: list) -> dict[str, Any]:
    """Where the samples ran (executor and node, as each record says) and the samples' rate: finished samples
    over the span from the first start to the last finish (across sessions, pauses included)."""
    where: dict[str, int] = {}
    for r in samples:
        key = f"{r.executor or 'local'} on {r.node or 'unknown'}"
        where[key] = where.get(key, 0) + 1
    stamps = [(r.started_at, r.finished_at) for r in samples if r.started_at and r.finished_at]
    span = None
    if stamps:
        from datetime import datetime

        t = lambda x: datetime.fromisoformat(x).timestamp()  # noqa: E731
        span = max(t(b) for _, b in stamps) - min(t(a) for a, _ in stamps)
    return {"where": dict(sorted(where.items())), "samples": len(samples),
            "span_s": None if span is None else round(span, 3),
            "samples_per_s": round(len(samples) / span, 4) if span else None}
