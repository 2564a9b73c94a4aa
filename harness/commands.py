"""The commands besides run: tasks (list, check), proxy, providers, prices."""

from __future__ import annotations

import argparse
import asyncio
import sys

from rich.console import Console

from providers.client import HTTPModel
from providers.registry import build_model
from results.prices import Catalog
from results.report import render_prices
from tasks import builtin_suites, load_suite

from . import engines
from .console import UsageError, err, note, substitutions


def cmd_tasks(a: argparse.Namespace) -> int:
    engines.select(a.container_engine)
    suites = [load_suite(a.suite, a.task_format)] if a.suite else [load_suite(s, a.task_format) for s in builtin_suites()]
    broken = 0
    for s in suites:
        if a.action == "list":
            print(f"{s.name} (version {s.version}, {len(s.tasks)} tasks)")
            print(f"  {'id':<28} {'kind':<9} {'tier':<7} {'files':>5} {'~tokens':>8}  grader  tags")
            for t in s.tasks:
                c, files = t.config, t.workspace_files()
                # ~4 bytes a token: a rough guide to what reading the whole workspace would cost.
                tokens = sum(p.stat().st_size for _, p in files) // 4
                print(f"  {t.id:<28} {c.kind:<9} {c.difficulty:<7} {len(files):>5} {tokens:>8}  "
                      f"{c.grader.type:<7} {','.join(c.tags)}")
        for e in s.errors:
            print(f"error: {e}", file=sys.stderr)
        broken += len(s.errors)
        if a.action == "check":
            # Valid files are not enough: the oracle must pass every task and doing nothing must not.
            from .checks import check_oracles

            problems = asyncio.run(check_oracles(s, a.concurrency, a.sandbox, substitutions(a.substitute_image),
                                                 note=note))
            for p in problems:
                print(f"error: {s.name}/{p}", file=sys.stderr)
            broken += len(problems)
            print(f"{s.name}: {len(s.tasks) - len({p.split(':')[0] for p in problems})} ok, "
                  f"{len(s.errors)} broken, {len(problems)} grader problem(s) (oracle must pass, null must fail)")
    return 1 if broken and a.action == "check" else 0


async def cmd_proxy(a: argparse.Namespace) -> int:
    import signal

    from .proxy import serve

    model = build_model(a.model, Catalog.load(a.prices))
    if not isinstance(model, HTTPModel):
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


def cmd_providers() -> int:
    from providers.profiles import profiles

    for name, p in profiles().items():
        back = f"{'/'.join(p.reasoning_fields)} ({p.send_reasoning})" if p.reasoning_fields else (
            "<think> in content" if p.think_tags else {"anthropic": "thinking blocks", "responses": "reasoning items"}
            .get(p.wire, "-"))
        print(f"{name:<17} {p.wire:<10} {p.key_env:<20} {p.base_url}\n{'':<17} reasoning back: {back}; "
              f"settings: {', '.join(f'{k}=' for k in p.params)}")
    return 0


def cmd_prices(a: argparse.Namespace) -> int:
    if a.hardware:
        return _hardware_prices()
    rows = [e for e in Catalog.load(a.prices).entries() if not a.model or a.model.lower() in e.model.lower()]
    if not rows:
        raise UsageError(f"no price entry for '{a.model}' (unknown models are priced null, never 0)")
    render_prices(rows)
    return 0


def _hardware_prices() -> int:
    from rich.table import Table

    from results.hardware import TIERS, hardware_profiles

    t = Table(title="hardware profiles (results/data/hardware.toml): $ per GPU-hour, or per VM-hour for a CPU VM")
    for col in ("profile", "name", "memory GB", "TB/s", *(x.replace("_", "-") for x in TIERS), "sources"):
        t.add_column(col, overflow="fold")
    for key, prof in hardware_profiles().items():
        tiers = []
        for tier in TIERS:
            p = prof.get(tier)
            rng = f" ({p['range'][0]:g}-{p['range'][1]:g})" if p and p.get("range") else ""
            tiers.append(f"${p['usd']:g}{rng}, {p['date']}" + (" (default)" if prof.get("default") == tier else "")
                         if p else "-")
        sources = "; ".join([prof["spec_source"], *(f"{x}: {prof[x]['source']}" for x in TIERS if x in prof)])
        t.add_row(key, prof["name"], f"{prof['memory_gb']:g}", f"{prof['bandwidth_tbs']:g}", *tiers, sources)
    Console(width=None if sys.stdout.isatty() else 220).print(t)
    return 0
