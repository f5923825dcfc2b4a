"""Quarters and periods: the one place that knows how the year is cut.

Pure functions of dates, no database access, so models, selectors, services and forms all
use the same rule.
"""

import datetime

from django.utils import timezone


def quarter_of_month(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_of(date: datetime.date) -> int:
    return quarter_of_month(date.month)


def current_quarter(today: datetime.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, quarter_of(today)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the quarter."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    next_start = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


def quarter_is_open(year: int, quarter: int, *, today: datetime.date | None = None) -> bool:
    """The quarter is not over yet (a cell can still hold its meeting)."""
    today = today or timezone.localdate()
    return today <= quarter_bounds(year, quarter)[1]
