"""Durations of days, hours, minutes and seconds, with a compact text form: '2d 3h 15m 4s'."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ISO = re.compile(r"^(-)?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
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

    @classmethod
    def parse_iso(cls, text: str) -> Duration:
        """ISO 8601: [-]P[nW][nD][T[nH][nM][nS]]. Years and months have no fixed length: refused."""
        m = _ISO.match(text.strip())
        if not m or not any(m.groups()[1:]) or text.strip().endswith("T"):
            raise ValueError(f"cannot read ISO 8601 duration {text!r} (like 'P1DT2H30M'; no years or months)")
        sign, w, d, h, mi, s = m.groups()
        value = cls.of(int(w or 0) * 7 + int(d or 0), int(h or 0), int(mi or 0), int(s or 0))
        return -value if sign else value

    def isoformat(self) -> str:
        d, h, mi, s = self.parts()
        date = f"{d}D" if d else ""
        time = "".join(f"{v}{u}" for v, u in zip((h, mi, s), "HMS") if v)
        if not date and not time:
            return "PT0S"
        return ("-" if self.seconds < 0 else "") + "P" + date + ("T" + time if time else "")

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
