"""The summary as Markdown (for a pull request or a wiki) and CSV, every sample as Parquet,
and the HTML page: `pertask report RUN... --html F --markdown F --csv F --parquet F`."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

COLUMNS = [("model", "model"), ("n_samples", "n"), ("accuracy", "accuracy"), ("accuracy_ci", "accuracy 95% CI"),
           ("mean_score", "score"), ("usd_per_task", "$/task"), ("usd_per_task_ci", "$/task 95% CI"),
           ("usd_per_success", "$/success"), ("turns_per_task", "turns"), ("wall_s_per_task", "wall s")]
TOKENS = ["input_uncached", "input_cached", "cache_write", "output", "reasoning"]


def _rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for m in summary["models"]:
        row = {label: m.get(key) for key, label in COLUMNS}
        row.update({f"tokens {t}": m["tokens_per_task"].get(t) for t in TOKENS})
        row["errors"] = "; ".join(f"{k} {v}" for k, v in m["errors"].items() if k != "none" and v)
        row.update({f"pass@{k}": v for k, v in m.get("pass_at_k", {}).items()})
        if m.get("judge"):
            row["judge score"], row["judge $/task"] = m["judge"]["mean_score"], m["judge"]["usd_per_task"]
        rows.append(row)
    return rows


def _cell(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, list):
        return f"[{_cell(v[0])}, {_cell(v[1])}]"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def to_csv(summary: dict[str, Any]) -> str:
    rows = _rows(summary)
    head = list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(head)
    for r in rows:
        w.writerow([_cell(r.get(k)) for k in head])
    return buf.getvalue()


def to_markdown(summary: dict[str, Any]) -> str:
    rows = _rows(summary)
    head = list(dict.fromkeys(k for r in rows for k in r))
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(r.get(k)).replace("|", "\\|") for k in head) + " |" for r in rows]
    for c in summary.get("comparisons", []):
        lines.append("")
        lines.append(f"{c['a']} vs {c['b']} on {c['n_tasks']} tasks: accuracy {_cell(c['accuracy_diff'])} "
                     f"{_cell(c['accuracy_diff_ci'])}, $/task {_cell(c['usd_per_task_diff'])} "
                     f"{_cell(c['usd_per_task_diff_ci'])}, wins {c['a_wins']}/{c['b_wins']}/{c['ties']}")
    skipped = summary.get("skipped_tasks") or []
    if skipped:
        lines.append(f"\nSkipped as broken ({len(skipped)}, in no figure above):\n")
        lines += [f"- {t['reason']}".replace("|", "\\|") for t in skipped]
    for w in summary.get("warnings", []):
        lines.append(f"\n> warning: {w}")
    return "\n".join(lines) + "\n"


def write_outputs(summary: dict[str, Any], runs: list[Path], html: Path | None = None,
                  markdown: Path | None = None, csv_path: Path | None = None, parquet: Path | None = None) -> list[Path]:
    written = []
    if html:
        from .html import render_html

        html.write_text(render_html(runs, summary))
        written.append(html)
    if markdown:
        markdown.write_text(to_markdown(summary))
        written.append(markdown)
    if csv_path:
        csv_path.write_text(to_csv(summary))
        written.append(csv_path)
    if parquet:
        from .frame import to_parquet

        written.append(to_parquet(runs, parquet))
    return written
