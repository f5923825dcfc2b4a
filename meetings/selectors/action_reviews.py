"""Reads of the review of earlier action items at the next meeting (issue 17, item 2): the run
page's panel, the minutes' rows and the items overdue without a review. A fixed number of
queries whatever the number of items."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from meetings.models import ACTION_PENDING_STATUSES, ActionItem, ActionReview
from meetings.workflow import Stage


def review_kinds() -> tuple[str, ...]:
    """The kinds of meeting that review earlier items (CHIBO["ACTION_REVIEW_KINDS"])."""
    return tuple(settings.CHIBO["ACTION_REVIEW_KINDS"])


def review_grace_days() -> int:
    return settings.CHIBO["ACTION_REVIEW_GRACE_DAYS"]


def reviews_here(meeting) -> bool:
    return meeting.kind in review_kinds()


def minutes_label(number: int | None) -> str:
    # Same form as Minutes.number_label, read without loading the sealed snapshot.
    return f"{number:02d}-BB/CB" if number else ""


def review_candidates(meeting) -> QuerySet:
    """The cell's items a meeting reviews: from another finalised meeting, still open or in
    progress, or already reviewed at this meeting (so a review can be corrected)."""
    reviewed_here = ActionReview.objects.filter(item=OuterRef("pk"), meeting_id=meeting.pk)
    return (
        ActionItem.objects.filter(cell_id=meeting.cell_id, meeting__stage=Stage.FINALIZED)
        .exclude(meeting_id=meeting.pk)
        .filter(Q(status__in=ACTION_PENDING_STATUSES) | Q(Exists(reviewed_here)))
    )


@dataclass
class ReviewRow:
    item: ActionItem
    review: ActionReview | None
    minutes_label: str
    overdue: bool

    @property
    def status(self) -> str:
        return self.review.status if self.review else ""

    @property
    def note(self) -> str:
        return self.review.note if self.review else ""


def review_rows(meeting, *, today: datetime.date | None = None) -> list[ReviewRow]:
    """The panel's rows in two queries: the items (with the number of the minutes that decided
    them) and this meeting's reviews. After finalisation only what was reviewed is listed."""
    today = today or timezone.localdate()
    items = (
        review_candidates(meeting)
        .select_related("owner_member")
        .annotate(minutes_number=F("meeting__minutes__number"))
        .order_by("due_on", "meeting_id", "number")
    )
    reviews = {r.item_id: r for r in ActionReview.objects.filter(meeting_id=meeting.pk)}
    rows = [
        ReviewRow(item, reviews.get(item.pk), minutes_label(item.minutes_number), item.due_on < today) for item in items
    ]
    if meeting.stage == Stage.FINALIZED:
        rows = [row for row in rows if row.review]
    return rows


def review_row(meeting, item_id: int, *, today: datetime.date | None = None) -> ReviewRow | None:
    """One row, for the htmx answer to a saved review."""
    today = today or timezone.localdate()
    item = (
        review_candidates(meeting)
        .filter(pk=item_id)
        .select_related("owner_member")
        .annotate(minutes_number=F("meeting__minutes__number"))
        .first()
    )
    if item is None:
        return None
    review = ActionReview.objects.filter(meeting_id=meeting.pk, item_id=item.pk).first()
    return ReviewRow(item, review, minutes_label(item.minutes_number), item.due_on < today)


def action_review_rows(meeting_id: int) -> list[dict]:
    """What the minutes freeze and print: the item, the minutes that decided it, the status and
    the note given at this meeting."""
    reviews = (
        ActionReview.objects.filter(meeting_id=meeting_id)
        .select_related("item")
        .annotate(minutes_number=F("item__meeting__minutes__number"))
        .order_by("item__due_on", "item__meeting_id", "item__number")
    )
    return [
        {
            "text": r.item.text,
            "minutes": minutes_label(r.minutes_number),
            "due_label": r.item.due_on.strftime("%d/%m/%Y"),
            "status": r.status,
            "status_label": r.get_status_display(),
            "note": r.note,
        }
        for r in reviews
    ]


def overdue_unreviewed(cell_id: int | None = None, today: datetime.date | None = None) -> QuerySet:
    """Items still open or in progress whose due date plus the grace period
    (CHIBO["ACTION_REVIEW_GRACE_DAYS"]) has passed with no review since the due date. A
    queryset: count it for one cell, or pass no cell and filter on cell__path__startswith to
    aggregate a committee's subtree (the dashboard)."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=review_grace_days())
    reviewed_since_due = ActionReview.objects.filter(item=OuterRef("pk"), reviewed_at__date__gte=OuterRef("due_on"))
    qs = ActionItem.objects.filter(
        meeting__stage=Stage.FINALIZED, status__in=ACTION_PENDING_STATUSES, due_on__lt=limit
    ).filter(~Exists(reviewed_since_due))
    if cell_id is not None:
        qs = qs.filter(cell_id=cell_id)
    return qs
