"""`pertask reprice`: recompute every dollar of a run from its stored usage; no model is called.

API samples are re-priced call by call from their transcripts (the long-context tier depends
on each call); self-hosted sessions are re-attributed from their stored per-sample tokens,
server snapshots and node time, with the node price given now.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .cost import attribute_session
from .prices import Catalog, call_usd, priced, sample_usd
from .records import ModelInfo, SampleRecord, Usage
from .store import RunStore


def _reprice_api(store: RunStore, rec: SampleRecord, info: ModelInfo, catalog: Catalog) -> None:
    price = info.price = catalog.price_of(info, at=rec.started_at or None)  # and its dated entries, if any
    calls = json.loads((store.root / rec.transcript).read_text()).get("calls", []) if rec.transcript else []
    for c in calls:  # each call at the entry in force when it was made (older runs: when the sample started)
        c["usd"] = call_usd(info, Usage.model_validate(c["usage"]), c.get("at") or rec.started_at or None)
    rec.price, rec.usd = price, sample_usd(calls, priced(info))


def _reprice_served(store: RunStore, node: dict[str, Any]) -> list[dict]:
    costs = []
    for path in sorted((store.root / "servers").glob("*.json")):
        record = json.loads(path.read_text())
        for session in record.get("sessions", []):  # in order: a later session's re-run wins
            usages = {sid: Usage.model_validate(u) for sid, u in session.get("samples", {}).items()}
            snaps = session.get("snapshots") or [None]
            # A run from before start-up was billed kept only its serving time.
            parts = session.get("node_time") or {"serving_s": session.get("node_time_s") or 0.0}
            cost = attribute_session(usages, node, parts, snaps[0],
                                     snaps[-1] if len(snaps) > 1 else None, session.get("serving_gpus"))
            session["cost"] = cost  # the samples' dollars are joined from here when they are read
            if cost:
                costs.append({"model": record.get("spec"), "node_cost_usd": cost["node_cost_usd"]})
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=1))
        os.replace(tmp, path)
    return costs


def reprice(run_dir: Path, catalog: Catalog, *, gpu_hour_usd: float | None = None,
            gpus: int | None = None, bill_from: str | None = None) -> dict[str, Any]:
    store = RunStore(run_dir)
    manifest = store.read_manifest()
    if manifest is not None:
        store.lock()  # never while a run writes to it
    if manifest is None:
        raise FileNotFoundError(f"{run_dir}: not a pertask run directory (no manifest.json)")
    before = sum(s.usd or 0.0 for s in store.load_samples())
    samples = store.load_samples(attributed=False)  # rewritten as stored: self-hosted dollars live with the sessions
    infos = {m.spec: m for m in manifest.models}
    node = dict(manifest.node)
    node.update({k: v for k, v in (("gpu_hour_usd", gpu_hour_usd), ("gpus", gpus), ("bill_from", bill_from))
                 if v is not None})
    for rec in samples:
        info = infos.get(rec.model)
        if info is not None and not info.self_hosted:
            _reprice_api(store, rec, info, catalog)
    nodes = _reprice_served(store, node)
    for info in manifest.models:
        if not info.self_hosted:
            info.price = catalog.price_of(info)
    manifest.node = node
    store.rewrite(samples)
    store.write_manifest(manifest)
    store.unlock()
    after = store.load_samples()
    return {"samples": len(after), "usd_before": before, "usd_after": sum(s.usd or 0.0 for s in after),
            "unpriced": sum(1 for s in after if s.usd is None), "nodes": nodes}
