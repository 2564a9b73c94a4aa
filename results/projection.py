"""`report --project-on`: the same measured tokens priced on other hardware and other APIs.

    PROFILExN[@USD][:ratio=R]   e.g. h200x8@3.59, h100x8, ascend910c-x8
    PROVIDER:MODEL              e.g. zai:glm-5.2, openai:gpt-5.5

Every projection states its basis: the throughput ratio and where it came from, or the
catalog entry with its date. Nothing is projected on a ratio or price nobody gave.
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from statistics import fmean
from typing import Any

from .prices import Catalog, cost_usd, sample_usd
from .records import SampleRecord, Usage
from .server import load_servers
from .store import RunStore

_HW = re.compile(r"^(?P<profile>[a-z0-9]+?)-?x(?P<n>\d+)(?:@(?P<usd>[\d.]+))?(?::ratio=(?P<ratio>[\d.]+))?$")


class ProjectionError(ValueError):
    pass


def hardware_profiles() -> dict[str, dict[str, Any]]:
    return tomllib.loads(resources.files("results").joinpath("data/hardware.toml").read_text())


def _profile_of(gpu_type: str | None, profiles: dict) -> str | None:
    key = re.sub(r"[^a-z0-9]", "", (gpu_type or "").lower())
    return next((p for p in profiles if p in key), None)


def node_config(gpu_type: str | None, gpus: int | None, gpu_hour_usd: float | None) -> dict[str, Any]:
    """The node as given on the command line; a named profile supplies its dated on-demand price."""
    node: dict[str, Any] = {"gpu_type": gpu_type, "gpus": gpus, "gpu_hour_usd": gpu_hour_usd,
                            "gpu_hour_source": "given" if gpu_hour_usd is not None else None}
    profiles = hardware_profiles()
    name = _profile_of(gpu_type, profiles)
    if gpu_hour_usd is None and name and profiles[name].get("on_demand") is not None:
        prof = profiles[name]
        node.update(gpu_hour_usd=prof["on_demand"],
                    gpu_hour_source=f"profile {name} on-demand ({prof['date']}): {prof['source']}")
    return node


def _hardware(target: str, run_dir: Path, profiles: dict) -> list[dict[str, Any]]:
    m = _HW.match(target.lower())
    if not m or m["profile"] not in profiles:
        raise ProjectionError(f"--project-on {target}: expected PROFILExN[@USD][:ratio=R] with a profile of "
                              f"{', '.join(profiles)}, or PROVIDER:MODEL")
    prof, n = profiles[m["profile"]], int(m["n"])
    rows = []
    for rec in load_servers(run_dir):
        for sess in rec.get("sessions", []):
            cost = sess.get("cost")
            if not cost:
                continue  # a session with no node price has nothing to scale
            measured = _profile_of(cost.get("gpu_type"), profiles)
            if m["ratio"]:
                ratio, basis = float(m["ratio"]), f"throughput ratio {m['ratio']} given by the user"
            elif measured:
                ratio = (n * prof["bandwidth_tbs"]) / (cost["gpus"] * profiles[measured]["bandwidth_tbs"])
                basis = (f"throughput ratio {ratio:.3f} = memory bandwidth {n}x{prof['bandwidth_tbs']} / "
                         f"{cost['gpus']}x{profiles[measured]['bandwidth_tbs']} TB/s (decode-bound assumption; "
                         f"{prof['source']})")
            else:
                raise ProjectionError(f"--project-on {target}: the run's hardware ({cost.get('gpu_type') or 'unknown'}) "
                                      "has no profile, so no throughput ratio is known; add :ratio=R")
            usd = float(m["usd"]) if m["usd"] else prof.get("on_demand")
            if usd is not None:
                projected = n * usd * cost["node_time_s"] / ratio / 3600
                basis += f"; ${usd}/GPU-hour" + ("" if m["usd"] else f" on-demand ({prof['date']})")
            elif prof.get("cost_multiplier"):
                projected = cost["node_cost_usd"] * prof["cost_multiplier"]
                basis = f"{prof['cost_multiplier']}x the measured node cost ({prof['source']})"
            else:
                raise ProjectionError(f"--project-on {target}: no sourced $/GPU-hour for {m['profile']}; "
                                      f"give it as {m['profile']}x{n}@USD")
            n_samples = len(sess.get("samples", {})) or 1
            rows.append({"target": target, "model": rec.get("spec"), "usd_total": projected,
                         "usd_per_task": projected / n_samples, "measured_usd_total": cost["node_cost_usd"],
                         "basis": basis})
    return rows


def _api(target: str, store: RunStore, samples: list[SampleRecord], catalog: Catalog) -> list[dict[str, Any]]:
    provider, _, model = target.partition(":")
    price = catalog.lookup(provider, model)
    if price is None:
        raise ProjectionError(f"--project-on {target}: no catalog price for {provider}/{model} (see pertask prices)")
    rows = []
    for spec in dict.fromkeys(s.model for s in samples):
        per_sample = []
        for s in (x for x in samples if x.model == spec):
            calls = json.loads((store.root / s.transcript).read_text()).get("calls", []) if s.transcript else []
            priced = [{"usd": cost_usd(Usage.model_validate(c["usage"]), price)} for c in calls]
            per_sample.append(sample_usd(priced, price))
        known = [x for x in per_sample if x is not None]
        measured = [s.usd for s in samples if s.model == spec]
        rows.append({"target": target, "model": spec, "usd_total": sum(known),
                     "usd_per_task": fmean(known) if known else None,
                     "measured_usd_total": None if any(x is None for x in measured) else sum(measured),
                     "basis": f"{provider}/{model} list price ({price.date}, {price.source}) on each call's tokens"})
    return rows


def project(run_dir: Path, targets: list[str], catalog: Catalog) -> list[dict[str, Any]]:
    store, profiles = RunStore(run_dir), hardware_profiles()
    samples = store.load_samples()
    providers = {e.provider for e in catalog.entries()}
    rows: list[dict[str, Any]] = []
    for target in (t.strip() for t in targets if t.strip()):
        if target.partition(":")[0] in providers:
            rows += _api(target, store, samples, catalog)
        else:
            rows += _hardware(target, run_dir, profiles)
    return rows
