"""A document rendered on download (notice, attendance sheet, topic, plan) that runs past the
time budget sends the user back to the page the link is on, with the message; never a 500."""

import time

import pytest
from django.urls import reverse

from tests.views.test_documents import finalized  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

MESSAGE = "Không tạo được tệp PDF trong 0,3 giây"


@pytest.fixture
def slow_render(settings, monkeypatch):
    from meetings.documents import base

    def sleep_forever(html):
        time.sleep(60)

    settings.CHIBO = {**settings.CHIBO, "PDF_RENDER_SECONDS": 0.3}
    monkeypatch.setattr(base, "_write_pdf", sleep_forever)


def rendered_links(meeting):
    """(download, page the link is on)."""
    return {
        "notice": (reverse("meetings:notice_pdf", args=[meeting.pk]), reverse("meetings:detail", args=[meeting.pk])),
        "attendance": (
            reverse("meetings:attendance_sheet_pdf", args=[meeting.pk]),
            reverse("meetings:detail", args=[meeting.pk]),
        ),
        "topic": (reverse("topics:pdf", args=[meeting.topic_id]), reverse("topics:detail", args=[meeting.topic_id])),
        "plan": (reverse("plans:pdf", args=[meeting.plan_id]), reverse("plans:detail", args=[meeting.plan_id])),
    }


def test_download_past_the_budget_goes_back_with_the_message(client, secretary, finalized, slow_render):  # noqa: F811
    meeting, _minutes = finalized
    client.force_login(secretary.user)
    for name, (url, page) in rendered_links(meeting).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"] == page, name
        shown = client.get(page)
        assert shown.status_code == 200, name
        assert MESSAGE in shown.content.decode(), name


def test_stored_minutes_are_served_whatever_the_budget(client, secretary, finalized, slow_render):  # noqa: F811
    """The minutes' PDF was rendered once at finalisation: a download reads the file."""
    _meeting, minutes = finalized
    client.force_login(secretary.user)
    response = client.get(reverse("minutes:pdf", args=[minutes.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_other_cell_still_gets_404_before_any_rendering(client, other_secretary, finalized, slow_render):  # noqa: F811
    meeting, _minutes = finalized
    client.force_login(other_secretary.user)
    for name, (url, _page) in rendered_links(meeting).items():
        assert client.get(url).status_code == 404, name


def test_library_download_past_the_budget_goes_back_to_the_topic(client, secretary, finalized, slow_render):  # noqa: F811
    meeting, _minutes = finalized
    meeting.stage = "finalized"  # minutes_create alone leaves the stage to meeting_finalize
    meeting.save(update_fields=["stage"])
    client.force_login(secretary.user)
    assert client.get(reverse("library:detail", args=[meeting.topic_id])).status_code == 200
    response = client.get(reverse("library:pdf", args=[meeting.topic_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("library:detail", args=[meeting.topic_id])
    assert MESSAGE in client.get(response["Location"]).content.decode()
