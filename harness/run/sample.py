"""One sample's life: its sandbox, the agent (pertask's own loop or an external one), what the agent did saved
before grading, the grading of a copy (with the control that proves "infra"), the judge, and one record."""

from __future__ import annotations

import asyncio
import platform
import shutil
import tempfile
import time
import traceback
from pathlib import Path

from harness.agents.base import Assignment
from harness.agents.builtin import transcript_json
from harness.agents.judge import RUBRIC, deliverables, judge_sample, pdf_pages
from harness.agents.panel import judge_rubric, task_checks
from harness.sandboxes import Sandbox, make_sandbox
from providers.balance import SAMPLE
from providers.base import EndpointConfigError, Model, ModelCallError
from results.prices import priced, sample_usd
from results.records import ErrorClass, Reading, SampleRecord, now_iso
from results.store import RunStore, model_of, sample_id
from tasks import Task
from tasks.graders.review import review
from tasks.rubric import CHECKS

from .budget import Slot
from .grading import grade_copy
from .plan import RunContext, RunPlan


def ledger(store: RunStore, sample: str, ctx: RunContext | None = None, **extra):
    """What the call ledger records of one call: enough to re-price it and to find what it was for."""
    session = ctx.session_id if ctx else ""

    def record(call: dict) -> None:
        store.append_call({"sample_id": sample, "session": session, **extra, "turn": call.get("turn"),
                           "usage": call["usage"], "raw_usage": call.get("raw_usage"), "usd": call["usd"],
                           "finish": call.get("finish_reason"), "at": now_iso()})
        model = model_of(sample)
        if ctx and ctx.on_note and call["usage"].get("input_cached") and model not in ctx.cached_seen:
            # Said once per model, at its first cache hit: that the provider's cache works is worth knowing early.
            ctx.cached_seen.add(model)
            ctx.on_note(f"{model}: the provider reports cached tokens ({call['usage']['input_cached']:,} in one call "
                         f"of {sample.split('|')[1]})")
    return record


async def run_sample(model: Model, task: Task, epoch: int, plan: RunPlan, ctx: RunContext, slot: Slot) -> SampleRecord:
    spec, store = model.info.spec, ctx.store
    rec = SampleRecord(sample_id=sample_id(spec, task.id, epoch), task_id=task.id, suite=task.suite,
                       task_version=task.digest, model=spec, epoch=epoch, protocol=model.info.protocol,
                       price=model.info.price, started_at=now_iso(),
                       cost_basis="gpu-hour" if model.info.self_hosted else "tokens", node=platform.node(),
                       executor="local")
    root = Path(tempfile.mkdtemp(prefix=f"{task.id}-", dir=ctx.scratch)).resolve()
    SAMPLE.set(rec.sample_id)  # this sample's task only: replicas keep its calls on one (providers/balance.py)
    sandbox = None
    t0, agent_wall = time.perf_counter(), 0.0
    transcript: dict = {"sample_id": rec.sample_id, "task": task.id, "model": spec, "epoch": epoch}
    try:
        sandbox = make_sandbox(task, root, ctx.hidden, plan.sandbox, plan.images.get(task.id), plan.limits(),
                               agent=plan.agent.mounts[0] if plan.agent.mounts else None)
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
            await agent_phase(model, task, plan, ctx, sandbox, rec, transcript, slot)
        # A sample cut short by a limit or a model error is still graded as it stands;
        # one cut short by the infrastructure is not scored at all.
        if rec.error != ErrorClass.infra and transcript.get("abandoned"):
            # The model gave up (AA-Briefcase's abandon tool): its doing, scored 0 with its reason, nothing graded.
            rec.score, rec.passed = 0.0, False
            rec.error_detail = f"abandoned by the model: {transcript['abandoned']}"
            rec.grader = {"score": 0.0, "passed": False, "checks": [], "infra_error": "", "detail": rec.error_detail}
        elif rec.error != ErrorClass.infra:
            await grade_phase(task, plan, ctx, sandbox, root, rec, transcript)
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


