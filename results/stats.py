"""pass@k, per-task consistency and paired comparisons between models on the same tasks.

Tasks are the independent units: every interval is a bootstrap over tasks, with a task's
epochs moving together (a cluster bootstrap when epochs > 1).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from math import comb
from statistics import fmean
from typing import Any

from .records import ErrorClass, SampleRecord

ROUNDS = 2000


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased estimator (Chen et al., 2021): the chance that k of n samples, c of them
    correct, drawn without replacement, include at least one correct one."""
    if not 0 < k <= n:
        raise ValueError(f"k must be in 1..n (k={k}, n={n})")
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def _scored(samples: list[SampleRecord]) -> list[SampleRecord]:
    return [s for s in samples if s.error != ErrorClass.infra and s.passed is not None]


def by_task(samples: list[SampleRecord]) -> dict[str, list[SampleRecord]]:
    groups: dict[str, list[SampleRecord]] = defaultdict(list)
    for s in _scored(samples):
        groups[s.task_id].append(s)
    return dict(groups)


def pass_at_ks(samples: list[SampleRecord]) -> dict[str, float]:
    """pass@k for k = 1 .. the fewest scored epochs any task has, averaged over tasks."""
    groups = by_task(samples)
    if not groups:
        return {}
    n_min = min(len(g) for g in groups.values())
    return {str(k): round(fmean(pass_at_k(len(g), sum(1 for s in g if s.passed), k) for g in groups.values()), 6)
            for k in range(1, n_min + 1)}


def consistency(samples: list[SampleRecord]) -> float | None:
    """The share of tasks (with 2+ scored epochs) on which every epoch agreed, pass or fail."""
    groups = [g for g in by_task(samples).values() if len(g) > 1]
    if not groups:
        return None
    return round(sum(1 for g in groups if len({s.passed for s in g}) == 1) / len(groups), 6)


def bootstrap_ci(
    clusters: Sequence[Sequence[Any]], stat: Callable[[list[Any]], float | None], seed: int = 0, rounds: int = ROUNDS
) -> list[float] | None:
    """A percentile bootstrap over clusters (tasks, samples); a round whose statistic is None is left out."""
    if not clusters:
        return None
    rng = random.Random(seed)  # fixed seed: the same run always reports the same interval
    n = len(clusters)
    values = []
    for _ in range(rounds):
        pool = [x for _ in range(n) for x in clusters[rng.randrange(n)]]
        if (value := stat(pool)) is not None:
            values.append(value)
    if not values:
        return None
    values.sort()
    lo, hi = values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]
    return [round(lo, 6), round(hi, 6)]


def paired(a_name: str, a: list[SampleRecord], b_name: str, b: list[SampleRecord]) -> dict[str, Any]:
    """A − B on the tasks both have scored: accuracy and $/task differences with intervals, and
    how many tasks each wins (a higher pass rate over its epochs)."""
    ga, gb = by_task(a), by_task(b)
    common = sorted(set(ga) & set(gb))
    acc_a = {t: fmean(1.0 if s.passed else 0.0 for s in ga[t]) for t in common}
    acc_b = {t: fmean(1.0 if s.passed else 0.0 for s in gb[t]) for t in common}
    d_acc = [acc_a[t] - acc_b[t] for t in common]
    priced = all(s.usd is not None for t in common for s in ga[t] + gb[t])
    d_usd = [fmean(s.usd for s in ga[t]) - fmean(s.usd for s in gb[t]) for t in common] if priced else []
    return {
        "a": a_name, "b": b_name, "n_tasks": len(common),
        "accuracy_diff": round(fmean(d_acc), 6) if d_acc else None, "accuracy_diff_ci": bootstrap_ci([[d] for d in d_acc], fmean, 1),
        "usd_per_task_diff": round(fmean(d_usd), 6) if d_usd else None,
        "usd_per_task_diff_ci": bootstrap_ci([[d] for d in d_usd], fmean, 2),
        "usd_ratio": (round(sum(fmean(s.usd for s in ga[t]) for t in common)
                            / sum(fmean(s.usd for s in gb[t]) for t in common), 6)
                      if d_usd and sum(fmean(s.usd for s in gb[t]) for t in common) > 0 else None),
        "a_wins": sum(1 for d in d_acc if d > 0), "b_wins": sum(1 for d in d_acc if d < 0),
        "ties": sum(1 for d in d_acc if d == 0),
    }
