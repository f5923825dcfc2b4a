"""A correction addendum is sealed like the minutes: its own PDF and SHA-256 written with the
row, a new report version, an e-mail to the committee, a scoped download and verification."""

import hashlib
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import meetings as svc
from meetings.services import notifications
from meetings.services.minutes import addendum_pdf_bytes
from tests import factories as f
from tests.documents.pdfutil import flat, text

pytestmark = pytest.mark.django_db

CORRECTION = "Đính chính mục III.3: ý kiến thứ hai là của đồng chí Trần Thị Đảng Viên."


@pytest.fixture
def minutes(cell, secretary, committee, staff):
    meeting = f.MeetingFactory(cell=cell, stage="finalized")
    snapshot = {
        "kind": "thematic",
        "superior_name": committee.name,
        "cell_name": cell.name,
        "place_name": "Hà Tĩnh",
        "date": "2026-03-05",
        "topic_title": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "chair": {"name": secretary.full_name},
        "clerk": {"name": "Lê Thị Thư Ký"},
        "signature_title": "BÍ THƯ",
    }
    minutes = m.Minutes.objects.create(
        meeting=meeting,
        cell=cell,
        year=2026,
        number=3,
        snapshot=snapshot,
        finalized_at=timezone.now(),
        verification_code="ABCD-EFGH",
    )
    data = b"%PDF-1.4 minutes"
    minutes.pdf.save("bien-ban.pdf", ContentFile(data), save=False)
    minutes.pdf_sha256 = hashlib.sha256(data).hexdigest()
    minutes.save()
    m.Report.objects.create(minutes=minutes, committee=committee, version=1, status=m.ReportStatus.RETURNED)
    return minutes


def _stored_addenda(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "addenda"
    return list(folder.rglob("*.pdf")) if folder.exists() else []


def test_addendum_is_stored_with_its_own_sealed_pdf(minutes, secretary):
    addendum = svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text=CORRECTION)
    data = addendum_pdf_bytes(addendum)
    assert addendum.pdf_sha256 == hashlib.sha256(data).hexdigest()
    body = flat(text(data))
    assert "PHỤ LỤC ĐÍNH CHÍNH BIÊN BẢN" in body
    assert "Biên bản số 03-BB/CB" in body
    assert "ngày 05 tháng 3 năm 2026" in body
    assert flat(CORRECTION) in body
    assert "Lê Thị Thư Ký" in body and secretary.full_name in body


def test_addendum_is_reported_as_a_new_version(minutes, secretary):
    addendum = svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text=CORRECTION)
    report = m.Report.objects.get(minutes=minutes, version=2)
    assert report.addendum_id == addendum.pk
    assert report.status == m.ReportStatus.RECEIVED


def test_rendering_failure_leaves_nothing_saved(minutes, secretary, settings, monkeypatch):
    def broken(_addendum):
        raise RuntimeError("font missing")

    monkeypatch.setattr("meetings.documents.render_addendum_pdf", broken)
    with pytest.raises(RuntimeError):
        svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text=CORRECTION)
    assert not m.MinutesAddendum.objects.exists()
    assert m.Report.objects.filter(minutes=minutes).count() == 1
    assert not m.Notification.objects.exists()
    assert _stored_addenda(settings) == []


def test_failure_after_rendering_leaves_no_row_and_no_file(minutes, secretary, settings, monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(notifications, "notifications_for_addendum", broken)
    with pytest.raises(RuntimeError):
        svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text=CORRECTION)
    assert not m.MinutesAddendum.objects.exists()
    assert m.Report.objects.filter(minutes=minutes).count() == 1
    assert _stored_addenda(settings) == []


def test_committee_is_emailed_the_addendum_and_the_link_lands_on_the_report_page(
    minutes, secretary, committee, staff, client
):
    addendum = svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text=CORRECTION)
    report = m.Report.objects.get(minutes=minutes, version=2)
    rows = m.Notification.objects.filter(kind=m.NotificationKind.REPORT, context__addendum_id=addendum.pk)
    assert sorted(r.recipient_email for r in rows) == sorted([committee.email, staff.email])

    notifications.notifications_send_due(now=timezone.now())
    assert len(mail.outbox) == 2
    msg = next(msg for msg in mail.outbox if staff.email in msg.to[0])
    assert "bổ sung lần 1" in msg.subject
    attached = dict((name, data) for name, data, _ in msg.attachments)
    assert attached["phu-luc-dinh-chinh-1-bien-ban-03-2026.pdf"] == addendum_pdf_bytes(addendum)
    assert "Phụ lục đính chính số 1: gửi kèm thư này (PDF)." in msg.body

    page_url = reverse("reports:detail", args=[report.pk])
    assert re.search(rf"https?://[^\s]+{re.escape(page_url)}", msg.body)
    client.force_login(staff)
    page = client.get(page_url)
    assert page.status_code == 200
    pdf_url = reverse("minutes:addendum_pdf", args=[addendum.pk])
    assert pdf_url in page.content.decode()
    download = client.get(pdf_url)
    assert download.status_code == 200
    assert download.content == addendum_pdf_bytes(addendum)


def test_tampered_addendum_file_is_not_served(minutes, secretary, client):
    addendum = svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text=CORRECTION)
    Path(addendum.pdf.path).write_bytes(b"%PDF-1.4 edited")
    client.force_login(secretary.user)
    response = client.get(reverse("minutes:addendum_pdf", args=[addendum.pk]))
    assert response.status_code == 409
    assert "không khớp" in response.content.decode()


def test_verification_page_recognises_an_addendum_pdf(minutes, secretary, client):
    addendum = svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text=CORRECTION)
    client.force_login(secretary.user)
    upload = SimpleUploadedFile("pl.pdf", addendum_pdf_bytes(addendum), content_type="application/pdf")
    body = client.post(reverse("minutes:verify"), {"file": upload}).content.decode()
    assert "phụ lục đính chính số 1" in body
    assert reverse("minutes:addendum_pdf", args=[addendum.pk]) in body


def test_addenda_are_read_only_in_the_admin(minutes, secretary, admin_client):
    addendum = svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text=CORRECTION)
    assert admin_client.get(reverse("admin:meetings_minutesaddendum_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:meetings_minutesaddendum_add")).status_code == 403
    change = admin_client.post(reverse("admin:meetings_minutesaddendum_change", args=[addendum.pk]), {"text": "x"})
    assert change.status_code == 403
    delete = admin_client.post(reverse("admin:meetings_minutesaddendum_delete", args=[addendum.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert m.MinutesAddendum.objects.get(pk=addendum.pk).text == CORRECTION
