"""The summary as Markdown (for a pull request or a wiki) and CSV, every sample as Parquet,
and the HTML page: `pertask report RUN... --html F --markdown F --csv F --parquet F`.

Markdown is for reading: percentages, dollars, intervals in brackets, "-" where there is nothing and
"null" for an unknown price, as the terminal writes them. CSV is for computing: one numeric column per
figure (an interval's ends as `_low`/`_high`), an empty cell for unknown; projections go to a sibling
file, `NAME-projections.csv`, since their columns are other ones."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from . import procurement, speed_section
from .assumptions import lines as assumption_lines
from .fmt import ci as _ci
from .fmt import money, scored, tamper
from .fmt import pct as _pct

TOKENS = ["input_uncached", "input_cached", "cache_write", "output", "reasoning"]
ERRORS = ["model", "limit", "infra", "tampered"]
PROJECTION = ["run", "target", "model", "usd_per_task", "usd_total", "measured_usd_total", "fits", "basis"]


def numeric_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    rows, groups = [], procurement.numeric(summary)
    for m in summary["models"]:
        acc, usd = m.get("accuracy_ci") or [None, None], m.get("usd_per_task_ci") or [None, None]
        row = {"model": m["model"], "n": m["n_samples"], "accuracy": m["accuracy"], "accuracy_low": acc[0],
               "accuracy_high": acc[1], "n_scored": m["n_scored"], "tamper_rate": m.get("tamper_rate"), "score": m["mean_score"], "usd_per_task": m["usd_per_task"],
               "usd_per_task_low": usd[0], "usd_per_task_high": usd[1], "usd_per_success": m["usd_per_success"],
               **{f"tokens_{t}": m["tokens_per_task"].get(t) for t in TOKENS},
               "turns": m["turns_per_task"], "wall_s": m["wall_s_per_task"],
               **{f"errors_{k}": m["errors"].get(k, 0) for k in ERRORS},
               **{f"pass_at_{k}": v for k, v in m.get("pass_at_k", {}).items()}}
        if m.get("judge"):
            row["judge_score"], row["judge_usd_per_task"] = m["judge"]["mean_score"], m["judge"]["usd_per_task"]
        rows.append(row | speed_section.numeric(m) | groups.get(m["model"], {}))
    return rows


def _csv(head: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(head)
    for r in rows:
        w.writerow(["" if r.get(k) is None else r[k] for k in head])
    return buf.getvalue()


def to_csv(summary: dict[str, Any]) -> str:
    rows = numeric_rows(summary)
    return _csv(list(dict.fromkeys(k for r in rows for k in r)), rows)


def projections_csv(summary: dict[str, Any]) -> str:
    rows = [{**r, "fits": (r.get("fit") or {}).get("fits")} for r in summary.get("projections") or []]
    return _csv(PROJECTION, rows)


def _num(x: float | None, fmt: str = "{:,.0f}") -> str:
    return "-" if x is None else fmt.format(x)


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    esc = lambda c: str(c).replace("|", "\\|")  # noqa: E731
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + \
        ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]


def to_markdown(summary: dict[str, Any]) -> str:
    rows = []
    for m in summary["models"]:
        tok = m["tokens_per_task"]
        errs = ", ".join(f"{k} {v}" for k, v in m["errors"].items() if k != "none" and v) or "-"
        per_success = "-" if m["price_known"] and m["usd_per_success"] is None else money(m["usd_per_success"])
        rows.append([m["model"], scored(m), _pct(m["accuracy"]) + _ci(m["accuracy_ci"], _pct), tamper(m),
                     _num(m["mean_score"], "{:.2f}"), money(m["usd_per_task"]) + _ci(m["usd_per_task_ci"], money),
                     per_success, *(_num(tok.get(t)) for t in TOKENS), _num(m["turns_per_task"], "{:.1f}"),
                     _num(m["wall_s_per_task"], "{:.1f}"), errs])
    lines = _md_table(["model", "scored", "accuracy [95% CI]", "tampered", "score", "$/task [95% CI]", "$/success", "in uncached",
                       "in cached", "cache write", "output", "reasoning", "turns", "wall s", "errors"], rows)
    for c in summary.get("comparisons", []):
        diff = lambda v: f"{v:+.0%}"  # noqa: E731
        lines.append("")
        lines.append(f"{c['a']} vs {c['b']} on {c['n_tasks']} tasks: accuracy "
                     f"{'-' if c['accuracy_diff'] is None else diff(c['accuracy_diff'])}{_ci(c['accuracy_diff_ci'], diff)}"
                     f", $/task {money(c['usd_per_task_diff'])}{_ci(c['usd_per_task_diff_ci'], money)}, "
                     f"wins {c['a_wins']}/{c['b_wins']}/{c['ties']}")
    for g in summary.get("procurement") or []:
        lines += ["", f"**{procurement.title(g).capitalize()}**", ""] + _md_table(procurement.HEAD,
                                                                               procurement.table_rows(g))
    if body := speed_section.rows(summary):
        lines += ["", f"**Speed and reliability**: {speed_section.TITLE.split(' (', 1)[1].rstrip(')')}.", ""]
        lines += _md_table(speed_section.HEAD, body) + [f"\n{n}" for n in speed_section.notes(summary)]
    if proj := summary.get("projections"):
        lines += ["", "**Projections**: the same measured tokens priced elsewhere (basis per row).", ""]
        lines += _md_table(["run", "target", "model", "$/task", "total", "measured total", "basis"],
                           [[r.get("run", ""), r["target"], r["model"], money(r["usd_per_task"]), money(r["usd_total"]),
                             money(r["measured_usd_total"]), r["basis"]] for r in proj])
    if block := summary.get("assumptions"):
        lines += ["", "**Assumptions** (what these figures rest on, from each run's manifest):", ""]
        lines += [f"- {head}: {text}".replace("|", "\\|") for head, text in assumption_lines(block)]
    skipped = summary.get("skipped_tasks") or []
    if skipped:
        lines.append(f"\nSkipped as broken ({len(skipped)}, in no figure above):\n")
        lines += [f"- {t['reason']}".replace("|", "\\|") for t in skipped]
    for w in summary.get("warnings", []):
        lines.append(f"\n> warning: {w}")
    return "\n".join(lines) + "\n"


def write_markdown(summary: dict[str, Any], runs: list[Path], path: Path) -> list[Path]:
    path.write_text(to_markdown(summary))
    return [path]


def write_csv(summary: dict[str, Any], runs: list[Path], path: Path) -> list[Path]:
    path.write_text(to_csv(summary))
    if not summary.get("projections"):
        return [path]
    sibling = path.with_name(f"{path.stem}-projections.csv")
    sibling.write_text(projections_csv(summary))
    return [path, sibling]
