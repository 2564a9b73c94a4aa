"""Relative times for people: 'just now', '5 minutes ago', 'in 2 days', 'yesterday'."""

from __future__ import annotations

import datetime as dt

UNITS = [("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400), ("day", 86400),
         ("hour", 3600), ("minute", 60)]


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}s"


def humanize(when: dt.datetime, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(when.tzinfo)
    seconds = (now - when).total_seconds()
    past, seconds = seconds >= 0, abs(seconds)
    if seconds < 45:
        return "just now"
    if 86400 <= seconds < 2 * 86400 and when.date() != now.date():
        return "yesterday" if past else "tomorrow"
    for unit, size in UNITS:
        if seconds >= size:
            n = round(seconds / size)
            text = _plural(n, unit)
            return f"{text} ago" if past else f"in {text}"
    return "1 minute ago" if past else "in 1 minute"
