"""Durations of days, hours, minutes and seconds, with a compact text form: '2d 3h 15m 4s'."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_COMPACT = re.compile(r"^\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*$")


@dataclass(frozen=True, order=True)
class Duration:
    seconds: int

    @classmethod
    def of(cls, days: int = 0, hours: int = 0, minutes: int = 0, seconds: int = 0) -> Duration:
        return cls(((days * 24 + hours) * 60 + minutes) * 60 + seconds)

    @classmethod
    def parse(cls, text: str) -> Duration:
        m = _COMPACT.match(text)
        if not m or not any(m.groups()):
            raise ValueError(f"cannot read duration {text!r} (like '2d 3h 15m')")
        d, h, mi, s = (int(g or 0) for g in m.groups())
        return cls.of(d, h, mi, s)

    def parts(self) -> tuple[int, int, int, int]:
        minutes, s = divmod(abs(self.seconds), 60)
        hours, mi = divmod(minutes, 60)
        d, h = divmod(hours, 24)
        return d, h, mi, s

    def __str__(self) -> str:
        d, h, mi, s = self.parts()
        text = " ".join(f"{v}{u}" for v, u in zip((d, h, mi, s), "dhms") if v) or "0s"
        return "-" + text if self.seconds < 0 else text

    def __add__(self, other):
        if isinstance(other, Duration):
            return Duration(self.seconds + other.seconds)
        if isinstance(other, (dt.datetime, dt.date)):
            return other + self.timedelta()
        return NotImplemented

    __radd__ = __add__

    def __neg__(self) -> Duration:
        return Duration(-self.seconds)

    def __mul__(self, k: int) -> Duration:
        return Duration(self.seconds * k)

    def timedelta(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.seconds)
