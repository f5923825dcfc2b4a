import datetime
import socket
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from meetings import models as m
from meetings.periods import quarter_of
from meetings.services import notifications as svc
from meetings.services.notifications import events
from meetings.workflow import Stage
from tests import factories as f

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
S = m.NotificationStatus
K = m.NotificationKind


def at(y, mo, d, h=0, mi=0):
    return datetime.datetime(y, mo, d, h, mi, tzinfo=VN)


def make_meeting(cell, starts, *, stage=Stage.NOTICED, place="Hội trường tầng 2"):
    local = starts.astimezone(VN)
    return f.MeetingFactory(
        cell=cell,
        stage=stage,
        scheduled_date=local.date(),
        start_time=local.time(),
        starts_at=starts,
        place=place,
        year=local.year,
        quarter=quarter_of(local),
    )


@pytest.fixture
def people(cell, secretary, member):
    exempt = f.MemberFactory(cell=cell, status=m.MemberStatus.EXEMPT)
    no_email = f.MemberFactory(cell=cell, email="")
    return {"secretary": secretary, "member": member, "exempt": exempt, "no_email": no_email}


def raw(data):
    return data if isinstance(data, bytes) else data.encode()


def sweep(now=None):
    return svc.notifications_send_due(now=now or timezone.now())


def recipients(messages):
    return sorted(addr for msg in messages for addr in msg.to)


# --- notice ------------------------------------------------------------------------------------


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_notice_sends_one_message_per_expected_member_with_ics(people, django_capture_on_commit_callbacks):
    meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
    with django_capture_on_commit_callbacks(execute=True):
        svc.notifications_for_notice(meeting=meeting)
    assert len(mail.outbox) == 2
    assert recipients(mail.outbox) == sorted(
        [
            f"{people['secretary'].full_name} <{people['secretary'].email}>",
            f"{people['member'].full_name} <{people['member'].email}>",
        ]
    )
    msg = mail.outbox[0]
    assert len(msg.to) == 1 and not msg.cc and not msg.bcc
    assert msg.subject == f"Thông báo sinh hoạt chuyên đề “{meeting.topic.title}” – 08:00 20/03/2026"
    assert "Hội trường tầng 2" in msg.body and "08:00, ngày 20/03/2026" in msg.body
    assert msg.alternatives[0][1] == "text/html"
    ics = [a for a in msg.attachments if a[0].endswith(".ics")]
    assert len(ics) == 1
    assert b"DTSTART:20260320T010000Z" in raw(ics[0][1])
    assert m.Notification.objects.filter(kind=K.NOTICE, status=S.SENT).count() == 2


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_notice_lists_the_members_own_assignments(people):
    meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
    f.ContributionFactory(
        topic=meeting.topic, member=people["member"], subject="Liên hệ bản thân", due_on=datetime.date(2026, 3, 15)
    )
    svc.notifications_for_notice(meeting=meeting)
    sweep()
    by_to = {msg.to[0]: msg for msg in mail.outbox}
    mine = next(v for k, v in by_to.items() if people["member"].email in k)
    other = next(v for k, v in by_to.items() if people["secretary"].email in k)
    assert "Liên hệ bản thân (hạn nộp 15/03/2026)" in mine.body
    assert "Liên hệ bản thân" not in other.body


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_notice_created_twice_is_stored_once(people):
    meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
    first = svc.notifications_for_notice(meeting=meeting)
    again = svc.notifications_for_notice(meeting=meeting)
    assert first > 0 and again == 0
    assert m.Notification.objects.filter(kind=K.NOTICE).count() == 2


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_rolled_back_transaction_sends_nothing(people, django_capture_on_commit_callbacks):
    meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        svc.notifications_for_notice(meeting=meeting)
        raise RuntimeError("the workflow change failed")
    assert m.Notification.objects.count() == 0
    sweep()
    assert mail.outbox == []


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_paused_dispatch_writes_rows_but_hands_nothing_to_the_worker(people, django_capture_on_commit_callbacks):
    meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
    with django_capture_on_commit_callbacks(execute=True) as callbacks, svc.notifications_dispatch_paused():
        assert svc.notifications_for_notice(meeting=meeting) > 0
        assert svc.enqueue([1, 2]) is True
    assert callbacks == [] and mail.outbox == []
    assert m.Notification.objects.filter(kind=K.NOTICE, status=S.PENDING).count() == 2
    cancelled = svc.notifications_cancel_unsent(meeting_ids=[meeting.pk], reason="Dữ liệu mẫu.")
    assert cancelled == m.Notification.objects.filter(status=S.CANCELLED, last_error="Dữ liệu mẫu.").count() > 2
    sweep()
    assert mail.outbox == []
    # Outside the block dispatch works again.
    other = make_meeting(people["secretary"].cell, at(2026, 3, 27, 8))
    with django_capture_on_commit_callbacks(execute=True):
        svc.notifications_for_notice(meeting=other)
    assert len(mail.outbox) == 2


