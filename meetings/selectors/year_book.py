"""What the year's book of minutes binds: the cell's sealed minutes of the year in number
order, each with its addenda (two queries whatever the number of minutes)."""

from django.db.models import Prefetch

from meetings.models import Minutes, MinutesAddendum


def year_book_parts(*, cell, year: int) -> list[Minutes]:
    return list(
        Minutes.objects.filter(cell=cell, year=year)
        .select_related("meeting", "meeting__topic")
        .prefetch_related(Prefetch("addenda", queryset=MinutesAddendum.objects.order_by("version")))
        .order_by("number")
    )
