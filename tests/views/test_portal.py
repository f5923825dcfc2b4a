import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AttendanceReply
from meetings.workflow import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def future(days=7):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_member_sees_own_tasks_only(client, member, other_cell):
    mine = f.ContributionFactory(topic=f.TopicFactory(cell=member.cell), member=member, subject="Tham luận của tôi")
    f.ContributionFactory(topic=f.TopicFactory(cell=other_cell), subject="Tham luận chi bộ khác")
    client.force_login(member.user)
    html = client.get(reverse("portal:tasks")).content.decode()
    assert mine.subject in html
    assert "Tham luận chi bộ khác" not in html


def test_member_sees_upcoming_meetings_of_own_cell_only(client, member, other_cell):
    f.MeetingFactory(cell=member.cell, stage=Stage.NOTICED, scheduled_date=future(), place="Phòng họp số 1")
    f.MeetingFactory(cell=other_cell, stage=Stage.NOTICED, scheduled_date=future(), place="Phòng khác")
    f.MeetingFactory(cell=member.cell, stage=Stage.FINALIZED, scheduled_date=future(), place="Đã xong")
    client.force_login(member.user)
    html = client.get(reverse("portal:meetings")).content.decode()
    assert "Phòng họp số 1" in html
    assert "Phòng khác" not in html
    assert "Đã xong" not in html


def test_reply_cannot_attend_needs_reason_then_saves(client, member):
    meeting = f.MeetingFactory(cell=member.cell, stage=Stage.NOTICED, scheduled_date=future())
    client.force_login(member.user)
    client.post(reverse("portal:meeting_reply", args=[meeting.pk]), {"will_attend": "0", "reason": ""})
    assert not AttendanceReply.objects.exists()
    response = client.post(
        reverse("portal:meeting_reply", args=[meeting.pk]),
        {"will_attend": "0", "reason": "Đi công tác"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    reply = AttendanceReply.objects.get()
    assert (reply.will_attend, reply.reason) == (False, "Đi công tác")


def test_reply_to_other_cells_meeting_is_404(client, member, other_cell):
    meeting = f.MeetingFactory(cell=other_cell, stage=Stage.NOTICED, scheduled_date=future())
    client.force_login(member.user)
    assert client.post(reverse("portal:meeting_reply", args=[meeting.pk]), {"will_attend": "1"}).status_code == 404


def test_library_search_without_diacritics_finds_finished_topics_of_own_cell(client, member, other_cell):
    done = f.TopicFactory(cell=member.cell, title="Tự soi, tự sửa")
    f.MeetingFactory(cell=member.cell, topic=done, stage=Stage.FINALIZED, scheduled_date=datetime.date(2025, 5, 1))
    unfinished = f.TopicFactory(cell=member.cell, title="Tự soi bản thân chưa họp")
    f.MeetingFactory(cell=member.cell, topic=unfinished, stage=Stage.NOTICED, scheduled_date=future())
    foreign = f.TopicFactory(cell=other_cell, title="Tự soi, tự sửa ở chi bộ khác")
    f.MeetingFactory(cell=other_cell, topic=foreign, stage=Stage.FINALIZED, scheduled_date=datetime.date(2025, 5, 1))
    client.force_login(member.user)
    html = client.get(reverse("library:index"), {"q": "tu soi tu sua"}).content.decode()
    assert "Tự soi, tự sửa" in html
    assert "chưa họp" not in html
    assert "chi bộ khác" not in html
    assert client.get(reverse("library:detail", args=[done.pk])).status_code == 200
    assert client.get(reverse("library:detail", args=[foreign.pk])).status_code == 404


def test_staff_without_member_gets_404_on_portal(client, staff):
    client.force_login(staff)
    assert client.get(reverse("portal:tasks")).status_code == 404