# --- meeting and reply reminders ---------------------------------------------------------------


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_reminders_are_due_7_and_1_days_before_and_reply_reminder_3_days_before(people):
    meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
    m.AttendanceReply.objects.create(meeting=meeting, member=people["secretary"], will_attend=True)
    svc.notifications_for_notice(meeting=meeting)
    reminders = m.Notification.objects.filter(kind=K.MEETING_REMINDER)
    assert sorted({r.due_at for r in reminders}) == [at(2026, 3, 13, 8), at(2026, 3, 19, 8)]
    assert reminders.count() == 4
    reply = m.Notification.objects.filter(kind=K.REPLY_REMINDER)
    assert [(r.recipient_email, r.due_at) for r in reply] == [(people["member"].email, at(2026, 3, 17, 8))]


@time_machine.travel(at(2026, 3, 18, 9), tick=False)
def test_no_reminder_for_an_offset_already_past(people):
    meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
    svc.notifications_for_notice(meeting=meeting)
    assert {r.due_at for r in m.Notification.objects.filter(kind=K.MEETING_REMINDER)} == {at(2026, 3, 19, 8)}
    assert not m.Notification.objects.filter(kind=K.REPLY_REMINDER).exists()


def test_sweeper_sends_reminders_when_due_and_not_before(people):
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
        svc.notifications_for_notice(meeting=meeting)
        sweep()
        mail.outbox.clear()
    with time_machine.travel(at(2026, 3, 13, 7, 59), tick=False):
        sweep()
        assert mail.outbox == []
    with time_machine.travel(at(2026, 3, 13, 8, 0), tick=False):
        sweep()
        assert len(mail.outbox) == 2
        assert all(msg.subject.startswith("Nhắc lịch: sinh hoạt chuyên đề") for msg in mail.outbox)
        assert "còn 7 ngày nữa" in mail.outbox[0].body
        assert any(a[0].endswith(".ics") for a in mail.outbox[0].attachments)
        sweep()
        assert len(mail.outbox) == 2


def test_moved_meeting_reminders_follow_the_new_time(people):
    cell = people["secretary"].cell
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = make_meeting(cell, at(2026, 3, 20, 8))
        svc.notifications_for_notice(meeting=meeting)
        sweep()
        mail.outbox.clear()
        meeting.starts_at = at(2026, 3, 25, 14)
        meeting.scheduled_date = datetime.date(2026, 3, 25)
        meeting.start_time = datetime.time(14)
        meeting.version += 1
        meeting.save()
        svc.notifications_for_schedule_change(meeting=meeting)
        sweep()
        # The members are told of the new time, once each.
        assert len(mail.outbox) == 2
        assert all(msg.subject.startswith("[Thay đổi lịch]") for msg in mail.outbox)
        assert "14:00, ngày 25/03/2026" in mail.outbox[0].body
        mail.outbox.clear()
    old = m.Notification.objects.filter(kind=K.MEETING_REMINDER, due_at=at(2026, 3, 13, 8))
    assert {r.status for r in old} == {S.CANCELLED}
    with time_machine.travel(at(2026, 3, 19, 8, 30), tick=False):
        sweep()
        # Past the old "1 day before" time: only the new time's "7 days before" reminders.
        assert len(mail.outbox) == 2
        assert all("14:00 ngày 25/03/2026" in msg.subject and "còn 7 ngày" in msg.body for msg in mail.outbox)
        mail.outbox.clear()
    with time_machine.travel(at(2026, 3, 24, 14, 0), tick=False):
        sweep()
        reminders = [msg for msg in mail.outbox if msg.subject.startswith("Nhắc lịch")]
        assert len(reminders) == 2
        assert all("14:00 ngày 25/03/2026" in msg.subject and "ngày mai" in msg.body for msg in reminders)
        # Nobody replied: asked to confirm, 3 days before the new time.
        assert len([msg for msg in mail.outbox if msg.subject.startswith("Đề nghị xác nhận")]) == 2


