"""Terminal table and JSON summary of one or more run directories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from . import speed_section
from .assumptions import assumptions
from .claims import ours
from .fit import fit, width
from .fmt import money as _money
from .procurement import procurement
from .procurement import render as procurement_section
from .reading import reading_rows, render_reading
from .runs import Relabel, merged, placement, with_baseline
from .spent import ledger_figures
from .store import RunStore
from .summary import summarize
from .table import render_models
from .vllm_metrics import load_servers
from .vllm_section import render_servers


def load_summary(run_dirs: list[Path], catalog: Any = None, baseline: str | None = None) -> dict[str, Any]:
    """The summary of the runs; `catalog` (the run's or report's --prices in force) prices the claims. A model in
    several runs is one row per run; `baseline` is what the paired comparisons are against."""
    samples, order, warnings, names, skipped, served, per_run = [], [], [], {}, [], {}, []
    for d in run_dirs:
        store = RunStore(d)
        if not store.samples_path.exists() and store.read_manifest() is None:
            raise FileNotFoundError(f"{d}: not a pertask run directory (no manifest.json or samples.jsonl)")
    relabel = Relabel(run_dirs)
    for d in run_dirs:
        store = RunStore(d)
        mine = store.load_samples()
        for r in mine:
            r.model = relabel(r.model, d)
        samples += mine
        per_run.append({"run": str(d), **placement(mine)})
        if store.torn_lines:
            warnings.append(f"{d}: skipped {store.torn_lines} unreadable line(s) in samples.jsonl (a cut-off write)")
        manifest = store.read_manifest()
        if manifest:
            order += [label for m in manifest.models if (label := relabel(m.spec, d)) not in order]
            last = manifest.sessions[-1] if manifest.sessions else {}
            if last.get("budget_not_started"):
                warnings.append(f"{d}: the budget of ${last['budget_usd']:g} was reached (${last['spent_usd']:.4f} "
                                f"spent): {last['budget_not_started']} sample(s) were not started; run again with "
                                "a larger --budget-usd to finish")
            names.update({relabel(m.spec, d): m.model_name or m.spec for m in manifest.models})
            served.update({relabel(m.spec, d): (m.model_name or m.spec, m.model_id) for m in manifest.models})
            if (check := manifest.node.get("hardware_check") or {}).get("mismatch"):
                warnings.append(f"{d}: stated hardware does not match the node that served: {check['mismatch']} "
                                "(its dollars are priced as stated)")
            skipped += [{**t, "run": str(d)} for t in manifest.skipped_tasks]
    summary = summarize(samples, with_baseline(order, baseline, relabel, run_dirs))
    summary["skipped_tasks"], summary["reading"] = skipped, reading_rows(samples)
    summary["run_labels"] = {str(d): name for d, name in relabel.runs.items()}
    by_model: dict[str, list] = {}  # each model's records, grouped once for the figures below
    for r in samples:
        by_model.setdefault(r.model, []).append(r)
    ledger_figures(summary, run_dirs, by_model, warnings, relabel)
    _cache_and_billing(summary, samples, warnings)
    summary["procurement"] = procurement(summary, by_model, served,
                                         summary["models"][0]["model"] if baseline and summary["models"] else None)
    from .claims import evaluate

    summary["claims"] = evaluate(summary, names, catalog)
    summary["runs"] = [str(d) for d in run_dirs]
    summary["placement"] = placement(samples)
    if len(run_dirs) > 1:  # a rate over several runs would count the time between them: one per run
        summary["placement"] |= {"samples_per_s": None, "span_s": None,
                                 "runs": [{k: r[k] for k in ("run", "samples", "span_s", "samples_per_s")} for r in per_run]}
    summary["servers"] = [_server_row(d, {**rec, "spec": relabel(rec.get("spec"), d)}, sess) for d in run_dirs
                          for rec in load_servers(d) for sess in rec["session_summaries"]]
    for row in summary["servers"]:
        node = row.get("node") or {}
        if node.get("gpus_serving") and node.get("gpus") != node["gpus_serving"]:
            warnings.append(f"{row['model']}: the node cost bills {node['gpus']} GPUs (--gpus); its servers took "
                            f"{node['gpus_serving']}")
        if row.get("prompt_tokens_diff") or row.get("generation_tokens_diff"):
            warnings.append(f"{row['model']}: the harness counted {row['prompt_tokens_diff']:+.0f} prompt and "
                            f"{row['generation_tokens_diff']:+.0f} generated tokens against the server's counters "
                            "(other clients, or samples cut short by an interrupt)")
    for m in summary["models"]:
        if not m["price_known"] and m["n_scored"]:
            warnings.append(f"{m['model']}: price unknown (or usage missing): dollars are null, not 0")
        if m.get("calls_estimated"):
            warnings.append(f"{m['model']}: {m['calls_estimated']} call(s) came without the provider's usage (a stream cut "
                            "before it, or none sent): their tokens are pertask's count (characters / 4), an estimate")
        if m.get("to_review"):
            first = next(s for s in samples if s.sample_id == m["to_review"][0])
            flag = first.review[0]
            warnings.append(f"{m['model']}: {len(m['to_review'])} sample(s) wrote code that reaches into the test "
                            f"machinery, to review (not scored): e.g. {first.task_id} e{first.epoch}, "
                            f"{flag['path']}:{flag['line']} {flag['what']}")
    summary["warnings"] = merged(warnings, run_dirs)
    summary["assumptions"] = assumptions(run_dirs)
    return summary


# A run this long whose prompts repeated a prefix every turn, with not one cached token, is not being cached.
CACHE_CHECK_CALLS, CACHE_CHECK_TOKENS = 10, 1024


def _cache_and_billing(summary: dict[str, Any], samples: list, warnings: list[str]) -> None:
    for m in summary["models"]:
        mine = [r for r in samples if r.model == m["model"] and r.cost_basis == "tokens"]
        multi = [r for r in mine if r.usage.calls >= 3]
        calls = sum(r.usage.calls for r in multi)
        if calls >= CACHE_CHECK_CALLS and not sum(r.usage.input_cached for r in mine) \
                and sum(r.usage.input_total for r in multi) / calls >= CACHE_CHECK_TOKENS:
            warnings.append(f"{m['model']}: no cached token in {calls} calls whose prompts repeated the previous turn's: "
                            "the endpoint is not caching (Anthropic's OpenAI-compatible endpoint never does: use "
                            "anthropic:), so every turn paid the full input price")
        if m.get("billed_usd") is not None and m.get("usd_total") is not None:
            diff = m["billed_usd"] - m["usd_total"]
            m["billed_vs_catalog"] = round(diff, 9)
            if abs(diff) > max(1e-6, 0.01 * m["usd_total"]):
                warnings.append(f"{m['model']}: the provider billed ${m['billed_usd']:.4f} where the catalog gives "
                                f"${m['usd_total']:.4f} ({diff:+.4f}): check the price entry")


def _server_row(run_dir: Path, rec: dict[str, Any], sess: dict[str, Any]) -> dict[str, Any]:
    return {"model": rec.get("spec"), "run": str(run_dir), "launched": rec.get("launched"),
            "vllm": rec.get("vllm"), "preset": rec.get("preset"), "startup_s": rec.get("startup_s"),
            "hardware": rec.get("hardware"), **{k: v for k, v in sess.items() if k != "spec"}}


def render_claims(summary: dict[str, Any], console: Console) -> None:
    """Each published claim the runs include the models of, as the press put it and as recomputed."""
    rows = summary.get("claims") or []
    for c in [c for c in rows if ours(c)]:  # the rest: `pertask claims`
        console.print(f"claim: {c['text']} ({c['source']}, {c['date']}); as stated: {c['as_stated']}", highlight=False)
        for r in c["recomputed"]:
            ratio = ", ".join(f"{k} {v:g}×" for k, v in (r.get("ratio") or {}).items() if v is not None)
            console.print(f"  recomputed: {r['figure'] or ratio} — {r['basis']}", highlight=False)


def render_projections(summary: dict[str, Any], console: Console) -> None:
    rows = summary.get("projections") or []
    if not rows:
        return
    t = Table(title="projection: the same measured tokens priced elsewhere (basis stated per row)")
    for col in ("target", "model", "$/task", "total", "measured total", "basis"):
        t.add_column(col, justify="right" if col in ("$/task", "total", "measured total") else "left",
                     overflow="fold", no_wrap=col in ("$/task", "total", "measured total"))
    for r in rows:
        t.add_row(r["target"], r["model"], _money(r["usd_per_task"]), _money(r["usd_total"]),
                  _money(r["measured_usd_total"]), r["basis"])
    console.print(fit(t, console))


def _tok(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def render_table(summary: dict[str, Any], console: Console | None = None) -> None:
    # Off a terminal (pipes, CI logs) rich would assume 80 columns and fold every figure: $COLUMNS, else 200.
    console = console or Console(width=width(), emoji=False, markup=False)
    render_models(summary, console)
    console.print("infra errors are retried on resume, never scored; null $: an unknown price",
                  style="dim")
    for m in summary["models"]:
        if m.get("billed_usd") is not None:
            console.print(f"{m['model']}: catalog {_money(m['usd_total'])}, provider billed {_money(m['billed_usd'])}",
                          highlight=False)
    where = summary.get("placement") or {}
    if where.get("where"):
        rates = [r for r in where.get("runs") or [where] if r.get("samples_per_s")]
        rate = "; " + ", ".join(f"{r['samples_per_s']:.3g} samples/s over {r['span_s']:.1f} s"
                                + (f" ({Path(r['run']).name})" if r.get("run") else "") for r in rates) if rates else ""
        console.print("ran: " + ", ".join(f"{k} ({v})" for k, v in where["where"].items()) + rate, highlight=False)
    render_judge(summary, console)
    render_reading(summary, console)
    speed_section.render(summary, console)
    procurement_section(summary, console)
    render_servers(summary, console)
    render_projections(summary, console)
    render_claims(summary, console)
    skipped = summary.get("skipped_tasks") or []
    if skipped:
        console.print(f"skipped as broken ({len(skipped)}, in no figure above; `pertask tasks check` for more):",
                      highlight=False)
        for t in skipped:
            console.print(f"  {t['reason']}", highlight=False, style="dim")
    for w in summary.get("warnings", []):
        console.print(f"warning: {w}", style="yellow", markup=False, emoji=False, highlight=False)


def render_judge(summary: dict[str, Any], console: Console) -> None:
    rows = [m for m in summary["models"] if m.get("judge")]
    if not rows:
        return
    t = Table(title="LLM judge (rubric score [95% CI] on top of the checks; its dollars are not in $/task above)")
    for col in ("model", "judge", "judged", "failed", "judge score", "judge $/task", "judge $ total",
                "judge in", "judge out"):
        t.add_column(col, justify="left" if col in ("model", "judge") else "right")
    for m in rows:
        j = m["judge"]
        tok = j["tokens"]
        t.add_row(m["model"], j["model"], str(j["n_judged"]), str(j["n_failed"]),
                  "-" if j["mean_score"] is None else f"{j['mean_score']:.2f}" + (
                      f" [{j['score_ci'][0]:.2f}, {j['score_ci'][1]:.2f}]" if j.get("score_ci") else ""),
                  _money(j["usd_per_task"]), _money(j["usd_total"]), _tok(tok["input_uncached"] + tok["input_cached"] + tok["cache_write"]),
                  _tok(tok["output"]))
    console.print(fit(t, console))


def to_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, indent=2)


def print_table(summary: dict[str, Any], runs: list[Path], path: None = None) -> list[Path]:
    render_table(summary)
    return []


def print_json(summary: dict[str, Any], runs: list[Path], path: None = None) -> list[Path]:
    print(to_json(summary))
    return []


def render_hardware() -> None:
    from .hardware import TIERS, hardware_profiles

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
    console = Console(width=width(), emoji=False, markup=False)
    console.print(fit(t, console))
