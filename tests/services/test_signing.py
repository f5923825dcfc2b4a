"""PAdES signatures of sealed minutes (issue 18): a throw-away CA made here (no network), the
chair and the clerk sign in turn, and the verification reads the result offline."""

import datetime
import hashlib
import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from pyhanko.pdf_utils.reader import PdfFileReader

from meetings import models as m
from meetings.selectors.signatures import minutes_served_file, signing_state
from meetings.services.minutes import minutes_create, minutes_pdf_bytes
from meetings.services.signing import pdf as signing_pdf
from meetings.services.signing import pki
from meetings.services.signing.certificates import certificate_upload
from meetings.services.signing.minutes import minutes_sign
from meetings.services.signing.verify import pdf_verify
from tests import factories as f
from tests.documents.builders import recorded_meeting

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-ky-so"
KEY = Fernet.generate_key().decode()


@pytest.fixture
def ca(settings, tmp_path):
    authority = pki.authority_create("chibo test CA")
    roots = tmp_path / "trust-roots"
    roots.mkdir()
    (roots / "test-ca.pem").write_bytes(authority.pem)
    settings.CHIBO = {**settings.CHIBO, "SIGNING_ENABLED": True, "TRUST_ROOTS_DIR": str(roots), "SIGNING_KEY": KEY}
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


def _upload(ca, user, name, **kwargs):
    data, _cert = pki.signer_create(ca, name, password=PASSWORD, **kwargs)
    return certificate_upload(user=user, data=data, password=PASSWORD)


@pytest.fixture
def signed_twice(ca, minutes, secretary):
    clerk_user = minutes.meeting.clerk.user
    _upload(ca, secretary.user, "Nguyen Van Bi Thu")
    _upload(ca, clerk_user, "Thu Ky")
    first = minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CHAIR, password=PASSWORD)
    second = minutes_sign(minutes=minutes, user=clerk_user, role=m.SignerRole.CLERK, password=PASSWORD)
    return minutes, first, second


def _visible():
    return m.Minutes.objects.all()


def test_sign_twice_and_verify(signed_twice):
    minutes, first, second = signed_twice
    assert (first.revision, second.revision) == (1, 2)
    data = minutes_pdf_bytes(minutes)
    assert hashlib.sha256(data).hexdigest() == second.pdf_sha256
    with minutes.pdf.open("rb") as fh:
        original = fh.read()
    # Incremental updates: the sealed minutes and the first signature are prefixes of the file.
    assert data.startswith(original)
    assert data.startswith(first.pdf.open("rb").read())
    report = pdf_verify(data=data, queryset=_visible())
    assert report.exact == "signed" and report.minutes == minutes
    assert [s.field for s in report.signatures] == ["ChuTri", "ThuKy"]
    assert [s.field_label for s in report.signatures] == ["Chủ trì", "Thư ký"]
    assert all(s.ok for s in report.signatures), report.signatures
    assert report.signatures[0].certifying and not report.signatures[1].certifying
    assert report.signatures[-1].covers_whole_file


def test_fields_sit_in_the_signature_block_of_the_last_page(signed_twice):
    minutes, _first, second = signed_twice
    reader = PdfFileReader(io.BytesIO(second.pdf.open("rb").read()))
    pages = int(reader.root["/Pages"]["/Count"])
    placement = signing_pdf.signature_placement(minutes.pdf.open("rb").read())
    assert placement.chair.page == placement.clerk.page == pages - 1
    # Chair on the right, clerk on the left, same height.
    assert placement.clerk.box[2] < placement.chair.box[0]
    assert placement.clerk.box[1] == placement.chair.box[1]
    # The second field carries the lock: nothing may change after both signed.
    fields = {str(fl.get_object()["/T"]): fl.get_object() for fl in reader.root["/AcroForm"]["/Fields"]}
    assert "/Lock" in fields["ThuKy"] and "/Lock" not in fields["ChuTri"]


def test_the_unsigned_original_is_found_inside_a_file_signed_elsewhere(signed_twice):
    minutes, _first, second = signed_twice
    data = second.pdf.open("rb").read() + b"\n% appended by someone\n"
    report = pdf_verify(data=data, queryset=_visible())
    assert report.status == "prefix" and report.minutes == minutes


def test_a_byte_changed_after_signing_is_detected(signed_twice):
    _minutes, _first, second = signed_twice
    data = bytearray(second.pdf.open("rb").read())
    # One byte inside the first revision's first content stream (covered by both signatures).
    pos = data.index(b"stream\n") + 100
    data[pos] ^= 0x01
    report = pdf_verify(data=bytes(data), queryset=_visible())
    assert report.status == "unknown_file"
    assert report.signatures and not any(s.intact and s.valid for s in report.signatures)


