"""Being a polite client: read the rate-limit headers an API sends and wait as it asks.

Understands `Retry-After` (seconds or an HTTP date), the IETF draft `RateLimit` /
`RateLimit-Policy` fields (`limit=100, remaining=7, reset=30`, or the older separate
`RateLimit-Limit`/`-Remaining`/`-Reset` headers this package itself sends), and the common
`X-RateLimit-*` headers, whose reset is sometimes seconds and sometimes a Unix time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class Quota:
    limit: int | None
    remaining: int | None
    reset_in: float | None  # seconds from now


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in (headers.items() if hasattr(headers, "items") else headers)}


def retry_after(headers, now: dt.datetime | None = None) -> float | None:
    value = _lower(headers).get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def quota(headers, now: float | None = None) -> Quota:
    h = _lower(headers)
    if "ratelimit" in h:  # draft-ietf-httpapi-ratelimit-headers: one structured field
        fields = dict(re.findall(r"(\w+)\s*=\s*([\d.]+)", h["ratelimit"]))
        reset = fields.get("reset")
        return Quota(_int(fields.get("limit")), _int(fields.get("remaining")), float(reset) if reset else None)
    for prefix in ("ratelimit-", "x-ratelimit-"):
        if any(k.startswith(prefix) for k in h):
            reset = h.get(prefix + "reset")
            reset_in = None
            if reset is not None and re.fullmatch(r"\d+(\.\d+)?", reset.strip()):
                value = float(reset)
                # A value this large is a Unix time, not a number of seconds.
                reset_in = max(0.0, value - now) if value > 10 ** 9 and now is not None else (
                    None if value > 10 ** 9 else value)
            return Quota(_int(h.get(prefix + "limit")), _int(h.get(prefix + "remaining")), reset_in)
    return Quota(None, None, None)


def wait_before_next(status: int, headers, now_epoch: float | None = None, floor: float = 0.0) -> float:
    """Seconds to wait before the next request: what a 429/503 asks for, or, when the quota is
    spent, until it resets; 0 when nothing says to wait."""
    if status in (429, 503):
        asked = retry_after(headers)
        if asked is not None:
            return max(asked, floor)
    q = quota(headers, now_epoch)
    if q.remaining == 0 and q.reset_in is not None:
        return max(q.reset_in, floor)
    return floor if status in (429, 503) else 0.0
