"""The coding suite's tasks on the datekit base (date arithmetic)."""

from . import task

task(id="datekit-humanize-plural", base="datekit", difficulty="easy", tags=["bugfix", "dates", "python"],
     instruction="""
`datekit.humanize` writes "1 hours ago", "in 1 days" and "1 weeks ago". Singular amounts
must use the singular unit ("1 hour ago", "in 1 day"); everything else must stay as it is.
""",
     mutate={"datekit/humanize.py": [('return f"{n} {unit}" if n == 1 else f"{n} {unit}s"', 'return f"{n} {unit}s"')]})

task(id="datekit-month-end", base="datekit", difficulty="medium", tags=["bugfix", "dates", "python"],
     instruction="""
Customers billed on the 31st are being billed on the wrong days:

- `add_months(date(2024, 1, 31), 1)` returns 2024-03-02 instead of 2024-02-29, so monthly
  `Schedule`s that start on the 29th–31st drift into the next month;
- `end_of_month(date(1900, 2, 10))` returns 1900-02-29, a day that did not exist.

Fix month arithmetic as the module docstring of `datekit/arithmetic.py` describes it, and the
calendar rules it depends on.
""",
     mutate={"datekit/arithmetic.py": [
         ("    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)", "    return year % 4 == 0"),
         ("    return d.replace(year=year, month=month, day=min(d.day, days_in_month(year, month)))",
          "    try:\n        return d.replace(year=year, month=month)\n"
          "    except ValueError:  # no such day in that month: carry the extra days over\n"
          "        return d.replace(year=year, month=month, day=1) + dt.timedelta(days=d.day - 1)")]})

task(id="datekit-iso-duration", base="datekit", difficulty="hard", tags=["feature", "dates", "python"],
     max_turns=60,
     instruction="""
Teach `datekit.Duration` the ISO 8601 duration format used by our APIs:

- `Duration.parse_iso("P1DT2H30M")` parses, and `duration.isoformat()` formats back.
- Supported designators: weeks (`W`), days (`D`), and after `T` hours (`H`), minutes (`M`)
  and seconds (`S`); a leading `-` makes the duration negative (`-PT15M`). Years and months
  are not fixed lengths: reject them (and anything malformed) with `ValueError`.
- `isoformat()` gives the shortest canonical form: days (never weeks), then the time part,
  leaving out zero components; a zero duration is `PT0S`. Round-tripping a formatted value
  gives the same duration.
""",
     mutate={})

task(id="datekit-business-days", base="datekit", difficulty="medium", tags=["bugfix", "dates", "python"],
     instruction="""
With the US federal calendar loaded with `observe_weekend_holidays=True`
(`Calendar.from_file("holidays/us-federal-2026.txt", observe_weekend_holidays=True)`),
`business_days_between(date(2026, 6, 29), date(2026, 7, 6), cal)` returns 3, but the answer
is 4: Independence Day falls on Saturday July 4 and is observed on Friday July 3, so that week
has four business days. Find the cause and fix it, for any calendar and weekend.
""",
     mutate={"datekit/business.py": [
         ("    count -= sum(1 for h in calendar.holidays if start <= h < end and h.weekday() not in calendar.weekend)",
          "    count -= sum(1 for h in calendar.holidays if start <= h < end)")]})
