"""Dates as people write them: "2024-03-01", "1 March 2024", "Mar 1, 2024", "03/01/2024",
"today", "next friday", "in 3 days", "2 weeks ago".

Numeric dates with slashes are ambiguous (03/01 is March 1 in the US, 3 January elsewhere):
`dayfirst` decides, and a value that only makes sense one way (13/01/2024) is read that way.
"""

from __future__ import annotations

import datetime as dt
import re

from .arithmetic import add_months

MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
WEEKDAYS = {name: i for i, names in enumerate(
    [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"), ("thu", "thurs", "thursday"),
     ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday")]) for name in names}
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": "m", "months": "m", "year": "y", "years": "y"}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_RELATIVE = re.compile(r"^(?:in\s+(\d+)\s+([a-z]+)|(\d+)\s+([a-z]+)\s+ago)$")
_WEEKDAY = re.compile(r"^(next|last|this)\s+([a-z]+)$")


class DateParseError(ValueError):
    pass


def _shift(today: dt.date, n: int, unit: str) -> dt.date:
    step = UNITS.get(unit)
    if step is None:
        raise DateParseError(f"unknown unit {unit!r}")
    if step == "m":
        return add_months(today, n)
    if step == "y":
        return add_months(today, 12 * n)
    return today + dt.timedelta(days=n * step)


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if len(text) == 2 else y  # two-digit years are this century: "24" is 2024


def _make(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateParseError(f"{original!r}: {exc}") from None


def parse_date(text: str, today: dt.date | None = None, dayfirst: bool = False) -> dt.date:
    original, s = text, " ".join(text.strip().lower().split())
    today = today or dt.date.today()
    if s in ("today", "now"):
        return today
    if s == "tomorrow":
        return today + dt.timedelta(days=1)
    if s == "yesterday":
        return today - dt.timedelta(days=1)
    if m := _ISO.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]), original)
    if m := _SLASH.match(s):
        a, b, year = int(m[1]), int(m[2]), _year(m[3])
        if a > 12 and b <= 12:
            day, month = a, b
        elif b > 12 and a <= 12:
            month, day = a, b
        else:
            day, month = (a, b) if dayfirst else (b, a)
        return _make(year, month, day, original)
    for pattern, order in ((_DAY_MONTH, "dm"), (_MONTH_DAY, "md")):
        if m := pattern.match(s):
            day, name = (m[1], m[2]) if order == "dm" else (m[2], m[1])
            if name not in MONTHS:
                raise DateParseError(f"{original!r}: unknown month {name!r}")
            return _make(int(m[3]), MONTHS[name], int(day), original)
    if m := _RELATIVE.match(s):
        if m[1]:
            return _shift(today, int(m[1]), m[2])
        return _shift(today, -int(m[3]), m[4])
    if m := _WEEKDAY.match(s):
        which, name = m[1], m[2]
        if name not in WEEKDAYS:
            raise DateParseError(f"{original!r}: unknown weekday {name!r}")
        delta = (WEEKDAYS[name] - today.weekday()) % 7
        if which == "next":
            return today + dt.timedelta(days=delta or 7)
        if which == "last":
            return today - dt.timedelta(days=(today.weekday() - WEEKDAYS[name]) % 7 or 7)
        return today + dt.timedelta(days=delta)  # "this friday": the coming one, or today
    raise DateParseError(f"cannot read {original!r} as a date")
