"""Per-model summary: the figures of the `report --json` contract.

Intervals are a percentile bootstrap over tasks (all epochs of a task move
together), because tasks, not samples, are the independent units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from statistics import fmean
from typing import Any

from .records import TOKEN_FIELDS, ErrorClass, SampleRecord
from .stats import bootstrap_ci as _bootstrap_ci
from .stats import consistency, paired, pass_at_ks


def _by_task(samples: list[SampleRecord], value: Callable[[SampleRecord], float]) -> list[list[float]]:
    groups: dict[str, list[float]] = defaultdict(list)
    for s in samples:
        groups[s.task_id].append(value(s))
    return [groups[k] for k in sorted(groups)]


def summarize_model(model: str, samples: list[SampleRecord]) -> dict[str, Any]:
    errors = {e.value: 0 for e in ErrorClass}
    for s in samples:
        errors[s.error.value] += 1
    # Infra errors say nothing about the model: they are counted, never scored.
    scored = [s for s in samples if s.error != ErrorClass.infra and s.passed is not None]
    price_known = bool(scored) and all(s.usd is not None for s in scored)

    passed = _by_task(scored, lambda s: 1.0 if s.passed else 0.0)
    accuracy = fmean(x for c in passed for x in c) if scored else None
    usd_per_task = usd_ci = usd_per_success = None
    if price_known:
        usd = _by_task(scored, lambda s: s.usd or 0.0)
        usd_per_task = fmean(s.usd for s in scored)
        usd_ci = _bootstrap_ci(usd, fmean)
        n_pass = sum(1 for s in scored if s.passed)
        usd_per_success = sum(s.usd for s in scored) / n_pass if n_pass else None

    def per_task(get: Callable[[SampleRecord], float]) -> float | None:
        return round(fmean(get(s) for s in scored), 3) if scored else None

    return {
        "model": model,
        "n_samples": len(samples),
        "n_scored": len(scored),
        "n_tasks": len({s.task_id for s in samples}),
        "accuracy": accuracy,
        "accuracy_ci": _bootstrap_ci(passed, fmean),
        "mean_score": per_task(lambda s: s.score or 0.0),
        "usd_per_task": usd_per_task,
        "usd_per_task_ci": usd_ci,
        "usd_per_success": usd_per_success,
        "usd_total": sum(s.usd for s in samples if s.usd is not None) if price_known else None,
        "price_known": price_known,
        # What the provider said it billed (OpenRouter's usage.cost), beside the catalog's usd_total; None
        # unless every scored sample's every call said.
        "billed_usd": _billed(scored),
        "tokens_per_task": {f: per_task(lambda s, f=f: getattr(s.usage, f)) for f in TOKEN_FIELDS},
        "calls_without_usage": sum(s.usage.calls_without_usage for s in samples),
        "calls_estimated": sum(s.usage.calls_estimated for s in samples),
        "turns_per_task": per_task(lambda s: s.turns),
        "wall_s_per_task": per_task(lambda s: s.wall_s),
        "errors": errors,
        # Of the scored samples, those whose verdict was forced or forged: for a buyer, a finding in itself.
        "tamper_rate": errors[ErrorClass.tampered.value] / len(scored) if scored else None,
        # Samples whose code reaches into the test machinery (tasks/graders/review.py): to review, not scored.
        "to_review": [s.sample_id for s in samples if s.review],
        "epochs": max((s.epoch for s in samples), default=0),
        "pass_at_k": pass_at_ks(samples),  # k = 1 .. the fewest scored epochs of any task
        "consistency": consistency(samples),  # tasks whose epochs all agree (needs 2+ epochs)
        **_judge(samples),
    }


def _billed(scored: list[SampleRecord]) -> float | None:
    if not scored or any(s.usage.billed_usd is None for s in scored):
        return None
    return round(sum(s.usage.billed_usd for s in scored), 9)


def _judge(samples: list[SampleRecord]) -> dict[str, Any]:
    """The judge's figures, apart from the agent's: its dollars are the evaluator's cost."""
    judged = [s.judge for s in samples if s.judge is not None]
    if not judged:
        return {}
    scores = [j.score for j in judged if j.score is not None]
    by_task: dict[str, list[float]] = defaultdict(list)  # tasks are the units: a task's epochs move together
    for s in samples:
        if s.judge is not None and s.judge.score is not None:
            by_task[s.task_id].append(s.judge.score)
    known = all(j.usd is not None for j in judged)
    return {"judge": {
        "model": judged[0].model, "n_judged": len(judged), "n_failed": len(judged) - len(scores),
        "mean_score": round(fmean(scores), 3) if scores else None,
        # With rubric checks, the mean score is the rubric pass rate (AA-Briefcase's); its 95% interval over tasks.
        "score_ci": _bootstrap_ci(list(by_task.values()), fmean) if len(by_task) > 1 else None,
        "usd_total": round(sum(j.usd for j in judged), 6) if known else None,
        "usd_per_task": round(sum(j.usd for j in judged) / len(judged), 6) if known else None,
        "tokens": {f: sum(getattr(j.usage, f) for j in judged) for f in TOKEN_FIELDS},
    }}


def summarize(samples: list[SampleRecord], model_order: Sequence[str] = ()) -> dict[str, Any]:
    by_model: dict[str, list[SampleRecord]] = defaultdict(list)
    for s in samples:
        by_model[s.model].append(s)
    order = [m for m in model_order if m in by_model] + sorted(m for m in by_model if m not in model_order)
    # Paired comparisons against the first model (the baseline): same tasks, differences with intervals.
    comparisons = [paired(m, by_model[m], order[0], by_model[order[0]]) for m in order[1:]] if order else []
    return {"models": [summarize_model(m, by_model[m]) for m in order], "comparisons": comparisons}
