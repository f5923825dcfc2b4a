"""The topic completed after the meeting: who may record it, when, and where it is used."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import notifications as notification_services
from meetings.services.topics import topic_completed_save
from meetings.workflow import Stage, Step
from tests import factories as f

pytestmark = pytest.mark.django_db

LEAD = "Nội dung đề dẫn trước buổi sinh hoạt."
DONE = "Nội dung chuyên đề đã tiếp thu ý kiến của chi bộ."


@pytest.fixture
def held(cell, secretary, member):
    topic = f.TopicFactory(cell=cell, lead_author=member, lead_paper_text=LEAD)
    meeting = f.MeetingFactory(cell=cell, topic=topic, stage=Stage.HELD, scheduled_date=datetime.date(2026, 3, 5))
    m.MeetingStep.objects.create(meeting=meeting, step=Step.RESPONSE, done_by=secretary.user)
    return meeting


def _post(client, user, topic, **data):
    client.force_login(user)
    return client.post(reverse("topics:detail", args=[topic.pk]), {"action": "completed", **data})


def test_refused_before_step_8_is_recorded(held, secretary):
    m.MeetingStep.objects.filter(meeting=held).delete()
    with pytest.raises(ValidationError, match="bước 8"):
        topic_completed_save(topic=held.topic, actor=secretary.user, text=DONE)
    held.topic.refresh_from_db()
    assert held.topic.completed_text == ""


def test_refused_before_step_8_on_the_page_keeps_what_was_typed(client, held, secretary):
    m.MeetingStep.objects.filter(meeting=held).delete()
    # The form is not offered yet; a post made anyway is refused where the user acted.
    response = _post(client, secretary.user, held.topic, text=DONE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "bước 8" in html and DONE in html


def test_refused_once_the_minutes_are_finalised(held, secretary):
    m.Meeting.objects.filter(pk=held.pk).update(stage=Stage.FINALIZED)
    with pytest.raises(ValidationError, match="hoàn tất biên bản"):
        topic_completed_save(topic=held.topic, actor=secretary.user, text=DONE)


def test_author_saves_it_and_the_lead_paper_is_kept(client, held, member):
    response = _post(client, member.user, held.topic, text=DONE)
    assert response.status_code == 302
    topic = m.Topic.objects.get(pk=held.topic.pk)
    assert topic.completed_text == DONE and topic.completed_by == member.user and topic.completed_at
    assert topic.lead_paper_text == LEAD


def test_secretary_saves_it_with_a_file(client, held, secretary):
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4 completed", content_type="application/pdf")
    response = _post(client, secretary.user, held.topic, text="", file=upload)
    assert response.status_code == 302
    topic = m.Topic.objects.get(pk=held.topic.pk)
    assert topic.completed_file and topic.completed_by == secretary.user
    download = client.get(reverse("topics:completed_file", args=[topic.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 completed"


def test_file_that_is_not_pdf_or_docx_is_refused(held, secretary):
    upload = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="không đúng định dạng"):
        topic_completed_save(topic=held.topic, actor=secretary.user, file=upload)


def test_plain_member_who_is_not_the_author_gets_403(client, held, cell):
    other = f.MemberWithUserFactory(cell=cell)
    assert _post(client, other.user, held.topic, text=DONE).status_code == 403
    assert m.Topic.objects.get(pk=held.topic.pk).completed_text == ""


def test_secretary_of_other_cell_gets_404(client, held, other_secretary):
    assert _post(client, other_secretary.user, held.topic, text=DONE).status_code == 404
    client.force_login(other_secretary.user)
    assert client.get(reverse("topics:pdf", args=[held.topic.pk])).status_code == 404


def test_files_of_the_topic_download_in_the_cell_and_answer_404_elsewhere(client, held, member, other_secretary):
    topic = held.topic
    topic.lead_paper_file.save("de-dan.pdf", ContentFile(b"%PDF-1.4 lead"), save=False)
    topic.completed_file.save("hoan-chinh.pdf", ContentFile(b"%PDF-1.4 done"), save=False)
    m.Topic.objects.filter(pk=topic.pk).update(
        lead_paper_file=topic.lead_paper_file.name, completed_file=topic.completed_file.name
    )
    urls = [reverse(name, args=[topic.pk]) for name in ("topics:lead_file", "topics:completed_file")]
    client.force_login(member.user)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    client.force_login(other_secretary.user)
    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_topic_page_offers_the_form_to_the_author_only_after_step_8(client, held, member):
    client.force_login(member.user)
    url = reverse("topics:detail", args=[held.topic.pk])
    assert 'value="completed"' in client.get(url).content.decode()
    m.MeetingStep.objects.filter(meeting=held).delete()
    assert 'value="completed"' not in client.get(url).content.decode()


@pytest.fixture
def pdf_context(monkeypatch):
    """The topic PDF as the text of its context, so the tests can read what it holds."""
    monkeypatch.setattr(
        "meetings.documents.topics.render_pdf",
        lambda template, ctx: f"{ctx['title']}\n{ctx['lead_paper']}".encode(),
    )


def test_study_email_carries_the_completed_version(held, secretary, committee, pdf_context):
    topic_completed_save(topic=held.topic, actor=secretary.user, text=DONE)
    m.Meeting.objects.filter(pk=held.pk).update(stage=Stage.FINALIZED)
    minutes = m.Minutes.objects.create(
        meeting=held,
        cell=held.cell,
        year=2026,
        number=3,
        finalized_at=timezone.now(),
        verification_code="AB12CD34",
        pdf=ContentFile(b"%PDF-1.4 minutes", name="bien-ban.pdf"),
    )
    report = m.Report.objects.create(minutes=minutes, committee=committee, version=1)
    notification_services.notifications_for_finalized(meeting=held, minutes=minutes, report=report)
    notification_services.notifications_send_due(now=timezone.now())
    study = [msg for msg in mail.outbox if msg.subject.startswith("Tài liệu nghiên cứu")]
    assert study
    topic_pdf = next(a for a in study[0].attachments if a[0] == f"chuyen-de-{held.topic_id}.pdf")[1]
    text = topic_pdf.decode()
    assert "Chuyên đề (đã hoàn chỉnh sau sinh hoạt)" in text and DONE in text and LEAD not in text


def test_library_and_pdf_use_the_completed_version_and_the_lead_paper_stays(client, held, secretary, member):
    topic_completed_save(topic=held.topic, actor=secretary.user, text=DONE)
    m.Meeting.objects.filter(pk=held.pk).update(stage=Stage.FINALIZED)
    client.force_login(member.user)
    html = client.get(reverse("library:detail", args=[held.topic.pk])).content.decode()
    assert DONE in html and "đã hoàn chỉnh sau sinh hoạt" in html
    assert reverse("topics:pdf", args=[held.topic.pk]) + "?ban=de-dan" in html
    found = client.get(reverse("library:index"), {"q": "tiep thu y kien"}).content.decode()
    assert held.topic.title in found


def test_topic_pdf_gives_completed_version_and_lead_paper_on_request(client, held, secretary, pdf_context):
    topic_completed_save(topic=held.topic, actor=secretary.user, text=DONE)
    client.force_login(secretary.user)
    url = reverse("topics:pdf", args=[held.topic.pk])
    completed = client.get(url)
    assert DONE in completed.content.decode() and "chuyen-de-hoan-chinh" in completed["Content-Disposition"]
    lead = client.get(url, {"ban": "de-dan"}).content.decode()
    assert LEAD in lead and DONE not in lead and lead.startswith("Đề dẫn chuyên đề")