def test_cancelled_meeting_gets_no_reminder_and_members_are_told(people):
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
        svc.notifications_for_notice(meeting=meeting)
        sweep()
        mail.outbox.clear()
        meeting.stage = Stage.CANCELLED
        meeting.cancelled_reason = "Trùng lịch hội nghị"
        meeting.save()
        svc.notifications_for_schedule_change(meeting=meeting)
        sweep()
        assert len(mail.outbox) == 2
        assert mail.outbox[0].subject.startswith("[Hủy]")
        assert "Trùng lịch hội nghị" in mail.outbox[0].body
        ics = next(a for a in mail.outbox[0].attachments if a[0].endswith(".ics"))
        assert b"METHOD:CANCEL" in raw(ics[1])
        mail.outbox.clear()
    with time_machine.travel(at(2026, 3, 19, 8, 0), tick=False):
        sweep()
        assert mail.outbox == []
    assert not m.Notification.objects.filter(kind__in=[K.MEETING_REMINDER, K.REPLY_REMINDER], status=S.PENDING).exists()


def test_reminder_is_checked_again_at_send_time(people):
    """Even if the hook was not called, a reminder never goes out for an old time."""
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
        svc.notifications_for_notice(meeting=meeting)
        sweep()
        mail.outbox.clear()
    m.Meeting.objects.filter(pk=meeting.pk).update(starts_at=at(2026, 3, 21, 8))
    with time_machine.travel(at(2026, 3, 13, 8, 0), tick=False):
        sweep()
    assert mail.outbox == []
    rows = m.Notification.objects.filter(kind=K.MEETING_REMINDER, due_at=at(2026, 3, 13, 8))
    assert {(r.status, r.last_error) for r in rows} == {(S.CANCELLED, "Lịch họp đã thay đổi.")}


def test_reply_reminder_not_sent_to_a_member_who_replied_meanwhile(people):
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
        svc.notifications_for_notice(meeting=meeting)
        sweep()
        mail.outbox.clear()
        m.AttendanceReply.objects.create(
            meeting=meeting, member=people["member"], will_attend=False, reason="Đi công tác"
        )
    with time_machine.travel(at(2026, 3, 17, 8, 0), tick=False):
        sweep()
    sent = [msg for msg in mail.outbox if msg.subject.startswith("Đề nghị xác nhận tham dự")]
    assert recipients(sent) == [f"{people['secretary'].full_name} <{people['secretary'].email}>"]


# --- deadlines ------------------------------------------------------------------------------------


def test_deadline_reminders_for_lead_paper_and_contributions(people):
    cell = people["secretary"].cell
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        topic = f.TopicFactory(
            cell=cell,
            lead_author=people["secretary"],
            lead_paper_due=datetime.date(2026, 3, 10),
            lead_paper_status=m.LeadPaperStatus.ASSIGNED,
        )
        contribution = f.ContributionFactory(topic=topic, member=people["member"], due_on=datetime.date(2026, 3, 12))
        svc.notifications_for_deadlines(topic=topic)
    rows = m.Notification.objects.filter(kind=K.DEADLINE_REMINDER).order_by("due_at")
    assert sorted((r.recipient_email, r.due_at) for r in rows) == sorted(
        [
            (people["secretary"].email, at(2026, 3, 7, 7)),
            (people["secretary"].email, at(2026, 3, 9, 7)),
            (people["member"].email, at(2026, 3, 9, 7)),
            (people["member"].email, at(2026, 3, 11, 7)),
        ]
    )
    with time_machine.travel(at(2026, 3, 7, 7, 0), tick=False):
        sweep()
    assert [msg.subject for msg in mail.outbox] == [f"Nhắc hạn nộp đề dẫn chuyên đề “{topic.title}” – hạn 10/03/2026"]
    # The contribution is handed in: its remaining reminder is dropped at send time.
    contribution.submitted_at = timezone.now()
    contribution.save()
    mail.outbox.clear()
    with time_machine.travel(at(2026, 3, 11, 7, 0), tick=False):
        sweep()
    assert mail.outbox == []


