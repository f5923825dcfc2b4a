"""The committee member who follows the cell (HD 42) and the guests: notice, invitation, remarks."""

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import models as m
from meetings.services import meeting_run as run_svc
from meetings.services import notifications as svc
from meetings.services.minutes import minutes_create
from meetings.services.organizations import organization_follower_set
from tests import factories as f
from tests.conftest import login
from tests.documents import pdfutil
from tests.documents.builders import recorded_meeting
from tests.services.test_notifications import at, make_meeting, sweep

pytestmark = pytest.mark.django_db
K = m.NotificationKind


@pytest.fixture
def follower(committee):
    return f.StaffUserFactory(committee=committee, full_name="Lê Văn Phụ Trách")


def _notice_rows(meeting):
    return m.Notification.objects.filter(meeting=meeting, kind=K.NOTICE)


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_follower_receives_the_notice_with_the_lead_paper(cell, secretary, member, follower):
    organization_follower_set(cell=cell, follower=follower)
    meeting = make_meeting(cell, at(2026, 3, 20, 8))
    meeting.topic.lead_paper_text = "<p>Nội dung đề dẫn</p>"
    meeting.topic.save()
    svc.notifications_for_notice(meeting=meeting)
    assert _notice_rows(meeting).filter(recipient_email=follower.email).count() == 1
    sweep()
    msg = next(msg for msg in mail.outbox if follower.email in msg.to[0])
    assert "Kính gửi đồng chí Lê Văn Phụ Trách" in msg.body
    assert "xác nhận tham dự" not in msg.body
    assert any(a[0].endswith(".ics") for a in msg.attachments)


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_follower_who_is_also_a_member_gets_one_notice(cell, secretary, follower):
    f.MemberFactory(cell=cell, user=follower, email=follower.email)
    organization_follower_set(cell=cell, follower=follower)
    meeting = make_meeting(cell, at(2026, 3, 20, 8))
    svc.notifications_for_notice(meeting=meeting)
    assert _notice_rows(meeting).filter(recipient_email=follower.email).count() == 1


def test_follower_from_another_branch_is_refused(cell):
    elsewhere = f.StaffUserFactory(committee=f.CommitteeFactory())
    with pytest.raises(ValidationError):
        organization_follower_set(cell=cell, follower=elsewhere)
    cell.refresh_from_db()
    assert cell.follower_id is None


def test_follower_of_a_committee_above_the_direct_one_is_accepted(committee):
    lower = f.CommitteeFactory(parent=committee)
    cell = f.CellFactory(parent=lower)
    staff = f.StaffUserFactory(committee=committee)
    assert organization_follower_set(cell=cell, follower=staff).follower == staff


@time_machine.travel(at(2026, 3, 1, 9), tick=False)
def test_guest_with_email_gets_the_invitation_and_guest_without_none(cell, secretary):
    meeting = make_meeting(cell, at(2026, 3, 20, 8))
    invited = m.Guest.objects.create(meeting=meeting, name="Phan Đình Khách", email="khach@example.vn")
    m.Guest.objects.create(meeting=meeting, name="Võ Thị Không Thư")
    svc.notifications_for_notice(meeting=meeting)
    assert list(
        _notice_rows(meeting).filter(context__guest_id__isnull=False).values_list("recipient_email", flat=True)
    ) == [invited.email]
    sweep()
    msg = next(msg for msg in mail.outbox if invited.email in msg.to[0])
    assert "Kính gửi đồng chí Phan Đình Khách" in msg.body
    assert "Kính mời đồng chí đến dự" in msg.body
    assert reverse("meetings:detail", args=[meeting.pk]) not in msg.body
    assert any(a[0].endswith(".ics") for a in msg.attachments)


def test_guest_email_is_validated(cell, secretary):
    from meetings.services.meetings import meeting_guest_add

    meeting = make_meeting(cell, at(2030, 3, 20, 8), stage="preparing")
    with pytest.raises(ValidationError):
        meeting_guest_add(meeting=meeting, actor=secretary.user, version=None, name="Khách", email="không-hợp-lệ")


def test_guest_remark_is_recorded_and_printed_in_the_minutes(cell, secretary):
    meeting = recorded_meeting(cell, secretary=secretary, n_members=6, n_speeches=2)
    guest = meeting.guests.get()
    run_svc.speech_add(
        meeting=meeting,
        actor=secretary.user,
        version=None,
        speaker=None,
        guest=guest,
        content="Ghi nhận sự chuẩn bị chu đáo",
    )
    speech = meeting.speeches.get(guest=guest)
    assert speech.speaker_id is None
    minutes = minutes_create(meeting=meeting, actor=secretary.user)
    with minutes.pdf.open("rb") as fh:
        txt = pdfutil.flat(pdfutil.text(fh.read()))
    assert "Đồng chí Phan Đình Khách (Ủy viên Ban Thường vụ Đảng ủy Khối): Ghi nhận sự chuẩn bị chu đáo" in txt


def test_speech_needs_exactly_one_speaker(cell, secretary):
    meeting = recorded_meeting(cell, secretary=secretary, n_members=4, n_speeches=0)
    with pytest.raises(ValidationError):
        run_svc.speech_add(
            meeting=meeting,
            actor=secretary.user,
            version=None,
            speaker=secretary,
            guest=meeting.guests.get(),
            content="x",
        )
    with pytest.raises(ValidationError):
        run_svc.speech_add(meeting=meeting, actor=secretary.user, version=None, speaker=None, content="x")


def test_secretary_sets_the_follower_on_the_form(client, cell, secretary, follower):
    login(client, secretary.user)
    url = reverse("members:follower", args=[cell.pk])
    assert follower.display_name in client.get(url).content.decode()
    assert client.post(url, {"follower": follower.pk}).status_code == 302
    cell.refresh_from_db()
    assert cell.follower == follower


def test_secretary_of_other_cell_gets_404(client, cell, other_secretary):
    login(client, other_secretary.user)
    assert client.get(reverse("members:follower", args=[cell.pk])).status_code == 404
    assert client.post(reverse("members:follower", args=[cell.pk]), {"follower": ""}).status_code == 404
