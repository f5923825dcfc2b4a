import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import (
    Attendance,
    AttendanceStatus,
    Conclusion,
    Meeting,
    MeetingStep,
    Notification,
    Speech,
    TopicGroup,
)
from meetings.rules.attendance import attendance_counts, expected_members
from meetings.rules.meetings import quality_criteria
from meetings.services import meeting_run as run_svc
from meetings.services import meetings as svc
from meetings.services.organizations import organization_move
from meetings.services.plans import plan_add_meeting, plan_create
from meetings.workflow import Stage, Step
from tests import factories as f
from tests.services.test_meetings import _yesterday_in_this_quarter, make_meeting, prepare, run_all  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)  # held yesterday


@pytest.fixture
def running(cell, secretary, date):
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


def test_pages_render_for_secretary(client, cell, secretary, running):
    client.force_login(secretary.user)
    urls = [
        reverse("plans:index"),
        reverse("plans:detail", args=[running.plan_id]),
        reverse("topics:detail", args=[running.topic_id]),
        reverse("meetings:list"),
        reverse("meetings:detail", args=[running.pk]),
        reverse("meetings:finalize", args=[running.pk]),
    ] + [reverse("meetings:run", args=[running.pk]) + f"?buoc={s}" for s in Step.values]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_other_cell_secretary_gets_404(client, running, other_secretary):
    client.force_login(other_secretary.user)
    for name in ("meetings:detail", "meetings:run", "meetings:finalize"):
        assert client.get(reverse(name, args=[running.pk])).status_code == 404
    assert client.get(reverse("topics:detail", args=[running.topic_id])).status_code == 404
    assert client.get(reverse("plans:detail", args=[running.plan_id])).status_code == 404
    resp = client.post(reverse("meetings:transition", args=[running.pk]), {"target": "held"})
    assert resp.status_code == 404


def test_member_reads_but_gets_403_on_writes(client, running, member):
    client.force_login(member.user)
    # A plain member reads the meeting on their own page, not the secretary's run page.
    own_page = reverse("portal:meetings") + f"?buoi={running.pk}"
    assert client.get(reverse("meetings:run", args=[running.pk])).url == own_page
    assert client.get(reverse("meetings:finalize", args=[running.pk])).url == own_page
    assert client.post(reverse("meetings:transition", args=[running.pk]), {"target": "held"}).status_code == 403
    assert client.post(reverse("meetings:run_action", args=[running.pk]), {"action": "speech_add"}).status_code == 403
    assert client.post(reverse("meetings:finalize", args=[running.pk])).status_code == 403
    assert client.post(reverse("plans:submit", args=[running.plan_id])).status_code == 403
    assert client.post(reverse("topics:detail", args=[running.topic_id]), {"action": "approve"}).status_code == 403


def test_committee_staff_reads_and_cannot_write(client, running, staff):
    client.force_login(staff)
    assert client.get(reverse("meetings:detail", args=[running.pk])).status_code == 200
    assert client.post(reverse("meetings:schedule", args=[running.pk]), {}).status_code == 403
    assert client.post(reverse("meetings:transition", args=[running.pk]), {"target": "held"}).status_code == 403


def test_committee_member_prepares_but_cannot_finalize(client, running, cell):
    committee_member = f.MemberWithUserFactory(cell=cell, position="committee")
    client.force_login(committee_member.user)
    resp = client.post(
        reverse("meetings:run_action", args=[running.pk]),
        {"action": "times", "actual_start": "08:00", "actual_end": "10:00", "step": "conclusion"},
    )
    assert resp.status_code == 302
    assert client.post(reverse("meetings:finalize", args=[running.pk])).status_code == 403


def test_plan_flow_through_pages(client, cell, secretary):
    client.force_login(secretary.user)
    year = timezone.localdate().year
    resp = client.post(reverse("plans:index"), {"year": year})
    assert resp.status_code == 302
    plan_url = resp["Location"]
    resp = client.post(
        plan_url,
        {"quarter": 4, "planned_month": 11, "title": "Chuyên đề riêng", "group": TopicGroup.objects.get(number=3).pk},
    )
    assert resp.status_code == 302
    meeting = Meeting.objects.get(cell=cell)
    assert meeting.quarter == 4 and meeting.topic.title == "Chuyên đề riêng"
    resp = client.post(plan_url, {"quarter": 1, "planned_month": 11, "title": "X", "group": 1})
    assert "không thuộc quý 1" in resp.content.decode()
    assert client.post(reverse("plans:submit", args=[meeting.plan_id])).status_code == 302
    meeting.plan.refresh_from_db()
    assert meeting.plan.status == "submitted"


