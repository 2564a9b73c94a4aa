"""`pertask report RUN... --html FILE`: one self-contained page (no CDN, opens offline)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from . import procurement, speed_section
from .assumptions import lines as assumption_lines
from .charts import cost_accuracy, server_load, token_mix
from .claims import ours
from .fmt import money as _money
from .fmt import pct as _pct
from .fmt import scored, tamper
from .runs import Relabel
from .store import RunStore
from .vllm_section import node_line

CONTENT_LIMIT = 20_000  # characters of one message kept in the page
ASSETS = Path(__file__).parent / "data"


def _ci(ci, fmt) -> str:
    return "" if not ci else f' <span class="ci">[{fmt(ci[0])}, {fmt(ci[1])}]</span>'


def _table(head: list[str], rows: list[list[str]], cls: str = "", tid: str = "") -> str:
    h = "".join(f"<th>{escape(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"{f" id={tid!r}" if tid else ""}><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>'


def summary_table(summary: dict[str, Any]) -> str:
    """Two tables, each fitting a laptop's screen: accuracy and dollars (#summary), tokens and time (#tokens)."""
    rows, tokens = [], []
    for m in summary["models"]:
        tok = m["tokens_per_task"]
        errs = ", ".join(f"{k} {v}" for k, v in m["errors"].items() if k != "none" and v) or "-"
        passk = ", ".join(f"@{k} {v:.0%}" for k, v in m.get("pass_at_k", {}).items()) or "-"
        if m.get("consistency") is not None:
            passk += f"; epochs agree on {m['consistency']:.0%} of tasks"
        rows.append([escape(m["model"]), scored(m), _pct(m["accuracy"]) + _ci(m["accuracy_ci"], _pct), tamper(m),
                     "-" if m["mean_score"] is None else f"{m['mean_score']:.2f}",
                     _money(m["usd_per_task"]) + _ci(m["usd_per_task_ci"], _money),
                     "-" if m["price_known"] and m["usd_per_success"] is None else _money(m["usd_per_success"]),
                     passk, escape(errs)])
        tokens.append([escape(m["model"]), *(f"{tok[f]:,.0f}" if tok[f] is not None else "-"
                                             for f in ("input_uncached", "input_cached", "cache_write", "output",
                                                       "reasoning")),
                       "-" if m["turns_per_task"] is None else f"{m['turns_per_task']:.1f}",
                       "-" if m["wall_s_per_task"] is None else f"{m['wall_s_per_task']:.1f}"])
    return (_table(["model", "scored", "accuracy [95% CI]", "tampered", "score", "$/task [95% CI]", "$/success",
                    "pass@k", "errors"], rows, "summary", "summary")
            + "<h3>Tokens and time (means per task)</h3>"
            + _table(["model", "in uncached", "in cached", "cache write", "output", "reasoning", "turns", "wall s"],
                     tokens, "summary", "tokens"))


def judge_table(summary: dict[str, Any]) -> str:
    rows = [[escape(m["model"]), escape(j["model"]), str(j["n_judged"]), str(j["n_failed"]),
             "-" if j["mean_score"] is None else f"{j['mean_score']:.2f}", _money(j["usd_per_task"]),
             _money(j["usd_total"])] for m in summary["models"] if (j := m.get("judge"))]
    if not rows:
        return ""
    return ("<h2>LLM judge</h2><p class=note>Rubric scores on top of the checks. The judge's dollars are the "
            "evaluator's cost and are not in $/task above.</p>"
            + _table(["model", "judge", "judged", "failed", "judge score", "judge $/task", "judge $ total"], rows))


def comparisons(summary: dict[str, Any]) -> str:
    rows = [[escape(c["a"]), escape(c["b"]), str(c["n_tasks"]),
             ("-" if c["accuracy_diff"] is None else f"{c['accuracy_diff']:+.0%}")
             + _ci(c["accuracy_diff_ci"], lambda v: f"{v:+.0%}"),
             _money(c["usd_per_task_diff"]) + _ci(c["usd_per_task_diff_ci"], _money),
             "-" if c["usd_ratio"] is None else f"{c['usd_ratio']:.2f}×",
             f"{c['a_wins']} / {c['b_wins']} / {c['ties']}"] for c in summary.get("comparisons", [])]
    if not rows:
        return ""
    return ("<h2>Paired comparison</h2><p class=note>Each model against the baseline (the first model, or report "
            "--baseline) (A − B), on the tasks both "
            "scored; intervals are a bootstrap over tasks.</p>"
            + _table(["A", "B", "tasks", "accuracy A − B", "$/task A − B", "$ ratio A/B", "wins A / B / ties"], rows))


