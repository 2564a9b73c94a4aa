"""datekit: date arithmetic for business software."""

from .arithmetic import add_months, add_years, days_in_month, end_of_month, is_leap_year
from .business import Calendar, add_business_days, business_days_between, is_business_day
from .duration import Duration
from .humanize import humanize
from .recurrence import Schedule

__all__ = ["Calendar", "Duration", "Schedule", "add_business_days", "add_months", "add_years",
           "business_days_between", "days_in_month", "end_of_month", "humanize", "is_business_day",
           "is_leap_year"]