def test_an_untrusted_certificate_is_reported(signed_twice, settings, tmp_path):
    _minutes, _first, second = signed_twice
    empty = tmp_path / "no-roots"
    empty.mkdir()
    settings.CHIBO = {**settings.CHIBO, "TRUST_ROOTS_DIR": str(empty)}
    report = pdf_verify(data=second.pdf.open("rb").read(), queryset=_visible())
    assert all(s.intact and s.valid and not s.trusted for s in report.signatures)
    assert "không được cấp bởi tổ chức chứng thực" in report.signatures[0].problem


def test_an_expired_certificate_is_reported(ca, minutes, secretary):
    data, _cert = pki.signer_create(
        ca,
        "Het Han",
        password=PASSWORD,
        not_before=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        not_after=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC),
    )
    with pytest.raises(ValidationError, match="hết hạn"):
        certificate_upload(user=secretary.user, data=data, password=PASSWORD)
    # Signed with it anyway (a key held elsewhere): the verification says so.
    loaded = signing_pdf_signer(data)
    signed = minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CHAIR, password="", signer=loaded)
    report = pdf_verify(data=signed.pdf.open("rb").read(), queryset=_visible())
    sig = report.signatures[0]
    assert sig.expired and not sig.trusted and not sig.ok
    assert "ngoài thời hạn hiệu lực" in sig.problem


def signing_pdf_signer(data):
    from meetings.services.signing.certificates import pkcs12_open

    return pkcs12_open(data, PASSWORD)


def test_wrong_password_signs_nothing(ca, minutes, secretary):
    _upload(ca, secretary.user, "Nguyen Van Bi Thu")
    with pytest.raises(ValidationError, match="Mật khẩu của tệp chứng thư số không đúng"):
        minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CHAIR, password="sai")
    assert not m.MinutesSignature.objects.exists()
    record, _field = minutes_served_file(minutes)
    assert record == minutes


def test_signing_disabled_refuses_and_finalisation_is_unchanged(ca, minutes, secretary, settings):
    settings.CHIBO = {**settings.CHIBO, "SIGNING_ENABLED": False}
    _upload(ca, secretary.user, "Nguyen Van Bi Thu")
    with pytest.raises(ValidationError, match="chưa bật chức năng ký số"):
        minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CHAIR, password=PASSWORD)
    assert minutes.pdf_sha256 and hashlib.sha256(minutes_pdf_bytes(minutes)).hexdigest() == minutes.pdf_sha256


def test_only_the_recorded_signer_signs_in_a_role(ca, minutes, secretary, member):
    _upload(ca, member.user, "Dang Vien")
    with pytest.raises(PermissionDenied):
        minutes_sign(minutes=minutes, user=member.user, role=m.SignerRole.CHAIR, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CLERK, password=PASSWORD)


def test_a_role_signs_once(ca, minutes, secretary):
    _upload(ca, secretary.user, "Nguyen Van Bi Thu")
    minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CHAIR, password=PASSWORD)
    with pytest.raises(ValidationError, match="đã được ký ở vai trò này"):
        minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CHAIR, password=PASSWORD)
    state = signing_state(minutes=minutes, user=secretary.user)
    assert state.my_roles == [] and not state.complete


def test_clerk_may_sign_first_and_the_chair_locks(ca, minutes, secretary):
    clerk_user = minutes.meeting.clerk.user
    _upload(ca, secretary.user, "Nguyen Van Bi Thu")
    _upload(ca, clerk_user, "Thu Ky")
    minutes_sign(minutes=minutes, user=clerk_user, role=m.SignerRole.CLERK, password=PASSWORD)
    last = minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CHAIR, password=PASSWORD)
    report = pdf_verify(data=last.pdf.open("rb").read(), queryset=_visible())
    assert all(s.ok for s in report.signatures)
    assert signing_state(minutes=minutes, user=secretary.user).complete


def test_signature_rows_are_insert_only(signed_twice, services_required):
    from django.conf import settings as dj

    if dj.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("database triggers need PostgreSQL")
    from django.db import InternalError, transaction

    _minutes, first, _second = signed_twice
    with pytest.raises(InternalError), transaction.atomic():
        m.MinutesSignature.objects.filter(pk=first.pk).update(signer_name="Khác")
    with pytest.raises(InternalError), transaction.atomic():
        m.MinutesSignature.objects.filter(pk=first.pk).delete()


