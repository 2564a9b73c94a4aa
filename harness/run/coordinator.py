"""The coordinator: it alone owns the run directory (its lock and manifest), resume, the budget and the servers'
watch; it admits samples up to --concurrency and hands each to the executor, which runs it (harness/run/sample.py)
and gives its record back."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import platform
import shutil
import time
from importlib.metadata import version

from harness.sandboxes import backend_class, backend_for, engines
from harness.sandboxes.limits import command_limits, sweep_stale
from providers.base import EndpointConfigError, Model
from providers.hardware import detect_hardware
from results.records import ErrorClass, RunManifest, now_iso
from results.store import RunStore, sample_id, slug
from results.vllm_metrics import busy_share
from tasks import Task
from tasks.loader import SUITES_ROOT

from .budget import Budget, Slot
from .executors import LocalExecutor
from .plan import RunContext, RunError, RunPlan
from .server_watch import ServerWatch


def open_store(plan: RunPlan) -> RunStore:
    store = RunStore(plan.out)
    store.create()
    store.lock()  # held until the process ends
    old = store.read_manifest()
    here = (plan.suite.name, plan.suite.origin or str(plan.suite.dir.resolve()), plan.suite.version)
    if old and (old.suite, old.suite_path or here[1], old.suite_version) != here:
        raise RunError(f"{plan.out} holds a run of suite '{old.suite}' ({old.suite_path or 'path not recorded'}, "
                       f"version {old.suite_version}), not of '{here[0]}' ({here[1]}, version {here[2]}): "
                       "use another --out")
    infos = {m.info.spec: m.info for m in plan.models}
    manifest = RunManifest(
        harness_version=version("pertask"), suite=plan.suite.name, suite_version=plan.suite.version,
        suite_path=here[1],  # hf:OWNER/NAME@COMMIT for a fetched dataset: the revision graded
        tasks=[t.id for t in plan.tasks], models=[*(old.models if old else []), *infos.values()],
        epochs=plan.epochs, concurrency=plan.concurrency, sampling=dataclasses.asdict(plan.sampling),
        max_turns=plan.max_turns, node={**plan.node, "hardware": detect_hardware()},
        sandbox=plan.sandbox, judge=plan.judges[0].info if plan.judges else None,
        judges=[j.info for j in plan.judges], panel=plan.panel if plan.judges else "",
        workspaces=backend_class(plan.sandbox).workspaces(plan.keep_workspaces),
        command_limits={**command_limits(), "disk_bytes": plan.limits().disk_bytes}, experiment=plan.experiment,
        image_substitutions=dict(plan.substitutions), image_notes=plan.substitutions.notes,
        images={t: {"name": i.name, "digest": i.digest, "substituted": i.substituted} for t, i in plan.images.items()},
        skipped_tasks=[{"file": e.file, "field": e.field, "reason": str(e)} for e in plan.suite.errors],
        agent=plan.agent.name,
        container_engine=engines.engine().name if plan.images else "",
        container_root_mapped=engines.root_mapped() if plan.images else None,
        host={"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()})
    if old:  # a resume: keep the first start, the union of tasks and models, the history of sessions
        manifest.started_at, manifest.sessions = old.started_at, old.sessions
        manifest.tasks = sorted(set(old.tasks) | set(manifest.tasks))
        manifest.models = list({m.spec: m for m in manifest.models}.values())
        manifest.epochs = max(old.epochs, plan.epochs)
    store.write_manifest(manifest)
    return store


def record_models(plan: RunPlan, store: RunStore) -> None:
    """The models as they are once their servers run (a launched vLLM's address is known only then): the
    manifest holds what the samples were actually sent to."""
    manifest = store.read_manifest()
    now = {m.info.spec: m.info for m in plan.models}
    manifest.models = [now.get(m.spec, m) for m in manifest.models]
    store.write_manifest(manifest)


def pending(plan: RunPlan, store: RunStore) -> list[tuple[Model, Task, int]]:
    """The plan's samples that have no finished record yet (a resume skips the rest)."""
    done = store.finished_ids()
    return [s for s in plan.samples() if sample_id(s[0].info.spec, s[1].id, s[2]) not in done]


async def run_plan(plan: RunPlan, store: RunStore, on_done, on_note=None) -> dict:
    todo = pending(plan, store)
    session = {"started_at": now_iso(), "planned": len(plan.samples()), "skipped_done": len(plan.samples()) - len(todo),
               "command": plan.command}
    # Workspaces live in the run directory: what a killed session left in active/ is cleared here,
    # while workspaces an earlier session kept (--keep-workspaces) sit in folders of their own.
    scratch = plan.out / "workspaces" / "active"
    shutil.rmtree(scratch, ignore_errors=True)
    sweep_stale()  # and the cgroups a killed run left behind
    scratch.mkdir(parents=True)
    # Hidden inside what the sandbox binds, should it hold them: installed without -e, the tasks package (the
    # suites and their generator's specs) sits in the very venv whose interpreter the sandbox needs.
    hidden = [SUITES_ROOT.parent, plan.suite.dir, plan.out.resolve(), *plan.suite.hidden]
    # --concurrency counts agents at work. A sample gives its slot up when its agent stops, and is
    # graded beside the others (as many gradings at once, at most): the model's server is not left
    # idle while hidden tests run (benchmarks/vllm_serving.py).
    agents = asyncio.Semaphore(plan.concurrency)
    budget = Budget(plan.budget_usd, store.load_samples())
    ctx = RunContext(store, scratch, hidden, session["started_at"], asyncio.Semaphore(plan.concurrency), budget,
                     on_note=on_note)
    executor = plan.executor or LocalExecutor()

    async def one(model: Model, task: Task, epoch: int) -> None:
        slot = Slot(agents, lambda usd: budget.agent_done(model.info.spec, task.id, epoch, usd))
        async with slot:
            if not budget.admit(model.info.spec, task.id, epoch):
                return  # not started: no record, so a later run with a larger budget does it
            try:
                rec = await executor.run_sample(model, task, epoch, plan, ctx, slot)
            finally:
                budget.release(model.info.spec, task.id, epoch)
        budget.add(rec)
        store.append(rec)
        saved = store.agent_dir(rec.sample_id)
        if plan.keep_workspaces and saved.is_dir():
            saved.rename(scratch / f"{rec.task_id}-{slug(rec.model)}-e{rec.epoch}")  # its final workspace in ws/
        elif rec.error != ErrorClass.infra:  # an infra grading keeps it: the resume grades it again
            await asyncio.to_thread(backend_for(plan.sandbox, plan.images.get(task.id)).forget, saved)
            shutil.rmtree(saved, ignore_errors=True)
        watch.add(rec)
        where = f"{rec.executor or 'local'} on {rec.node or 'unknown'}"
        session["ran"][where] = session["ran"].get(where, 0) + 1  # the manifest says where this session's samples ran
        on_done(rec)

    try:
        await executor.start(plan, store, session["started_at"])
        session["executor"], session["ran"] = executor.describe(), {}
        t0 = time.monotonic()
        async with ServerWatch(plan.models, store, plan.node, plan.scrape_every_s) as watch:
            try:
                async with asyncio.TaskGroup() as group:  # one failure (a set-up refusal) stops the others
                    for s in todo:
                        group.create_task(one(*s))
            except BaseExceptionGroup as eg:
                first = next((e for e in eg.exceptions if isinstance(e, EndpointConfigError)), eg.exceptions[0])
                session["stopped"] = str(first)
                raise first from None
        wall = time.monotonic() - t0
        session["samples_per_s"] = round(sum(session["ran"].values()) / wall, 4) if wall > 0 else None
        # Each served model's busy share over the session (its load over time is in servers/NAME.json).
        session["busy_share"] = {spec: busy_share(w) for spec, w in watch.sessions.items()}
    finally:
        await executor.close()
        await plan.agent.aclose()
        if plan.keep_workspaces:
            kept = scratch.with_name(session["started_at"].replace(":", "-"))
            scratch.rename(kept)
            session["workspaces"] = str(kept)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
            with contextlib.suppress(OSError):
                scratch.parent.rmdir()  # only when no kept workspaces remain
        if plan.budget_usd is not None:
            session["budget_usd"], session["budget_not_started"] = plan.budget_usd, budget.not_started
            session["spent_usd"] = round(budget.spent, 6)
        manifest = store.read_manifest()
        manifest.sessions.append({**session, "finished_at": now_iso()})
        manifest.finished_at = now_iso()
        store.write_manifest(manifest)
        store.unlock()
    return session
