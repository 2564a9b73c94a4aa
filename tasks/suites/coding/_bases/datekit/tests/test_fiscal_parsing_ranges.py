import datetime as dt

import pytest

from datekit.fiscal import FiscalCalendar, iso_week, week_start
from datekit.parsing import DateParseError, parse_date
from datekit.ranges import DateRange, age, gaps, merge, months

D = dt.date
TODAY = D(2024, 5, 15)  # a Wednesday


def test_fiscal_year_named_by_end():
    us = FiscalCalendar(start_month=10)
    assert us.fiscal_year(D(2024, 10, 1)) == 2025 and us.fiscal_year(D(2024, 9, 30)) == 2024
    assert (us.year_start(2025), us.year_end(2025)) == (D(2024, 10, 1), D(2025, 9, 30))
    assert us.label(D(2025, 1, 15)) == "FY2025 Q2"
    assert us.quarter_bounds(2025, 4) == (D(2025, 7, 1), D(2025, 9, 30))
    assert us.period_to_date(D(2025, 2, 10), "quarter") == (D(2025, 1, 1), D(2025, 2, 10))


def test_fiscal_year_named_by_start_and_calendar_years():
    uk = FiscalCalendar(start_month=4, named_by="start")
    assert uk.fiscal_year(D(2025, 3, 31)) == 2024 and uk.fiscal_year(D(2025, 4, 1)) == 2025
    assert uk.year_end(2024) == D(2025, 3, 31)
    plain = FiscalCalendar()
    assert plain.fiscal_year(D(2024, 12, 31)) == 2024 and plain.quarter(D(2024, 12, 31)) == 4
    with pytest.raises(ValueError):
        FiscalCalendar(start_month=13)
    with pytest.raises(ValueError):
        plain.quarter_bounds(2024, 5)


def test_weeks():
    assert iso_week(D(2021, 1, 1)) == "2020-W53" and iso_week(D(2021, 1, 4)) == "2021-W01"
    assert week_start(TODAY) == D(2024, 5, 13) and week_start(TODAY, first_weekday=6) == D(2024, 5, 12)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-01", D(2024, 3, 1)), ("1 March 2024", D(2024, 3, 1)), ("Mar 1, 2024", D(2024, 3, 1)),
    ("1st mar 2024", D(2024, 3, 1)), ("03/01/2024", D(2024, 3, 1)), ("13/01/2024", D(2024, 1, 13)),
    ("01/13/24", D(2024, 1, 13)), ("today", TODAY), ("Tomorrow", D(2024, 5, 16)), ("yesterday", D(2024, 5, 14)),
    ("in 3 days", D(2024, 5, 18)), ("2 weeks ago", D(2024, 5, 1)), ("in 1 month", D(2024, 6, 15)),
    ("next friday", D(2024, 5, 17)), ("next wednesday", D(2024, 5, 22)), ("last monday", D(2024, 5, 13)),
    ("this wednesday", TODAY), ("  3   May   2024 ", D(2024, 5, 3)),
])
def test_parse_date(text, expected):
    assert parse_date(text, today=TODAY) == expected


def test_parse_date_dayfirst_and_errors():
    assert parse_date("03/01/2024", dayfirst=True) == D(2024, 1, 3)
    for bad in ("2024-02-30", "someday", "1 Smarch 2024", "next blursday", "in 3 fortnights"):
        with pytest.raises(DateParseError):
            parse_date(bad, today=TODAY)


def test_ranges():
    r = DateRange(D(2024, 1, 30), D(2024, 3, 2))
    assert len(r) == 33 and D(2024, 2, 29) in r and D(2024, 3, 3) not in r
    assert [(p.start, p.end) for p in r.split_by_month()] == [
        (D(2024, 1, 30), D(2024, 1, 31)), (D(2024, 2, 1), D(2024, 2, 29)), (D(2024, 3, 1), D(2024, 3, 2))]
    shares = [c for _, c in r.prorate(10_000)]
    assert shares == [606, 8788, 606] and sum(shares) == 10_000
    assert r.intersection(DateRange(D(2024, 3, 1), D(2024, 4, 1))) == DateRange(D(2024, 3, 1), D(2024, 3, 2))
    assert r.intersection(DateRange(D(2024, 4, 1), D(2024, 4, 2))) is None
    with pytest.raises(ValueError):
        DateRange(D(2024, 2, 1), D(2024, 1, 1))


def test_merge_and_gaps():
    booked = [DateRange(D(2024, 1, 6), D(2024, 1, 8)), DateRange(D(2024, 1, 1), D(2024, 1, 5)),
              DateRange(D(2024, 1, 10), D(2024, 1, 12))]
    assert merge(booked) == [DateRange(D(2024, 1, 1), D(2024, 1, 8)), DateRange(D(2024, 1, 10), D(2024, 1, 12))]
    free = gaps(booked, DateRange(D(2024, 1, 1), D(2024, 1, 15)))
    assert free == [DateRange(D(2024, 1, 9), D(2024, 1, 9)), DateRange(D(2024, 1, 13), D(2024, 1, 15))]
    assert [len(m) for m in months(D(2024, 1, 20), D(2024, 3, 1))] == [31, 29, 31]


def test_age_with_leap_day_birthday():
    born = D(2000, 2, 29)
    assert age(born, D(2023, 2, 28)) == 22 and age(born, D(2023, 3, 1)) == 23 and age(born, D(2024, 2, 29)) == 24
