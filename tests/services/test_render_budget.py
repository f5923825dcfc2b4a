"""A rendering past the time budget refuses the finalisation or the addendum with its message
and leaves everything as it was: no minutes, no number, no file, no report, no outbox row.

The slow render replaces the inner layout with a sleep: the mechanism under test is the limit."""

import datetime
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.documents import PdfRenderTimeout, base
from meetings.services import meetings as svc
from meetings.workflow import Stage
from tests.conftest import login
from tests.services.test_addenda import CORRECTION, minutes  # noqa: F401 - fixture
from tests.services.test_meetings import (  # noqa: F401 - the autouse fixture keeps "yesterday" in this quarter
    _yesterday_in_this_quarter,
    make_meeting,
    prepare,
    run_all,
)

pytestmark = pytest.mark.django_db

MESSAGE = "Không tạo được tệp PDF trong 0,3 giây"


def sleep_forever(html: str) -> bytes:
    time.sleep(60)
    return b""


@pytest.fixture
def slow_render(settings, monkeypatch):
    settings.CHIBO = {**settings.CHIBO, "PDF_RENDER_SECONDS": 0.3}
    monkeypatch.setattr(base, "_write_pdf", sleep_forever)


@pytest.fixture
def held(cell, secretary):
    day = timezone.localdate() - datetime.timedelta(days=1)
    meeting = prepare(make_meeting(cell, secretary.user, date=day), secretary.user, secretary, day)
    return run_all(meeting, secretary.user)


def stored_pdfs(settings, folder: str) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / folder
    return list(root.rglob("*.pdf")) if root.exists() else []


def state(meeting) -> dict:
    meeting.refresh_from_db()
    return {
        "stage": meeting.stage,
        "version": meeting.version,
        "minutes": m.Minutes.objects.count(),
        "numbers": m.IssuedNumber.objects.count(),
        "reports": m.Report.objects.count(),
        "notifications": m.Notification.objects.count(),
    }


def test_finalisation_past_the_budget_is_refused_and_nothing_is_saved(held, secretary, settings, slow_render):
    before = state(held)
    with pytest.raises(PdfRenderTimeout) as caught:
        svc.meeting_finalize(meeting=held, actor=secretary.user)
    assert isinstance(caught.value, ValidationError)
    assert MESSAGE in caught.value.messages[0]
    assert state(held) == before
    assert before["stage"] == Stage.HELD and before["minutes"] == 0
    assert stored_pdfs(settings, "minutes") == []


def test_finalisation_after_a_timeout_gets_the_first_number(held, secretary, settings, monkeypatch):
    budget = settings.CHIBO["PDF_RENDER_SECONDS"]
    settings.CHIBO = {**settings.CHIBO, "PDF_RENDER_SECONDS": 0.3}
    with monkeypatch.context() as patch:
        patch.setattr(base, "_write_pdf", sleep_forever)
        with pytest.raises(PdfRenderTimeout):
            svc.meeting_finalize(meeting=held, actor=secretary.user)
    # The normal render, within the normal budget.
    settings.CHIBO = {**settings.CHIBO, "PDF_RENDER_SECONDS": budget}
    finalized = svc.meeting_finalize(meeting=held, actor=secretary.user)
    assert finalized.number_label == "01-BB/CB"
    assert finalized.pdf.read().startswith(b"%PDF-")
    assert len(stored_pdfs(settings, "minutes")) == 1


def test_finalise_page_shows_the_message_and_keeps_the_meeting(client, held, secretary, settings, slow_render):
    before = state(held)
    login(client, secretary.user)
    response = client.post(reverse("meetings:finalize", args=[held.pk]), {"version": held.version}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == []  # stays on the finalise page
    body = response.content.decode()
    assert MESSAGE in body
    assert "đồng chí vui lòng thử lại sau ít phút" in body
    assert state(held) == before
    assert stored_pdfs(settings, "minutes") == []


def test_addendum_past_the_budget_is_refused_and_nothing_is_saved(minutes, secretary, settings, slow_render):  # noqa: F811
    with pytest.raises(PdfRenderTimeout, match=MESSAGE):
        svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text=CORRECTION)
    assert not m.MinutesAddendum.objects.exists()
    assert m.Report.objects.filter(minutes=minutes).count() == 1
    assert not m.Notification.objects.exists()
    assert stored_pdfs(settings, "addenda") == []


def test_addendum_form_shows_the_message(client, minutes, secretary, slow_render):  # noqa: F811
    login(client, secretary.user)
    response = client.post(reverse("meetings:addendum", args=[minutes.meeting_id]), {"text": CORRECTION}, follow=True)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not m.MinutesAddendum.objects.exists()
