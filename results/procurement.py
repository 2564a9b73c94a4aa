"""Providers of one model side by side: the procurement table.

Model specs that serve the same model (`zai:glm-5.2`, `together:zai-org/GLM-5.2`, `vllm:/models/GLM-5.2`) are one
group: the same identity, which is the spec's `#model_id=` where given, else the last part of its model name,
lower-cased (a hub id's or a path's). Each provider of a group of two or more is set against a reference (the
report's `--baseline` where it is in the group, else the group's first model) on the tasks both ran:

- accuracy and $/task differences, paired by task, with 95% intervals (results/stats.py: paired);
- its speed and reliability beside the reference's (results/speed.py);
- a verdict: the differences beyond noise (an interval of a difference that excludes 0; intervals of the two that do
  not overlap), each said once, and "no difference beyond noise" where there is none. A time is said only where the
  two also differ by a difference a user would notice (SECONDS_NOTICED and SHARE_NOTICED): 20 ms against 30 ms on
  loopback may be beyond noise and still mean nothing to a buyer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .fit import fit
from .stats import paired


def identity(model_name: str, model_id: str = "") -> str:
    return (model_id or model_name).strip().rstrip("/").rsplit("/", 1)[-1].lower()


def groups(names: dict[str, tuple[str, str]], order: Sequence[str]) -> dict[str, list[str]]:
    """identity -> its models in report order, for identities served by two or more; `names`: label -> (model_name,
    model_id)."""
    out: dict[str, list[str]] = {}
    for label in order:
        if label in names:
            out.setdefault(identity(*names[label]), []).append(label)
    return {k: v for k, v in out.items() if len(v) > 1}


SECONDS_NOTICED, SHARE_NOTICED = 0.1, 0.1  # a time differs where it is 0.1 s apart and 10% of the reference's


def _apart(a: list | None, b: list | None) -> bool:
    return bool(a and b) and (a[0] > b[1] or b[0] > a[1])


def _noticed(a: float, b: float) -> bool:
    return abs(a - b) >= SECONDS_NOTICED and abs(a - b) >= SHARE_NOTICED * b


def verdict(row: dict[str, Any], ref: str, sp: dict | None, ref_sp: dict | None) -> str:
    said = []
    ci = row.get("accuracy_diff_ci")
    if ci and (ci[0] > 0 or ci[1] < 0):
        said.append(f"{'more' if ci[0] > 0 else 'less'} accurate ({row['accuracy_diff']:+.0%})")
    ci = row.get("usd_per_task_diff_ci")
    if ci and (ci[0] > 0 or ci[1] < 0):
        ratio = f" ({row['usd_ratio']:.2f}× $/task)" if row.get("usd_ratio") is not None else ""
        said.append(f"{'dearer' if ci[0] > 0 else 'cheaper'}{ratio}")
    if sp and ref_sp:
        for key, q, more, less in (("latency_s", "p50", "slower", "faster"), ("ttft_s", "p50", "slower to first token",
                                                                              "quicker to first token")):
            a, b = sp.get(key) or {}, ref_sp.get(key) or {}
            if _apart(a.get(f"{q}_ci"), b.get(f"{q}_ci")) and _noticed(a[q], b[q]):
                said.append(f"{more if a[q] > b[q] else less} ({a[q]:.2f} vs {b[q]:.2f} s {q})")
        for key, what in (("retries", "retries"), ("bad_tool_calls", "bad tool calls"), ("cut_off", "cut-off answers"),
                          ("refused", "refusals")):
            a, b = sp.get(key) or {}, ref_sp.get(key) or {}
            if _apart(a.get("ci"), b.get("ci")):
                said.append(f"{'more' if a['per_100'] > b['per_100'] else 'fewer'} {what} "
                            f"({a['per_100']:.1f} vs {b['per_100']:.1f} /100 calls)")
    return f"vs {ref}: " + ("; ".join(said) if said else "no difference beyond noise")


def procurement(summary: dict[str, Any], by_model: dict[str, list], names: dict[str, tuple[str, str]],
                baseline: str | None = None) -> list[dict[str, Any]]:
    models = {m["model"]: m for m in summary["models"]}
    out = []
    for ident, members in groups(names, list(models)).items():
        ref = baseline if baseline in members else members[0]
        rows = []
        for label in members:
            m = models[label]
            row = {"model": label, "reference": label == ref, "accuracy": m["accuracy"], "usd_per_task": m["usd_per_task"],
                   "speed": m.get("speed")}
            if label != ref:
                c = paired(label, by_model.get(label, []), ref, by_model.get(ref, []))
                row |= {k: c[k] for k in ("n_tasks", "accuracy_diff", "accuracy_diff_ci", "usd_per_task_diff",
                                          "usd_per_task_diff_ci", "usd_ratio")}
                row["verdict"] = verdict(row, ref, m.get("speed"), models[ref].get("speed"))
            rows.append(row)
        out.append({"model_id": ident, "reference": ref, "providers": rows})
    return out


HEAD = ["provider", "accuracy", "Δ accuracy [95% CI]", "$/task", "Δ $/task [95% CI]", "latency p50 s", "TTFT p50 s",
        "out tok/s", "retries /100", "verdict"]


def table_rows(group: dict[str, Any], intervals: bool = True) -> list[list[str]]:
    """One group's rows as the terminal, Markdown and HTML write them."""
    from .fmt import ci, money, pct

    def q(sp: dict | None, key: str) -> str:
        v = ((sp or {}).get(key) or {}).get("p50")
        return "-" if v is None else f"{v:.2f}" if v < 100 else f"{v:,.0f}"

    def diff(r: dict, key: str, fmt) -> str:
        if r["reference"]:
            return "reference"
        return "-" if r.get(key) is None else fmt(r[key]) + (ci(r.get(f"{key}_ci"), fmt) if intervals else "")

    out = []
    for r in group["providers"]:
        sp, retries = r.get("speed"), ((r.get("speed") or {}).get("retries") or {}).get("per_100")
        out.append([r["model"], pct(r["accuracy"]), diff(r, "accuracy_diff", lambda v: f"{v:+.0%}"),
                    money(r["usd_per_task"]), diff(r, "usd_per_task_diff", lambda v: ("+" if v >= 0 else "") + money(v)),
                    q(sp, "latency_s"), q(sp, "ttft_s"), q(sp, "output_tok_s"),
                    "-" if retries is None else f"{retries:.1f}", r.get("verdict", "").removeprefix(
                        f"vs {group['reference']}: ")])
    return out


def title(group: dict[str, Any]) -> str:
    return f"providers of {group['model_id']} (against {group['reference']}; differences paired by task)"


def numeric(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """CSV columns per model: its group, its reference and its differences from it."""
    out = {}
    for g in summary.get("procurement") or []:
        for r in g["providers"]:
            acc, usd = r.get("accuracy_diff_ci") or [None, None], r.get("usd_per_task_diff_ci") or [None, None]
            out[r["model"]] = {"model_id": g["model_id"], "reference": g["reference"],
                               "accuracy_diff_vs_reference": r.get("accuracy_diff"), "accuracy_diff_low": acc[0],
                               "accuracy_diff_high": acc[1], "usd_per_task_diff_vs_reference": r.get("usd_per_task_diff"),
                               "usd_per_task_diff_low": usd[0], "usd_per_task_diff_high": usd[1],
                               "verdict": r.get("verdict", "")}
    return out


def render(summary: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    for g in summary.get("procurement") or []:
        t = Table(title=title(g))
        for col in HEAD:
            t.add_column(col, justify="left" if col in ("provider", "verdict") else "right", overflow="fold")
        for r in table_rows(g, intervals=True):
            t.add_row(*r)
        console.print(fit(t, console))