def test_the_stored_key_is_encrypted(ca, secretary):
    record = _upload(ca, secretary.user, "Nguyen Van Bi Thu")
    assert b"Nguyen Van Bi Thu" not in bytes(record.pkcs12_encrypted)
    assert record.serial and record.not_after > record.not_before


def test_token_path_prepare_then_finish_with_a_raw_signature(ca, minutes):
    """The USB-token flow: the server prepares, a key outside the server (here a key made in
    the test, standing in for the token) signs the digest, the server finishes."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
    from cryptography.hazmat.primitives.serialization import pkcs12
    from django.utils import timezone

    from meetings.services.signing import token

    p12, cert = pki.signer_create(ca, "Token Holder", password=PASSWORD)
    key, _cert, _cas = pkcs12.load_key_and_certificates(p12, PASSWORD.encode())
    request = signing_pdf.SignRequest(
        role=m.SignerRole.CHAIR,
        signer_name="Nguyễn Văn Bí Thư",
        signer_title="T/M CHI BỘ – BÍ THƯ",
        signed_at=timezone.now(),
        first=True,
        reason="Ký biên bản",
        location="Hà Tĩnh",
    )
    prepared = token.prepare_external(
        minutes_pdf_bytes(minutes),
        certificate=cert.public_bytes(serialization.Encoding.DER),
        chain=(ca.certificate.public_bytes(serialization.Encoding.DER),),
        request=request,
    )
    value = key.sign(prepared.to_sign, ec.ECDSA(Prehashed(hashes.SHA256())))  # what the plugin returns
    signed = token.finish_external(prepared, signature_value=value)
    report = pdf_verify(data=signed, queryset=_visible())
    assert report.status == "prefix" and report.minutes == minutes
    assert len(report.signatures) == 1 and report.signatures[0].ok and report.signatures[0].certifying
    # A signature value over something else is refused by the verification.
    wrong = key.sign(b"something else", ec.ECDSA(hashes.SHA256()))
    bad = pdf_verify(data=token.finish_external(prepared, signature_value=wrong), queryset=_visible())
    assert not bad.signatures[0].valid


@pytest.mark.services
def test_signed_revisions_are_links_of_the_cell_hash_chain(signed_twice, settings):
    """Each signature is a sealed record: chained after the minutes, checked by verify_integrity."""
    import io
    from pathlib import Path

    from django.core.management import CommandError, call_command

    minutes, first, second = signed_twice
    links = list(m.SealedRecord.objects.filter(cell=minutes.cell).order_by("seq").values_list("kind", "object_id"))
    assert links[-2:] == [("signature", first.pk), ("signature", second.pk)]
    call_command("verify_integrity", stdout=io.StringIO())
    path = Path(settings.MEDIA_ROOT, second.pdf.name)
    path.write_bytes(path.read_bytes() + b"\n% changed on disk\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_integrity", stdout=out, stderr=io.StringIO())
    assert f"tệp {second.pdf.name} đã bị thay đổi" in out.getvalue()


def test_the_committee_gets_the_signed_copy_once_both_have_signed(ca, minutes, secretary, committee, mailoutbox):
    from meetings.services.notifications import notifications_send_due
    from meetings.services.reports import report_submit

    committee.email = "vanphong@dangbo.example.vn"
    committee.save(update_fields=["email"])
    report_submit(minutes=minutes)
    clerk_user = minutes.meeting.clerk.user
    _upload(ca, secretary.user, "Nguyen Van Bi Thu")
    _upload(ca, clerk_user, "Thu Ky")
    signed_mail = m.Notification.objects.filter(kind=m.NotificationKind.REPORT, key__contains=":signed")
    minutes_sign(minutes=minutes, user=secretary.user, role=m.SignerRole.CHAIR, password=PASSWORD)
    assert not signed_mail.exists()  # one signature is not the signed minutes yet
    second = minutes_sign(minutes=minutes, user=clerk_user, role=m.SignerRole.CLERK, password=PASSWORD)
    row = signed_mail.get()
    assert row.recipient_email == "vanphong@dangbo.example.vn"
    mailoutbox.clear()
    notifications_send_due(enqueue_tasks=False)
    [msg] = [x for x in mailoutbox if "<vanphong@dangbo.example.vn>" in x.to[0]]
    assert msg.subject.startswith("Biên bản đã ký số – Báo cáo sinh hoạt chuyên đề")
    assert second.pdf_sha256 in msg.body and "chủ trì và thư ký ký số" in msg.body
    attached = {name: data for name, data, _ in msg.attachments}
    pdf_bytes = attached[f"bien-ban-{minutes.number:02d}-{minutes.year}.pdf"]
    assert hashlib.sha256(pdf_bytes).hexdigest() == second.pdf_sha256
