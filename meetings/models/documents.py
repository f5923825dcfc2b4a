"""The cell's register of outgoing documents (HD 36-HD/VPTW, DOMAIN.md §9).

Every document the cell issues takes a number from its series: one series per cell, kind and
committee term, numbered from `first_number` (01 unless the cell continues a paper register).
Numbers are handed out only by meetings/services/numbering.py, which locks the series row.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone


class DocumentKind(models.TextChoices):
    MINUTES = "BB", "Biên bản"
    NOTICE = "TB", "Thông báo"
    PLAN = "KH", "Kế hoạch"
    REPORT = "BC", "Báo cáo"


def document_label(number: int, kind: str) -> str:
    """Printed as "04-BB/CB": two digits at least, the kind's code, CB for the cell (chi bộ)."""
    return f"{number:02d}-{kind}/CB"


def series_key(cell, on: datetime.date) -> datetime.date:
    """The date that names the series a document issued `on` belongs to.

    The cell's committee term start when the cell has declared it; otherwise 1 January of the
    issue year, so a cell without a declared term numbers per calendar year (as before terms).
    """
    if cell.term_started_on and cell.term_started_on <= on:
        return cell.term_started_on
    return datetime.date(on.year, 1, 1)


class DocumentSeries(models.Model):
    """One numbering sequence: a cell, a kind of document, a term (see `series_key`)."""

    cell = models.ForeignKey(
        "meetings.Organization", verbose_name="chi bộ", on_delete=models.PROTECT, related_name="document_series"
    )
    kind = models.CharField("loại văn bản", max_length=2, choices=DocumentKind.choices)
    term_started_on = models.DateField("nhiệm kỳ từ ngày")
    first_number = models.PositiveIntegerField(
        "số bắt đầu", default=1, help_text="Để tiếp nối sổ đăng ký văn bản giấy của chi bộ."
    )

    class Meta:
        verbose_name = "sổ số văn bản"
        verbose_name_plural = "sổ số văn bản"
        ordering = ["cell", "-term_started_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "kind", "term_started_on"], name="series_one_per_cell_kind_term"),
            models.CheckConstraint(condition=Q(first_number__gte=1), name="series_first_number_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.cell} (từ {self.term_started_on:%d/%m/%Y})"


class IssuedNumber(models.Model):
    """A number given to a document: the cell's register of outgoing documents."""

    series = models.ForeignKey(DocumentSeries, verbose_name="sổ", on_delete=models.PROTECT, related_name="issued")
    number = models.PositiveIntegerField("số")
    title = models.CharField("trích yếu", max_length=255, blank=True)
    issued_at = models.DateTimeField("cấp số lúc", default=timezone.now)
    issued_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người cấp số",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "số văn bản đã cấp"
        verbose_name_plural = "sổ đăng ký văn bản đi"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="issued_number_unique_in_series"),
            models.CheckConstraint(condition=Q(number__gte=1), name="issued_number_positive"),
        ]

    def __str__(self):
        return f"Số {self.label}"

    @property
    def label(self) -> str:
        return document_label(self.number, self.series.kind)
