"""The cell's document data and register of outgoing documents, for its settings page."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from meetings.models import DocumentKind, DocumentSeries, IssuedNumber, Organization, series_key

REGISTER_ROWS = 200


@dataclass(frozen=True)
class SeriesRow:
    kind: str
    label: str
    first_number: int
    issued: int
    next_number: int

    @property
    def locked(self) -> bool:
        return self.issued > 0

    @property
    def next_label(self) -> str:
        return f"{self.next_number:02d}-{self.kind}/CB"


def cell_document_series(
    cell: Organization, today: datetime.date | None = None
) -> tuple[datetime.date, list[SeriesRow]]:
    """The current term's key and, per kind of document, its first number, how many numbers
    were issued and the next one (one query)."""
    key = series_key(cell, today or timezone.localdate())
    stored = {
        s.kind: s
        for s in DocumentSeries.objects.filter(cell_id=cell.pk, term_started_on=key).annotate(
            n=Count("issued"), last=Max("issued__number")
        )
    }
    rows = []
    for kind in DocumentKind:
        series = stored.get(kind.value)
        first = series.first_number if series else 1
        issued = series.n if series else 0
        last = series.last if series else None
        rows.append(SeriesRow(kind.value, kind.label, first, issued, (last + 1) if last else first))
    return key, rows


def cell_register(cell: Organization, *, limit: int = REGISTER_ROWS):
    """The numbers issued by the cell, newest first, every term."""
    return (
        IssuedNumber.objects.filter(series__cell_id=cell.pk)
        .select_related("series", "issued_by")
        .order_by("-issued_at", "-id")[:limit]
    )
