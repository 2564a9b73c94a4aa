"""pertask command line: thin; the work lives in runner, tasks, providers and results."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from rich.markup import escape

from providers.base import EndpointConfigError, Sampling, SpecError
from providers.registry import build_model
from providers.vllm.server import ServerError
from results.assumptions import assumptions
from results.cost import BILL_FROM
from results.hardware import NodeError
from results.prices import Catalog, PriceFileError
from results.projection import ProjectionError, check_targets, project
from results.records import ErrorClass, now_iso
from results.report import load_summary, render_table, to_json
from results.store import RunDirError, RunStore, sample_id
from results.table import labels
from tasks import SuiteError, TaskError, builtin_suites, load_suite
from tasks.formats import FORMATS

from . import engines
from .backends import BackendError, prepare_images
from .billing import run_node
from .commands import cmd_prices, cmd_providers, cmd_proxy, cmd_tasks
from .console import UsageError, err, note, substitutions
from .engines import ENGINES, EngineError
from .executors import EXECUTORS, make_executor
from .experiment import ExperimentError
from .external import parse_agent
from .progress import RunProgress
from .rundirs import cmd_runs, default_out
from .runner import RunError, RunPlan, open_store, pending, record_models, run_plan
from .sandbox import SANDBOXES, bwrap_path
from .serving import SCRAPE_EVERY_S, start_servers


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="pertask", description="Accuracy, tokens and dollars per task.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run a suite against one or more models")
    r.add_argument("--config", type=Path, metavar="FILE",
                   help="an experiment file (TOML): suite, models with their settings, prices, node; see "
                        "harness/experiment.py. Flags given here win over it")
    r.add_argument("--suite", help=f"built-in ({', '.join(builtin_suites())}), a folder of tasks, a SWE-bench task "
                                   "repo or a .jsonl of instances")
    r.add_argument("--task-format", metavar="NAME", help=f"read the suite as this format ({', '.join(FORMATS)}; "
                                                          "default: the first that claims each path)")
    r.add_argument("--model", action="append", metavar="SPEC",
                   help="oracle | null | local | vllm:PATH | vllm:NAME@URL | scripted:FILE | "
                        "openai-compatible:NAME@URL | PROVIDER:MODEL[@URL] (openai, zai, deepseek, moonshot, "
                        "openrouter, anthropic, … : `pertask providers` lists them); repeat for side by side; options "
                        "after #, joined by commas: protocol=text|tools, client=direct|sdk (HTTP transport), label=NAME "
                        "(the model's name in the run; default: the spec without its address), per-model settings "
                        "reasoning_effort=, thinking_budget=N, thinking=on|off, temperature=, max_tokens=N, "
                        "cache_ttl=5m|1h (each where the endpoint takes it), and for vLLM preset=NAME, port=N")
    r.add_argument("--epochs", type=int, default=1, help="samples per task and model (default 1)")
    r.add_argument("--concurrency", type=int, default=4,
                   help="agents at work at once (default 4); finished ones are graded beside them")
    r.add_argument("--limit", type=int, help="only the first N tasks")
    r.add_argument("--task", action="append", metavar="ID", help="only these task ids (repeatable)")
    r.add_argument("--out", type=Path, help="run directory; give an existing one to resume (default: runs/DATE-SUITE)")
    r.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    r.add_argument("--protocol", choices=["tools", "text"], help="agent protocol for every model (default: per model)")
    r.add_argument("--temperature", type=float)
    r.add_argument("--max-tokens", type=int, help="max output tokens per model call")
    r.add_argument("--stream", action="store_true", help="stream responses (records time to first token)")
    r.add_argument("--no-preflight", action="store_true",
                   help="skip the one check request per model (key, model name, tools, usage) before the first sample")
    r.add_argument("--max-turns", type=int, help="cap every task's turn limit (short local runs)")
    r.add_argument("--budget-usd", type=float, metavar="USD",
                   help="start no new sample once the run's spent dollars plus an estimate for those in flight "
                        "reach USD; in-flight samples finish, and the report says how many were not started")
    r.add_argument("--max-connections", type=int, default=32, metavar="N",
                   help="requests in flight to one endpoint at most (halved while it answers 429, then regrown)")
    r.add_argument("--judge", metavar="MODEL",
                   help="also rate each document deliverable (and tasks with a grader/rubric.md) with this model "
                        "against the task's rubric; its tokens and dollars are reported apart from the agent's")
    r.add_argument("--keep-workspaces", action="store_true", help="keep each sample's final workspace")
    r.add_argument("--sandbox", choices=list(SANDBOXES),
                   help="where model-written commands run: bwrap (no network, no privileges, an allow-list of what "
                        "is visible; the default where bubblewrap is installed), container (podman or docker: the task's own "
                        "image; the default for tasks that bring one) or none (unisolated, warned)")
    r.add_argument("--substitute-image", action="append", default=[], metavar="NAME=LOCAL",
                   help="build FROM NAME (or a task's docker_image NAME) from the local image LOCAL instead, on a "
                        "machine without registry access; recorded in the manifest (repeatable)")
    r.add_argument("--agent", metavar="SPEC", help="who works on each task: builtin (pertask's own loop, the default), "
                                                 "mini-swe-agent, aider (PyPI), claude-code, codex (npm), each installed "
                                                 "into the cache on first use, NAME:PATH (that agent from your own "
                                                 "executable) or 'cmd:TEMPLATE', any CLI agent; run in the sample's "
                                                 "sandbox, its model calls metered through the proxy "
                                                 "({instruction_file} and {model} in TEMPLATE); harness/external.py")
    r.add_argument("--container-engine", choices=list(ENGINES),
                   help="what runs the container sandbox: podman (the default where installed) or docker (a running "
                        "dockerd; its root is mapped only with --userns-remap)")
    r.add_argument("--executor", choices=list(EXECUTORS), default="local",
                   help="where samples run: local (this process, the default) or ray (Ray tasks on a cluster's "
                        "nodes, each in a sandbox there; pip install 'pertask[ray]'); harness/executors.py")
    r.add_argument("--ray-address", metavar="ADDR",
                   help="the Ray cluster to run on (e.g. 10.0.0.5:6379); without it a local Ray starts with the run")
    r.add_argument("--vllm-arg", action="append", default=[], metavar="FLAG",
                   help="extra flag for launched vLLM servers, e.g. --vllm-arg=--tensor-parallel-size=8 (repeatable)")
    r.add_argument("--batch-pricing", action="store_true",
                   help="price API calls at the provider's batch discount (unknown discount: null dollars)")
    r.add_argument("--node", metavar="PROFILE[xN][@USD]",
                   help="the serving node as a hardware profile, e.g. h200x8, h200x8@3.59, cpu2 (a 2-vCPU VM): "
                        "type, count and the profile's dated price in one; `pertask prices --hardware` lists them")
    r.add_argument("--gpu-type", help="the node's GPU type, e.g. H200; a known profile (h100, h200, b200) "
                                      "supplies a dated on-demand price when --gpu-hour-usd is not given")
    r.add_argument("--gpus", type=int, help="GPUs the node rents (self-hosted dollars need it; default for a vLLM "
                                            "pertask launches on GPUs: those its replicas take)")
    r.add_argument("--gpu-hour-usd", type=float, help="dollars per GPU-hour of the node")
    r.add_argument("--bill-from", choices=BILL_FROM, default="launch",
                   help="what the node cost covers: from the server's launch (default: the renter's bill, start-up "
                        "included) or from when it was ready; the idle tail until it stops is billed either way")
    r.add_argument("--project-on", metavar="TARGETS",
                   help="after the run, price the same measured tokens elsewhere, as report --project-on does "
                        "(e.g. h200x8,zai:glm-5.2); checked before the run starts")
    r.add_argument("--scrape-every", type=float, default=SCRAPE_EVERY_S, metavar="S",
                   help=f"seconds between scrapes of a vLLM server's /metrics: the resolution of its load over time "
                        f"and busy share (default {SCRAPE_EVERY_S:g})")
    r.add_argument("--fresh", action="store_true",
                   help="without --out: a new dated run directory, instead of the one this same command resumes")
    r.add_argument("--json", action="store_true", help="print the summary as JSON instead of a table")
    p = sub.add_parser("report", help="summarize run directories")
    p.add_argument("runs", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help="print one JSON object (the documented contract)")
    p.add_argument("--project-on", metavar="TARGETS",
                   help="price the same measured tokens elsewhere: comma-separated PROFILExN[@USD][:ratio=R] "
                        "(h100, h200, b200, mi300x, ascend910b, ascend910c) and PROVIDER:MODEL, "
                        "e.g. h200x8@3.59,ascend910c-x8,zai:glm-5.2")
    p.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    p.add_argument("--baseline", metavar="RUN_OR_MODEL",
                   help="what the paired comparisons are against: a model (as the report labels it; a model in "
                        "several runs is 'SPEC @ RUN') or a run (its first model); default: the first model")
    p.add_argument("--html", type=Path, metavar="FILE", help="write a self-contained HTML report (opens offline)")
    p.add_argument("--markdown", type=Path, metavar="FILE", help="write the summary as a Markdown table")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write the summary as CSV")
    p.add_argument("--parquet", type=Path, metavar="FILE", help="write every sample as Parquet")
    t = sub.add_parser("tasks", help="list or check task suites")
    t.add_argument("action", choices=["list", "check"])
    t.add_argument("--suite", help="default: every built-in suite")
    t.add_argument("--task-format", metavar="NAME", help="as for run")
    t.add_argument("--concurrency", type=int, default=4, help="samples checked at once (default 4)")
    t.add_argument("--sandbox", choices=list(SANDBOXES), help="as for run (default: each task where it needs)")
    t.add_argument("--substitute-image", action="append", default=[], metavar="NAME=LOCAL", help="as for run")
    t.add_argument("--container-engine", choices=list(ENGINES), help="as for run")
    rp = sub.add_parser("reprice", help="recompute a run's dollars from stored usage (no model is called)")
    rp.add_argument("run", type=Path)
    rp.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    rp.add_argument("--gpu-hour-usd", type=float, help="new $/GPU-hour for self-hosted sessions")
    rp.add_argument("--gpus", type=int, help="new GPU count for self-hosted sessions")
    rp.add_argument("--bill-from", choices=BILL_FROM, help="as for run: launch or ready")
    sv = sub.add_parser("serve", help="start a vLLM server with a preset; other flags go to vLLM",
                        epilog="example: pertask serve --preset glm-5 --model /models/GLM-5.2-FP8 --tensor-parallel-size 8")
    sv.add_argument("--model", required=True, help="model folder (or a hub id whose weights are cached locally)")
    sv.add_argument("--preset", help="family preset (default: detected from the model's name and config)")
    sv.add_argument("--port", type=int)
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--name", help="served model name (default: the folder's name)")
    pr = sub.add_parser("prices", help="show the price catalog")
    pr.add_argument("model", nargs="?")
    pr.add_argument("--prices", type=Path)
    pr.add_argument("--hardware", action="store_true",
                    help="the hardware profiles instead: memory, bandwidth and each dated, sourced $/hour tier")
    rl = sub.add_parser("runs", help="list run directories: suite, models, samples done, state (running, complete, "
                                     "resumable)")
    rl.add_argument("where", nargs="?", type=Path, default=Path("runs"), help="default: ./runs")
    rl.add_argument("--json", action="store_true")
    sub.add_parser("providers", help="list the endpoint profiles: wire, base URL, key variable, reasoning, settings")
    px = sub.add_parser("proxy", help="serve one model through the metering proxy, for an agent run outside pertask")
    px.add_argument("--model", required=True, metavar="SPEC", help="as for run (its key stays in this process)")
    px.add_argument("--port", type=int, default=0, help="default: any free port on 127.0.0.1")
    px.add_argument("--ledger", type=Path, metavar="FILE", help="append each metered call here (JSON lines)")
    px.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    ap.run_parser = r  # its defaults tell an experiment file's values from flags left unset
    return ap


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
                       command=["pertask", *a.argv])
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
    ap = _parser()
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
