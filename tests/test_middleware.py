"""StripNullCharactersMiddleware: NUL characters never reach a view (PostgreSQL refuses them
in text; found by tests/security/test_hostile_input.py)."""

import datetime

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from chibo.middleware import StripNullCharactersMiddleware
from meetings.models import AttendanceReply
from tests import factories as f


def _seen(request):
    seen = {}

    def view(req):
        seen["GET"], seen["POST"] = req.GET, req.POST
        return HttpResponse("ok")

    response = StripNullCharactersMiddleware(view)(request)
    return response, seen


def test_nul_characters_are_removed_from_form_and_query_values_and_names():
    request = RequestFactory().post("/x/?q=a%00b", {"ly\x00do": ["Bận\x00 việc", "hai\x00"], "ok": "giữ nguyên"})
    response, seen = _seen(request)
    assert response.status_code == 200
    assert seen["GET"]["q"] == "ab"
    assert seen["POST"].getlist("lydo") == ["Bận việc", "hai"]
    assert seen["POST"]["ok"] == "giữ nguyên"
    assert not seen["POST"]._mutable


def test_values_without_nul_are_left_alone():
    request = RequestFactory().post("/x/", {"a": "b"})
    post = request.POST
    _, seen = _seen(request)
    assert seen["POST"] is post


def test_a_path_with_nul_is_not_found():
    response, seen = _seen(RequestFactory().get("/lich/ab%00cd.ics"))
    assert response.status_code == 404
    assert seen == {}


@pytest.mark.django_db
def test_a_reply_reason_with_nul_is_saved_without_it(client, cell, member):
    meeting = f.MeetingFactory(
        cell=cell,
        stage="noticed",
        scheduled_date=timezone.localdate() + datetime.timedelta(days=3),
        start_time=datetime.time(8, 0),
    )
    client.force_login(member.user)
    response = client.post(
        reverse("portal:meeting_reply", args=[meeting.pk]), {"will_attend": "0", "reason": "Đi\x00 công tác"}
    )
    assert response.status_code == 302
    assert AttendanceReply.objects.get(meeting=meeting, member=member).reason == "Đi công tác"
