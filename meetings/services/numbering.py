"""Numbers for the documents a cell issues (DOMAIN.md §9): minutes BB, notice TB, plan KH,
report BC, each numbered per cell, kind and committee term, never twice and never skipped.

`document_number_issue` runs inside the caller's transaction and locks the series row, so two
documents issued at the same moment get consecutive numbers and a rolled-back issue leaves
no gap. The cell's document data (term start, first numbers) is set by
`cell_document_settings_update`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from meetings.models import (
    DocumentKind,
    DocumentSeries,
    IssuedNumber,
    Organization,
    series_key,
)
from meetings.selectors.members import cell_signer
from meetings.services.activity import activity_record

TITLE_MAX = 255
FIRST_NUMBER_MAX = 9999


def _series_locked(*, cell: Organization, kind: str, key: datetime.date) -> DocumentSeries:
    """The series row, created if new, locked until the caller's transaction ends."""
    series = DocumentSeries.objects.filter(cell_id=cell.pk, kind=kind, term_started_on=key).first()
    if series is None:
        try:
            with transaction.atomic():  # savepoint: a concurrent creation is not an error
                DocumentSeries.objects.create(cell_id=cell.pk, kind=kind, term_started_on=key)
        except IntegrityError:
            pass
    return DocumentSeries.objects.select_for_update().get(cell_id=cell.pk, kind=kind, term_started_on=key)


def document_number_issue(*, cell: Organization, kind: str, actor, title: str, on: datetime.date) -> IssuedNumber:
    """Give the next number of the cell's series for `kind` on the date `on`.
    Must run inside the caller's transaction: the number is kept only if it commits."""
    if kind not in DocumentKind.values:
        raise ValueError(f"unknown document kind {kind!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_number_issue must run inside a transaction")
    # The term as stored now: a stale copy of the cell must not pick the wrong series.
    cell = Organization.objects.only("pk", "term_started_on").get(pk=cell.pk)
    series = _series_locked(cell=cell, kind=kind, key=series_key(cell, on))
    last = series.issued.aggregate(n=Max("number"))["n"]
    number = last + 1 if last else series.first_number
    return IssuedNumber.objects.create(
        series=series,
        number=number,
        title=" ".join((title or "").split())[:TITLE_MAX],
        issued_at=timezone.now(),
        issued_by=actor if getattr(actor, "pk", None) else None,
    )


def cell_document_settings_update(
    *,
    cell: Organization,
    actor,
    term_started_on: datetime.date | None,
    first_numbers: dict[str, int] | None = None,
) -> Organization:
    """The cell's own document data, set by its secretary or deputy: the committee term's
    start and, for the current term, the first number of each kind of document (to continue
    the paper register). A first number is fixed once a number was issued in its series.
    The superior committee's names are the committee's data (services/organizations.py)."""
    first_numbers = {k: v for k, v in (first_numbers or {}).items() if v is not None}
    errors = {}
    today = timezone.localdate()
    if not cell.is_cell:
        raise ValidationError("Chỉ chi bộ mới có sổ đăng ký văn bản.")
    if term_started_on is not None and term_started_on > today:
        errors["term_started_on"] = "Ngày bắt đầu nhiệm kỳ không được sau ngày hôm nay."
    elif term_started_on is not None and term_started_on.year < 2000:
        errors["term_started_on"] = "Ngày bắt đầu nhiệm kỳ không hợp lệ."
    for kind, value in first_numbers.items():
        if kind not in DocumentKind.values:
            raise ValueError(f"unknown document kind {kind!r}")
        if not 1 <= int(value) <= FIRST_NUMBER_MAX:
            errors[f"first_{kind}"] = f"Số bắt đầu phải từ 1 đến {FIRST_NUMBER_MAX}."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cell = Organization.objects.select_for_update().get(pk=cell.pk)
        changes = []
        if cell.term_started_on != term_started_on:
            cell.term_started_on = term_started_on
            cell.save(update_fields=["term_started_on"])
            changes.append(
                f"nhiệm kỳ từ ngày {term_started_on:%d/%m/%Y}" if term_started_on else "bỏ ngày bắt đầu nhiệm kỳ"
            )
        key = series_key(cell, today)
        for kind, value in first_numbers.items():
            series = _series_locked(cell=cell, kind=kind, key=key)
            if series.first_number == int(value):
                continue
            if series.issued.exists():
                errors[f"first_{kind}"] = (
                    f"Đã cấp số {DocumentKind(kind).label.lower()} trong nhiệm kỳ này; không thể đổi số bắt đầu."
                )
                continue
            series.first_number = int(value)
            series.save(update_fields=["first_number"])
            changes.append(f"số {DocumentKind(kind).label.lower()} bắt đầu từ {int(value):02d}")
        if errors:
            raise ValidationError(errors)  # rolls back every change above
        if changes:
            activity_record(cell=cell, actor=actor, action="Cập nhật sổ văn bản: " + "; ".join(changes))
    return cell


def meeting_document_title(document: str, kind_label: str, title: str) -> str:
    """The register's summary of a meeting's document: "Thông báo sinh hoạt chuyên đề: <topic>";
    a regular meeting has no topic of its own ("Biên bản sinh hoạt định kỳ")."""
    head = f"{document} {kind_label.lower()}"
    return head if not title or title == kind_label else f"{head}: {title}"


NO_SIGNER = (
    "Chi bộ chưa có Bí thư hoặc Phó Bí thư để ký {what}; "
    "đề nghị cập nhật chức vụ trong danh sách đảng viên trước khi ban hành."
)


def signer_problem(cell: Organization, what: str) -> str:
    """Notices and plans are signed for the cell by its secretary or deputy (DOMAIN.md §9):
    a document is not issued with a blank signature."""
    return "" if cell_signer(cell) is not None else NO_SIGNER.format(what=what)