def test_due_dates_at_the_calendars_edge_get_no_reminder_and_no_error(people):
    cell = people["secretary"].cell
    topic = f.TopicFactory(
        cell=cell,
        lead_author=people["secretary"],
        lead_paper_due=datetime.date(1, 1, 2),
        lead_paper_status=m.LeadPaperStatus.ASSIGNED,
    )
    f.ContributionFactory(topic=topic, member=people["member"], due_on=datetime.date(1, 1, 1))
    assert svc.notifications_for_deadlines(topic=topic) == 0


def test_changed_deadline_replaces_pending_reminders(people):
    cell = people["secretary"].cell
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        topic = f.TopicFactory(
            cell=cell,
            lead_author=people["member"],
            lead_paper_due=datetime.date(2026, 3, 10),
            lead_paper_status=m.LeadPaperStatus.ASSIGNED,
        )
        svc.notifications_for_deadlines(topic=topic)
        topic.lead_paper_due = datetime.date(2026, 3, 20)
        topic.save()
        svc.notifications_for_deadlines(topic=topic)
    pending = m.Notification.objects.filter(kind=K.DEADLINE_REMINDER, status=S.PENDING)
    assert sorted(r.due_at for r in pending) == [at(2026, 3, 17, 7), at(2026, 3, 19, 7)]
    assert m.Notification.objects.filter(kind=K.DEADLINE_REMINDER, status=S.CANCELLED).count() == 2


# --- quarter watch -------------------------------------------------------------------------------


@pytest.fixture
def watch_setup(committee, cell, other_cell, secretary, other_secretary, staff):
    quiet = f.CellFactory(parent=committee, name="Chi bộ Kho bạc")
    f.SecretaryFactory(cell=quiet, full_name="Đỗ Thị Yên")
    other_committee = f.CommitteeFactory(name="Đảng ủy xã Thạch Hà", email="")
    far = f.CellFactory(parent=other_committee, name="Chi bộ thôn 1")
    f.SecretaryFactory(cell=far)
    # cell holds a scheduled thematic meeting in Q1/2026; other_cell's was cancelled.
    f.MeetingFactory(cell=cell, stage=Stage.SCHEDULED, year=2026, quarter=1)
    f.MeetingFactory(cell=other_cell, stage=Stage.CANCELLED, year=2026, quarter=1)
    f.MeetingFactory(cell=quiet, stage=Stage.PLANNED, year=2026, quarter=1)
    return {"quiet": quiet, "far": far, "other_committee": other_committee}


def test_quarter_watch_waits_until_n_days_before_quarter_end(watch_setup, settings):
    settings.CHIBO["QUARTER_WATCH_DAYS"] = 20
    # 10/03 23:59 in Hà Nội (16:59 UTC) is 21 days before 31/03: nothing yet.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 16, 59, tzinfo=datetime.UTC), tick=False):
        assert svc.notifications_for_quarter_watch(today=timezone.localdate()) == 0
    # One minute later it is 11/03 in Hà Nội although still 10/03 in UTC.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 17, 0, tzinfo=datetime.UTC), tick=False):
        assert svc.notifications_for_quarter_watch(today=timezone.localdate()) > 0


