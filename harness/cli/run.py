"""`pertask run`: the flags checked, the models built, the run set up (harness/run/setup.py), then the coordinator
with a progress display, and the report."""

from __future__ import annotations

import argparse
import asyncio

from harness.run import setup
from harness.run.coordinator import open_store, pending, record_models, run_plan
from harness.run.executors import make_executor
from harness.run.plan import RunPlan
from harness.run.server_watch import start_servers
from harness.sandboxes import engines
from providers.base import Sampling
from providers.registry import build_model, pricing_only
from results.assumptions import assumptions
from results.prices import Catalog
from results.projection import ProjectionError, check_targets, project
from results.records import ErrorClass
from results.report import load_summary
from results.reports import write as write_report
from results.store import RunStore, sample_id
from results.table import labels
from tasks import load_suite

from .console import UsageError, err, note, substitutions, warn
from .progress import RunProgress
from .rundirs import default_out


def cmd_run(a: argparse.Namespace) -> int:
    a.experiment = {}
    if a.config:
        from harness.run.experiment import apply

        a.experiment = apply(a, a.parser.run_parser, a.config)
    if a.print:  # the command the file and the flags make; nothing runs
        from harness.run.experiment import command

        print(command(a, a.parser.run_parser))
        return 0
    if not a.suite or not a.model:
        raise UsageError("run needs --suite and at least one --model (or a --config file that gives them)")
    engines.select(a.container_engine)
    if a.budget_usd is not None and a.budget_usd <= 0:
        raise UsageError("--budget-usd must be more than 0")
    if a.disk_gb <= 0:
        raise UsageError("--disk-gb must be more than 0")
    if a.scrape_every < 0.2:
        raise UsageError("--scrape-every must be at least 0.2 (seconds)")
    for name in ("epochs", "concurrency", "limit", "max_turns", "gpus", "max_connections", "sample"):
        if getattr(a, name) is not None and getattr(a, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1")
    suite = load_suite(a.suite, a.task_format)
    if suite.errors and not a.skip_broken and not a.task:  # tasks named by --task: the others are not asked for
        raise UsageError(f"{len(suite.errors)} broken task(s) in {suite.name}: {suite.errors[0]}"
                         + (f" (and {len(suite.errors) - 1} more: pertask tasks check)" if len(suite.errors) > 1 else "")
                         + "; fix them, or run the others with --skip-broken")
    for e in suite.errors:
        warn(f"skipping broken task: {e}")
    tasks = suite.select(a.task, a.limit, a.shard, a.sample)
    from providers.registry import model_key

    keys = [model_key(m) for m in a.model]
    if twice := sorted({k for k in keys if keys.count(k) > 1}):
        raise UsageError(f"two models are both named {twice[0]} (specs that differ only in the server's address, or "
                         "files of one name in two folders, are one model in a run: tell them apart with #label=NAME)")
    return asyncio.run(_run(a, suite, tasks, Catalog.load(a.prices)))


async def _run(a, suite, tasks, catalog) -> int:
    models, store = [], None
    try:
        with pricing_only(a.estimate is not None):  # an estimate calls no model: it needs no key
            for spec in a.model:  # every spec is checked (keys included) before any task starts
                models.append(build_model(spec, catalog, a.protocol, a.vllm_arg, a.max_connections))
                models[-1].info.batch = a.batch_pricing
        if a.estimate is not None:  # what it would cost, and nothing run
            from results.estimate import earlier_runs, estimate, render

            runs = earlier_runs(suite.name, a.estimate)
            print("\n".join(render(estimate([m.info for m in models], [t.id for t in tasks], a.epochs, runs), suite.name,
                                    runs)))
            return 0
        node = setup.run_node(a.node, a.gpu_type, a.gpus, a.gpu_hour_usd, a.bill_from, models, warn)
        if a.project_on:
            check_targets(a.project_on.split(","), catalog)
        out = a.out or default_out(a, suite.name)
        judges = [setup.judge(spec, catalog, warn) for spec in a.judge or []]
        models.extend(judges)  # closed with the others; not models under test
        subs = substitutions(a)
        sandbox, images = setup.sandboxes(tasks, a.sandbox, subs, warn, note)
        if a.ray_address and a.executor != "ray":
            raise UsageError("--ray-address is for --executor ray")
        agent = setup.agent(a.agent, [m for m in models if m not in judges], images, note)
        plan = RunPlan(suite, tasks, [m for m in models if m not in judges], out, epochs=a.epochs,
                       concurrency=a.concurrency, sampling=Sampling(a.temperature, a.max_tokens, a.stream),
                       keep_workspaces=a.keep_workspaces, max_turns=a.max_turns, node=node, judges=judges, panel=a.panel,
                       budget_usd=a.budget_usd, sandbox=sandbox, experiment=a.experiment, images=images,
                       substitutions=subs, agent=agent, executor=make_executor(a.executor, a.ray_address),
                       scrape_every_s=a.scrape_every, command=["pertask", *a.argv], disk_gb=a.disk_gb)
        if why := plan.executor.unsuitable(plan):
            raise UsageError(why)
        store = open_store(plan)
        await start_servers(models, out, err)
        record_models(plan, store)
        if not a.no_preflight:
            # Only the models that will be called: a resume with nothing left but re-grading calls none.
            calling = {m.info.spec for m, t, e in pending(plan, store)
                       if store.load_agent(sample_id(m.info.spec, t.id, e)) is None}
            await setup.preflight([m for m in models if m.info.spec in calling], store)
        planned = {sample_id(m.info.spec, t.id, e): m.info.spec for m, t, e in plan.samples()}
        already = [r for r in store.load_samples() if r.sample_id in planned and r.error != ErrorClass.infra]
        err.print(f"run directory: {out}  ({len(planned)} samples, {len(already)} already done"
                  + ("; the same command resumes it" if a.out is None else "") + ")", highlight=False)
        totals = {m.info.spec: sum(1 for x in planned.values() if x == m.info.spec) for m in plan.models}
        with RunProgress(totals, already, err, labels(list(totals))) as progress:
            await run_plan(plan, store, progress.update, progress.note)
    finally:
        if store is not None:
            store.unlock()
        for m in models:
            await m.aclose()
    summary = load_summary([out], catalog)
    if a.project_on:
        try:
            summary["projections"] = project(out, a.project_on.split(","), catalog, summary["warnings"])
            summary["assumptions"] = assumptions([out], summary["projections"])
        except ProjectionError as exc:  # the run is done and kept: a projection it cannot make is a warning
            warn(str(exc))
    write_report("json" if a.json else "terminal", summary, [out])
    planned = {sample_id(m.info.spec, t.id, e) for m, t, e in plan.samples()}
    infra = [r for r in RunStore(out).load_samples() if r.sample_id in planned and r.error == ErrorClass.infra]
    if infra:  # not scored, so not a result: the exit status says the run is incomplete
        err.print(f"pertask: {len(infra)} of {len(planned)} samples ended in infra errors (the server's or the "
                  f"harness's trouble, not scored; e.g. {infra[0].error_detail[:200]}): run the same command "
                  "again to retry them", style="yellow", highlight=False)
        return 1
    return 0
