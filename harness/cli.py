"""pertask command line: thin; the work lives in runner, tasks, providers and results."""

from __future__ import annotations

import argparse
import asyncio
import sys

from rich.markup import escape

from providers.base import EndpointConfigError, Sampling, SpecError
from providers.registry import build_model
from providers.vllm.server import ServerError
from results.assumptions import assumptions
from results.hardware import NodeError
from results.prices import Catalog, PriceFileError
from results.projection import ProjectionError, check_targets, project
from results.records import ErrorClass, now_iso
from results.report import load_summary, render_table, to_json
from results.store import RunDirError, RunStore, sample_id
from results.table import labels
from tasks import SuiteError, TaskError, load_suite

from . import engines
from .backends import BackendError, prepare_images
from .billing import run_node
from .commands import cmd_prices, cmd_providers, cmd_proxy, cmd_tasks
from .console import UsageError, err, note, substitutions
from .engines import EngineError
from .executors import make_executor
from .experiment import ExperimentError
from .external import parse_agent
from .parser import make_parser
from .progress import RunProgress
from .rundirs import cmd_runs, default_out
from .runner import RunError, RunPlan, open_store, pending, record_models, run_plan
from .sandbox import SANDBOXES, bwrap_path
from .serving import start_servers


def cmd_run(a: argparse.Namespace, ap: argparse.ArgumentParser) -> int:
    a.experiment = {}
    if a.config:
        from .experiment import apply

        a.experiment = apply(a, ap.run_parser, a.config)
    if not a.suite or not a.model:
        raise UsageError("run needs --suite and at least one --model (or a --config file that gives them)")
    engines.select(a.container_engine)
    if a.budget_usd is not None and a.budget_usd <= 0:
        raise UsageError("--budget-usd must be more than 0")
    if a.disk_gb <= 0:
        raise UsageError("--disk-gb must be more than 0")
    if a.scrape_every < 0.2:
        raise UsageError("--scrape-every must be at least 0.2 (seconds)")
    for name in ("epochs", "concurrency", "limit", "max_turns", "gpus", "max_connections"):
        if getattr(a, name) is not None and getattr(a, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1")
    suite = load_suite(a.suite, a.task_format)
    for e in suite.errors:
        err.print(f"warning: skipping broken task: {e}", style="yellow", highlight=False)
    tasks = suite.tasks
    if a.task:
        unknown = sorted(set(a.task) - {t.id for t in tasks})
        if unknown:
            raise UsageError(f"unknown task id(s) in suite {suite.name}: {', '.join(unknown)}")
        tasks = [t for t in tasks if t.id in a.task]
    tasks = tasks[: a.limit] if a.limit else tasks
    if not tasks:
        raise UsageError(f"suite {suite.name} has no runnable task")
    from providers.registry import model_key

    keys = [model_key(m) for m in a.model]
    if len(set(keys)) != len(keys):
        raise UsageError("the same model is given twice (specs that differ only in the server's address are one "
                         "model in a run: tell them apart with #label=NAME)")
    return asyncio.run(_run(a, suite, tasks, Catalog.load(a.prices)))


async def _run(a, suite, tasks, catalog) -> int:
    models, store = [], None
    try:
        for spec in a.model:  # every spec is checked (keys included) before any task starts
            models.append(build_model(spec, catalog, a.protocol, a.vllm_arg, a.max_connections))
            models[-1].info.batch = a.batch_pricing
        node = run_node(a, models)
        if a.project_on:
            check_targets(a.project_on.split(","), catalog)
        sandbox = a.sandbox or ("bwrap" if bwrap_path() else "none")
        if sandbox == "container" and not engines.available():
            raise UsageError(f"--sandbox container needs {SANDBOXES['container']['needs']}")
        if sandbox == "bwrap" and not bwrap_path():
            raise UsageError(f"--sandbox bwrap needs {SANDBOXES['bwrap']['needs']}")
        out = a.out or default_out(a, suite.name)
        judge = None
        if a.judge:
            judge = build_model(a.judge, catalog)
            models.append(judge)  # closed with the others; not a model under test
            if judge.info.price is None:
                err.print(f"warning: judge {a.judge}: no price known; judge dollars will be null",
                          style="yellow", highlight=False)
        subs = substitutions(a.substitute_image)
        images = prepare_images(tasks, a.sandbox, subs, note)
        if images and not engines.root_mapped():
            err.print(f"warning: {engines.engine().name}: a container's root is the host's root (its capabilities "
                      "dropped): start dockerd with --userns-remap=default to map it to an unprivileged user",
                      style="yellow", highlight=False)
        # Said once per run, for the tasks that do not go to containers; the manifest records it.
        if sandbox == "none" and any(t.id not in images for t in tasks):
            why = "--sandbox none" if a.sandbox else "bubblewrap is not installed"
            err.print(f"warning: {why}: model-written commands run WITHOUT isolation (network, whole filesystem)"
                      + ("" if a.sandbox else "; install it with apt-get install bubblewrap"),
                      style="yellow", highlight=False)
        if a.ray_address and a.executor != "ray":
            raise UsageError("--ray-address is for --executor ray")
        agent = parse_agent(a.agent)
        if agent is not None:
            unsuitable = [why for m in models if m is not judge and (why := agent.unsuitable(m))]
            if unsuitable:  # before installing anything
                raise UsageError(f"--agent {a.agent}: {unsuitable[0]}")
            if images and (why := agent.container_problem()):
                raise UsageError(f"--agent {a.agent}: {why}")
            agent.prepare(note)
        plan = RunPlan(suite, tasks, [m for m in models if m is not judge], out, a.epochs, a.concurrency,
                       Sampling(a.temperature, a.max_tokens, a.stream), a.keep_workspaces, a.max_turns, node,
                       judge, a.budget_usd, sandbox, a.experiment, images=images, substitutions=subs, agent=agent,
                       executor=make_executor(a.executor, a.ray_address), scrape_every_s=a.scrape_every,
                       command=["pertask", *a.argv], disk_gb=a.disk_gb)
        if why := plan.executor.unsuitable(plan):
            raise UsageError(why)
        store = open_store(plan)
        await start_servers(models, out, err)
        record_models(plan, store)
        if not a.no_preflight:
            # Only the models that will be called: a resume with nothing left but re-grading calls none.
            calling = {m.info.spec for m, t, e in pending(plan, store)
                       if store.load_agent(sample_id(m.info.spec, t.id, e)) is None}
            await preflight([m for m in models if m.info.spec in calling], store)
        planned = {sample_id(m.info.spec, t.id, e): m.info.spec for m, t, e in plan.samples()}
        already = [r for r in store.load_samples() if r.sample_id in planned and r.error != ErrorClass.infra]
        err.print(f"run directory: {out}  ({len(planned)} samples, {len(already)} already done"
                  + ("; the same command resumes it" if a.out is None else "") + ")", highlight=False)
        totals = {m.info.spec: sum(1 for x in planned.values() if x == m.info.spec) for m in plan.models}
        with RunProgress(totals, already, err, labels(list(totals))) as progress:
            plan.on_note = progress.note
            await run_plan(plan, store, progress.update)
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
            err.print(f"warning: {exc}", style="yellow", highlight=False)
    print(to_json(summary)) if a.json else render_table(summary)
    planned = {sample_id(m.info.spec, t.id, e) for m, t, e in plan.samples()}
    infra = [r for r in RunStore(out).load_samples() if r.sample_id in planned and r.error == ErrorClass.infra]
    if infra:  # not scored, so not a result: the exit status says the run is incomplete
        err.print(f"pertask: {len(infra)} of {len(planned)} samples ended in infra errors (the server's or the "
                  f"harness's trouble, not scored; e.g. {infra[0].error_detail[:200]}): run the same command "
                  "again to retry them", style="yellow", highlight=False)
        return 1
    return 0


async def preflight(models, store: RunStore) -> None:
    """One small request per model over HTTP, all at once, before any sample: a wrong key, model name or
    endpoint stops the run in seconds with one line, instead of a run of retries. The calls are paid for
    and go to the call ledger."""
    from results.prices import cost_usd

    checked = [m for m in models if m.over_http]
    results = await asyncio.gather(*(m.preflight() for m in checked))
    for m, res in zip(checked, results, strict=True):
        if res.output is not None:
            store.append_call({"sample_id": sample_id(m.info.spec, "_preflight", 0), "preflight": True, "turn": 0,
                               "usage": res.output.usage.model_dump(), "raw_usage": res.output.raw_usage,
                               "usd": cost_usd(res.output.usage, m.info.price, m.info.batch), "at": now_iso()})
    problems = [r.problem for r in results if r.problem]
    if problems:
        raise UsageError("preflight: " + "; ".join(problems) + " (no sample was run; --no-preflight skips the check)")


def main(argv: list[str] | None = None) -> int:
    ap = make_parser()
    a, extra = ap.parse_known_args(argv)
    a.argv = list(sys.argv[1:] if argv is None else argv)  # recorded with the run: what made its figures
    if extra and a.cmd != "serve":  # only `serve` passes unknown flags on (to vLLM)
        ap.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if a.cmd == "run":
            return cmd_run(a, ap)
        if a.cmd == "reprice":
            from results.reprice import reprice

            r = reprice(a.run, Catalog.load(a.prices), gpu_hour_usd=a.gpu_hour_usd, gpus=a.gpus, bill_from=a.bill_from)
            err.print(f"repriced {r['samples']} samples: ${r['usd_before']:.6f} -> ${r['usd_after']:.6f}"
                      + (f" ({r['unpriced']} still without a price: null)" if r["unpriced"] else ""), highlight=False)
            render_table(load_summary([a.run], Catalog.load(a.prices)))
            return 0
        if a.cmd == "serve":
            from .serve import serve

            return asyncio.run(serve(a.model, a.preset, a.port, a.host, a.name, extra, err))
        if a.cmd == "report":
            catalog = Catalog.load(a.prices)
            summary = load_summary(a.runs, catalog, a.baseline)
            if a.project_on:
                summary["projections"] = [row for d in a.runs
                                          for row in project(d, a.project_on.split(","), catalog, summary["warnings"])]
                summary["assumptions"] = assumptions(a.runs, summary["projections"])
            print(to_json(summary)) if a.json else render_table(summary)
            from results.export import write_outputs

            for path in write_outputs(summary, a.runs, a.html, a.markdown, a.csv, a.parquet):
                err.print(f"wrote {path}", highlight=False)
            return 0
        if a.cmd == "view":
            from .viewer import serve_viewer

            if not a.where.is_dir():
                raise UsageError(f"pertask view: {a.where} is not a folder of runs")
            server = serve_viewer(a.where, a.port)
            err.print(f"pertask view: http://127.0.0.1:{server.server_address[1]}/ over {a.where} (Ctrl-C stops it)",
                      highlight=False)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            return 0
        if a.cmd == "runs":
            return cmd_runs(a.where, a.json)
        if a.cmd == "providers":
            return cmd_providers()
        if a.cmd == "proxy":
            return asyncio.run(cmd_proxy(a))
        return cmd_tasks(a) if a.cmd == "tasks" else cmd_prices(a)
    except (UsageError, SpecError, SuiteError, TaskError, RunError, PriceFileError, FileNotFoundError, BackendError,
            ServerError, ProjectionError, NodeError, EndpointConfigError, RunDirError, ExperimentError, EngineError) as exc:
        # escaped: a message that names "[[model]]" or "[limits]" is text, not rich markup
        err.print(f"pertask: error: {escape(str(exc))}", style="red", highlight=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        err.print("interrupted: finished samples are saved; run the same command again to resume"
                  if a.cmd == "run" else "stopped", style="yellow")
        return 130


if __name__ == "__main__":
    sys.exit(main())