@time_machine.travel(datetime.datetime(2026, 3, 10, 17, 0, tzinfo=datetime.UTC), tick=False)
def test_quarter_watch_warns_secretaries_and_sends_one_summary_per_committee(
    watch_setup, cell, other_cell, other_secretary, committee, staff
):
    svc.notifications_for_quarter_watch(today=timezone.localdate())
    warnings = m.Notification.objects.filter(kind=K.QUARTER_WARNING)
    assert sorted(w.cell_id for w in warnings) == sorted(
        [other_cell.pk, watch_setup["quiet"].pk, watch_setup["far"].pk]
    )
    summaries = m.Notification.objects.filter(kind=K.QUARTER_SUMMARY)
    # The committee's address and its staff member; the other committee has only no address.
    assert sorted(s.recipient_email for s in summaries) == sorted([committee.email, staff.email])
    assert summaries[0].context["cells"] == ["Chi bộ Kho bạc", "Chi bộ Tài chính"]
    sweep()
    subjects = sorted(msg.subject for msg in mail.outbox)
    assert "Cảnh báo: Chi bộ Tài chính chưa lên lịch sinh hoạt chuyên đề quý 1/2026" in subjects
    assert subjects.count("Tổng hợp quý 1/2026: 2 chi bộ chưa lên lịch sinh hoạt chuyên đề") == 2
    summary = next(msg for msg in mail.outbox if msg.subject.startswith("Tổng hợp"))
    assert "31/03/2026" in summary.body and "Chi bộ Kho bạc" in summary.body and "Chi bộ Văn phòng" not in summary.body
    # Running again the next day adds nothing.
    assert svc.notifications_for_quarter_watch(today=timezone.localdate() + datetime.timedelta(days=1)) == 0


def test_quarter_watch_after_new_year_in_local_time_looks_at_the_new_quarter(watch_setup, settings):
    settings.CHIBO["QUARTER_WATCH_DAYS"] = 20
    # 31/12/2025 17:30 UTC is already 01/01/2026 in Hà Nội: Q1 just began, no warning for Q4.
    with time_machine.travel(datetime.datetime(2025, 12, 31, 17, 30, tzinfo=datetime.UTC), tick=False):
        assert timezone.localdate() == datetime.date(2026, 1, 1)
        assert svc.notifications_for_quarter_watch(today=timezone.localdate()) == 0
    # 31/12/2025 16:59 UTC is still 31/12 in Hà Nội: Q4/2025, its last day.
    with time_machine.travel(datetime.datetime(2025, 12, 31, 16, 59, tzinfo=datetime.UTC), tick=False):
        svc.notifications_for_quarter_watch(today=timezone.localdate())
    assert {n.context["quarter"] for n in m.Notification.objects.all()} == {4}
    assert {n.context["year"] for n in m.Notification.objects.all()} == {2025}


def test_quarter_watch_query_count_does_not_grow_with_cells(committee, django_assert_max_num_queries):
    for _ in range(3):
        f.SecretaryFactory(cell=f.CellFactory(parent=committee))
    with django_assert_max_num_queries(10):
        svc.notifications_for_quarter_watch(today=datetime.date(2026, 3, 25))
    m.Notification.objects.all().delete()
    for _ in range(30):
        f.SecretaryFactory(cell=f.CellFactory(parent=committee))
    with django_assert_max_num_queries(10):
        svc.notifications_for_quarter_watch(today=datetime.date(2026, 3, 25))
    assert m.Notification.objects.filter(kind=K.QUARTER_WARNING).count() == 33


# --- finalisation and report ---------------------------------------------------------------------


@pytest.fixture
def finalized(people, committee, staff):
    cell = people["secretary"].cell
    meeting = make_meeting(cell, at(2026, 3, 5, 8), stage=Stage.FINALIZED)
    minutes = m.Minutes.objects.create(
        meeting=meeting,
        cell=cell,
        year=2026,
        number=3,
        finalized_at=timezone.now(),
        verification_code="AB12CD34",
        pdf=ContentFile(b"%PDF-1.4 minutes", name="bien-ban.pdf"),
    )
    report = m.Report.objects.create(minutes=minutes, committee=committee, version=1)
    return meeting, minutes, report