def speed(summary: dict[str, Any]) -> str:
    body = speed_section.rows(summary)
    if not body:
        return ""
    notes = "".join(f"<li>{escape(n)}</li>" for n in speed_section.notes(summary))
    return (f"<h2>Speed and reliability</h2><p class=note>{escape(speed_section.TITLE)}</p>"
            + _table(speed_section.HEAD, [[escape(c) for c in r] for r in body], "speed", "speed")
            + (f"<ul class=note>{notes}</ul>" if notes else ""))


def providers(summary: dict[str, Any]) -> str:
    return "".join(f"<h2>{escape(procurement.title(g).capitalize())}</h2>"
                   + _table(procurement.HEAD, [[escape(c) for c in r] for r in procurement.table_rows(g)], "providers")
                   for g in summary.get("procurement") or [])


def servers(summary: dict[str, Any]) -> str:
    rows, charts, replicas = [], [], []
    for i, r in enumerate(x for x in summary.get("servers", []) if x.get("complete")):
        node, load = r.get("node") or {}, r.get("load") or {}
        rows.append([escape(str(r["model"])), escape(str(r.get("vllm") or "attached")),
                     f"{r.get('startup_s') or 0:.1f}", f"{r.get('generation_tokens_per_s') or 0:.1f}",
                     _pct(r.get("prefix_cache_hit_rate")),
                     "/".join(f"{(r.get('ttft_s') or {}).get(q) or 0:.2f}" for q in ("p50", "p90")),
                     "/".join(f"{((r.get('tpot_s') or {}).get(q) or 0) * 1000:.0f}" for q in ("p50", "p90")),
                     _pct(load.get("busy_share")),
                     f"{node['gpus']} × {_money(node['gpu_hour_usd'])}/h" if node else "-",
                     _money(node.get("node_cost_usd")) if node else "-"])
        if chart := server_load(r, i):
            charts.append(f'<div><h3>{escape(str(r["model"]))}</h3>{chart}<p class="note">busy '
                          f'{_pct(load.get("busy_share"))} of {load.get("scrapes")} scrapes, every '
                          f'{load.get("interval_s") or 0:g} s; peak {load.get("peak_generation_tokens_per_s") or 0:.1f} '
                          'generated tok/s'
                          + (f'; $/Mtok {_money(node.get("usd_per_mtok"))} as run, {_money(r["usd_per_mtok_at_peak"])} '
                             f'at the best throughput it showed ({r["peak_tokens_per_s"]:,.0f} tok/s)'
                             if r.get("usd_per_mtok_at_peak") is not None else "") + '</p></div>')
        replicas += [[escape(str(r["model"])), escape(x["url"]), str(x.get("requests") or 0), str(x.get("samples") or 0),
                      f"{x.get('generation_tokens_per_s') or 0:.1f}", _pct(x.get("prefix_cache_hit_rate")),
                      _pct(x.get("busy_share")), "yes" if x.get("down") else "no"] for x in r.get("replicas") or []]
    if not rows:
        return ""
    lines = "".join(f"<li>{escape(line)}</li>" for r in summary.get("servers", []) if (line := node_line(r)))
    out = ("<h2>vLLM servers</h2><p class=note>From each server's own /metrics over the session. Busy: the share "
           "of scrapes at which it had a request running.</p>"
           + _table(["model", "vLLM", "start-up s", "gen tok/s", "prefix-cache hits", "TTFT p50/p90 s",
                     "TPOT p50/p90 ms", "busy", "node", "node $"], rows, "servers", "servers")
           + (f'<ul class="node-cost">{lines}</ul>' if lines else ""))
    if replicas:
        out += ("<h3>Replicas</h3><p class=note>Each replica's own counters; requests and samples as the balancer "
                "sent them (a sample stays on its first replica).</p>"
                + _table(["model", "replica", "requests", "samples", "gen tok/s", "prefix-cache hits", "busy", "down"],
                         replicas, "replicas", "replicas"))
    if charts:
        out += '<h3>Load over time</h3><div class="charts">' + "".join(charts) + "</div>"
    return out


