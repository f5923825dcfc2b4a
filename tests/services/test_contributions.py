import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.services.contributions import contribution_submit
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def assignment(member):
    topic = f.TopicFactory(cell=member.cell)
    f.MeetingFactory(cell=member.cell, topic=topic, stage="noticed")
    return f.ContributionFactory(topic=topic, member=member, subject="Liên hệ bản thân")


def test_member_submits_text_and_pdf(assignment, member):
    upload = SimpleUploadedFile("../../tham luận của tôi.pdf", PDF, content_type="application/pdf")
    done = contribution_submit(contribution=assignment, actor=member.user, text="Nhận thức của tôi", file=upload)
    assert done.submitted_at is not None and done.submitted_by == member.user
    assert done.text == "Nhận thức của tôi"
    assert done.file.name.endswith(".pdf")
    assert "tham" not in done.file.name and ".." not in done.file.name  # never the user's name


def test_replacing_stores_the_new_file_and_text(assignment, member):
    first = contribution_submit(contribution=assignment, actor=member.user, file=SimpleUploadedFile("a.pdf", PDF))
    second = contribution_submit(
        contribution=first, actor=member.user, text="Bản sửa", file=SimpleUploadedFile("b.pdf", PDF)
    )
    assert second.file.name != first.file.name
    assert second.text == "Bản sửa"


def test_file_that_is_not_pdf_or_docx_is_refused_in_vietnamese(assignment, member):
    fake = SimpleUploadedFile("bai.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as err:
        contribution_submit(contribution=assignment, actor=member.user, file=fake)
    assert "định dạng" in " ".join(err.value.messages)
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_too_large_file_is_refused(assignment, member, settings):
    settings.CHIBO = {**settings.CHIBO, "UPLOAD_MAX_BYTES": 100}
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 200)
    with pytest.raises(ValidationError) as err:
        contribution_submit(contribution=assignment, actor=member.user, file=big)
    assert "quá lớn" in " ".join(err.value.messages)


def test_empty_submission_is_refused(assignment, member):
    with pytest.raises(ValidationError):
        contribution_submit(contribution=assignment, actor=member.user, text="   ")


def test_another_member_cannot_submit(assignment, cell):
    other = f.MemberWithUserFactory(cell=cell)
    with pytest.raises(PermissionDenied):
        contribution_submit(contribution=assignment, actor=other.user, text="Không phải của tôi")


def test_secretary_may_submit_on_behalf(assignment, secretary):
    done = contribution_submit(contribution=assignment, actor=secretary.user, text="Nộp hộ")
    assert done.submitted_by == secretary.user


def test_no_submission_after_the_meeting_started(assignment, member):
    from meetings.models import Meeting

    Meeting.objects.filter(topic=assignment.topic).update(stage="in_progress")
    with pytest.raises(ValidationError):
        contribution_submit(contribution=assignment, actor=member.user, text="Muộn")


def test_docx_is_accepted_by_content(assignment, member):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("bai.docx", buffer.getvalue())
    done = contribution_submit(contribution=assignment, actor=member.user, file=upload)
    assert done.file.name.endswith(".docx")
