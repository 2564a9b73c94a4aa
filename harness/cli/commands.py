"""The commands besides run: tasks (list, check), proxy, providers, prices."""

from __future__ import annotations

import argparse
import asyncio
import sys

from harness.run.executors import make_executor
from harness.sandboxes import engines
from providers.registry import build_model
from results.price_table import render_prices
from results.prices import Catalog
from results.report import render_hardware
from tasks import builtin_suites, load_suite
from tasks.loader import listing

from .console import UsageError, err, note, print_lines, substitutions


def cmd_tasks(a: argparse.Namespace) -> int:
    engines.select(a.container_engine)
    suites = [load_suite(a.suite, a.task_format)] if a.suite else [load_suite(s, a.task_format) for s in builtin_suites()]
    broken = 0
    for s in suites:
        if a.task or a.limit or a.shard:  # part of a large benchmark (each machine its shard)
            s.tasks = s.select(a.task, a.limit, a.shard)
        if a.action == "list":
            print_lines(listing(s))
        for e in s.errors:
            print(f"{'skipped' if a.skip_broken else 'error'}: {e}", file=sys.stderr)
        broken += 0 if a.skip_broken else len(s.errors)
        if a.action == "check":
            # Valid files are not enough: the oracle must pass every task and doing nothing must not.
            from harness.run.checks import check_oracles

            problems = asyncio.run(check_oracles(s, a.concurrency, a.sandbox, substitutions(a), note=note,
                                                 executor=make_executor(a.executor, a.ray_address)))
            for p in problems:
                print(f"error: {s.name}/{p}", file=sys.stderr)
            broken += len(problems)
            print(f"{s.name}: {len(s.tasks) - len({p.split(':')[0] for p in problems})} ok, "
                  f"{len(s.errors)} broken, {len(problems)} grader problem(s) (oracle must pass, null must fail)")
    return 1 if broken and a.action == "check" else 0


def cmd_proxy(a: argparse.Namespace) -> int:
    return asyncio.run(_proxy(a))


async def _proxy(a: argparse.Namespace) -> int:
    import signal

    from harness.agents.proxy import serve

    model = build_model(a.model, Catalog.load(a.prices))
    if not model.over_http:
        raise UsageError(f"--model {a.model}: the proxy forwards to an HTTP endpoint (a provider, or vllm:NAME@URL)")
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    try:
        meter = await serve(model, a.port, str(a.ledger) if a.ledger else None, lambda m: print(m, flush=True), stop)
    finally:
        await model.aclose()
    usd = "null (price unknown)" if meter.usd is None else f"${meter.usd:.6f}"
    err.print(f"{len(meter.calls)} calls, {meter.usage.input_total:,} input ({meter.usage.input_cached:,} cached) and "
              f"{meter.usage.output:,} output tokens, {usd}", highlight=False)
    return 0


def cmd_listing(a: argparse.Namespace) -> int:
    """providers, datasets: a table that takes no arguments."""
    from providers.profiles import describe
    from tasks.registry import listing

    print_lines(describe() if a.cmd == "providers" else listing())
    return 0


def cmd_images(a: argparse.Namespace) -> int:
    from harness.sandboxes.images import RELEASES, base_image

    for release in a.release or RELEASES:
        note(f"{release}: built from Debian's archive the first time (under a minute), then found in the engine's store")
        print(f"{base_image(release)}  {RELEASES[release].about()}")
    return 0


def cmd_prices(a: argparse.Namespace) -> int:
    if a.hardware:
        render_hardware()
        return 0
    rows = [e for e in Catalog.load(a.prices).entries() if not a.model or a.model.lower() in e.model.lower()]
    if not rows:
        raise UsageError(f"no price entry for '{a.model}' (unknown models are priced null, never 0)")
    render_prices(rows, wide=a.wide, every=a.all, as_json=a.json)
    return 0


def cmd_serve(a: argparse.Namespace) -> int:
    from providers.vllm.serve import serve

    return asyncio.run(serve(a.model, a.preset, a.port, a.host, a.name, a.extra, err))
