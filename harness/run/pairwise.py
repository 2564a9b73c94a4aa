"""`pertask pairwise RUN... --judge J...`: the models of one or more runs ranked by pairwise comparison of their
deliverables, as AA-Briefcase ranks analytical quality and presentation and GDPval-AA ranks against the expert.

For every task, every two models that left deliverables (kept in their transcripts by a judged run) are compared on
each pairwise check of the task's grader/checks.jsonl (AQ, P), or on overall quality where it has none, by one judge
of the panel drawn per comparison, in both orders. The judgements become Elo scores with intervals per check type and
overall (results/elo.py); verdicts are cached under the first run's folder, so a second call pays for nothing again.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any

from harness.agents.judge import deliverables
from harness.agents.pairwise import PairwiseJudge
from harness.agents.panel import draw
from harness.sandboxes.overlay import DirView
from providers.base import Model
from providers.registry import build_model
from results.claims import published
from results.elo import RUBRIC, Judgement, elo, judge_agreement, order_agreement, rubric_matches, win_or_tie
from results.prices import Catalog
from results.records import ErrorClass
from results.store import RunStore
from tasks import load_suite
from tasks.rubric import CHECKS, Check, load_checks

from .plan import RunError

EXPERT = "expert"  # a task's grader/expert/ folder: a reference deliverable (GDPval's), compared like a model's
OVERALL = Check(check_id="overall", task_id="*", check_type="AQ", scoring_type="pairwise",
                check_description="Which deliverable does the task better: correct, complete, well reasoned and ready "
                                  "to hand to the person who asked?")


def deliverables_of(runs: list[Path], rates: dict[str, dict[str, float]] | None = None
                    ) -> tuple[dict[str, dict[str, dict[str, str]]], Any]:
    """task -> model -> its deliverables (the first scored epoch that kept them), and the suite of the first run;
    `rates` gets task -> model -> its rubric pass rate (that epoch's panel verdicts), where it was judged so."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    suite = None
    for run in runs:
        store = RunStore(run)
        manifest = store.read_manifest()
        if manifest is None:
            raise RunError(f"{run}: not a run directory (no manifest.json)")
        suite = suite or load_suite(manifest.suite_path or manifest.suite)
        for rec in sorted(store.load_samples(), key=lambda r: r.epoch):
            if rec.error == ErrorClass.infra or not rec.transcript:
                continue
            shown = json.loads((run / rec.transcript).read_text()).get("deliverables")
            model = rec.model if len(runs) == 1 else f"{rec.model} @ {run.name}"
            if shown is not None and model not in found.setdefault(rec.task_id, {}):
                found[rec.task_id][model] = shown
                if rates is not None and rec.judge and rec.judge.checks and rec.judge.score is not None:
                    rates.setdefault(rec.task_id, {})[model] = rec.judge.score
    return found, suite


async def compare_all(found: dict[str, dict[str, dict[str, str]]], tasks: dict[str, Any], judges: list[Model],
                      cache: Path, anchor: tuple[str, float] | None = None, rounds: int = 1000,
                      rates: dict[str, dict[str, float]] | None = None) -> dict[str, Any]:
    """Every two models' deliverables (`found`: task -> model -> files as text) compared per task and pairwise check,
    one judge of the panel drawn per comparison, both orders; Elo overall and per check type, and what it cost.
    `rates` (task -> model -> rubric pass rate) adds AA's rubric Elo from synthetic matches, and counts in the
    overall Elo beside analytical quality and presentation."""
    if not any(len(models) > 1 for models in found.values()):
        raise RunError("no task has deliverables of two models to compare: run with --judge (which keeps what the "
                       "judges saw in each transcript), with two or more models")
    panel = {j.info.spec: PairwiseJudge(j, cache) for j in judges}
    judgements: dict[str, list[Judgement]] = {}
    for task_id, models in sorted(found.items()):
        task = tasks.get(task_id)
        if task is None:
            continue
        own = task.grader_dir / CHECKS
        checks = [c for c in load_checks(own) if not c.binary] if own.is_file() else []
        for check in checks or [OVERALL]:
            for a, b in combinations(sorted(models), 2):
                key = check.model_copy(update={"check_id": f"{task_id}/{check.check_id}/{a}/{b}"})
                judge = panel[draw(key, judges).info.spec]
                got = await judge.compare(task_id, task.instruction, check, a, models[a], b, models[b])
                judgements.setdefault(check.check_type.value, []).extend(got)
    if rates and any(len(ms) > 1 for ms in rates.values()):
        judgements[RUBRIC] = rubric_matches(rates)
    every = [j for js in judgements.values() for j in js]
    judged = [j for j in every if j.judge != RUBRIC]  # what the agreement figures are about: the judges' verdicts
    paid = [c for j in panel.values() for c in j.calls]
    experts = any(EXPERT in models for models in found.values())
    if experts and anchor is None:
        anchor = (EXPERT, 1000.0)  # GDPval-AA's scale: the expert is 1000
    scores = elo(every, anchor, rounds)
    return {"elo": scores, **({"vs_expert": win_or_tie(every, EXPERT)} if experts else {}),
            "published": published("elo", list(scores)),  # someone else's Elo for these models, labelled as theirs
            "by_type": {t: elo(js, anchor, rounds) for t, js in judgements.items()},
            "n_judgements": len(judged), "order_agreement": order_agreement(judged),
            "judge_agreement": judge_agreement(judged), "judges": list(panel),
            "judge_calls": len(paid), "judge_usd": None if any(c["usd"] is None for c in paid)
            else round(sum(c["usd"] for c in paid), 6)}


async def with_experts(found: dict[str, dict[str, dict[str, str]]], tasks: list) -> None:
    """Each task's expert deliverable (its hidden grader/expert/ folder, GDPval's) joins the models compared on it."""
    for task in tasks:
        folder = task.grader_dir / EXPERT
        if task.id in found and folder.is_dir() and EXPERT not in found[task.id]:
            found[task.id][EXPERT] = await deliverables(task, DirView(folder))


async def rank(runs: list[Path], judges: list[Model], anchor: tuple[str, float] | None = None,
               rounds: int = 1000) -> dict[str, Any]:
    rates: dict[str, dict[str, float]] = {}
    found, suite = deliverables_of(runs, rates)
    await with_experts(found, suite.tasks)
    return await compare_all(found, {t.id: t for t in suite.tasks}, judges, runs[0] / "pairwise-cache", anchor, rounds,
                             rates)


def parse_anchor(text: str | None) -> tuple[str, float] | None:
    """--anchor MODEL=SCORE."""
    if not text:
        return None
    name, _, score = text.rpartition("=")
    try:
        return name, float(score)
    except ValueError:
        raise RunError(f"--anchor {text}: expected MODEL=SCORE, e.g. oracle=1000") from None


async def rank_with(runs: list[Path], specs: list[str], catalog: Catalog, anchor: tuple[str, float] | None) -> dict:
    judges = [build_model(spec, catalog) for spec in specs]
    try:
        return await rank(runs, judges, anchor)
    except ValueError as exc:  # an anchor that is in no judgement
        raise RunError(str(exc)) from None
    finally:
        for j in judges:
            await j.aclose()
