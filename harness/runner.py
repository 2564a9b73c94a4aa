"""Run orchestration: which samples, how many at once, resume, grading, one record per sample."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import platform
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from providers.balance import SAMPLE
from providers.base import EndpointConfigError, Model, ModelCallError, Sampling
from providers.hardware import detect_hardware
from results.prices import sample_usd
from results.records import ErrorClass, RunManifest, SampleRecord, now_iso
from results.reprice import SERVED
from results.server import busy_share
from results.store import RunStore, model_of, sample_id, slug
from tasks import Suite, Task
from tasks.graders.review import review
from tasks.loader import SUITES_ROOT

from . import engines, overlay
from .agent import run_agent, transcript_json
from .backends import make_sandbox
from .budget import Budget, Slot
from .container import forget_saved
from .control import Controls
from .executors import LocalExecutor
from .grading import grade_copy
from .judge import RUBRIC, judge_sample
from .limits import ResourceLimits, command_limits, sweep_stale
from .sandbox import Sandbox, bwrap_path
from .serving import SCRAPE_EVERY_S, ServerWatch

DISK_GB = ResourceLimits().disk_bytes / (1 << 30)


class RunError(ValueError):
    pass


@dataclass
class RunPlan:
    suite: Suite
    tasks: list[Task]
    models: list[Model]
    out: Path
    epochs: int = 1
    concurrency: int = 4
    sampling: Sampling = field(default_factory=Sampling)
    keep_workspaces: bool = False
    max_turns: int | None = None  # caps every task's own turn limit
    node: dict = field(default_factory=dict)  # GPU type, count and $/GPU-hour as the user gave them
    judge: Model | None = None  # --judge: rates document deliverables (and tasks with a rubric.md)
    budget_usd: float | None = None  # --budget-usd: no new sample once spent + in-flight estimate reaches it
    sandbox: str = field(default_factory=lambda: "bwrap" if bwrap_path() else "none")  # --sandbox: a SANDBOXES name
    experiment: dict = field(default_factory=dict)  # --config: the experiment file's path and content
    images: dict = field(default_factory=dict)  # task id -> harness.images.Image: it runs in a container
    substitutions: dict = field(default_factory=dict)  # --substitute-image NAME=LOCAL
    agent: Any = None  # --agent: an external agent (harness/external.py) in place of pertask's own loop
    executor: Any = None  # --executor: where samples run (harness/executors.py); None: this process
    on_note: Callable[[str], None] | None = None  # one-line notices while the run goes (the console)
    scrape_every_s: float = SCRAPE_EVERY_S  # --scrape-every: a served model's /metrics during the run
    command: list[str] = field(default_factory=list)  # the command line as given (keys are never on it)
    disk_gb: float = DISK_GB  # --disk-gb: what one sample may keep on disk (harness/quota.py)
    _cached_seen: set = field(default_factory=set)
    _budget: Any = None  # the run's Budget while it goes (external agents' calls are refused past it)
    _controls: Controls | None = None  # the pristine-workspace controls that prove a grading failure is infra

    def limits(self) -> ResourceLimits:
        return ResourceLimits(disk_bytes=int(self.disk_gb * (1 << 30)))

    def controls(self, store: RunStore) -> Controls:
        if self._controls is None:
            self._controls = Controls(store.root)
        return self._controls

    def over_budget(self) -> str:
        """Why an external agent's next call is refused: the run's spending (recorded samples and what the samples
        at work have spent so far) has reached --budget-usd; '' while it has not."""
        if self.budget_usd is None or self._budget is None or self.agent is None:
            return ""
        spent = self._budget.spent + self.agent.open_spend()
        return f"run budget of ${self.budget_usd:g} (${spent:.4f} spent)" if spent >= self.budget_usd else ""

    def samples(self) -> list[tuple[Model, Task, int]]:
        # Models interleave so that a cut-short run still compares them on the same tasks.
        return [(m, t, e) for e in range(1, self.epochs + 1) for t in self.tasks for m in self.models]


def open_store(plan: RunPlan) -> RunStore:
    store = RunStore(plan.out)
    store.create()
    store.lock()  # held until the process ends
    old = store.read_manifest()
    here = (plan.suite.name, str(plan.suite.dir.resolve()), plan.suite.version)
    if old and (old.suite, old.suite_path or here[1], old.suite_version) != here:
        raise RunError(f"{plan.out} holds a run of suite '{old.suite}' ({old.suite_path or 'path not recorded'}, "
                       f"version {old.suite_version}), not of '{here[0]}' ({here[1]}, version {here[2]}): "
                       "use another --out")
    infos = {m.info.spec: m.info for m in plan.models}
    manifest = RunManifest(
        harness_version=version("pertask"), suite=plan.suite.name, suite_version=plan.suite.version,
        suite_path=str(plan.suite.dir.resolve()),
        tasks=[t.id for t in plan.tasks], models=[*(old.models if old else []), *infos.values()],
        epochs=plan.epochs, concurrency=plan.concurrency, sampling=dataclasses.asdict(plan.sampling),
        max_turns=plan.max_turns, node={**plan.node, "hardware": detect_hardware()},
        sandbox=plan.sandbox, judge=plan.judge.info if plan.judge else None,
        workspaces="overlay" if plan.sandbox == "bwrap" and not plan.keep_workspaces and overlay.supported() else "copy",
        command_limits={**command_limits(), "disk_bytes": plan.limits().disk_bytes}, experiment=plan.experiment, image_substitutions=plan.substitutions,
        images={t: {"name": i.name, "digest": i.digest, "substituted": i.substituted} for t, i in plan.images.items()},
        skipped_tasks=[{"file": e.file, "field": e.field, "reason": str(e)} for e in plan.suite.errors],
        agent=plan.agent.name if plan.agent is not None else "builtin",
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


async def run_plan(plan: RunPlan, store: RunStore, on_done) -> dict:
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
    agents, graders = asyncio.Semaphore(plan.concurrency), asyncio.Semaphore(plan.concurrency)
    budget = plan._budget = Budget(plan.budget_usd, store.load_samples())
    executor = plan.executor or LocalExecutor()

    async def one(model: Model, task: Task, epoch: int) -> None:
        slot = Slot(agents, lambda usd: budget.agent_done(model.info.spec, task.id, epoch, usd))
        async with slot:
            if not budget.admit(model.info.spec, task.id, epoch):
                return  # not started: no record, so a later run with a larger budget does it
            try:
                rec = await executor.run_sample(model, task, epoch, plan, store, scratch, hidden, slot, graders,
                                                session["started_at"])
            finally:
                budget.release(model.info.spec, task.id, epoch)
        budget.add(rec)
        store.append(rec)
        saved = store.agent_dir(rec.sample_id)
        if plan.keep_workspaces and saved.is_dir():
            saved.rename(scratch / f"{rec.task_id}-{slug(rec.model)}-e{rec.epoch}")  # its final workspace in ws/
        elif rec.error != ErrorClass.infra:  # an infra grading keeps it: the resume grades it again
            await asyncio.to_thread(forget_saved, saved)  # a container's saved image
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
        if plan.agent is not None:
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


def ledger(store: RunStore, sample: str, session: str, plan: RunPlan | None = None, **extra):
    """What the call ledger records of one call: enough to re-price it and to find what it was for."""
    def record(call: dict) -> None:
        store.append_call({"sample_id": sample, "session": session, **extra, "turn": call.get("turn"),
                           "usage": call["usage"], "raw_usage": call.get("raw_usage"), "usd": call["usd"],
                           "at": now_iso()})
        model = model_of(sample)
        if plan and plan.on_note and call["usage"].get("input_cached") and model not in plan._cached_seen:
            # Said once per model, at its first cache hit: that the provider's cache works is worth knowing early.
            plan._cached_seen.add(model)
            plan.on_note(f"{model}: the provider reports cached tokens ({call['usage']['input_cached']:,} in one call "
                         f"of {sample.split('|')[1]})")
    return record


async def run_sample(model: Model, task: Task, epoch: int, plan: RunPlan, store: RunStore,
                     scratch: Path, hidden: list[Path], slot: Slot, graders: asyncio.Semaphore,
                     session_id: str = "") -> SampleRecord:
    spec = model.info.spec
    rec = SampleRecord(sample_id=sample_id(spec, task.id, epoch), task_id=task.id, suite=task.suite,
                       task_version=task.digest, model=spec, epoch=epoch, protocol=model.info.protocol,
                       price=model.info.price, started_at=now_iso(),
                       cost_basis="gpu-hour" if model.info.kind in SERVED else "tokens", node=platform.node(),
                       executor="local")
    root = Path(tempfile.mkdtemp(prefix=f"{task.id}-", dir=scratch)).resolve()
    SAMPLE.set(rec.sample_id)  # this sample's task only: replicas keep its calls on one (providers/balance.py)
    sandbox = None
    t0, agent_wall = time.perf_counter(), 0.0
    transcript: dict = {"sample_id": rec.sample_id, "task": task.id, "model": spec, "epoch": epoch}
    try:
        sandbox = make_sandbox(task, root, hidden, plan.sandbox, plan.images.get(task.id), plan.limits(),
                               agent=plan.agent.mounts[0] if plan.agent is not None and plan.agent.mounts else None)
        saved = store.load_agent(rec.sample_id)
        if saved is not None and saved[0].task_version == task.digest:
            # An earlier session ran the agent and was killed while grading: grade what it left, call nothing.
            rec, transcript = saved
            agent_wall = rec.wall_s
            transcript["regraded_at"] = now_iso()
            sandbox.restore(store.agent_dir(rec.sample_id), task.workspace, task.copies)
            slot.give_back(rec.usd)
        else:
            shutil.rmtree(store.agent_dir(rec.sample_id), ignore_errors=True)  # a save cut short, if any
            await agent_phase(model, task, plan, sandbox, rec, transcript, store, slot, session_id)
        # A sample cut short by a limit or a model error is still graded as it stands;
        # one cut short by the infrastructure is not scored at all.
        if rec.error != ErrorClass.infra:
            # Graders and the judge read a copy the harness makes of what the agent left, never the workspace itself.
            async with graders:
                graded, dirs, grade = await grade_copy(task, sandbox, root)
            rec.grader = {**grade.as_dict(), "copy": graded.report.as_dict()}
            rec.review = await asyncio.to_thread(review, graded.workspace, dict(task.workspace_files()))
            if graded.report.n_dropped:  # why a deliverable is missing from what was graded: the model's doing
                rec.grader["detail"] = (graded.report.summary() + "\n" + rec.grader["detail"]).strip()
            transcript["grader_output"] = grade.output
            transcript["grading_files"] = await asyncio.to_thread(store.save_grading, spec, task.id, epoch,
                                                                  dirs.out / "logs")
            failure = grade.infra_error and await plan.controls(store).failure(task, plan, scratch, hidden)
            if failure:
                rec.error = ErrorClass.infra
                rec.error_detail = f"grader: {grade.infra_error} (the task's pristine workspace fails too: {failure})"
            elif grade.infra_error:  # the control graded: what stopped this grading is the model's doing
                rec.score, rec.passed = 0.0, False
                rec.error_detail = (f"grading failed on this sample's workspace ({grade.infra_error}), and graded the "
                                    "task's pristine workspace: the model's doing")
            else:
                rec.score, rec.passed = grade.score, grade.passed
                if grade.tampered:
                    rec.error, rec.error_detail = ErrorClass.tampered, grade.tampered
                if plan.judge is not None and (task.config.kind == "document" or (task.grader_dir / RUBRIC).is_file()):
                    rec.judge = await judge_sample(plan.judge, task, graded.files)
                    if rec.judge.usage.calls:
                        ledger(store, rec.sample_id, session_id, judge=rec.judge.model)(
                            {"usage": rec.judge.usage.model_dump(), "usd": rec.judge.usd})
    except ModelCallError as exc:
        rec.error, rec.error_detail = ErrorClass(exc.kind), exc.detail
    except EndpointConfigError:
        raise  # the run stops: no sample is to blame
    except Exception as exc:  # anything unforeseen is the harness's fault, never the model's
        rec.error, rec.error_detail = ErrorClass.infra, f"{type(exc).__name__}: {exc}"
        transcript["traceback"] = traceback.format_exc()
    finally:
        if sandbox is not None:
            await sandbox.destroy()
        if not plan.keep_workspaces:
            shutil.rmtree(root, ignore_errors=True)
    rec.wall_s = round(agent_wall + time.perf_counter() - t0, 3)
    rec.finished_at = now_iso()
    transcript["grade"] = rec.grader
    rec.transcript = store.write_transcript(spec, task.id, epoch, transcript)
    return rec


async def agent_phase(model: Model, task: Task, plan: RunPlan, sandbox: Sandbox, rec: SampleRecord,
                      transcript: dict, store: RunStore, slot: Slot, session_id: str) -> None:
    """The agent's loop in the sample's sandbox; what it did is saved (workspace, record, transcript)
    before grading starts, so a kill during grading loses no paid call."""
    t0 = time.perf_counter()
    if not model.server_alive():
        # Fail fast: each call would otherwise spend the client's whole retry budget on a dead server.
        raise ModelCallError("infra", "the vLLM server launched for this model is no longer running")
    solution = task.environment.solution if task.environment and model.wants_reference else None
    await asyncio.to_thread(sandbox.prepare, task.workspace, task.copies, task.checkout, cow=not plan.keep_workspaces,
                            solution=solution)
    limits = task.config.limits
    if plan.max_turns:
        limits = limits.model_copy(update={"max_turns": min(limits.max_turns, plan.max_turns)})
    if plan.agent is not None:
        res = await plan.agent.run(model, rec.sample_id, task.instruction, sandbox, limits,
                                   ledger(store, rec.sample_id, session_id, plan), plan.over_budget)
    else:
        res = await run_agent(model, task.instruction, sandbox, limits=limits, sampling=plan.sampling,
                              reference=task.reference() if model.wants_reference else None,
                              on_call=ledger(store, rec.sample_id, session_id, plan))
    await sandbox.close()  # nothing the agent left running survives into grading
    rec.turns, rec.format_errors, rec.usage = res.turns, res.format_errors, res.usage
    rec.error, rec.error_detail = res.error, res.error_detail
    rec.usd = sample_usd(res.calls, model.info.price)
    slot.give_back(rec.usd)
    # Let the next sample take the slot and send its first request now: what follows blocks the event
    # loop (saving, copying the grader, starting its sandbox: fork and exec), and the model's server would
    # otherwise wait ~0.1 s per sample for the next agent (benchmarks/slot_handoff.py).
    await asyncio.sleep(0)
    transcript.update(transcript_json(res))
    rec.replica = model.replica_of(rec.sample_id)
    if rec.error != ErrorClass.infra:
        rec.wall_s = round(time.perf_counter() - t0, 3)
        await asyncio.to_thread(_save_agent, store, sandbox, rec, transcript)


def _save_agent(store: RunStore, sandbox: Sandbox, rec: SampleRecord, transcript: dict) -> None:
    sandbox.persist(store.agent_dir(rec.sample_id))
    store.save_agent(rec, transcript)
