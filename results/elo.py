"""Pairwise judgements to Elo scores with intervals, as AA-Briefcase and GDPval-AA report them.

A judgement is one comparison of two models' deliverables on one task: the first preferred (1), the second (0), or
a tie (0.5), with the order the judge saw them in. Scores are the Bradley-Terry model's maximum-likelihood
strengths (choix's iterative Luce spectral ranking on the matrix of wins; a tie counts half a win to each), on
the Elo scale: 400 points are a 10-to-1 preference. The scale is anchored — a named model at a given score (GDPval:
the expert at 1000), else the models' mean at 1000 — and intervals are a bootstrap over tasks (a task's judgements,
both orders and every pair, move together), as every interval in pertask is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ELO = 400 / math.log(10)  # natural-log strength -> Elo points
ROUNDS = 1000
# A little regularisation: models that never lost (or never won) keep a finite score, and a comparison graph in
# pieces still has one scale. Small against a task's judgements (each weighs 2: a win is two halves).
ALPHA = 0.01


@dataclass(frozen=True)
class Judgement:
    task: str
    first: str  # the model whose deliverable the judge saw first
    second: str
    outcome: float  # 1.0: the first preferred, 0.0: the second, 0.5: a tie
    judge: str = ""


def _wins(judgements: Sequence[Judgement], models: list[str], tasks: list[str]) -> np.ndarray:
    """Per task, the matrix of half-wins: wins[t, i, j] = how many halves model i won against model j."""
    mi, ti = {m: k for k, m in enumerate(models)}, {t: k for k, t in enumerate(tasks)}
    wins = np.zeros((len(tasks), len(models), len(models)))
    for j in judgements:
        a, b, t = mi[j.first], mi[j.second], ti[j.task]
        wins[t, a, b] += 2 * j.outcome
        wins[t, b, a] += 2 * (1 - j.outcome)
    return wins


def _fit(counts: np.ndarray) -> np.ndarray:
    import choix

    theta = choix.ilsr_pairwise_dense(counts, alpha=ALPHA, max_iter=500)
    return (theta - theta.mean()) * ELO


def _anchored(scores: np.ndarray, models: list[str], anchor: tuple[str, float] | None) -> np.ndarray:
    if anchor is None:
        return scores - scores.mean() + 1000
    return scores - scores[models.index(anchor[0])] + anchor[1]


def elo(judgements: Sequence[Judgement], anchor: tuple[str, float] | None = None, rounds: int = ROUNDS,
        seed: int = 0) -> dict[str, dict]:
    """model -> {"elo", "ci": [low, high], "n": judgements it was in}; an anchor model's score is fixed (no interval)."""
    models = sorted({m for j in judgements for m in (j.first, j.second)})
    if anchor is not None and anchor[0] not in models:
        raise ValueError(f"anchor {anchor[0]} is in no judgement (models: {', '.join(models)})")
    if len(models) < 2:
        return {m: {"elo": 1000.0 if anchor is None else anchor[1], "ci": None, "n": 0} for m in models}
    tasks = sorted({j.task for j in judgements})
    wins = _wins(judgements, models, tasks)
    point = _anchored(_fit(wins.sum(axis=0)), models, anchor)
    rng = np.random.default_rng(seed)
    draws = np.array([_anchored(_fit(wins[rng.integers(0, len(tasks), len(tasks))].sum(axis=0)), models, anchor)
                      for _ in range(rounds)]) if rounds else None
    n = {m: sum(1 for j in judgements if m in (j.first, j.second)) for m in models}
    out = {}
    for k, m in enumerate(models):
        fixed = anchor is not None and m == anchor[0]
        ci = None if draws is None or fixed else [round(float(np.percentile(draws[:, k], q)), 1) for q in (2.5, 97.5)]
        out[m] = {"elo": round(float(point[k]), 1), "ci": ci, "n": n[m]}
    return out


RUBRIC = "rubric"  # the judge of the synthetic matches below: no judge's verdict, never in the agreement figures


def rubric_matches(rates: dict[str, dict[str, float]]) -> list[Judgement]:
    """AA-Briefcase's rubric Elo: on each task, every two models' rubric pass rates as a synthetic match — the higher
    rate wins, equal rates tie — in both orders, so a task weighs as much as a pairwise check judged in both."""
    out = []
    for task, by_model in sorted(rates.items()):
        models = sorted(by_model)
        for i, a in enumerate(models):
            for b in models[i + 1:]:
                ra, rb = by_model[a], by_model[b]
                o = 1.0 if ra > rb else 0.0 if ra < rb else 0.5
                out += [Judgement(task, a, b, o, RUBRIC), Judgement(task, b, a, 1 - o, RUBRIC)]
    return out


def order_agreement(judgements: Sequence[Judgement]) -> float | None:
    """Of the pairs a judge saw in both orders on one task, the share whose two verdicts agree (a tie with a tie, a
    preference for the same model): how far the judge's position bias leaves its verdicts standing."""
    seen: dict[tuple, float] = {}
    agree = total = 0
    for j in judgements:
        key = (j.task, j.judge, j.first, j.second)
        back = (j.task, j.judge, j.second, j.first)
        if back in seen:
            total += 1
            agree += seen.pop(back) == 1 - j.outcome  # the other order, seen from this one
        else:
            seen[key] = j.outcome
    return round(agree / total, 4) if total else None


def judge_agreement(judgements: Sequence[Judgement]) -> float | None:
    """Of the comparisons two judges both made (same task, same pair, same order), the share they agree on."""
    verdicts: dict[tuple, dict[str, float]] = {}
    for j in judgements:
        verdicts.setdefault((j.task, j.first, j.second), {})[j.judge] = j.outcome
    pairs = [(a, b) for v in verdicts.values() for i, a in enumerate(v.values()) for b in list(v.values())[i + 1:]]
    return round(sum(a == b for a, b in pairs) / len(pairs), 4) if pairs else None


def win_or_tie(judgements: Sequence[Judgement], reference: str) -> dict[str, dict]:
    """Per model, the share of its comparisons with `reference` (GDPval: the expert) it won or tied, with a 95%
    interval over tasks (a task's comparisons move together)."""
    from statistics import fmean

    from .stats import bootstrap_ci
    per: dict[str, dict[str, list[float]]] = {}
    for j in judgements:
        if reference not in (j.first, j.second) or j.first == j.second:
            continue
        model, won = (j.second, j.outcome <= 0.5) if j.first == reference else (j.first, j.outcome >= 0.5)
        per.setdefault(model, {}).setdefault(j.task, []).append(float(won))
    out = {}
    for model, by_task in sorted(per.items()):
        clusters = list(by_task.values())
        every = [x for c in clusters for x in c]
        out[model] = {"rate": round(fmean(every), 6), "n": len(every), "tasks": len(clusters),
                      "ci": bootstrap_ci(clusters, fmean) if len(clusters) > 1 else None}
    return out
