"""Chair and clerk, and the order of the steps, as the secretary sees them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MemberStatus
from meetings.workflow import Step
from tests import factories as f
from tests.services.test_meetings import make_meeting, prepare

pytestmark = pytest.mark.django_db


def test_chair_as_clerk_is_shown_on_the_clerk_field_and_input_kept(client, cell, secretary):
    meeting = make_meeting(cell, secretary.user)
    client.force_login(secretary.user)
    resp = client.post(
        reverse("meetings:schedule", args=[meeting.pk]),
        {
            "version": meeting.version,
            "scheduled_date": timezone.localdate().isoformat(),
            "start_time": "09:00",
            "place": "Phòng họp tầng 3",
            "chair": secretary.pk,
            "clerk": secretary.pk,
        },
    )
    form = resp.context["schedule_form"]
    assert form.errors["clerk"] == ["Người chủ trì và thư ký phải là hai đồng chí khác nhau."]
    assert "Phòng họp tầng 3" in resp.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).place == ""


def test_exempt_chair_is_shown_on_the_chair_field(client, cell, secretary):
    meeting = make_meeting(cell, secretary.user)
    exempt = f.MemberFactory(cell=cell, status=MemberStatus.EXEMPT, full_name="Phạm Văn Miễn")
    client.force_login(secretary.user)
    resp = client.post(
        reverse("meetings:schedule", args=[meeting.pk]),
        {
            "version": meeting.version,
            "scheduled_date": timezone.localdate().isoformat(),
            "start_time": "09:00",
            "place": "Phòng họp",
            "chair": exempt.pk,
            "clerk": secretary.pk,
        },
    )
    assert "không thể chủ trì" in resp.context["schedule_form"].errors["chair"][0]


def test_step_out_of_order_is_shown_on_the_run_page(client, cell, secretary):
    date = timezone.localdate() - datetime.timedelta(days=1)
    meeting = prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)
    client.force_login(secretary.user)
    resp = client.post(
        reverse("meetings:run_action", args=[meeting.pk]),
        {"action": "step", "step": Step.PURPOSE, "version": meeting.version, "text": "Mục đích, yêu cầu"},
    )
    assert resp.status_code == 302
    resp = client.get(resp.url)
    body = resp.content.decode()
    assert "Lưu ý: Bước 5 (Bí thư nêu mục đích, yêu cầu) được ghi nhận khi bước 1, 2, 3, 4" in body
    resp = client.get(reverse("meetings:run", args=[meeting.pk]) + "?buoc=purpose")
    assert "chưa được ghi nhận (không đúng trình tự)" in resp.content.decode()
