"""Fiscal calendars: years and quarters that start in a month other than January.

A fiscal year is named after the calendar year in which it *ends* (the US federal and most
company conventions: FY2025 with an October start runs 2024-10-01..2025-09-30); pass
`named_by="start"` for the other convention (the UK's 2024-25 tax year is "2024").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .arithmetic import add_months


@dataclass(frozen=True)
class FiscalCalendar:
    start_month: int = 1
    named_by: str = "end"  # or "start"

    def __post_init__(self):
        if not 1 <= self.start_month <= 12:
            raise ValueError(f"start_month must be 1..12, not {self.start_month}")
        if self.named_by not in ("end", "start"):
            raise ValueError("named_by must be 'end' or 'start'")

    def year_start(self, fiscal_year: int) -> dt.date:
        first_calendar_year = fiscal_year if self.named_by == "start" or self.start_month == 1 else fiscal_year - 1
        return dt.date(first_calendar_year, self.start_month, 1)

    def year_end(self, fiscal_year: int) -> dt.date:
        return add_months(self.year_start(fiscal_year), 12) - dt.timedelta(days=1)

    def fiscal_year(self, d: dt.date) -> int:
        starts_this_year = dt.date(d.year, self.start_month, 1)
        first = d.year if d >= starts_this_year else d.year - 1  # calendar year in which this FY began
        if self.named_by == "start" or self.start_month == 1:
            return first
        return first + 1

    def quarter(self, d: dt.date) -> int:
        months_in = (d.month - self.start_month) % 12
        return months_in // 3 + 1

    def quarter_bounds(self, fiscal_year: int, quarter: int) -> tuple[dt.date, dt.date]:
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter must be 1..4, not {quarter}")
        start = add_months(self.year_start(fiscal_year), 3 * (quarter - 1))
        return start, add_months(start, 3) - dt.timedelta(days=1)

    def label(self, d: dt.date) -> str:
        return f"FY{self.fiscal_year(d)} Q{self.quarter(d)}"

    def period_to_date(self, d: dt.date, period: str = "year") -> tuple[dt.date, dt.date]:
        """Year-to-date or quarter-to-date: from the period's first day up to and including d."""
        if period == "year":
            return self.year_start(self.fiscal_year(d)), d
        if period == "quarter":
            return self.quarter_bounds(self.fiscal_year(d), self.quarter(d))[0], d
        raise ValueError("period must be 'year' or 'quarter'")


def iso_week(d: dt.date) -> str:
    """ISO 8601 week label, e.g. 2021-W01 for 2021-01-04; note 2021-01-01 is in 2020-W53."""
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(d: dt.date, first_weekday: int = 0) -> dt.date:
    """The first day of d's week; first_weekday 0 is Monday (ISO), 6 is Sunday (US)."""
    return d - dt.timedelta(days=(d.weekday() - first_weekday) % 7)
