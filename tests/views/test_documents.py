import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.services.minutes import minutes_create, minutes_pdf_bytes
from tests import factories as f
from tests.documents.builders import recorded_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalized(cell, secretary):
    plan = f.PlanFactory(cell=cell, year=2026)
    meeting = recorded_meeting(cell, secretary=secretary, n_members=5, n_speeches=2)
    meeting.plan = plan
    meeting.save()
    minutes = minutes_create(meeting=meeting, actor=secretary.user)
    return meeting, minutes


def document_urls(meeting, minutes):
    return {
        "minutes": reverse("minutes:pdf", args=[minutes.pk]),
        "meeting_minutes": reverse("meetings:minutes_pdf", args=[meeting.pk]),
        "notice": reverse("meetings:notice_pdf", args=[meeting.pk]),
        "attendance": reverse("meetings:attendance_sheet_pdf", args=[meeting.pk]),
        "topic": reverse("topics:pdf", args=[meeting.topic_id]),
        "plan": reverse("plans:pdf", args=[meeting.plan_id]),
    }


def test_secretary_downloads_every_document_as_a_pdf_attachment(client, secretary, finalized):
    client.force_login(secretary.user)
    for name, url in document_urls(*finalized).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; filename=")
        assert disposition.isascii() and disposition.endswith('.pdf"'), disposition
        assert response.content.startswith(b"%PDF-"), name


def test_minutes_download_is_the_stored_file(client, secretary, finalized):
    _, minutes = finalized
    client.force_login(secretary.user)
    response = client.get(reverse("minutes:pdf", args=[minutes.pk]) + "?xem=1")
    assert response.content == minutes_pdf_bytes(minutes)
    assert response["Content-Disposition"] == 'inline; filename="bien-ban-01-BB-CB-2026-chi-bo-van-phong.pdf"'


def test_member_and_superior_committee_staff_may_read(client, member, staff, finalized):
    meeting, minutes = finalized
    for user in (member.user, staff):
        client.force_login(user)
        assert client.get(reverse("minutes:pdf", args=[minutes.pk])).status_code == 200
        assert client.get(reverse("meetings:notice_pdf", args=[meeting.pk])).status_code == 200


def test_secretary_of_other_cell_gets_404_on_every_document(client, other_secretary, finalized):
    client.force_login(other_secretary.user)
    for name, url in document_urls(*finalized).items():
        assert client.get(url).status_code == 404, name


def test_staff_of_an_unrelated_committee_gets_404(client, finalized):
    outsider = f.StaffUserFactory()
    client.force_login(outsider)
    for name, url in document_urls(*finalized).items():
        assert client.get(url).status_code == 404, name


def test_anonymous_user_is_sent_to_login(client, finalized):
    response = client.get(document_urls(*finalized)["minutes"])
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_tampered_stored_file_is_not_served(client, secretary, finalized):
    _, minutes = finalized
    with open(minutes.pdf.path, "ab") as fh:
        fh.write(b"\n% changed")
    client.force_login(secretary.user)
    response = client.get(reverse("minutes:pdf", args=[minutes.pk]))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert "không khớp" in response.content.decode()


def test_meeting_without_minutes_has_no_minutes_pdf(client, cell, secretary):
    meeting = recorded_meeting(cell, secretary=secretary, n_members=3, n_speeches=1)
    client.force_login(secretary.user)
    assert client.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).status_code == 404


class TestVerification:
    url = staticmethod(lambda: reverse("minutes:verify"))

    def post(self, client, **data):
        return client.post(self.url(), data)

    def test_page_renders(self, client, secretary):
        client.force_login(secretary.user)
        response = client.get(self.url())
        assert response.status_code == 200
        assert "Xác thực biên bản" in response.content.decode()

    def test_stored_pdf_matches(self, client, staff, finalized):
        _, minutes = finalized
        client.force_login(staff)
        upload = SimpleUploadedFile("bb.pdf", minutes_pdf_bytes(minutes), content_type="application/pdf")
        body = self.post(client, file=upload).content.decode()
        assert "Khớp với hồ sơ" in body
        assert "01-BB/CB" in body

    def test_changed_pdf_with_the_right_code_does_not_match(self, client, secretary, finalized):
        _, minutes = finalized
        client.force_login(secretary.user)
        changed = minutes_pdf_bytes(minutes) + b"\n% edited"
        upload = SimpleUploadedFile("bb.pdf", changed, content_type="application/pdf")
        body = self.post(client, code=minutes.verification_code.lower(), file=upload).content.decode()
        assert "Không khớp" in body

    def test_changed_pdf_without_code_is_unknown(self, client, secretary, finalized):
        _, minutes = finalized
        client.force_login(secretary.user)
        upload = SimpleUploadedFile("bb.pdf", minutes_pdf_bytes(minutes) + b"%x", content_type="application/pdf")
        assert "Không tìm thấy biên bản nào trùng với tệp này" in self.post(client, file=upload).content.decode()

    def test_code_alone_identifies_the_minutes(self, client, secretary, finalized):
        _, minutes = finalized
        client.force_login(secretary.user)
        body = self.post(client, code=minutes.verification_code.replace("-", "")).content.decode()
        assert "Mã xác thực hợp lệ" in body

    def test_other_cell_cannot_look_up_the_code_or_the_file(self, client, other_secretary, finalized):
        _, minutes = finalized
        client.force_login(other_secretary.user)
        body = self.post(client, code=minutes.verification_code).content.decode()
        assert "Không tìm thấy biên bản có mã" in body
        assert "01-BB/CB" not in body
        upload = SimpleUploadedFile("bb.pdf", minutes_pdf_bytes(minutes), content_type="application/pdf")
        assert "Không tìm thấy biên bản nào" in self.post(client, file=upload).content.decode()

    def test_non_pdf_upload_is_rejected_with_a_message(self, client, secretary, finalized):
        client.force_login(secretary.user)
        upload = SimpleUploadedFile("bb.pdf", b"not a pdf", content_type="application/pdf")
        response = self.post(client, code="ABCD-EFGH", file=upload)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Tệp không đúng định dạng" in body
        assert 'value="ABCD-EFGH"' in body  # what was typed is kept

    def test_empty_form_asks_for_code_or_file(self, client, secretary):
        client.force_login(secretary.user)
        assert "Hãy nhập mã xác thực hoặc chọn tệp" in self.post(client).content.decode()

    def test_requires_login(self, client):
        assert client.get(self.url()).status_code == 302