def test_directed_topic_from_grandparent_committee_is_offered(client, committee, secretary):
    top = f.CommitteeFactory(name="Tỉnh ủy")
    organization_move(organization=committee, new_parent=top)
    directed = f.DirectedTopicFactory(committee=top, year=timezone.localdate().year, title="Chuyên đề Tỉnh ủy")
    client.force_login(secretary.user)
    plan = plan_create(cell=secretary.cell, year=directed.year, actor=secretary.user)
    assert "Chuyên đề Tỉnh ủy" in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    client.post(reverse("plans:detail", args=[plan.pk]), {"quarter": 2, "directed_topic": directed.pk})
    assert Meeting.objects.get(plan=plan).topic.directed_topic == directed


def test_schedule_conflict_keeps_user_input(client, cell, secretary):
    meeting = make_meeting(cell, secretary.user)
    client.force_login(secretary.user)
    stale = meeting.version
    svc.meeting_schedule(
        meeting=meeting,
        actor=secretary.user,
        version=stale,
        scheduled_date=timezone.localdate(),
        start_time=datetime.time(8),
        place="Người khác nhập",
    )
    resp = client.post(
        reverse("meetings:schedule", args=[meeting.pk]),
        {
            "version": stale,
            "scheduled_date": timezone.localdate().isoformat(),
            "start_time": "09:00",
            "place": "Nội dung của tôi",
        },
    )
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "người khác cập nhật" in body
    assert "Nội dung của tôi" in body
    assert Meeting.objects.get(pk=meeting.pk).place == "Người khác nhập"


