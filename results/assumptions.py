"""What each figure of a report rests on, from each run's manifest: the suite and its version, the tasks (and
those skipped as broken, with why), the models with their settings and price entries, the node and its price
source, the command line, epochs and the harness version; and the projections' targets with their basis.
Every report format prints it (summary["assumptions"])."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .store import RunStore

NODE_KEYS = ("gpu_type", "gpus", "unit", "gpu_hour_usd", "gpu_hour_source", "prices", "bill_from", "hardware_check")


def _price(p: Any) -> dict[str, Any] | None:
    if p is None:
        return None
    keep = ("provider", "model", "input", "cached_input", "cache_write", "output", "date", "source")
    return {k: getattr(p, k, None) for k in keep}


def run_assumptions(run_dir: Path) -> dict[str, Any] | None:
    m = RunStore(run_dir).read_manifest()
    if m is None:
        return None
    last = m.sessions[-1] if m.sessions else {}
    node = {k: m.node[k] for k in NODE_KEYS if m.node.get(k) is not None}
    return {"run": str(run_dir), "suite": m.suite, "suite_version": m.suite_version, "tasks": len(m.tasks),
            "skipped_tasks": [t.get("reason", "") for t in m.skipped_tasks], "epochs": m.epochs,
            "harness_version": m.harness_version, "command": " ".join(last.get("command") or []) or None,
            "sampling": m.sampling, "max_turns": m.max_turns, "sandbox": m.sandbox, "agent": m.agent,
            "models": [{"spec": i.spec, "model": i.model_name, "settings": i.settings, "price": _price(i.price),
                        "batch": i.batch} for i in m.models],
            "node": node or None, "started_at": m.started_at}


def assumptions(run_dirs: list[Path], projections: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    runs = [a for d in run_dirs if (a := run_assumptions(d))]
    targets = list(dict.fromkeys((r["target"], r["basis"]) for r in projections or []))
    return {"runs": runs, "projections": [{"target": t, "basis": b} for t, b in targets]}


def price_text(p: dict[str, Any] | None) -> str:
    if not p:
        return "no price entry (dollars null)"
    cached = f", cached ${p['cached_input']:g}" if p.get("cached_input") is not None else ""
    write = f", cache write ${p['cache_write']:g}" if p.get("cache_write") is not None else ""
    return (f"{p['provider']}/{p['model']}: input ${p['input']:g}{cached}{write}, output ${p['output']:g} per M "
            f"({p.get('date') or 'undated'}; {p.get('source') or 'no source'})")


def lines(block: dict[str, Any]) -> list[tuple[str, str]]:
    """(heading, text) pairs, the same for every format."""
    out = []
    for r in block["runs"]:
        out.append(("run", f"{r['run']}: suite {r['suite']} (version {r['suite_version'][:12]}), {r['tasks']} tasks"
                           f" × {r['epochs']} epoch(s), pertask {r['harness_version']}, sandbox {r['sandbox']}, "
                           f"agent {r['agent']}, started {r['started_at']}"))
        if r["skipped_tasks"]:
            out.append(("skipped", f"{len(r['skipped_tasks'])} task(s) skipped as broken: " + "; ".join(r["skipped_tasks"])))
        if r["command"]:
            out.append(("command", r["command"]))
        sampling = ", ".join(f"{k} {v}" for k, v in (r["sampling"] or {}).items() if v is not None)
        if sampling or r["max_turns"]:
            out.append(("sampling", sampling + (f", max turns {r['max_turns']}" if r["max_turns"] else "")))
        for m in r["models"]:
            settings = ", ".join(f"{k}={v}" for k, v in (m["settings"] or {}).items())
            out.append(("model", f"{m['spec']}" + (f" [{settings}]" if settings else "")
                        + (" (batch pricing)" if m["batch"] else "") + f": {price_text(m['price'])}"))
        if (n := r["node"]) and (n.get("gpu_type") or n.get("gpus") or n.get("gpu_hour_usd") is not None):
            unit = n.get("unit", "GPU")
            out.append(("node", f"{n.get('gpu_type') or '?'} × {n.get('gpus') or '?'} {unit}(s) at "
                                + (f"${n['gpu_hour_usd']:g}/h" if n.get("gpu_hour_usd") is not None else "no price")
                                + f" ({n.get('gpu_hour_source') or 'not given'}); billed from {n.get('bill_from', 'launch')}"
                                + (f"; HARDWARE MISMATCH: {n['hardware_check']['mismatch']}"
                                   if (n.get("hardware_check") or {}).get("mismatch") else "")))
    for p in block["projections"]:
        out.append(("projection", f"{p['target']}: {p['basis']}"))
    return out