def test_finalisation_sends_study_copy_to_members_and_report_to_committee(finalized, people, committee, staff):
    meeting, minutes, report = finalized
    svc.notifications_for_finalized(meeting=meeting, minutes=minutes, report=report)
    sweep()
    study = [msg for msg in mail.outbox if msg.subject.startswith("Tài liệu nghiên cứu")]
    reports = [msg for msg in mail.outbox if msg.subject.startswith("Báo cáo sinh hoạt chuyên đề")]
    assert len(study) == 2 and len(reports) == 2
    assert sorted(r.to[0].split("<")[-1].rstrip(">") for r in reports) == sorted([committee.email, staff.email])
    names = [a[0] for a in reports[0].attachments]
    assert "bien-ban-03-2026.pdf" in names
    assert reports[0].subject == (
        f"Báo cáo sinh hoạt chuyên đề: {meeting.cell.name} – “{meeting.topic.title}” (biên bản số 03-BB/CB)"
    )
    pdf = next(a for a in study[0].attachments if a[0] == "bien-ban-03-2026.pdf")
    assert pdf[1] == b"%PDF-1.4 minutes"
    delivered = m.Notification.objects.filter(kind=K.REPORT, context__report_id=report.pk)
    assert all(n.sent_at is not None and n.status == S.SENT for n in delivered)


def test_report_email_names_the_warnings_stored_with_the_minutes(finalized):
    meeting, minutes, report = finalized
    warnings = [f"Cảnh báo số {i}" for i in range(1, 8)]
    m.Minutes.objects.filter(pk=minutes.pk).update(warnings=warnings)
    svc.notifications_for_finalized(meeting=meeting, minutes=minutes, report=report)
    sweep()
    msg = next(msg for msg in mail.outbox if msg.subject.startswith("Báo cáo sinh hoạt chuyên đề"))
    html = msg.alternatives[0][0]
    for part in (msg.body, html):
        assert "Cảnh báo lưu cùng biên bản" in part
        assert "Cảnh báo số 1" in part and "Cảnh báo số 5" in part
        assert "Cảnh báo số 6" not in part  # a short list: the rest are on the report page
        assert "và 2 cảnh báo khác" in part


def test_report_email_without_warnings_names_none(finalized):
    meeting, minutes, report = finalized
    svc.notifications_for_finalized(meeting=meeting, minutes=minutes, report=report)
    sweep()
    msg = next(msg for msg in mail.outbox if msg.subject.startswith("Báo cáo sinh hoạt chuyên đề"))
    assert "Cảnh báo lưu cùng biên bản" not in msg.body
    assert "Cảnh báo lưu cùng biên bản" not in msg.alternatives[0][0]


def test_report_answer_goes_to_the_secretary(finalized, people):
    _meeting, _minutes, report = finalized
    report.status = m.ReportStatus.RETURNED
    report.comment = "Bổ sung danh sách vắng"
    report.save()
    svc.notifications_for_report_answer(report=report)
    sweep()
    assert recipients(mail.outbox) == [f"{people['secretary'].full_name} <{people['secretary'].email}>"]
    assert mail.outbox[0].subject.startswith("Cấp ủy trả lại báo cáo để bổ sung")
    assert "Bổ sung danh sách vắng" in mail.outbox[0].body


