"""Pages of the digital signatures (issue 18): the certificate upload, signing on the finalise
page (wrong password shown there, nothing signed), scope, and the verification page's report."""

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import models as m
from meetings.services.minutes import minutes_create, minutes_pdf_bytes
from meetings.services.signing import pki
from meetings.services.signing.certificates import certificate_upload
from tests import factories as f
from tests.conftest import login
from tests.documents.builders import recorded_meeting

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-ky-so"


@pytest.fixture
def ca(settings, tmp_path):
    authority = pki.authority_create("chibo test CA")
    roots = tmp_path / "trust-roots"
    roots.mkdir()
    (roots / "test-ca.pem").write_bytes(authority.pem)
    settings.CHIBO = {
        **settings.CHIBO,
        "SIGNING_ENABLED": True,
        "TRUST_ROOTS_DIR": str(roots),
        "SIGNING_KEY": Fernet.generate_key().decode(),
    }
    return authority


@pytest.fixture
def minutes(cell, secretary):
    meeting = recorded_meeting(cell, secretary=secretary, n_members=6, n_speeches=1)
    clerk = meeting.clerk
    clerk.user = f.UserFactory()
    clerk.save()
    minutes = minutes_create(meeting=meeting, actor=None)
    m.Meeting.objects.filter(pk=meeting.pk).update(stage="finalized")
    return minutes


def _p12(ca, name="Nguyen Van Bi Thu"):
    data, _cert = pki.signer_create(ca, name, password=PASSWORD)
    return data


def test_upload_page_keeps_the_certificate_and_never_the_password(client, ca, secretary):
    login(client, secretary.user)
    url = reverse("accounts:signing_certificate")
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("ky.p12", _p12(ca)), "password": PASSWORD}, follow=True)
    assert "Đã lưu chứng thư số" in response.content.decode()
    record = m.SigningCertificate.objects.get(user=secretary.user)
    assert PASSWORD.encode() not in bytes(record.pkcs12_encrypted)


def test_upload_with_a_wrong_password_is_refused_in_vietnamese(client, ca, secretary):
    login(client, secretary.user)
    response = client.post(
        reverse("accounts:signing_certificate"), {"file": SimpleUploadedFile("ky.p12", _p12(ca)), "password": "sai"}
    )
    assert response.status_code == 400
    assert "Mật khẩu của tệp chứng thư số không đúng" in response.content.decode()
    assert not m.SigningCertificate.objects.exists()


def test_finalise_page_shows_the_signing_form_to_the_chair(client, ca, minutes, secretary):
    certificate_upload(user=secretary.user, data=_p12(ca), password=PASSWORD)
    login(client, secretary.user)
    html = client.get(reverse("meetings:finalize", args=[minutes.meeting_id])).content.decode()
    assert "Chữ ký số của biên bản" in html and "Ký số biên bản" in html
    assert "T/M CHI BỘ – BÍ THƯ" in html


def test_wrong_password_is_shown_on_the_form_and_nothing_is_signed(client, ca, minutes, secretary):
    certificate_upload(user=secretary.user, data=_p12(ca), password=PASSWORD)
    login(client, secretary.user)
    response = client.post(reverse("meetings:sign", args=[minutes.meeting_id]), {"role": "chair", "password": "sai"})
    assert response.status_code == 400
    assert "Mật khẩu của tệp chứng thư số không đúng" in response.content.decode()
    assert not m.MinutesSignature.objects.exists()


def test_chair_then_clerk_sign_and_the_download_is_the_signed_file(client, ca, minutes, secretary):
    clerk_user = minutes.meeting.clerk.user
    certificate_upload(user=secretary.user, data=_p12(ca), password=PASSWORD)
    certificate_upload(user=clerk_user, data=_p12(ca, "Thu Ky"), password=PASSWORD)
    url = reverse("meetings:sign", args=[minutes.meeting_id])
    login(client, secretary.user)
    assert client.post(url, {"role": "chair", "password": PASSWORD}).status_code == 302
    login(client, clerk_user)
    assert client.post(url, {"role": "clerk", "password": PASSWORD}).status_code == 302
    last = m.MinutesSignature.objects.get(minutes=minutes, revision=2)
    download = client.get(reverse("minutes:pdf", args=[minutes.pk]))
    assert download.content == last.pdf.open("rb").read()
    html = client.get(reverse("meetings:finalize", args=[minutes.meeting_id])).content.decode()
    assert "đã đủ chữ ký của chủ trì và thư ký" in html


def test_secretary_of_another_cell_gets_404(client, ca, minutes, other_secretary):
    certificate_upload(user=other_secretary.user, data=_p12(ca), password=PASSWORD)
    login(client, other_secretary.user)
    response = client.post(reverse("meetings:sign", args=[minutes.meeting_id]), {"role": "chair", "password": PASSWORD})
    assert response.status_code == 404
    assert not m.MinutesSignature.objects.exists()


def test_a_member_who_is_not_a_signer_gets_403(client, ca, minutes, member):
    login(client, member.user)
    response = client.post(reverse("meetings:sign", args=[minutes.meeting_id]), {"role": "chair", "password": PASSWORD})
    assert response.status_code == 403


def test_signing_disabled_hides_the_card(client, ca, minutes, secretary, settings):
    settings.CHIBO = {**settings.CHIBO, "SIGNING_ENABLED": False}
    login(client, secretary.user)
    html = client.get(reverse("meetings:finalize", args=[minutes.meeting_id])).content.decode()
    assert "Chữ ký số của biên bản" not in html


def test_verification_page_reports_each_signature(client, ca, minutes, secretary):
    from meetings.services.signing.minutes import minutes_sign

    certificate_upload(user=secretary.user, data=_p12(ca), password=PASSWORD)
    minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CHAIR, password=PASSWORD)
    data = minutes_pdf_bytes(minutes)
    login(client, secretary.user)
    response = client.post(reverse("minutes:verify"), {"file": SimpleUploadedFile("bb.pdf", data)})
    html = response.content.decode()
    assert "Khớp với hồ sơ" in html and "bản biên bản đã ký số" in html
    assert "Chữ ký hợp lệ" in html and "Nguyen Van Bi Thu" in html
    # A byte changed inside the signed part: the signature no longer holds.
    tampered = bytearray(data)
    tampered[tampered.index(b"stream\n") + 100] ^= 0x01
    response = client.post(reverse("minutes:verify"), {"file": SimpleUploadedFile("bb.pdf", bytes(tampered))})
    html = response.content.decode()
    assert "Không tìm thấy biên bản nào trùng với tệp này" in html
    assert "Chữ ký không hợp lệ" in html


def test_the_last_page_carries_the_qr_code_and_the_verification_url(minutes, settings):
    from django.template.loader import render_to_string

    from meetings.documents.minutes import minutes_context
    from meetings.documents.qr import verification_qr_svg, verification_url
    from tests.documents.pdfutil import flat, text

    url = verification_url(minutes.verification_code)
    assert url.startswith(settings.SITE_URL) and f"ma={minutes.verification_code}" in url
    context = minutes_context(
        minutes.snapshot, number_label=minutes.number_label, verification_code=minutes.verification_code
    )
    qr = verification_qr_svg(minutes.verification_code)
    assert qr.startswith("<svg") and qr in render_to_string("documents/minutes.html", context)
    with minutes.pdf.open("rb") as fh:
        assert minutes.verification_code in flat(text(fh.read()))
