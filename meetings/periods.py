"""Quarters and periods: the one place that knows how the year is cut.

Pure functions of dates, no database access, so models, selectors, services and forms all
use the same rule.
"""

import datetime

from django.conf import settings
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
    if quarter == 4:  # not via next year's first day: year 9999 has none
        return start, datetime.date(year, 12, 31)
    return start, datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def quarter_is_open(year: int, quarter: int, *, today: datetime.date | None = None) -> bool:
    """The quarter is not over yet (a cell can still hold its meeting)."""
    today = today or timezone.localdate()
    return today <= quarter_bounds(year, quarter)[1]


ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_label(year: int, quarter: int) -> str:
    """E.g. "Quý II/2026": documents write quarters in Roman numerals."""
    return f"Quý {ROMAN_QUARTERS[quarter]}/{year}"


def grace_days() -> int:
    """Days after a quarter's end in which its meeting may still be scheduled, held or finalised."""
    return settings.CHIBO["PERIOD_GRACE_DAYS"]


def grace_ends(year: int, quarter: int, *, grace: int | None = None) -> datetime.date:
    """Last day on which a meeting may still count for the quarter."""
    grace = grace_days() if grace is None else grace
    return quarter_bounds(year, quarter)[1] + datetime.timedelta(days=grace)


def quarter_closed(year: int, quarter: int, *, today: datetime.date | None = None, grace: int | None = None) -> bool:
    """The quarter and its grace are over: nothing may be made to count for it any more."""
    today = today or timezone.localdate()
    return today > grace_ends(year, quarter, grace=grace)
