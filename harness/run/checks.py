"""`pertask tasks check`: every task must be passable (the oracle scores 1.0) and not passable
by doing nothing (null does not pass), through the same sandbox and graders as a real run."""

from __future__ import annotations

import tempfile
from pathlib import Path

from harness.sandboxes.per_task import prepare_images
from providers.registry import build_model
from results.prices import Catalog
from tasks import Suite

from .coordinator import open_store, run_plan
from .plan import Executor, RunPlan, Substitutions


async def check_oracles(suite: Suite, concurrency: int = 4, sandbox: str | None = None,
                        substitutions: Substitutions | None = None, note=lambda _: None,
                        executor: Executor | None = None) -> list[str]:
    """One problem line per task whose grader cannot tell a solution from no work; [] when all hold."""
    if not suite.tasks:
        return []
    subs, unbuilt = substitutions if substitutions is not None else Substitutions(), {}
    images = prepare_images(suite.tasks, sandbox, subs, note, unbuilt)
    problems = [f"{task}: {why}" for task, why in unbuilt.items()]
    runnable = [t for t in suite.tasks if t.id not in unbuilt]
    if not runnable:
        return problems
    catalog = Catalog.load()
    models = [build_model("oracle", catalog), build_model("null", catalog)]
    with tempfile.TemporaryDirectory(prefix="pertask-check-") as tmp:
        plan = RunPlan(suite, runnable, models, Path(tmp) / "run", concurrency=concurrency, images=images,
                       substitutions=subs, executor=executor)
        if sandbox:
            plan.sandbox = sandbox
        store = open_store(plan)
        await run_plan(plan, store, lambda rec: None)
        results = {(r.model, r.task_id): r for r in store.load_samples()}
    unproven = [t.id for t in runnable if not any(t.reference().values()) and not (t.environment and t.environment.solution)]
    if unproven:  # a published benchmark without reference deliverables (AA-Briefcase-Lite): only null is checked
        note(f"{len(unproven)} task(s) have no reference solution ({', '.join(unproven[:4])}"
             f"{'…' if len(unproven) > 4 else ''}): checked only that doing nothing fails")
    for task in runnable:
        oracle, null = results.get(("oracle", task.id)), results.get(("null", task.id))
        if oracle is None or oracle.error.value == "infra" or null is None or null.error.value == "infra":
            problems.append(f"{task.id}: the check itself failed: "
                            f"{(oracle and oracle.error_detail) or (null and null.error_detail)}")
            continue
        if task.id not in unproven and (not oracle.passed or oracle.score != 1.0):
            failed = [c["name"] for c in oracle.grader.get("checks", []) if not c["passed"]]
            said = [x.strip() for x in (oracle.grader.get("detail") or "").strip().splitlines() if x.strip()][-3:]
            problems.append(f"{task.id}: the reference solution scores {oracle.score} (failing: {', '.join(failed)})"
                            + (f"; the grader's last lines: {' | '.join(said)}" if said else ""))
        if null.passed:
            problems.append(f"{task.id}: doing nothing passes the grader")
    return problems
