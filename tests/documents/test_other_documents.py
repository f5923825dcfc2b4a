import datetime

import pytest

from meetings import models as m
from meetings.documents import render_attendance_sheet_pdf, render_notice_pdf, render_plan_pdf, render_topic_pdf
from tests import factories as f
from tests.documents import pdfutil
from tests.documents.builders import recorded_meeting

pytestmark = pytest.mark.django_db


def assert_header(txt: str, cell_name="CHI BỘ VĂN PHÒNG"):
    lines = [line.strip() for line in txt.splitlines()]
    assert "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH" in pdfutil.flat(txt)
    assert cell_name in lines
    assert "*" in lines
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in lines


def assert_tinos_embedded(data: bytes):
    fonts = pdfutil.embedded_fonts(data)
    assert fonts and all("Tinos" in name for name in fonts) and all(fonts.values()), fonts


@pytest.fixture
def meeting(cell, secretary):
    mt = recorded_meeting(cell, secretary=secretary, n_members=6, n_speeches=1)
    f.ContributionFactory(
        topic=mt.topic, member=mt.clerk, subject="Liên hệ trách nhiệm của bản thân", due_on=datetime.date(2026, 3, 10)
    )
    return mt


def test_notice_has_time_place_topic_and_assignments(meeting):
    data = render_notice_pdf(meeting)
    txt = pdfutil.text(data)
    assert_header(txt)
    flat = pdfutil.flat(txt)
    assert "THÔNG BÁO" in flat
    assert "Vào lúc 08 giờ 00 phút, thứ ba, ngày 17 tháng 3 năm 2026" in flat
    assert "Hội trường tầng 2, trụ sở cơ quan" in flat
    assert "“Tự soi, tự sửa”" in flat
    assert "Đề dẫn chuyên đề: đồng chí Trần Thị Bình" in flat
    assert (
        "Tham luận “Liên hệ trách nhiệm của bản thân”: đồng chí Nguyễn Văn An "
        "(hoàn thành trước ngày 10 tháng 3 năm 2026)"
    ) in flat
    assert "Nơi nhận:" in flat and "T/M CHI BỘ" in flat and "Nguyễn Văn Bí Thư" in flat
    assert_tinos_embedded(data)


def test_attendance_sheet_lists_members_by_given_name(meeting, cell):
    data = render_attendance_sheet_pdf(meeting)
    flat = pdfutil.flat(pdfutil.text(data))
    assert "DANH SÁCH" in flat
    names = list(m.Attendance.objects.filter(meeting=meeting).values_list("member__full_name", flat=True))
    positions = {name: flat.index(name) for name in names}
    ordered = sorted(names, key=lambda n: positions[n])
    # Given names in Vietnamese alphabetical order (d before đ).
    assert [n.split()[-1] for n in ordered] == ["An", "Bình", "Cường", "Dung", "Đức", "Thư"]
    assert "Ký tên" in flat
    assert "Cao Văn Miễn (miễn sinh hoạt)" in flat  # exempt: listed as not expected
    assert_tinos_embedded(data)


def test_attendance_sheet_before_the_meeting_uses_expected_members(cell, secretary):
    f.MemberFactory(cell=cell, full_name="Lê Thị Vân")
    f.MemberFactory(cell=cell, full_name="Lê Văn Chuyển", status=m.MemberStatus.MOVED_OUT)
    mt = f.MeetingFactory(cell=cell, scheduled_date=datetime.date(2026, 5, 5))
    flat = pdfutil.flat(pdfutil.text(render_attendance_sheet_pdf(mt)))
    assert "Lê Thị Vân" in flat and "Nguyễn Văn Bí Thư" in flat
    assert "Lê Văn Chuyển" not in flat
    assert "Tổng số đảng viên phải dự: 2 đồng chí" in flat


def test_topic_document_has_lead_paper_and_contributions(meeting):
    topic = meeting.topic
    topic.description = "Nâng cao ý thức tự soi, tự sửa của mỗi đảng viên."
    topic.lead_paper_text = "Phần một: thực trạng.\n\nPhần hai: giải pháp."
    topic.save()
    data = render_topic_pdf(topic)
    txt = pdfutil.text(data)
    assert_header(txt)
    flat = pdfutil.flat(txt)
    assert "ĐỀ DẪN" in flat and "“Tự soi, tự sửa”" in flat
    assert "Người chuẩn bị đề dẫn: đồng chí Trần Thị Bình" in flat
    assert "Phần một: thực trạng." in flat and "Phần hai: giải pháp." in flat
    assert "Liên hệ trách nhiệm của bản thân" in flat
    assert_tinos_embedded(data)


def test_plan_lists_meetings_by_quarter_and_table_rows_are_never_split(cell, secretary):
    plan = f.PlanFactory(cell=cell, year=2026)
    titles = []
    for i in range(14):
        title = (
            f"Chuyên đề số {i + 1}: nâng cao chất lượng sinh hoạt chi bộ, "
            "gắn với nhiệm vụ chính trị của cơ quan và trách nhiệm nêu gương của đảng viên"
        )
        titles.append(title)
        topic = f.TopicFactory(cell=cell, year=2026, title=title)
        f.MeetingFactory(cell=cell, plan=plan, topic=topic, year=2026, quarter=i % 4 + 1, planned_month=(i % 4) * 3 + 1)
    data = render_plan_pdf(plan)
    raw_pages = pdfutil.page_texts(data)
    pages = [pdfutil.flat(p) for p in raw_pages]
    assert len(pages) >= 2
    assert_header(raw_pages[0])
    assert "KẾ HOẠCH" in pages[0] and "sinh hoạt chuyên đề năm 2026" in pages[0]
    for title in titles:
        # A row split over two pages would cut its title in two.
        assert any(title in page for page in pages), title
    assert "T/M CHI BỘ" in pages[-1]
    assert_tinos_embedded(data)
