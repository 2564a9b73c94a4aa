"""The terminal report's server section: each vLLM server's own counters, its replicas, what its node cost is
made of, and its load over time."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

from .fit import fit
from .fmt import money as _money


def render_servers(summary: dict[str, Any], console: Console) -> None:
    rows = [r for r in summary.get("servers", []) if r.get("complete")]
    if not rows:
        return
    t = Table(title="vLLM servers (the server's own /metrics over each session)")
    for col in ("model", "vLLM", "start-up s", "prompt tok/s", "gen tok/s", "prefix-cache hits",
                "TTFT p50/p90 s", "TPOT p50/p90 ms", "tokens harness − server", "node $", "$/sample (even)", "$/Mtok"):
        t.add_column(col, justify="left" if col == "model" else "right", no_wrap=col != "model", overflow="fold")

    def num(x, fmt="{:.1f}"):
        return "-" if x is None else fmt.format(x)

    for r in rows:
        ttft, tpot = r.get("ttft_s") or {}, r.get("tpot_s") or {}
        diff = (f"{num(r.get('prompt_tokens_diff'), '{:+.0f}')} in, {num(r.get('generation_tokens_diff'), '{:+.0f}')} out")
        t.add_row(r["model"], str(r.get("vllm") or "attached"), num(r.get("startup_s")),
                  num(r.get("prompt_tokens_per_s")), num(r.get("generation_tokens_per_s")),
                  num(r.get("prefix_cache_hit_rate"), "{:.0%}"),
                  f"{num(ttft.get('p50'), '{:.2f}')}/{num(ttft.get('p90'), '{:.2f}')}",
                  f"{num(tpot.get('p50') and tpot['p50'] * 1000, '{:.0f}')}/"
                  f"{num(tpot.get('p90') and tpot['p90'] * 1000, '{:.0f}')}", diff,
                  *((_money(node["node_cost_usd"]), _money(node["simple_split_usd"]), _money(node["usd_per_mtok"]))
                    if (node := r.get("node")) else ("-", "-", "-")))
    console.print(fit(t, console))
    replicas = [(r["model"], x) for r in rows for x in r.get("replicas") or []]
    if replicas:
        rt = Table(title="replicas (each server's own /metrics; requests and samples as the balancer sent them)")
        for col in ("model", "replica", "requests", "samples", "prompt tok/s", "gen tok/s", "prefix-cache hits", "busy",
                    "down"):
            rt.add_column(col, justify="left" if col in ("model", "replica") else "right", overflow="fold")
        for model, x in replicas:
            rt.add_row(model, x["url"], num(x.get("requests"), "{:.0f}"), num(x.get("samples"), "{:.0f}"),
                       num(x.get("prompt_tokens_per_s")), num(x.get("generation_tokens_per_s")),
                       num(x.get("prefix_cache_hit_rate"), "{:.0%}"), num(x.get("busy_share"), "{:.0%}"),
                       "yes" if x.get("down") else "no")
        console.print(fit(rt, console))
    for r in rows:
        for line in (node_line(r), load_line(r)):
            if line:
                console.print(line, highlight=False)


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], width: int = 60) -> str:
    """The values as one line of block characters, averaged into at most `width` columns."""
    if not values:
        return ""
    step = max(1, math.ceil(len(values) / width))
    cols = [sum(values[i:i + step]) / len(values[i:i + step]) for i in range(0, len(values), step)]
    top = max(cols) or 1.0
    return "".join(SPARKS[min(len(SPARKS) - 1, int(v / top * (len(SPARKS) - 1) + 0.5))] for v in cols)


PART_NAMES = {"startup": "start-up", "serving": "serving", "tail": "idle tail until stopped"}


def node_line(row: dict[str, Any]) -> str:
    """What the node cost is made of: each billed part of the node time with its dollars."""
    node = row.get("node") or {}
    if not node.get("time_s"):
        return ""
    parts = " + ".join(f"{node['time_s'][k]:.1f} s {PART_NAMES.get(k, k)} ({_money(node['parts_usd'][k])})"
                       for k in node["time_s"])
    if not row.get("launched"):
        start = "over the session only (an attached server: its start-up and stop are not pertask's to see)"
    else:
        start = "from launch" if node.get("bill_from") != "ready" else "from ready (--bill-from ready: no start-up)"
    unit = node.get("unit") or "GPU"
    line = (f"node cost of {row['model']}: {node['gpus']} {unit}(s) × {_money(node['gpu_hour_usd'])}/h × {parts} "
            f"= {_money(node['node_cost_usd'])}, billed {start}")
    if node.get("price_source"):
        line += f"; $/h: {node['price_source']}"
    return line + (f" (all tiers, {node['prices']})" if node.get("prices") else "")


def load_line(row: dict[str, Any]) -> str:
    """One server's load over the session: its busy share and generation throughput over time."""
    load = row.get("load") or {}
    if not load.get("scrapes"):
        return ""
    gen = [p["generation_tokens_per_s"] or 0.0 for p in load["points"]]
    busy = load["busy_share"]
    line = (f"load of {row['model']}: busy {busy:.0%} of {load['scrapes']} scrapes (every {load['interval_s']:g} s), "
            f"mean {load['mean_running']:.1f} requests running; gen tok/s over time {sparkline(gen)} "
            f"(peak {load['peak_generation_tokens_per_s'] or 0:.1f})")
    node = row.get("node") or {}
    if row.get("usd_per_mtok_at_peak") is not None and node.get("usd_per_mtok") is not None:
        line += (f"; $/Mtok {_money(node['usd_per_mtok'])} as run, {_money(row['usd_per_mtok_at_peak'])} at the best "
                 f"throughput it showed ({row['peak_tokens_per_s']:,.0f} tok/s over {load['interval_s']:g} s)")
    return line