def test_lead_paper_upload_rejects_non_pdf(client, cell, secretary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = make_meeting(cell, secretary.user)
    client.force_login(secretary.user)
    client.post(reverse("topics:detail", args=[meeting.topic_id]), {"action": "assign_author", "author": secretary.pk})
    bad = SimpleUploadedFile("de-dan.pdf", b"not really a pdf", content_type="application/pdf")
    resp = client.post(
        reverse("topics:detail", args=[meeting.topic_id]),
        {"action": "lead_paper", "text": "Giữ lại nội dung này", "file": bad},
    )
    body = resp.content.decode()
    assert "Chỉ chấp nhận tệp PDF hoặc Word" in body
    assert "Giữ lại nội dung này" in body
    good = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    resp = client.post(reverse("topics:detail", args=[meeting.topic_id]), {"action": "lead_paper", "file": good})
    assert resp.status_code == 302
    meeting.topic.refresh_from_db()
    assert meeting.topic.lead_paper_file.name.endswith(".pdf")


def test_lead_paper_too_large(client, cell, secretary, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CHIBO = {**settings.CHIBO, "UPLOAD_MAX_BYTES": 10}
    meeting = make_meeting(cell, secretary.user)
    client.force_login(secretary.user)
    client.post(reverse("topics:detail", args=[meeting.topic_id]), {"action": "assign_author", "author": secretary.pk})
    big = SimpleUploadedFile("x.pdf", b"%PDF-1.4" + b"0" * 100, content_type="application/pdf")
    resp = client.post(reverse("topics:detail", args=[meeting.topic_id]), {"action": "lead_paper", "file": big})
    assert "Tệp quá lớn" in resp.content.decode()


def test_contribution_for_member_of_other_cell_is_refused(client, cell, secretary, other_secretary):
    meeting = make_meeting(cell, secretary.user)
    client.force_login(secretary.user)
    resp = client.post(
        reverse("topics:detail", args=[meeting.topic_id]),
        {"action": "assign_contribution", "member": other_secretary.pk, "subject": "Giữ tôi"},
    )
    body = resp.content.decode()
    assert "không thuộc chi bộ này" in body and "Giữ tôi" in body


def test_attendance_htmx_and_plain_post(client, running, secretary):
    client.force_login(secretary.user)
    members = list(expected_members(running))
    url = reverse("meetings:run_action", args=[running.pk])
    data = {
        "action": "attendance",
        "version": running.version,
        f"status_{members[0].pk}": "present",
        f"status_{members[1].pk}": "excused",
        f"reason_{members[1].pk}": "",
    }
    resp = client.post(url, data, HTTP_HX_REQUEST="true")
    body = resp.content.decode()
    assert resp.status_code == 200 and "<html" not in body
    assert "vui lòng ghi lý do" in body
    assert Attendance.objects.filter(meeting=running, member=members[0], status="present").exists()
    assert not Attendance.objects.filter(meeting=running, member=members[1]).exists()
    version = int(resp["X-Meeting-Version"])
    data = {"action": "attendance", "version": version}
    for m in members:
        data[f"status_{m.pk}"] = "present"
    data[f"status_{members[1].pk}"] = "excused"
    data[f"reason_{members[1].pk}"] = "Ốm"
    resp = client.post(url, data)
    assert resp.status_code == 302
    assert attendance_counts(running).identity_ok


def test_speech_htmx_add_and_votes_above_present_message(client, running, secretary):
    client.force_login(secretary.user)
    members = list(expected_members(running))
    run_svc.meeting_attendance_set(
        meeting=running,
        actor=secretary.user,
        version=None,
        entries={m.pk: (AttendanceStatus.PRESENT, "") for m in members[:2]},
    )
    url = reverse("meetings:run_action", args=[running.pk])
    running.refresh_from_db()
    resp = client.post(
        url,
        {"action": "speech_add", "version": running.version, "speaker": members[0].pk, "content": "Phát biểu"},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200 and "Phát biểu" in resp.content.decode()
    assert Speech.objects.filter(meeting=running).count() == 1
    running.refresh_from_db()
    resp = client.post(
        url,
        {
            "action": "resolution",
            "version": running.version,
            "text": "Nghị quyết của tôi",
            "votes_for": 9,
            "votes_against": 0,
            "votes_abstain": 0,
            "step": "conclusion",
        },
    )
    body = resp.content.decode()
    assert "vượt quá số đảng viên chính thức có mặt" in body and "Nghị quyết của tôi" in body


def test_conclusion_action_records_the_step_in_one_save(client, running, secretary):
    client.force_login(secretary.user)
    data = {
        "action": "conclusion",
        "step": "conclusion",
        "version": running.version,
        "preparation_evaluation": "Chuẩn bị chu đáo",
        "quality_evaluation": "Sôi nổi",
        "adopted": "Thống nhất",
        **{f"score_{k}": m for k, _, m in quality_criteria()},
    }
    resp = client.post(reverse("meetings:run_action", args=[running.pk]), data)
    assert resp.status_code == 302
    assert Conclusion.objects.filter(meeting=running, quality_score=100).exists()
    assert MeetingStep.objects.filter(meeting=running, step=Step.CONCLUSION, done_by=secretary.user).exists()
    assert Meeting.objects.get(pk=running.pk).version == running.version + 1


def test_finalize_through_page_then_locked(client, running, secretary):
    meeting = run_all(running, secretary.user)
    # The outbox delivered the notice: every member received the materials (no warning).
    Notification.objects.filter(meeting=meeting, kind="notice").update(status="sent", sent_at=meeting.notice_sent_at)
    client.force_login(secretary.user)
    assert "Không có cảnh báo" in client.get(reverse("meetings:finalize", args=[meeting.pk])).content.decode()
    resp = client.post(reverse("meetings:finalize", args=[meeting.pk]), {"version": meeting.version})
    assert resp.status_code == 302
    meeting.refresh_from_db()
    assert meeting.stage == Stage.FINALIZED
    resp = client.post(
        reverse("meetings:run_action", args=[meeting.pk]),
        {"action": "speech_delete", "speech": Speech.objects.first().pk, "version": meeting.version},
        follow=True,
    )
    assert "đã hoàn tất biên bản" in resp.content.decode()
    assert Speech.objects.filter(meeting=meeting).exists()


def _run_page_queries(client, meeting, step):
    url = reverse("meetings:run", args=[meeting.pk]) + f"?buoc={step}"
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("step", ["attendance", "discussion", "conclusion"])
def test_meeting_page_query_count_is_constant(client, django_assert_num_queries, step):
    counts = []
    for n in (5, 60):
        cell = f.CellFactory()
        sec = f.SecretaryFactory(cell=cell)
        date = timezone.localdate() - datetime.timedelta(days=1)
        meeting = prepare(make_meeting(cell, sec.user, members=n - 1, date=date), sec.user, sec, date)
        members = list(expected_members(meeting))
        assert len(members) == n
        run_svc.meeting_attendance_set(
            meeting=meeting,
            actor=sec.user,
            version=None,
            entries={m.pk: (AttendanceStatus.PRESENT, "") for m in members},
        )
        for m in members:
            run_svc.speech_add(meeting=meeting, actor=sec.user, version=None, speaker=m, content="Ý kiến")
        client.force_login(sec.user)
        counts.append(_run_page_queries(client, meeting, step))
        if n == 60:
            url = reverse("meetings:run", args=[meeting.pk]) + f"?buoc={step}"
            with django_assert_num_queries(counts[0]):
                client.get(url)
    print(f"query counts for 5 and 60 members: {counts}")
    assert counts[0] == counts[1], counts


def test_meeting_detail_query_count_is_constant(client):
    counts = []
    for n in (5, 60):
        cell = f.CellFactory()
        sec = f.SecretaryFactory(cell=cell)
        meeting = make_meeting(cell, sec.user, members=n - 1)
        client.force_login(sec.user)
        url = reverse("meetings:detail", args=[meeting.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts.append(len(ctx.captured_queries))
    print(f"query counts for 5 and 60 members: {counts}")
    # Session, user, the meeting (with its number of contributions), the cell's members,
    # guests, the activity log, and the schedule form's chair and clerk lists: the page loads
    # nothing it does not show.
    assert counts == [8, 8], counts


def test_plan_add_meeting_service_refuses_month_outside_quarter(cell, secretary):
    plan = plan_create(cell=cell, year=2026, actor=secretary.user)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        plan_add_meeting(
            plan=plan, actor=secretary.user, quarter=1, planned_month=5, title="x", group=TopicGroup.objects.first()
        )