# --- sending: claims, retries, resend ------------------------------------------------------------


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_row_claimed_by_another_worker_is_not_sent_again(people):
    meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
    svc.notifications_for_notice(meeting=meeting)
    row = m.Notification.objects.filter(kind=K.NOTICE).first()
    m.Notification.objects.filter(pk=row.pk).update(status=S.SENDING, claimed_at=timezone.now())
    assert svc.notifications_send_batch(ids=[row.pk]) == {"skipped": 1}
    assert all(row.recipient_email not in msg.to[0] for msg in mail.outbox)


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_batch_claims_its_rows_at_once_and_skips_those_another_worker_holds(people, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "CLAIM_TIMEOUT_SECONDS": 0}  # renew before every row
    meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
    with svc.notifications_dispatch_paused():
        svc.notifications_for_notice(meeting=meeting)
    extra = f.MemberFactory(cell=meeting.cell)
    rows = list(m.Notification.objects.filter(kind=K.NOTICE).order_by("pk"))
    with svc.notifications_dispatch_paused():
        events._store(events._notice_rows(meeting, [extra], timezone.now()))
    rows.append(m.Notification.objects.get(kind=K.NOTICE, recipient_email=extra.email))
    taken = rows[1]
    m.Notification.objects.filter(pk=taken.pk).update(status=S.SENDING, claimed_at=timezone.now())
    result = svc.notifications_send_batch(ids=[r.pk for r in rows] + [rows[0].pk])
    assert result == {S.SENT: 2, "skipped": 1}
    assert sorted(a for msg in mail.outbox for a in msg.to) == sorted(
        f"{r.recipient_name} <{r.recipient_email}>" for r in rows if r.pk != taken.pk
    )
    assert m.Notification.objects.get(pk=taken.pk).status == S.SENDING  # still the other worker's
    assert set(
        m.Notification.objects.exclude(pk=taken.pk).filter(kind=K.NOTICE).values_list("attempts", flat=True)
    ) == {1}
    # Sent twice with the same ids: nothing is claimed again.
    assert svc.notifications_send_batch(ids=[r.pk for r in rows]) == {"skipped": 3}
    assert len(mail.outbox) == 2


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_reminders_greet_each_member_by_name_escaped_in_the_html_part(people):
    cell = people["secretary"].cell
    f.MemberFactory(cell=cell, full_name="Lê Thị <b>Hoa</b> & “Mai”", email="hoa@example.vn")
    meeting = make_meeting(cell, at(2026, 3, 20, 8))
    with svc.notifications_dispatch_paused():
        svc.notifications_for_notice(meeting=meeting)
    ids = list(m.Notification.objects.filter(kind=K.MEETING_REMINDER).values_list("pk", flat=True))
    with time_machine.travel(at(2026, 3, 13, 8), tick=False):
        svc.notifications_send_batch(ids=ids)
    hoa = [msg for msg in mail.outbox if "hoa@example.vn" in msg.to[0]]
    assert len(hoa) == 1 and len(mail.outbox) == 3
    assert "Kính gửi đồng chí Lê Thị <b>Hoa</b> & “Mai”," in hoa[0].body
    assert "Lê Thị &lt;b&gt;Hoa&lt;/b&gt; &amp; “Mai”" in hoa[0].alternatives[0][0]
    others = [msg for msg in mail.outbox if msg is not hoa[0]]
    assert all("<b>Hoa</b>" not in msg.body for msg in others)


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_reminders_rendered_once_per_batch_equal_messages_rendered_one_by_one(people):
    from meetings.services.notifications.rendering import MessageBuilder

    cell = people["secretary"].cell
    for name in ("Lê Thị <b>Hoa</b> & “Mai”", "", "Nguyễn Văn 'A' \"B\"", ("Trần " * 23).strip()):
        f.MemberFactory(cell=cell, full_name=name)
    meeting = make_meeting(cell, at(2026, 3, 20, 8))
    with svc.notifications_dispatch_paused():
        svc.notifications_for_notice(meeting=meeting)
    rows = list(
        m.Notification.objects.filter(kind__in=[K.MEETING_REMINDER, K.REPLY_REMINDER]).select_related(
            "meeting", "meeting__topic", "cell"
        )
    )
    batch = MessageBuilder()
    for n in rows:
        msg = batch.build(n)
        alone = MessageBuilder()
        alone.RENDER_ONCE_KINDS = set()
        expected = alone.build(n)
        assert (msg.subject, msg.body, msg.alternatives) == (expected.subject, expected.body, expected.alternatives)
    # One render per reminder (kind, meeting, days before), whatever the number of members.
    renders = [key for key in batch.cache if key[0] == "render"]
    assert len(rows) >= 10
    assert len(renders) == len({(n.kind, n.meeting_id, n.context["days"]) for n in rows})