def projections(summary: dict[str, Any]) -> str:
    rows = [[escape(r.get("run", "")), escape(r["target"]), escape(r["model"]), _money(r["usd_per_task"]),
             _money(r["usd_total"]), _money(r["measured_usd_total"]), escape(r["basis"])]
            for r in summary.get("projections") or []]
    if not rows:
        return ""
    return ("<h2>Projections</h2><p class=note>The same measured tokens priced on other hardware or at other APIs' "
            "list prices: estimates, each with its basis, not measurements.</p>"
            + _table(["run", "target", "model", "$/task", "total", "measured total", "basis"], rows, "projections",
                     "projections"))


def assumptions_block(summary: dict[str, Any]) -> str:
    block = summary.get("assumptions")
    if not block:
        return ""
    items = "".join(f'<li data-kind="{escape(h)}"><b>{escape(h)}</b>: {escape(t)}</li>' for h, t in assumption_lines(block))
    return (f'<h2>Assumptions</h2><p class=note>What these figures rest on, from each run\'s manifest.</p>'
            f'<ul class="assumptions" id="assumptions">{items}</ul>')


def placement(summary: dict[str, Any]) -> str:
    where = summary.get("placement") or {}
    if not where.get("where"):
        return ""
    rate = "".join(f" · {r['samples_per_s']:.3g} samples/s over {r['span_s']:.1f} s"
                   + (f" ({escape(Path(r['run']).name)})" if r.get("run") else "")
                   for r in where.get("runs") or [where] if r.get("samples_per_s"))
    items = "".join(f"<li>{escape(k)}: {v} sample(s)</li>" for k, v in where["where"].items())
    return f'<h2>Where it ran</h2><ul class="placement" id="placement">{items}</ul><p class="note">{where["samples"]} samples{rate}.</p>'


def claims(summary: dict[str, Any]) -> str:
    out = []
    for c in [c for c in summary.get("claims", []) if ours(c)]:  # the rest: `pertask claims`
        items = "".join(f"<li>{escape(r['figure'] or _ratio_text(r.get('ratio')))} — <span class=note>"
                        f"{escape(r['basis'])}</span></li>" for r in c.get("recomputed", []))
        if c.get("assumption"):
            items += f'<li class="assumption"><b>{escape(c["note"])}</b></li>'
        elif not c.get("recomputed"):
            items += "<li>the runs do not include these models</li>"
        out.append(f'<div class="claim" data-claim="{escape(c["id"])}"><p><b>{escape(c["text"])}</b><br>'
                   f'<span class="note">{escape(c["source"])}, {escape(c["date"])}</span></p><ul>'
                   f'<li>as stated: {escape(c["as_stated"])}'
                   + (f" (as ratios to the cheapest: {escape(_ratio_text(c['claimed_ratio']))})"
                      if c.get("claimed_ratio") else "") + f"</li>{items}</ul></div>")
    return "<h2>Published claims</h2>" + "".join(out) if out else ""


def _ratio_text(ratio: dict | None) -> str:
    return ", ".join(f"{k} {'null' if v is None else f'{v:g}×'}" for k, v in (ratio or {}).items()) or "-"


