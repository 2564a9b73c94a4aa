"""Scrape a vLLM server's Prometheus /metrics into a plain snapshot (summed over label sets)."""

from __future__ import annotations

import asyncio
import re
import time
import urllib.request
from typing import Any

_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
_LE = re.compile(r'le="([^"]+)"')


def parse_prometheus(text: str) -> dict[str, Any]:
    """{"values": {name: sum}, "buckets": {name: {le: sum}}} for every vllm:* series."""
    values: dict[str, float] = {}
    buckets: dict[str, dict[str, float]] = {}
    for line in text.splitlines():
        m = _LINE.match(line)
        if not m or not m.group(1).startswith("vllm:"):
            continue
        name, labels, raw = m.groups()
        try:
            value = float(raw)
        except ValueError:
            continue
        if name.endswith("_bucket"):
            le = _LE.search(labels or "")
            if le:
                b = buckets.setdefault(name[: -len("_bucket")], {})
                b[le.group(1)] = b.get(le.group(1), 0.0) + value
            continue
        values[name] = values.get(name, 0.0) + value
    return {"values": values, "buckets": buckets}


def metrics_url(base_url: str) -> str:
    # /metrics hangs off the server root, not the /v1 API prefix.
    root = base_url.rstrip("/")
    return (root[: -len("/v1")] if root.endswith("/v1") else root) + "/metrics"


def scrape_sync(base_url: str, timeout: float = 10) -> dict[str, Any]:
    with urllib.request.urlopen(metrics_url(base_url), timeout=timeout) as resp:  # noqa: S310 (loopback or user URL)
        snap = parse_prometheus(resp.read().decode("utf-8", "replace"))
    snap["t"] = time.time()
    return snap


async def scrape(base_url: str) -> dict[str, Any] | None:
    """None when the server does not answer: a missing scrape is recorded as missing, not as zeros."""
    try:
        return await asyncio.to_thread(scrape_sync, base_url)
    except (OSError, ValueError):
        return None


def merge(snaps: list[dict[str, Any]]) -> dict[str, Any]:
    """Several replicas' snapshots as one: counters, gauges and histogram buckets summed (shares: the largest),
    taken at the latest."""
    values: dict[str, float] = {}
    buckets: dict[str, dict[str, float]] = {}
    for snap in snaps:
        for k, v in snap["values"].items():
            # A share (KV cache use) of several servers is not their sum: the fullest one is what binds.
            values[k] = max(values.get(k, 0.0), v) if k.endswith("_perc") else values.get(k, 0.0) + v
        for name, bs in snap["buckets"].items():
            b = buckets.setdefault(name, {})
            for le, v in bs.items():
                b[le] = b.get(le, 0.0) + v
    return {"values": values, "buckets": buckets, "t": max(s["t"] for s in snaps)}