def test_reply_reminders_check_the_replies_once_per_batch_and_still_per_recipient(people, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cell = people["secretary"].cell
    others = [f.MemberFactory(cell=cell) for _ in range(6)]
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = make_meeting(cell, at(2026, 3, 20, 8))
        svc.notifications_for_notice(meeting=meeting)
        sweep()
        mail.outbox.clear()
        for member in (people["member"], others[0]):
            m.AttendanceReply.objects.create(meeting=meeting, member=member, will_attend=True)
    ids = list(m.Notification.objects.filter(kind=K.REPLY_REMINDER).values_list("pk", flat=True))
    with time_machine.travel(at(2026, 3, 17, 8, 0), tick=False), CaptureQueriesContext(connection) as queries:
        svc.notifications_send_batch(ids=ids)
    assert sum("attendancereply" in q["sql"] for q in queries.captured_queries) == 1
    assert recipients(mail.outbox) == sorted(f"{p.full_name} <{p.email}>" for p in [people["secretary"], *others[1:]])
    cancelled = m.Notification.objects.filter(kind=K.REPLY_REMINDER, status=S.CANCELLED)
    assert {r.recipient_email for r in cancelled} == {people["member"].email, others[0].email}


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_notice_assignments_are_loaded_once_per_batch(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cell = people["secretary"].cell
    others = [f.MemberFactory(cell=cell) for _ in range(5)]
    meeting = make_meeting(cell, at(2026, 3, 20, 8))
    for member in (people["member"], others[0]):
        f.ContributionFactory(topic=meeting.topic, member=member, subject=f"Ý kiến của {member.pk}")
    with svc.notifications_dispatch_paused():
        svc.notifications_for_notice(meeting=meeting)
    ids = list(m.Notification.objects.filter(kind=K.NOTICE).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        svc.notifications_send_batch(ids=ids)
    assert sum("meetings_contribution" in q["sql"] for q in queries.captured_queries) == 1
    for msg in mail.outbox:
        pk = next(p.pk for p in [people["member"], *others, people["secretary"]] if p.email in msg.to[0])
        assert (f"Ý kiến của {pk}" in msg.body) == (pk in (people["member"].pk, others[0].pk))


def test_stale_claim_of_a_killed_worker_is_sent_by_the_sweeper(people, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "CLAIM_TIMEOUT_SECONDS": 300}
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
        svc.notifications_for_notice(meeting=meeting)
        m.Notification.objects.filter(kind=K.NOTICE).update(status=S.SENDING, claimed_at=timezone.now())
        sweep()
        assert mail.outbox == []
    with time_machine.travel(at(2026, 3, 1, 9, 6), tick=False):
        sweep()
    assert len(mail.outbox) == 2


def test_smtp_errors_retry_with_backoff_then_fail_and_resend_works(
    people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nothing listens there
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "MAX_ATTEMPTS": 3, "RETRY_BASE_SECONDS": 60}
    start = at(2026, 3, 1, 9)
    with time_machine.travel(start, tick=False):
        meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
        svc.notifications_for_notice(meeting=meeting)
        sweep()
    row = m.Notification.objects.filter(kind=K.NOTICE, recipient_email=people["member"].email).get()
    assert row.status == S.PENDING and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert datetime.timedelta(seconds=30) <= row.next_attempt_at - start <= datetime.timedelta(seconds=90)
    second_try = row.next_attempt_at + datetime.timedelta(seconds=1)
    with time_machine.travel(second_try, tick=False):
        sweep()
    row.refresh_from_db()
    assert row.attempts == 2 and row.status == S.PENDING
    # Exponential: base * 2 with ±50 % jitter.
    assert datetime.timedelta(seconds=60) <= row.next_attempt_at - second_try <= datetime.timedelta(seconds=180)
    with time_machine.travel(row.next_attempt_at + datetime.timedelta(seconds=1), tick=False):
        sweep()
    row.refresh_from_db()
    assert row.status == S.FAILED and row.attempts == 3
    # The SMTP server is back (locmem stands in for the recovered server here; the real
    # SMTP sink case is in tests/tasks/test_worker.py).
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(at(2026, 3, 2, 9), tick=False), django_capture_on_commit_callbacks(execute=True):
        svc.notification_resend(notification=row, actor=people["secretary"].user)
    row.refresh_from_db()
    assert row.status == S.SENT and row.attempts == 1
    assert [msg.to[0] for msg in mail.outbox] == [f"{people['member'].full_name} <{people['member'].email}>"]
    assert m.Activity.objects.filter(action__startswith="Gửi lại thư").exists()


def test_resend_refuses_a_message_that_did_not_fail(people):
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = make_meeting(people["secretary"].cell, at(2026, 3, 20, 8))
        svc.notifications_for_notice(meeting=meeting)
        row = m.Notification.objects.filter(kind=K.NOTICE).first()
        with pytest.raises(ValidationError):
            svc.notification_resend(notification=row, actor=None)
