"""The committee reviews a report with the facts on the page: attendance, duration, grade,
warnings and the sealed minutes inline, beside accept / return."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Report, ReportStatus
from meetings.services import meetings as svc
from tests import factories as f
from tests.dashboard_tree import finalized_meeting
from tests.services.test_meetings import _yesterday_in_this_quarter  # noqa: F401 - autouse: a held meeting in this quarter
from tests.services.test_recorded_grade import FOUR_REASONS, counter_example, date  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cell, secretary, date):  # noqa: F811 - the imported fixture
    """A demo-like meeting finalised through the services: 3 of 4 present, one absent without
    reason, 105 minutes, self-assessed Tốt 100/100, recorded Khá for four reasons."""
    minutes = svc.meeting_finalize(meeting=counter_example(cell, secretary, date), actor=secretary.user)
    return Report.objects.get(minutes=minutes)


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_report_page_shows_attendance_duration_grade_and_minutes_inline(client, report, committee):
    client.force_login(f.StaffUserFactory(committee=committee))
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    facts = html.split("data-facts", 1)[1].split("Các phiên bản", 1)[0]
    assert "<strong>3/4</strong> đồng chí có mặt (75,0%)" in facts
    absent = report.minutes.snapshot["absentees"][0]["name"]
    assert f'data-fact="unexcused">1: {absent}<' in facts
    start, end = report.minutes.snapshot["start"], report.minutes.snapshot["end"]
    assert f"{start}–{end} (105 phút)" in facts
    assert "Ghi nhận: <strong>Khá</strong>" in facts
    assert "Chi bộ tự đánh giá: 100/100 điểm, loại Tốt" in facts
    for reason in FOUR_REASONS:
        assert reason in facts
    # The sealed minutes are readable on the page, and the PDF link stays.
    inline = html.split('id="noi-dung-bien-ban"', 1)[1]
    assert "Nội dung biên bản đã khóa" in inline
    assert "Ý kiến phát biểu, thảo luận (1 lượt)" in inline and "Ý kiến" in inline
    assert "Đánh giá chất lượng buổi sinh hoạt" in inline
    assert reverse("minutes:pdf", args=[report.minutes_id]) in html


def test_report_page_lists_the_warnings_stored_with_the_minutes(client, report, committee):
    assert report.minutes.warnings  # the notice went out 20 hours before the meeting
    client.force_login(f.StaffUserFactory(committee=committee))
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    facts = html.split("data-facts", 1)[1].split("Các phiên bản", 1)[0]
    assert f"Cảnh báo lưu cùng biên bản ({len(report.minutes.warnings)})" in facts
    for warning in report.minutes.warnings:
        assert warning in facts


def test_return_asks_for_a_comment_and_confirms_what_will_happen(client, report, committee, cell):
    client.force_login(f.StaffUserFactory(committee=committee))
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    form = html.split("data-review", 1)[1].split("</form>", 1)[0]
    assert 'name="comment" id="id_comment" rows="4" maxlength="5000" required' in form
    # The return button is checked by the browser (comment required) before the question;
    # accepting needs no comment.
    assert 'value="accept" formnovalidate data-confirm-submit="Chấp nhận báo cáo của' in form
    assert (
        f'value="return" data-confirm-submit="Trả lại báo cáo cho {cell.name}? Chi bộ sẽ nhận thông báo'
        " kèm ý kiến của đồng chí và phải gửi bản bổ sung." in form
    )
    assert "js/report_review.js" in html

    response = client.post(
        reverse("reports:review", args=[report.pk]), {"action": "return", "comment": "Bổ sung lý do vắng"}, follow=True
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert f"{cell.name} được thông báo kèm ý kiến và phải gửi bản bổ sung" in response.content.decode()


def test_report_page_queries_do_not_grow_with_the_minutes(client, report, committee, django_assert_num_queries):
    """The facts and the inline minutes come from the sealed snapshot of the report's minutes."""
    client.force_login(f.StaffUserFactory(committee=committee))
    url = reverse("reports:detail", args=[report.pk])
    client.get(url)  # the first request after a login also records the session
    full, _ = _get(client, url)
    # A second report with an empty snapshot (minutes sealed long ago): same number of queries.
    other = f.CellFactory(parent=committee)
    bare = Report.objects.get(minutes__meeting=finalized_meeting(other, report=True))
    bare_count, bare_html = _get(client, reverse("reports:detail", args=[bare.pk]))
    assert full == bare_count
    assert "Không ghi giờ bắt đầu, kết thúc" in bare_html
    # The same 7 as before the facts were added (they read the snapshot already loaded), plus
    # the committee's exemplary mark on the topic (issue 17).
    with django_assert_num_queries(8):
        client.get(url)


def test_committee_not_above_the_cell_gets_404_and_cannot_review(client, report):
    elsewhere = f.CommitteeFactory(name="Đảng ủy khác")
    client.force_login(f.StaffUserFactory(committee=elsewhere))
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    response = client.post(reverse("reports:review", args=[report.pk]), {"action": "return", "comment": "x"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED
