"""Ids posted in form fields that are not numbers (found by tests/security/test_hostile_input.py):
the answer is "not found" with a Vietnamese message, never a 500."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import Contribution, Guest, Speech
from tests import factories as f

pytestmark = pytest.mark.django_db

BAD_IDS = ["abc", "1e5", "5.0", "<script>alert(1)</script>", "-1", str(10**30), "٣"]


@pytest.fixture
def running(cell, secretary, member):
    meeting = f.MeetingFactory(
        cell=cell,
        stage="in_progress",
        scheduled_date=timezone.localdate(),
        start_time=datetime.time(8, 0),
        chair=secretary,
        clerk=member,
    )
    Speech.objects.create(meeting=meeting, speaker=member, position=1, content="Ý kiến")
    Guest.objects.create(meeting=meeting, name="Đại biểu")
    f.ContributionFactory(topic=meeting.topic, member=member)
    return meeting


@pytest.fixture
def browser(secretary):
    client = Client(raise_request_exception=False)
    client.force_login(secretary.user)
    return client


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize("action", ["speech_delete", "speech_up", "speech_down", "speech_update"])
def test_run_page_speech_actions_with_a_bad_speech_id(browser, running, action, bad):
    url = reverse("meetings:run_action", args=[running.pk])
    data = {"action": action, "speech": bad, "edit-speaker": running.chair_id, "edit-content": "Sửa"}
    response = browser.post(url, data, follow=True)
    assert response.status_code == 200
    if action != "speech_update":  # the update re-shows its form; the others flash the message
        assert "Không tìm thấy ý kiến phát biểu" in response.content.decode()
    assert list(Speech.objects.filter(meeting=running).values_list("content", flat=True)) == ["Ý kiến"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_presenting_a_contribution_with_a_bad_id_is_not_found(browser, running, bad):
    response = browser.post(
        reverse("meetings:run_action", args=[running.pk]), {"action": "contribution_present", "contribution": bad}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("bad", BAD_IDS)
def test_unassigning_a_contribution_with_a_bad_id_is_not_found(browser, running, bad):
    response = browser.post(
        reverse("topics:detail", args=[running.topic_id]), {"action": "unassign", "contribution": bad}
    )
    assert response.status_code == 404
    assert Contribution.objects.filter(topic=running.topic).count() == 1


@pytest.mark.parametrize("bad", BAD_IDS)
def test_removing_a_guest_with_a_bad_id_keeps_the_guest(browser, running, bad):
    response = browser.post(
        reverse("meetings:guest", args=[running.pk]), {"action": "remove", "guest": bad}, follow=True
    )
    assert response.status_code == 200
    assert "Không tìm thấy đại biểu" in response.content.decode()
    assert Guest.objects.filter(meeting=running).count() == 1