async def agent_phase(model: Model, task: Task, plan: RunPlan, ctx: RunContext, sandbox: Sandbox, rec: SampleRecord,
                      transcript: dict, slot: Slot) -> None:
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
    on_call = ledger(ctx.store, rec.sample_id, ctx)
    res = await plan.agent.run(Assignment(model, rec.sample_id, task.instruction, sandbox, limits, on_call, plan.sampling,
                                          task.reference() if model.wants_reference else None,
                                          lambda: ctx.over_budget(plan), task.prompts.get("agent_system"),
                                          task.finish_tools))
    await sandbox.close()  # nothing the agent left running survives into grading
    rec.reading, opened = _reading(task, sandbox.opened())
    if rec.reading is not None:
        transcript["opened"] = opened
    rec.turns, rec.format_errors, rec.usage = res.turns, res.format_errors, res.usage
    rec.bad_tool_calls = res.bad_tool_calls
    rec.compactions = len(res.compactions)
    rec.compaction_usd = None if any(c.usd is None for c in res.compactions) else \
        round(sum(c.usd for c in res.compactions), 9)
    rec.error, rec.error_detail = res.error, res.error_detail
    rec.usd = sample_usd(res.calls, priced(model.info))
    slot.give_back(rec.usd)
    # Let the next sample take the slot and send its first request now: what follows blocks the event
    # loop (saving, copying the grader, starting its sandbox: fork and exec), and the model's server would
    # otherwise wait ~0.1 s per sample for the next agent (benchmarks/slot_handoff.py).
    await asyncio.sleep(0)
    transcript.update(transcript_json(res))
    if res.abandoned:
        transcript["abandoned"] = res.abandoned[:2000]
    rec.replica = model.replica_of(rec.sample_id)
    if rec.error != ErrorClass.infra:
        rec.wall_s = round(time.perf_counter() - t0, 3)
        await asyncio.to_thread(_save_agent, ctx.store, sandbox, rec, transcript)


async def grade_phase(task: Task, plan: RunPlan, ctx: RunContext, sandbox: Sandbox, root: Path, rec: SampleRecord,
                      transcript: dict) -> None:
    """Graders and the judge read a copy the harness makes of what the agent left, never the workspace itself; a
    grading that gives no verdict is infra only if the task's pristine workspace gives none either."""
    async with ctx.graders:
        graded, dirs, grade = await grade_copy(task, sandbox, root)
    rec.grader = {**grade.as_dict(), "copy": graded.report.as_dict()}
    rec.review = await asyncio.to_thread(review, graded.workspace, dict(task.workspace_files()))
    if graded.report.n_dropped:  # why a deliverable is missing from what was graded: the model's doing
        rec.grader["detail"] = (graded.report.summary() + "\n" + rec.grader["detail"]).strip()
    transcript["grader_output"] = grade.output
    transcript["grading_files"] = await asyncio.to_thread(ctx.store.save_grading, rec.model, task.id, rec.epoch,
                                                          dirs.out / "logs")
    failure = grade.infra_error and await ctx.controls.failure(task, plan, ctx.scratch, ctx.hidden)
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
        checks = (task.grader_dir / CHECKS).is_file()
        judged = plan.judges and (checks or task.config.kind == "document" or (task.grader_dir / RUBRIC).is_file())
        if judged:  # kept with the transcript as the judges saw them: pairwise comparisons read them after the run
            shown = transcript["deliverables"] = await deliverables(task, graded.files)
        if judged and checks:  # rubric checks, by the panel (PDFs' pages drawn for judges that take images)
            images = await pdf_pages(graded.files, shown) if any(j.takes_images for j in plan.judges) else {}
            if images:
                transcript["page_images"] = {rel: len(pages) for rel, pages in images.items()}
            rec.judge = await judge_rubric(plan.judges, plan.panel, task, shown, images)
            for v in (vote for check in rec.judge.checks for vote in check.votes or [check]):
                if v.usage.calls:  # each judge's call on a line of its own
                    ledger(ctx.store, rec.sample_id, ctx, judge=v.judge, check=v.check_id)(
                        {"usage": v.usage.model_dump(), "usd": v.usd})
        elif judged:
            rec.judge = await judge_sample(plan.judges[0], task, shown)
            if rec.judge.usage.calls:
                ledger(ctx.store, rec.sample_id, ctx, judge=rec.judge.model)(
                    {"usage": rec.judge.usage.model_dump(), "usd": rec.judge.usd})


def _reading(task: Task, opened: set[str] | None) -> tuple[Reading | None, list[str]]:
    """The share of the task's source files the agent's commands opened, and which (for the transcript)."""
    sources = dict(task.workspace_files()) if task.config.kind == "document" else {}  # what there is to read
    if opened is None or not sources:
        return None, []
    hit = sorted(rel for rel in opened if rel in sources)
    size = {rel: p.stat().st_size // 4 for rel, p in sources.items()}
    named = {f for c in task_checks(task) for f in c.files_needed} if (task.grader_dir / CHECKS).is_file() else set()
    needed = {rel for rel in sources if any(rel == f or rel.endswith("/" + f) for f in named)}
    return Reading(opened=len(hit), sources=len(sources), tokens_opened=sum(size[r] for r in hit),
                   tokens=sum(size.values()), needed=len(needed), needed_opened=len(needed & set(hit))), hit


def _save_agent(store: RunStore, sandbox: Sandbox, rec: SampleRecord, transcript: dict) -> None:
    sandbox.persist(store.agent_dir(rec.sample_id))
    store.save_agent(rec, transcript)
