"""`report --project-on`: the same measured tokens priced on other hardware and other APIs.

    PROFILExN[@USD][:ratio=R][:kv=GB]   e.g. h200x8@3.59, h100x8, ascend910c-x8
    PROVIDER:MODEL              e.g. zai:glm-5.2, openai:gpt-5.5

Every projection states its basis: the throughput ratio and where it came from, or the
catalog entry with its date. Nothing is projected on a ratio or price nobody gave. Hardware
projections scale the serving time by the throughput ratio and keep the start-up and idle tail
as they were (wall time the node is rented); a model whose weights plus a KV reserve do not fit
the target node's memory is said to not fit, with no figure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from statistics import fmean
from typing import Any

from .hardware import default_price, hardware_profiles, profile_of
from .prices import Catalog, cost_usd, node_usd, sample_usd
from .records import SampleRecord, Usage
from .store import RunStore
from .vllm_metrics import load_servers

_HW = re.compile(r"^(?P<profile>[a-z0-9]+?)-?x(?P<n>\d+)(?:@(?P<usd>[\d.]+))?(?::ratio=(?P<ratio>[\d.]+))?"
                 r"(?::kv=(?P<kv>[\d.]+))?$")


class ProjectionError(ValueError):
    pass


MEMORY_USABLE = 0.9  # vLLM's default --gpu-memory-utilization: the share of each GPU's memory it takes
KV_RESERVE = 0.1  # of the node's memory, kept for the KV cache beyond the weights (stated; :kv=GB overrides)


def fit(weights_gb: float | None, n: int, prof: dict[str, Any], kv_gb: float | None) -> dict[str, Any]:
    """Whether the model's weights plus a KV reserve fit in N GPUs of the profile (at vLLM's default 90%)."""
    total = n * prof["memory_gb"]
    kv = kv_gb if kv_gb is not None else KV_RESERVE * total
    if weights_gb is None:
        return {"fits": None, "why": "the model's weight size is unknown (launch it with pertask, or attach with "
                                     "#weights_gb=N): fit not checked"}
    need, have = weights_gb + kv, MEMORY_USABLE * total
    return {"fits": need <= have, "need_gb": round(need, 3), "have_gb": round(have, 3),
            "why": f"weights {weights_gb:,.4g} GB + KV reserve {kv:,.4g} GB {'≤' if need <= have else '>'} "
                   f"{MEMORY_USABLE:.0%} of {n}x{prof['memory_gb']} GB"}


def _hardware(target: str, run_dir: Path, profiles: dict) -> list[dict[str, Any]]:
    m = _HW.match(target.lower())
    if not m or m["profile"] not in profiles:
        raise ProjectionError(f"--project-on {target}: expected PROFILExN[@USD][:ratio=R][:kv=GB] with a profile of "
                              f"{', '.join(profiles)}, or PROVIDER:MODEL")
    prof, n = profiles[m["profile"]], int(m["n"])
    rows = []
    for rec in load_servers(run_dir):
        for sess in rec.get("sessions", []):
            cost = sess.get("cost")
            if not cost:
                continue  # a session with no node price has nothing to scale
            measured = profile_of(cost.get("gpu_type"), profiles)
            if m["ratio"]:
                ratio, basis = float(m["ratio"]), f"throughput ratio {m['ratio']} given by the user"
            elif measured:
                ratio = (n * prof["bandwidth_tbs"]) / (cost["gpus"] * profiles[measured]["bandwidth_tbs"])
                basis = (f"throughput ratio {ratio:.4g} = memory bandwidth {n}x{prof['bandwidth_tbs']} / "
                         f"{cost['gpus']}x{profiles[measured]['bandwidth_tbs']} TB/s (decode-bound assumption; "
                         f"{prof['spec_source']})")
            else:
                raise ProjectionError(f"--project-on {target}: the run's hardware ({cost.get('gpu_type') or 'unknown'}) "
                                      "has no profile, so no throughput ratio is known; add :ratio=R")
            # Serving scales with throughput; start-up and the idle tail are wall time the node is rented anyway.
            t = cost.get("time_s") or {"serving": cost["node_time_s"]}
            seconds = t.get("startup", 0.0) + t.get("serving", 0.0) / ratio + t.get("tail", 0.0)
            if t.get("startup") or t.get("tail"):
                basis += (f"; start-up {t.get('startup', 0.0):.1f} s and idle tail {t.get('tail', 0.0):.1f} s kept as "
                          "measured (wall time the node is rented, not sped up by the ratio)")
            price = default_price(prof)
            if m["usd"]:
                rate, basis = float(m["usd"]), basis + f"; ${m['usd']}/GPU-hour given"
            elif price:
                rate = price["usd"]
                basis += f"; ${rate:g}/GPU-hour {price['tier'].replace('_', '-')} ({price['date']}, {price['source']})"
            elif prof.get("cost_multiplier"):
                rate = prof["cost_multiplier"] * cost["gpu_hour_usd"]
                basis += (f"; no sourced $/GPU-hour for {m['profile']}: {prof['cost_multiplier']:g}x the measured "
                          f"node's ${cost['gpu_hour_usd']:g}, an ASSUMPTION taken from the press claim, not a check")
            else:
                raise ProjectionError(f"--project-on {target}: no sourced $/GPU-hour for {m['profile']}; "
                                      f"give it as {m['profile']}x{n}@USD")
            fits = fit(rec.get("weights_gb"), n, prof, float(m["kv"]) if m["kv"] else None)
            projected = node_usd(n, rate, seconds) if fits["fits"] is not False else None
            n_samples = len(sess.get("samples", {})) or 1
            rows.append({"target": target, "model": rec.get("spec"), "usd_total": projected,
                         "usd_per_task": None if projected is None else projected / n_samples,
                         "measured_usd_total": cost["node_cost_usd"], "fit": fits,
                         "basis": ("DOES NOT FIT: " if fits["fits"] is False else "") + fits["why"] + "; " + basis})
    return rows


def _api(target: str, store: RunStore, samples: list[SampleRecord], catalog: Catalog) -> list[dict[str, Any]]:
    provider, _, model = target.partition(":")
    price = catalog.lookup(provider, model)
    if price is None:
        raise ProjectionError(f"--project-on {target}: no catalog price for {provider}/{model} (see pertask prices)")
    rows = []
    for spec in dict.fromkeys(s.model for s in samples if s.usage.calls):  # a model that made no call has no tokens
        per_sample = []
        for s in (x for x in samples if x.model == spec):
            calls = json.loads((store.root / s.transcript).read_text()).get("calls", []) if s.transcript else []
            priced = [{"usd": cost_usd(Usage.model_validate(c["usage"]), price)} for c in calls]
            per_sample.append(sample_usd(priced))
        known = [x for x in per_sample if x is not None]
        measured = [s.usd for s in samples if s.model == spec]
        rows.append({"target": target, "model": spec, "usd_total": sum(known),
                     "usd_per_task": fmean(known) if known else None,
                     "measured_usd_total": None if any(x is None for x in measured) else sum(measured),
                     "basis": f"{provider}/{model} list price ({price.date}, {price.source}) on each call's tokens"})
    return rows


def project(run_dir: Path, targets: list[str], catalog: Catalog,
            warnings: list[str] | None = None) -> list[dict[str, Any]]:
    """The rows of every target for one run, each naming the run; a target with nothing to project (no
    self-hosted session with a node price, no model that made a call) adds a warning instead of vanishing."""
    store, profiles = RunStore(run_dir), hardware_profiles()
    samples = store.load_samples()
    providers = {e.provider for e in catalog.entries()}
    rows: list[dict[str, Any]] = []
    for target in (t.strip() for t in targets if t.strip()):
        api = target.partition(":")[0] in providers
        got = _api(target, store, samples, catalog) if api else _hardware(target, run_dir, profiles)
        if not got and warnings is not None:
            warnings.append(f"--project-on {target}: nothing to project in {run_dir} ("
                            + ("no model made a call" if api else "no self-hosted session with a node price: give "
                               "the run --node or --gpus and --gpu-hour-usd, or reprice it") + ")")
        rows += [{**r, "run": str(run_dir)} for r in got]
    return rows


def check_targets(targets: list[str], catalog: Catalog) -> None:
    """Each target well formed, before anything runs: a typo is found now, not after the run."""
    profiles, providers = hardware_profiles(), {e.provider for e in catalog.entries()}
    for target in (t.strip() for t in targets if t.strip()):
        provider, _, model = target.partition(":")
        if provider in providers:
            if catalog.lookup(provider, model) is None:
                raise ProjectionError(f"--project-on {target}: no catalog price for {provider}/{model} (see pertask prices)")
        elif not ((m := _HW.match(target.lower())) and m["profile"] in profiles):
            raise ProjectionError(f"--project-on {target}: expected PROFILExN[@USD][:ratio=R][:kv=GB] with a profile "
                                  f"of {', '.join(profiles)}, or PROVIDER:MODEL")
