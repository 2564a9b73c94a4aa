"""The node a self-hosted run is billed for: hardware profiles (data/hardware.toml) with their dated,
sourced prices by tier, the node as the user stated it, and that statement checked against the hardware
detected where pertask launched the servers."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Any

TIERS = ("on_demand", "spot", "committed")
_NODE = re.compile(r"^(?P<profile>[a-z0-9]+?)(?:-?x(?P<n>\d+))?(?:@(?P<usd>[\d.]+))?$")


class NodeError(ValueError):
    pass


def hardware_profiles() -> dict[str, dict[str, Any]]:
    return tomllib.loads(resources.files("results").joinpath("data/hardware.toml").read_text())


def profile_of(gpu_type: str | None, profiles: dict | None = None) -> str | None:
    """The profile a stated or detected GPU name belongs to ("NVIDIA H200 SXM" -> h200), if any."""
    profiles = profiles if profiles is not None else hardware_profiles()
    key = re.sub(r"[^a-z0-9]", "", (gpu_type or "").lower())
    return next((p for p in profiles if p in key), None)


def default_price(prof: dict[str, Any]) -> dict[str, Any] | None:
    """The tier a bare profile name is priced at ({usd, date, source, range?, tier}), or None when unsourced."""
    tier = prof.get("default")
    return {**prof[tier], "tier": tier} if tier and tier in prof else None


def price_line(name: str, prof: dict[str, Any]) -> str:
    """Every sourced price of a profile on one line: the default first, its range, then the other tiers."""
    out = []
    for tier in TIERS:
        if p := prof.get(tier):
            rng = f" (offers ${p['range'][0]:g}-{p['range'][1]:g})" if p.get("range") else ""
            out.append(f"{tier.replace('_', '-')} ${p['usd']:g}{rng}, {p['date']}")
    return f"{name}: " + ("; ".join(out) if out else "no sourced price")


def node_config(gpu_type: str | None, gpus: int | None, gpu_hour_usd: float | None) -> dict[str, Any]:
    """The node as given on the command line; a named profile supplies its default tier's dated price."""
    node: dict[str, Any] = {"gpu_type": gpu_type, "gpus": gpus, "gpu_hour_usd": gpu_hour_usd,
                            "gpu_hour_source": "given" if gpu_hour_usd is not None else None}
    profiles = hardware_profiles()
    name = profile_of(gpu_type, profiles)
    if name:
        prof = profiles[name]
        node.update(profile=name, unit="VM" if prof.get("kind") == "cpu" else "GPU", prices=price_line(name, prof))
        if gpu_hour_usd is None and (p := default_price(prof)):
            node.update(gpu_hour_usd=p["usd"], gpu_hour_source=f"profile {name} {p['tier'].replace('_', '-')} "
                                                               f"({p['date']}): {p['source']}")
    return node


def parse_node(text: str) -> tuple[str, int, float | None]:
    """--node PROFILE[xN][@USD] -> (profile, count, $/h or None)."""
    m = _NODE.match(text.strip().lower())
    profiles = hardware_profiles()
    if not m or m["profile"] not in profiles:
        raise NodeError(f"--node {text}: expected PROFILE[xN][@USD] with a profile of {', '.join(profiles)} "
                        "(e.g. h200x8, h200x8@3.59, cpu2)")
    return m["profile"], int(m["n"] or 1), float(m["usd"]) if m["usd"] else None


def _same_gpu(stated: str | None, detected: str, profiles: dict) -> bool:
    """The same profile, or, where neither names one, the stated name inside the detected one."""
    a, b = profile_of(stated, profiles), profile_of(detected, profiles)
    if a or b:
        return a == b
    norm = lambda x: re.sub(r"\W", "", (x or "").lower())  # noqa: E731
    return norm(stated) in norm(detected)


def hardware_check(node: dict[str, Any], detected: dict[str, Any]) -> dict[str, Any]:
    """The stated node against what this machine has (where pertask launched the servers): the mismatch, if
    any, in one line. A stated GPU type that names no profile is compared by name."""
    stated_type, stated_n = node.get("gpu_type"), node.get("gpus")
    profiles = hardware_profiles()
    prof = profiles.get(node.get("profile") or "", {})
    gpus, n = detected.get("gpus") or [], detected.get("gpu_count") or 0
    have = (f"{n} x {detected.get('gpu_type')}" if n else
            f"no GPU (CPU: {detected.get('cpu')}, {detected.get('cpu_count')} cores)")
    problem = None
    if prof.get("kind") == "cpu":
        if n:
            problem = f"a CPU VM ({stated_type}) was stated, but this node has {have}"
        elif prof.get("vcpus") and detected.get("cpu_count") != prof["vcpus"] * (stated_n or 1):
            problem = (f"{stated_type} x{stated_n or 1} has {prof['vcpus'] * (stated_n or 1)} vCPUs; this node has "
                       f"{detected.get('cpu_count')} cores")
    elif not n:
        problem = f"{stated_type} x{stated_n or '?'} was stated, but this node has {have}"
    elif not _same_gpu(stated_type, gpus[0].get("name", ""), profiles):
        problem = f"{stated_type} was stated, but this node has {have}"
    elif stated_n and stated_n > n:
        problem = f"{stated_n} GPUs were stated, but this node has {n}"
    return {"stated": f"{stated_type} x{stated_n}" if stated_n else str(stated_type), "detected": have,
            "mismatch": problem}
