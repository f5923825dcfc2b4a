"""The finalise page, the committee's cell page and the report page show the self-assessed
score, the recorded grade and the reasons for its cap."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Report
from meetings.services import meetings as svc
from tests.services.test_meetings import _yesterday_in_this_quarter  # noqa: F401 - autouse
from tests.services.test_recorded_grade import FOUR_REASONS, counter_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


def test_pages_show_self_score_recorded_grade_and_reasons(client, cell, secretary, date, staff):
    meeting = counter_example(cell, secretary, date)
    client.force_login(secretary.user)
    html = client.get(reverse("meetings:finalize", args=[meeting.pk])).content.decode()
    assert "sẽ ghi nhận khi hoàn tất" in html and "<strong>Khá</strong>" in html
    assert "Tự đánh giá: 100/100 điểm, loại Tốt" in html
    assert all(reason in html for reason in FOUR_REASONS)
    svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    html = client.get(reverse("meetings:finalize", args=[meeting.pk])).content.decode()
    assert "đã ghi nhận cùng biên bản" in html and FOUR_REASONS[3] in html

    client.force_login(staff)
    pages = [
        reverse("dashboard:cell", args=[cell.pk]) + f"?nam={meeting.year}",
        reverse("reports:detail", args=[Report.objects.get(minutes__meeting=meeting).pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<strong>Khá</strong>" in html, url
        # The report page names who assessed: "Chi bộ tự đánh giá: …".
        assert "ự đánh giá: 100/100 điểm, loại Tốt" in html, url
        assert all(reason in html for reason in FOUR_REASONS), url
