"""The review of earlier action items at the next meeting (issue 17, item 2): the service
(services/action_reviews.py), the minutes that print it, the overdue-unreviewed selector."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import ActionItem, ActionOwnerKind, ActionReview, ActionStatus, MeetingKind, Minutes
from meetings.selectors.action_reviews import overdue_unreviewed, review_rows
from meetings.services import meetings as meeting_svc
from meetings.services.action_reviews import action_item_review
from meetings.workflow import Stage
from tests import factories as f
from tests.services.test_meetings import _yesterday_in_this_quarter, make_meeting, prepare, run_all  # noqa: F401

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def running(cell, secretary, date):
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


def earlier(cell, *, number=5, kind=MeetingKind.THEMATIC):
    """An earlier finalised meeting of the cell with its minutes number (no PDF needed here)."""
    meeting = f.MeetingFactory(cell=cell, stage=Stage.FINALIZED, kind=kind, scheduled_date=days(-60))
    Minutes.objects.create(meeting=meeting, cell=cell, year=meeting.year, number=number, finalized_at=timezone.now())
    return meeting


def item(meeting, number=1, *, due=-10, status=ActionStatus.OPEN, **extra):
    return ActionItem.objects.create(
        meeting=meeting,
        cell=meeting.cell,
        number=number,
        text=extra.pop("text", f"Việc số {number}"),
        owner_kind=ActionOwnerKind.COMMITTEE,
        due_on=days(due),
        status=status,
        **extra,
    )


def test_review_is_saved_and_the_item_takes_its_status(running, secretary, cell):
    it = item(earlier(cell))
    review = action_item_review(
        item=it, meeting=running, actor=secretary.user, status=ActionStatus.DONE, note="  Đã xong  "
    )
    it.refresh_from_db()
    assert it.status == ActionStatus.DONE
    assert (review.meeting_id, review.item_id, review.status, review.note) == (running.pk, it.pk, "done", "Đã xong")
    assert review.reviewed_by == secretary.user
    # Corrected at the same meeting: one row, the new status; the item stays on the list.
    action_item_review(item=it, meeting=running, actor=secretary.user, status=ActionStatus.IN_PROGRESS, note="")
    assert ActionReview.objects.get().status == ActionStatus.IN_PROGRESS
    assert [r.item.pk for r in review_rows(running)] == [it.pk]


@pytest.mark.parametrize(
    ("status", "note", "field", "message"),
    [
        ("open", "", "status", "Vui lòng chọn tình trạng thực hiện."),
        ("", "", "status", "Vui lòng chọn tình trạng thực hiện."),
        ("done", "x" * 1001, "note", "tối đa 1.000 ký tự"),
    ],
)
def test_invalid_review_is_refused_in_vietnamese(running, secretary, cell, status, note, field, message):
    it = item(earlier(cell))
    with pytest.raises(ValidationError) as exc:
        action_item_review(item=it, meeting=running, actor=secretary.user, status=status, note=note)
    assert message in " ".join(exc.value.message_dict[field])
    assert not ActionReview.objects.exists()


def test_items_outside_the_list_are_refused(running, secretary, cell, other_cell):
    closed = item(earlier(cell), status=ActionStatus.DONE)
    elsewhere = item(earlier(other_cell))
    own = item(running, due=5)  # this meeting's own items are not reviewed by it
    for it in (closed, elsewhere, own):
        with pytest.raises(ValidationError, match="không thuộc danh sách kiểm điểm"):
            action_item_review(item=it, meeting=running, actor=secretary.user, status=ActionStatus.DONE)


def test_review_is_refused_after_finalisation_and_the_row_is_sealed(running, secretary, cell):
    it = item(earlier(cell))
    review = action_item_review(item=it, meeting=running, actor=secretary.user, status=ActionStatus.IN_PROGRESS)
    meeting = run_all(running, secretary.user)
    meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    with pytest.raises(ValidationError) as exc:
        action_item_review(item=it, meeting=meeting, actor=secretary.user, status=ActionStatus.DONE)
    assert "hoàn tất" in " ".join(exc.value.messages)
    # The database refuses too (finalised-meeting guard).
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionReview.objects.filter(pk=review.pk).update(status=ActionStatus.DONE)


def test_meeting_kinds_that_do_not_review_refuse(running, secretary, cell, settings):
    settings.CHIBO = {**settings.CHIBO, "ACTION_REVIEW_KINDS": [MeetingKind.REGULAR]}
    it = item(earlier(cell))
    with pytest.raises(ValidationError, match="không kiểm điểm"):
        action_item_review(item=it, meeting=running, actor=secretary.user, status=ActionStatus.DONE)


def test_minutes_print_the_review(running, secretary, cell):
    first = item(earlier(cell, number=5), text="Rà soát quy chế làm việc của chi bộ")
    second = item(earlier(cell, number=7), number=1, text="Báo cáo kết quả học tập", due=-3)
    action_item_review(item=first, meeting=running, actor=secretary.user, status=ActionStatus.DONE, note="Đã ban hành")
    action_item_review(item=second, meeting=running, actor=secretary.user, status=ActionStatus.NOT_DONE)
    meeting = run_all(running, secretary.user)
    minutes = meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    assert minutes.snapshot["action_reviews"] == [
        {
            "text": "Rà soát quy chế làm việc của chi bộ",
            "minutes": "05-BB/CB",
            "due_label": days(-10).strftime("%d/%m/%Y"),
            "status": "done",
            "status_label": "Đã hoàn thành",
            "note": "Đã ban hành",
        },
        {
            "text": "Báo cáo kết quả học tập",
            "minutes": "07-BB/CB",
            "due_label": days(-3).strftime("%d/%m/%Y"),
            "status": "not_done",
            "status_label": "Không hoàn thành",
            "note": "",
        },
    ]
    minutes.pdf.open("rb")
    pdf = PdfReader(io.BytesIO(minutes.pdf.read()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "Kiểm điểm việc thực hiện kết luận kỳ trước:" in text
    assert "Rà soát quy chế làm việc của chi bộ (biên bản số 05-BB/CB) — đã hoàn thành — Đã ban hành." in text
    assert "Báo cáo kết quả học tập (biên bản số 07-BB/CB) — không hoàn thành." in text
    # Later changes to the item never change the sealed minutes.
    ActionItem.objects.filter(pk=first.pk).update(status=ActionStatus.IN_PROGRESS)
    minutes.refresh_from_db()
    assert minutes.snapshot["action_reviews"][0]["status"] == "done"


def test_overdue_unreviewed_after_the_grace_period(cell, other_cell, settings):
    settings.CHIBO = {**settings.CHIBO, "ACTION_REVIEW_GRACE_DAYS": 30}
    source = earlier(cell)
    late = item(source, 1, due=-31)
    item(source, 2, due=-30)  # within the grace period
    item(source, 3, due=-40, status=ActionStatus.DONE)  # closed
    item(earlier(other_cell), due=-40)  # another cell
    assert list(overdue_unreviewed(cell.pk, timezone.localdate())) == [late]
    # Over the committee's subtree (the dashboard's use).
    subtree = overdue_unreviewed(today=timezone.localdate()).filter(cell__path__startswith=cell.parent.path)
    assert subtree.count() == 2


def test_a_review_after_the_due_date_clears_the_flag(running, secretary, cell):
    reviewed_late = item(earlier(cell), 1, due=-40)
    reviewed_early = item(earlier(cell, number=6), 1, due=-40)
    action_item_review(item=reviewed_late, meeting=running, actor=secretary.user, status=ActionStatus.IN_PROGRESS)
    action_item_review(item=reviewed_early, meeting=running, actor=secretary.user, status=ActionStatus.IN_PROGRESS)
    # A review recorded before the due date does not count as reviewing the overdue item.
    ActionReview.objects.filter(item=reviewed_early).update(reviewed_at=timezone.now() - datetime.timedelta(days=50))
    assert list(overdue_unreviewed(cell.pk)) == [reviewed_early]
