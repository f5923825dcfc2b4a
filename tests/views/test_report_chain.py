"""The committee keeps its own copy of the cell's hash chain (issue 18, item 4): each report
version shows, in small print, the SHA-256 of the file it sent and the chain head then, and the
report e-mail states both."""

import pytest
from django.core import mail
from django.urls import reverse

from meetings import models as m
from meetings.services.notifications import notifications_for_addendum, notifications_for_finalized
from tests import factories as f
from tests.services.test_ledger import sealed_addendum, sealed_minutes

pytestmark = [pytest.mark.django_db, pytest.mark.services]


@pytest.fixture
def reported(cell, committee):
    minutes = sealed_minutes(cell, number=1)
    addendum = sealed_addendum(minutes)
    return minutes, addendum


def test_committee_report_page_shows_each_versions_hash_and_chain_head(client, reported, committee):
    minutes, addendum = reported
    v1, v2 = m.Report.objects.filter(minutes=minutes).order_by("version")
    client.force_login(f.StaffUserFactory(committee=committee))
    page = client.get(reverse("reports:detail", args=[v2.pk])).content.decode()
    for report in (v1, v2):
        assert (
            f'Mã băm <span class="font-monospace">{report.document_sha256}</span> · Chuỗi số {report.chain_seq}: '
            f'<span class="font-monospace">{report.chain_head}</span>'
        ) in page
    assert v1.document_sha256 == minutes.pdf_sha256 and v2.document_sha256 == addendum.pdf_sha256
    assert (v1.chain_seq, v2.chain_seq) == (1, 2)


def test_a_report_sent_before_the_chain_shows_no_hash_line(client, cell, committee):
    minutes = sealed_minutes(cell, number=1, chain=False)
    report = m.Report.objects.create(minutes=minutes, committee=committee, version=1)
    client.force_login(f.StaffUserFactory(committee=committee))
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "data-chain" not in page


def test_report_email_states_the_hash_and_the_chain_head(reported, committee, django_capture_on_commit_callbacks):
    committee.email = "vanphong@dukhoi.example.vn"
    committee.save()
    minutes, addendum = reported
    v1, v2 = m.Report.objects.filter(minutes=minutes).order_by("version")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_for_finalized(meeting=minutes.meeting, minutes=minutes, report=v1)
        notifications_for_addendum(minutes=minutes, addendum=addendum, report=v2)
    first, second = sorted(
        (msg for msg in mail.outbox if "vanphong@dukhoi.example.vn" in msg.to[0]),
        key=lambda msg: "bổ sung" in msg.subject,
    )
    assert f"Mã băm SHA-256 của biên bản gửi kèm: {v1.document_sha256}." in first.body
    assert f"Chuỗi hồ sơ niêm phong của chi bộ: số 1, mã băm đầu chuỗi {v1.chain_head}." in first.body
    assert f"Mã băm SHA-256 của phụ lục gửi kèm: {v2.document_sha256}." in second.body
    assert f"số 2, mã băm đầu chuỗi {v2.chain_head}." in second.body
    html = second.alternatives[0][0]
    assert f"<code>{v2.chain_head}</code>" in html