def per_task(run_dirs: list[Path], summary: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The tasks × models table (pass/fail per epoch, $/task) and the transcripts it opens."""
    cells: dict[tuple[str, str], list] = defaultdict(list)
    transcripts: dict[str, Any] = {}
    relabel = Relabel(run_dirs)
    for i, d in enumerate(run_dirs):
        for s in RunStore(d).load_samples():
            s.model = relabel(s.model, d)
            s.sample_id = f"{i}:{s.sample_id}"  # addressed by run and sample: two runs' ids never collide
            cells[(s.task_id, s.model)].append(s)
            path = Path(d) / s.transcript
            if s.transcript and path.is_file():
                data = json.loads(path.read_text())
                for msg in data.get("messages", []):
                    if isinstance(msg.get("content"), str) and len(msg["content"]) > CONTENT_LIMIT:
                        msg["content"] = msg["content"][:CONTENT_LIMIT] + f"\n… ({len(msg['content']):,} characters)"
                transcripts[s.sample_id] = {"title": f"{s.model} · {s.task_id} · epoch {s.epoch}",
                                            "messages": data.get("messages", []), "calls": data.get("calls", []),
                                            "grade": s.grader, "usd": s.usd, "error": s.error.value}
    models = [m["model"] for m in summary["models"]]
    tasks = sorted({t for t, _ in cells})
    rows = []
    for t in tasks:
        row = [escape(t)]
        for m in models:
            samples = sorted(cells.get((t, m), []), key=lambda s: s.epoch)
            marks = "".join(
                f'<a href="#" class="sample {"pass" if s.passed else "fail" if s.passed is False else "err"}" '
                f'data-sample="{escape(s.sample_id)}" title="epoch {s.epoch}: score {s.score}">'
                f'{"✓" if s.passed else "✗" if s.passed is False else "!"}</a>' for s in samples)
            usd = [s.usd for s in samples if s.usd is not None]
            cost = _money(sum(usd) / len(usd)) if usd and len(usd) == len(samples) else "null" if samples else ""
            if not samples:  # this model never ran this task: said, not left blank
                row.append('<span class="notrun" title="this model did not run this task">not run</span>')
                continue
            row.append(f'{marks} <span class="usd" data-v="{sum(usd) / len(usd) if usd else -1}">{cost}</span>')
        rows.append(row)
    return _table(["task", *models], rows, "pertask sortable", "per-task"), transcripts


def skipped(summary: dict[str, Any]) -> str:
    if not (rows := summary.get("skipped_tasks") or []):
        return ""
    items = "".join(f"<li>{escape(t['reason'])}</li>" for t in rows)
    return (f'<h2>Skipped as broken</h2><p class="note">{len(rows)} task(s) of the suite could not be loaded and '
            f'are in no figure above.</p><ul class="skipped">{items}</ul>')


def script_json(value: Any) -> str:
    """JSON to embed in a <script> element that no string in it can end or alter: every <, > and & is written as
    its \\u escape (so neither "</script>" nor "<!--<script>", which sends the browser into its "double escaped"
    state, can appear), and so are the line separators that end a JavaScript string."""
    text = json.dumps(value, default=str)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def render_html(run_dirs: list[Path], summary: dict[str, Any]) -> str:
    task_table, transcripts = per_task(run_dirs, summary)
    data = script_json(transcripts)
    warnings = "".join(f"<li>{escape(w)}</li>" for w in summary.get("warnings", []))
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pertask report</title>
<style>{(ASSETS / "report.css").read_text()}</style></head>
<body>
<h1>pertask report</h1>
<p class="note">Runs: {escape(", ".join(summary.get("runs", [])))} · generated {generated}.
Tokens, turns and wall time are means per task; intervals are 95% bootstrap intervals over tasks.</p>
{f'<ul class="warnings">{warnings}</ul>' if warnings else ""}
<h2>Per model</h2>
{summary_table(summary)}
{judge_table(summary)}
<div class="charts"><div><h2>Cost and accuracy</h2>{cost_accuracy(summary["models"])}
<p class="note">★: on the Pareto front (no model is cheaper and at least as accurate); the dashed line joins the
front when it has two or more models. A model at $0 sits in the "$0" strip, left of the log axis.</p></div>
<div><h2>Token mix per task</h2>{token_mix(summary["models"])}</div></div>
{comparisons(summary)}
{placement(summary)}
{speed(summary)}
{providers(summary)}
{servers(summary)}
{projections(summary)}
<h2>Per task</h2>
<p class="note">✓ pass, ✗ fail, ! not scored (infrastructure error), one mark per epoch; click a mark for its
transcript, a column head to sort.</p>
{task_table}
{skipped(summary)}
{assumptions_block(summary)}
{claims(summary)}
<div id="viewer" hidden><div class="bar"><b id="viewer-title"></b><button id="viewer-close">close</button></div>
<div id="viewer-body"></div></div>
<script type="application/json" id="transcripts">{data}</script>
<script>{(ASSETS / "report.js").read_text()}</script>
</body></html>
"""


def write_html(summary: dict[str, Any], runs: list[Path], path: Path) -> list[Path]:
    path.write_text(render_html(runs, summary))
    return [path]
