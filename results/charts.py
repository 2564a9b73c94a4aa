"""SVG charts for the HTML report, drawn here so the page needs no library and no network."""

from __future__ import annotations

import math
from html import escape
from typing import Any

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
TOKEN_PARTS = [("input_uncached", "uncached input", "#4c78a8"), ("input_cached", "cached input", "#9ecae9"),
               ("cache_write", "cache write", "#f58518"), ("output_visible", "output", "#54a24b"),
               ("reasoning", "reasoning", "#b279a2")]


def pareto(points: list[tuple[str, float, float]]) -> list[str]:
    """Names not dominated: no other point is at most as costly and at least as accurate, and better in one."""
    front = []
    for name, cost, acc in points:
        if not any((c <= cost and a >= acc) and (c < cost or a > acc) for n, c, a in points if n != name):
            front.append(name)
    return front


REFERENCES = ("oracle", "null")  # pertask's reference models: what a task's solution scores, what doing nothing does


def reference(model: str) -> bool:
    return model.split(" @ ")[0].split("#")[0] in REFERENCES


def cost_accuracy(models: list[dict[str, Any]], width: int = 680, height: int = 400) -> str:
    """x: $/task on a log scale (whole decades, evenly spaced), y: accuracy; whiskers are the 95% intervals;
    the Pareto front is starred and joined. A model at $0 (the oracle, a free endpoint) has no place on a log
    axis: it is drawn in its own "$0" strip left of it."""
    pts = [m for m in models if m.get("usd_per_task") is not None and m.get("accuracy") is not None]
    if not pts:
        return '<p class="note">No model has both a known price and a score: nothing to plot.</p>'
    positive = [v for m in pts for v in [m["usd_per_task"], *(m.get("usd_per_task_ci") or [])] if v and v > 0]
    lo = math.floor(math.log10(min(positive))) if positive else -4
    hi = math.ceil(math.log10(max(positive))) if positive else lo + 1
    hi = hi if hi > lo else lo + 1
    zero_strip = any(m["usd_per_task"] <= 0 for m in pts)
    left, right, top, bottom = (118 if zero_strip else 64), width - 130, 20, height - 48  # room for labels

    def x(v: float) -> float:
        if v <= 0:
            return left - 34  # the $0 strip
        return left + (math.log10(v) - lo) / (hi - lo) * (right - left)

    def y(v: float) -> float:
        return bottom - v * (bottom - top)

    out = [f'<svg id="cost-accuracy" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           'role="img" aria-label="cost against accuracy">',
           f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="#fafafa" stroke="#ccc"/>']
    if zero_strip:
        out.append(f'<rect class="zero-strip" x="{left - 52}" y="{top}" width="36" height="{bottom - top}" fill="#f3f3f3" '
                   f'stroke="#ccc"/><text x="{left - 34}" y="{bottom + 16}" text-anchor="middle" class="tick">$0</text>')
    for e in range(lo, hi + 1):
        xe = x(10 ** e)
        label = f"${10 ** e:,.0f}" if e >= 0 else f"${10 ** e:.{-e}f}"
        out.append(f'<line x1="{xe:.1f}" y1="{top}" x2="{xe:.1f}" y2="{bottom}" stroke="#e5e5e5"/>'
                   f'<text x="{xe:.1f}" y="{bottom + 16}" text-anchor="middle" class="tick decade">{label}</text>')
    for a in (0, 0.25, 0.5, 0.75, 1.0):
        out.append(f'<line x1="{left}" y1="{y(a):.1f}" x2="{right}" y2="{y(a):.1f}" stroke="#e5e5e5"/>'
                   f'<text x="{(left - 56 if zero_strip else left) - 6}" y="{y(a) + 4:.1f}" text-anchor="end" '
                   f'class="tick">{a:.0%}</text>')
    out.append(f'<text x="{(left + right) / 2}" y="{height - 8}" text-anchor="middle">$ per task (log scale)</text>'
               f'<text x="14" y="{(top + bottom) / 2}" text-anchor="middle" '
               f'transform="rotate(-90 14 {(top + bottom) / 2})">accuracy</text>')
    # The reference models (the task's solution, and doing nothing) bound the plot; a buyer reads the front as
    # "winners", so they are drawn hollow, labelled as references, and never on it.
    front = pareto([(m["model"], m["usd_per_task"], m["accuracy"]) for m in pts if not reference(m["model"])])
    chain = sorted((m for m in pts if m["model"] in front), key=lambda m: m["usd_per_task"])
    if len(chain) > 1:
        path = " ".join(f"{x(m['usd_per_task']):.1f},{y(m['accuracy']):.1f}" for m in chain)
        out.append(f'<polyline class="pareto" points="{path}" fill="none" stroke="#999" stroke-dasharray="5 4"/>')
    placed: list[tuple[float, float]] = []  # labels already drawn: a later one moves down, never on top
    for i, m in enumerate(pts):
        c, cx, cy = COLORS[i % len(COLORS)], x(m["usd_per_task"]), y(m["accuracy"])
        if m.get("usd_per_task_ci") and m["usd_per_task"] > 0:
            a, b = (max(v, 10 ** lo) for v in m["usd_per_task_ci"])
            out.append(f'<line x1="{x(a):.1f}" y1="{cy:.1f}" x2="{x(b):.1f}" y2="{cy:.1f}" stroke="{c}"/>')
        if m.get("accuracy_ci"):
            a, b = m["accuracy_ci"]
            out.append(f'<line x1="{cx:.1f}" y1="{y(a):.1f}" x2="{cx:.1f}" y2="{y(b):.1f}" stroke="{c}"/>')
        on_front, ref = m["model"] in front, reference(m["model"])
        label = m["model"] + (" ★" if on_front else " (reference)" if ref else "")
        # Labels stay inside the frame: to the left of a point near the right edge, below one near the top.
        anchor, lx = ("end", cx - 9) if cx > right - 160 else ("start", cx + 9)
        ly = cy + 18 if cy < top + 20 else cy - 8
        while any(abs(ly - py) < 14 and abs(lx - px) < 120 for px, py in placed):  # points that coincide
            ly += 14
        placed.append((lx, ly))
        out.append(f'<circle class="point{" front" if on_front else " reference" if ref else ""}" cx="{cx:.1f}" '
                   f'cy="{cy:.1f}" r="6" fill="{"white" if ref else c}" stroke="{c}" stroke-width="2" '
                   f'data-model="{escape(m["model"])}"><title>{escape(m["model"])}: '
                   f'${m["usd_per_task"]:.4f}/task, {m["accuracy"]:.0%}</title></circle>'
                   f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" class="label">{escape(label[:40])}</text>')
    out.append("</svg>")
    return "".join(out)


def token_mix(models: list[dict[str, Any]], width: int = 640) -> str:
    """One stacked bar per model: the mean tokens per task, split by how they are billed."""
    rows = [m for m in models if m.get("tokens_per_task") and any(m["tokens_per_task"].values())]
    if not rows:
        return '<p class="note">No tokens recorded.</p>'
    left, bar, gap = 150, 22, 10
    height = 30 + len(rows) * (bar + gap) + 30
    biggest = max(sum(v or 0 for k, v in m["tokens_per_task"].items() if k != "reasoning") for m in rows) or 1
    out = [f'<svg id="token-mix" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           'aria-label="token mix per model">']
    for i, m in enumerate(rows):
        tok = dict(m["tokens_per_task"])
        tok["output_visible"] = (tok.get("output") or 0) - (tok.get("reasoning") or 0)  # reasoning is part of output
        yb, xb = 20 + i * (bar + gap), left
        out.append(f'<text x="{left - 8}" y="{yb + 15}" text-anchor="end" class="label">{escape(m["model"][:20])}'
                   f'<title>{escape(m["model"])}</title></text>')
        for key, name, color in TOKEN_PARTS:
            v = tok.get(key) or 0
            w = v / biggest * (width - left - 20)
            if w > 0:
                out.append(f'<rect class="seg" x="{xb:.1f}" y="{yb}" width="{w:.1f}" height="{bar}" fill="{color}">'
                           f'<title>{escape(m["model"])}: {name} {v:,.0f} tokens/task</title></rect>')
                xb += w
    ly, lx = height - 14, 20
    for _, name, color in TOKEN_PARTS:  # spaced by each label's length, so no two overlap
        out.append(f'<rect class="legend" x="{lx}" y="{ly - 10}" width="10" height="10" fill="{color}"/>'
                   f'<text x="{lx + 14}" y="{ly}" class="tick">{name}</text>')
        lx += 14 + 7 * len(name) + 18
    out.append("</svg>")
    return "".join(out)


def server_load(row: dict[str, Any], idx: int = 0, width: int = 640, height: int = 220) -> str:
    """One server's load over its session: generation tok/s (line, left axis) and requests running (bars, right
    axis), one point per scrape interval."""
    points = (row.get("load") or {}).get("points") or []
    if len(points) < 2:
        return ""
    left, right, top, bottom = 56, width - 48, 16, height - 40
    t_max = max(p["t_s"] for p in points) or 1.0
    g_max = max((p["generation_tokens_per_s"] or 0.0) for p in points) or 1.0
    r_max = max((p["running"] or 0.0) for p in points) or 1.0

    def x(t: float) -> float:
        return left + t / t_max * (right - left)

    out = [f'<svg class="server-load" id="server-load-{idx}" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="load of {escape(str(row["model"]))} over time">',
           f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="#fafafa" stroke="#ccc"/>']
    prev = 0.0
    for p in points:
        h = (p["running"] or 0.0) / r_max * (bottom - top)
        if h > 0:
            out.append(f'<rect class="running" x="{x(prev):.1f}" y="{bottom - h:.1f}" width="{max(x(p["t_s"]) - x(prev), 1):.1f}" '
                       f'height="{h:.1f}" fill="#9ecae9"><title>{p["t_s"]:.1f} s: {p["running"]:g} running</title></rect>')
        prev = p["t_s"]
    line = " ".join(f'{x(p["t_s"]):.1f},{bottom - (p["generation_tokens_per_s"] or 0.0) / g_max * (bottom - top):.1f}'
                    for p in points)
    out.append(f'<polyline class="gen" points="{x(0):.1f},{bottom} {line}" fill="none" stroke="#d62728" stroke-width="2"/>')
    out.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" class="tick">{g_max:.0f}</text>'
               f'<text x="{left - 6}" y="{bottom}" text-anchor="end" class="tick">0</text>'
               f'<text x="{right + 6}" y="{top + 10}" class="tick">{r_max:g}</text>'
               f'<text x="{right}" y="{bottom + 16}" text-anchor="end" class="tick">{t_max:.0f} s</text>'
               f'<text x="{left}" y="{height - 6}" class="tick"><tspan fill="#d62728">— generation tok/s</tspan>'
               f'  <tspan fill="#4c78a8">▮ requests running</tspan></text></svg>')
    return "".join(out)
