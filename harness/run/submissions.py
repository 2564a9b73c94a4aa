"""`pertask grade SUITE FOLDER --judge J...`: deliverables pertask did not make — a folder per model holding a folder
per task id (another harness's outputs, a benchmark's published submissions, an expert's reference) — graded as a
judged run grades its own: each binary rubric check by the panel, then every two models compared pairwise into Elo.
No model is called but the judges, and a model folder is named as its model."""

from __future__ import annotations

from pathlib import Path
from statistics import fmean
from typing import Any

from harness.agents.judge import deliverables, pdf_pages
from harness.agents.panel import judge_checks, pass_rate, task_checks
from harness.sandboxes.overlay import DirView
from providers.registry import build_model
from results.prices import Catalog
from results.stats import bootstrap_ci
from tasks import Suite
from tasks.rubric import CHECKS

from .pairwise import compare_all, with_experts
from .plan import RunError


async def grade_folder(suite: Suite, folder: Path | None, specs: list[str], catalog: Catalog, mode: str = "draw",
                       anchor: tuple[str, float] | None = None, rounds: int = 1000) -> dict[str, Any]:
    """`folder` None: the suite's own submissions/ (AA-Briefcase-Lite publishes its models' deliverables there)."""
    folder = folder or suite.dir / "submissions"
    tasks = {t.id: t for t in suite.tasks}
    models = sorted(d.name for d in folder.iterdir() if d.is_dir() and not d.name.startswith(".")) \
        if folder.is_dir() else []
    found = {tid: {m: None for m in models if (folder / m / tid).is_dir()} for tid in tasks}
    found = {tid: ms for tid, ms in found.items() if ms}
    if not found:
        raise RunError(f"{folder}: no MODEL/TASK_ID folder matches a task of suite {suite.name} "
                       f"(tasks: {', '.join(sorted(tasks)[:5])}{'…' if len(tasks) > 5 else ''})")
    judges = [build_model(spec, catalog) for spec in specs]
    pages: dict[tuple[str, str], dict] = {}  # PDFs' pages, for judges that take images
    try:
        for tid, ms in found.items():
            for m in ms:
                ms[m] = await deliverables(tasks[tid], DirView(folder / m / tid))
                if any(j.takes_images for j in judges):
                    pages[tid, m] = await pdf_pages(DirView(folder / m / tid), ms[m])
        per_model: dict[str, list] = {m: [] for m in models}
        for tid, ms in sorted(found.items()):
            path = tasks[tid].grader_dir / CHECKS
            if not path.is_file():
                continue
            checks = task_checks(tasks[tid])
            for m, shown in ms.items():
                verdicts = await judge_checks(judges, tasks[tid].instruction, checks, shown, mode, tasks[tid].prompts,
                                              pages.get((tid, m)))
                per_model[m] += [(tid, v) for v in verdicts]
        await with_experts(found, list(tasks.values()))  # after the rubric: an expert's deliverable is only compared
        rates = {tid: {m: r for m, vs in per_model.items()
                       if (r := pass_rate([v for t, v in vs if t == tid])) is not None} for tid in found}
        pairwise = await compare_all(found, tasks, judges, folder / ".pertask-pairwise-cache", anchor, rounds, rates) \
            if any(len(ms) > 1 for ms in found.values()) else None
    finally:
        for j in judges:
            await j.aclose()
    rubric = {}
    for m, got in per_model.items():
        verdicts = [v for _, v in got]
        by_task = {}
        for tid, v in got:
            by_task.setdefault(tid, []).append(v)
        # Tasks are the units: the interval is a bootstrap over tasks, each task's verdicts moving together.
        clusters = [[float(v.passed) for v in vs if v.passed is not None] for vs in by_task.values()]
        clusters = [c for c in clusters if c]
        rubric[m] = {"pass_rate": pass_rate(verdicts), "n_checks": len(verdicts),
                     "no_verdict": sum(1 for v in verdicts if v.passed is None),
                     "pass_rate_ci": bootstrap_ci(clusters, fmean) if len(clusters) > 1 else None,
                     "judge_usd": None if any(v.usd is None and v.usage.calls for v in verdicts)
                     else round(sum(v.usd or 0.0 for v in verdicts), 6),
                     "checks": [{"task": tid, **v.model_dump(exclude={"votes"})} for tid, v in got]}
    return {"suite": suite.name, "folder": str(folder), "models": models, "rubric": rubric, "pairwise": pairwise}
