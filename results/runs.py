"""Several runs in one report: a model that more than one run has is labelled by its run ("SPEC @ RUN"), so
nothing merges silently; the paired comparison is against the --baseline chosen (a model label, a spec, or
a run's first model)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

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
