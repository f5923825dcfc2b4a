import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.workflow import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_feed_by_secret_token_without_login(client, member, other_cell):
    day = timezone.localdate() + datetime.timedelta(days=5)
    f.MeetingFactory(
        cell=member.cell, stage=Stage.NOTICED, scheduled_date=day, start_time=datetime.time(14, 0), place="Hội trường A"
    )
    f.MeetingFactory(cell=other_cell, stage=Stage.NOTICED, scheduled_date=day, place="Hội trường khác")
    f.ContributionFactory(topic=f.TopicFactory(cell=member.cell), member=member, subject="Tham luận X", due_on=day)
    body = client.get(reverse("calendar:feed", args=[member.user.calendar_token])).content.decode()
    assert "BEGIN:VCALENDAR" in body
    assert "Hội trường A" in body
    assert "Hội trường khác" not in body
    assert "Tham luận X" in body


def test_regenerate_invalidates_old_token(client, member):
    old = member.user.calendar_token
    client.force_login(member.user)
    client.post(reverse("calendar:regenerate"))
    member.user.refresh_from_db()
    assert member.user.calendar_token != old
    client.logout()
    assert client.get(reverse("calendar:feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[member.user.calendar_token])).status_code == 200
