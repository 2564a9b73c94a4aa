"""`pertask run ... --estimate`: what a run will cost before it starts, from what earlier runs of the same suite spent.

Each earlier sample's calls (the call ledger) are priced again at each planned model's list price (results/prices.py
call_usd, call by call: a long-context tier depends on each call's prompt), so an estimate for a model that has not run
yet uses the tokens of those that have, and says so. A task that ran before counts with its own mean; a task that did
not, with the mean over tasks that did. The range is a 95% interval: the spread of per-task figures over the samples
to come, plus the uncertainty of that mean when few tasks were seen (Student's t). It holds when the tasks seen are
like the rest: a pilot drawn at random (`--sample N`), not the first N or one shard of a suite whose order has a
pattern (benchmarks/estimate_error.py shows both).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .prices import call_usd
from .records import ErrorClass, Usage
from .store import RunStore

if TYPE_CHECKING:
    from providers.base import ModelInfo

# Student's t at 97.5% for 1..10 degrees of freedom: a pilot of few tasks says little of the spread between tasks.
T975 = (12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23)
Z95 = 1.96


@dataclass
class Estimate:
    model: str
    samples: int
    input_tokens: float
    output_tokens: float
    usd: float | None
    usd_low: float | None
    usd_high: float | None
    basis: str  # what it rests on: how many samples of which models, on how many of the tasks


def earlier_runs(suite: str, given: list[Path], where: Path = Path("runs")) -> list[Path]:
    """The runs to learn from: those given, else every run directory under ./runs of the same suite."""
    if given:
        return given
    found = []
    for manifest in sorted(where.glob("*/manifest.json")):
        m = RunStore(manifest.parent).read_manifest()
        if m is not None and m.suite == suite:
            found.append(manifest.parent)
    return found


def _samples(runs: list[Path]) -> dict[str, dict[str, list[list[Usage]]]]:
    """model -> task -> each finished sample's calls (their usage); infra samples and reference models left out."""
    out: dict[str, dict[str, list[list[Usage]]]] = defaultdict(lambda: defaultdict(list))
    for run in runs:
        store = RunStore(run)
        good = {r.sample_id: r for r in store.load_samples(attributed=False)
                if r.error != ErrorClass.infra and r.model not in ("oracle", "null")}
        calls: dict[str, list[Usage]] = defaultdict(list)
        for c in store.load_calls():
            if c.get("sample_id") in good and isinstance(c.get("usage"), dict):
                calls[c["sample_id"]].append(Usage.model_validate(c["usage"]))
        for sid, rec in good.items():
            out[rec.model][rec.task_id].append(calls.get(sid, []))
    return out


def _figures(samples: list[list[Usage]], info: ModelInfo) -> tuple[float, float, float | None]:
    """Mean (input tokens, output tokens, dollars as `info`'s calls) of one task's samples."""
    n = len(samples)
    inp = sum(u.input_total for s in samples for u in s) / n
    out = sum(u.output for s in samples for u in s) / n
    costs = [call_usd(info, u) for s in samples for u in s]
    usd = None if any(c is None for c in costs) else sum(costs) / n
    return inp, out, usd


def estimate(models: list[ModelInfo], tasks: list[str], epochs: int, runs: list[Path]) -> list[Estimate]:
    seen = _samples(runs)
    rows = []
    for info in models:
        own = seen.get(info.spec)
        pool = own or _pooled(seen)
        per_task = {t: _figures(s, info) for t, s in pool.items() if s}
        n = len(tasks) * epochs
        if not per_task:
            rows.append(Estimate(info.spec, n, 0, 0, None, None, None, "no earlier run of this suite"))
            continue
        k = len(per_task)
        mean = [sum(f[i] for f in per_task.values()) / k for i in (0, 1)]
        known = [t for t in tasks if t in per_task]
        unseen = (len(tasks) - len(known)) * epochs
        inp = sum(per_task[t][0] for t in known) * epochs + unseen * mean[0]
        out = sum(per_task[t][1] for t in known) * epochs + unseen * mean[1]
        usd = low = high = None
        dollars = [f[2] for f in per_task.values()]
        if all(d is not None for d in dollars):
            m = sum(dollars) / k
            usd = sum(per_task[t][2] for t in known) * epochs + unseen * m
            if k > 1:  # one task seen says nothing of how tasks differ: no range
                sd = math.sqrt(sum((d - m) ** 2 for d in dollars) / (k - 1))
                half = (T975[k - 2] if k - 1 <= len(T975) else Z95) * math.sqrt(n * sd ** 2 + unseen ** 2 * sd ** 2 / k)
                low, high = max(0.0, usd - half), usd + half
        whose = "this model" if own else f"other models ({', '.join(sorted(seen))})"
        basis = f"{sum(len(s) for s in pool.values())} samples of {whose} on {len(known)} of {len(tasks)} tasks"
        rows.append(Estimate(info.spec, n, inp, out, usd, low, high, basis))
    return rows


def _pooled(seen: dict[str, dict[str, list[list[Usage]]]]) -> dict[str, list[list[Usage]]]:
    pool: dict[str, list[list[Usage]]] = defaultdict(list)
    for by_task in seen.values():
        for task, samples in by_task.items():
            pool[task] += samples
    return pool


def render(rows: list[Estimate], suite: str, runs: list[Path]) -> list[str]:
    """The estimate, four lines a model, none over 80 columns but a long model name."""
    def usd(v: float | None) -> str:
        return "unknown (no price)" if v is None else f"${v:,.2f}" if v >= 1 else f"${v:.4f}"

    lines = [f"estimate for suite {suite}, from {len(runs)} earlier run(s)" if runs else
             f"estimate for suite {suite}: no earlier run of it; run a pilot first (--sample 5), then estimate again"]
    for r in rows:
        span = "" if r.usd_low is None else f" (95%: {usd(r.usd_low)} to {usd(r.usd_high)})"
        lines += [r.model, f"  {r.samples:,} samples: {r.input_tokens:,.0f} input and {r.output_tokens:,.0f} output tokens",
                  f"  dollars: {usd(r.usd)}{span}", f"  from {r.basis}"]
    return lines
