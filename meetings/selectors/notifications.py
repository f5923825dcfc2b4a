"""Reads of the outbox: the secretary's list and the delivery of reports upward."""

from django.db.models import Count, Max, Min, Q

from meetings.models import Notification, NotificationKind, NotificationStatus

S = NotificationStatus

FILTERS = {
    "loi": ("Gửi lỗi", Q(status=S.FAILED)),
    "cho": ("Chờ gửi", Q(status__in=[S.PENDING, S.SENDING])),
    "da-gui": ("Đã gửi", Q(status=S.SENT)),
    "bao-cao": ("Báo cáo cấp ủy cấp trên", Q(kind=NotificationKind.REPORT)),
    "tat-ca": ("Tất cả", Q()),
}


def cell_outbox(*, cell_id: int, filter_key: str = "loi"):
    _label, q = FILTERS.get(filter_key, FILTERS["loi"])
    return (
        Notification.objects.filter(q, cell_id=cell_id)
        .select_related("meeting", "meeting__topic")
        .order_by("-due_at", "-pk")
    )


def cell_outbox_counts(*, cell_id: int) -> dict[str, int]:
    return Notification.objects.filter(cell_id=cell_id).aggregate(
        failed=Count("pk", filter=Q(status=S.FAILED)),
        waiting=Count("pk", filter=Q(status__in=[S.PENDING, S.SENDING])),
        sent=Count("pk", filter=Q(status=S.SENT)),
    )


def report_deliveries(*, report_ids) -> dict[int, dict]:
    """Per report: how many report e-mails went out and when (for both the cell's and the
    committee's report lists). One query for any number of reports."""
    rows = (
        Notification.objects.filter(kind=NotificationKind.REPORT, context__report_id__in=list(report_ids))
        .values("context__report_id")
        .annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(status=S.SENT)),
            failed=Count("pk", filter=Q(status=S.FAILED)),
            waiting=Count("pk", filter=Q(status__in=[S.PENDING, S.SENDING])),
            first_sent_at=Min("sent_at"),
            last_sent_at=Max("sent_at"),
        )
    )
    return {int(r["context__report_id"]): r for r in rows}


def with_deliveries(reports):
    """Attach `delivery` (see report_deliveries, or None) to each report; one query."""
    reports = list(reports)
    deliveries = report_deliveries(report_ids=[r.pk for r in reports]) if reports else {}
    for r in reports:
        r.delivery = deliveries.get(r.pk)
    return reports
