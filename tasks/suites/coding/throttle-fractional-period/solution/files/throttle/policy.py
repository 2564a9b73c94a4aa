"""Policies: "100/minute", "5/10s", "1000 per hour", "3/2.5s"."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
         "d": 86400, "day": 86400}
POLICY = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*(\d+(?:\.\d+)?)?\s*([a-z]+?)s?\s*$", re.I)


@dataclass(frozen=True)
class Policy:
    limit: int  # requests allowed...
    period: float  # ...per this many seconds

    @property
    def rate(self) -> float:
        return self.limit / self.period

    def __str__(self) -> str:
        return f"{self.limit}/{self.period:g}s"


def parse_policy(text: str | Policy) -> Policy:
    if isinstance(text, Policy):
        return text
    m = POLICY.match(text)
    if not m:
        raise ValueError(f"cannot read rate limit policy {text!r} (try '100/minute' or '5/10s')")
    count, multiple, unit = int(m.group(1)), float(m.group(2) or 1), m.group(3).lower()
    if unit not in UNITS:
        raise ValueError(f"unknown time unit {unit!r} in {text!r} (known: {', '.join(sorted(UNITS))})")
    if count <= 0 or multiple <= 0:
        raise ValueError(f"a policy needs a positive count and period: {text!r}")
    return Policy(count, multiple * UNITS[unit])
