"""The documents as a party office issues them (HD 36): drafts say DỰ THẢO and carry no
number, issued documents carry their number and never a blank, the right people sign, the
bodies are named as committees, and what cannot be printed is left out."""

import datetime
import re

import pytest
from django.utils import timezone

from meetings import models as m
from meetings.documents import (
    render_addendum_pdf,
    render_attendance_sheet_pdf,
    render_minutes_pdf,
    render_notice_pdf,
    render_plan_pdf,
    render_topic_pdf,
)
from meetings.services.minutes import minutes_create
from tests import factories as f
from tests.documents import pdfutil
from tests.documents.builders import TZ, recorded_meeting

pytestmark = pytest.mark.django_db

SENT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
NUMBER_LINE = re.compile(r"^Số\b.*$", re.MULTILINE)


def first_page(data: bytes) -> str:
    return pdfutil.page_texts(data)[0]


def number_lines(data: bytes) -> list[str]:
    return [pdfutil.flat(line) for line in NUMBER_LINE.findall(first_page(data))]


def assert_draft(data: bytes, suffix: str | None):
    flat = pdfutil.flat(pdfutil.text(data))
    assert "DỰ THẢO" in flat
    lines = number_lines(data)
    if suffix:
        # The number line is kept with its digits left empty, as on a paper draft.
        assert lines == [f"Số -{suffix}"], lines
    else:
        assert lines == []
    assert "……" in flat  # the date line waits for the day and month: "ngày …… tháng …… năm"


def assert_issued(data: bytes, number: str | None):
    flat = pdfutil.flat(pdfutil.text(data))
    assert "DỰ THẢO" not in flat
    assert "……" not in flat and "…… " not in flat
    assert number_lines(data) == ([f"Số {number}"] if number else [])


@pytest.fixture
def meeting(cell, secretary):
    return recorded_meeting(cell, secretary=secretary, n_members=6, n_speeches=2)


def send(meeting, number=5):
    meeting.notice_sent_at = SENT
    meeting.notice_number = number
    meeting.save()
    return meeting


# --- Notice ---------------------------------------------------------------------------------


def test_notice_before_it_is_sent_is_a_draft_without_number(meeting):
    data = render_notice_pdf(meeting)
    assert_draft(data, "TB/CB")
    assert not re.search(r"Số \d", pdfutil.text(data))


def test_sent_notice_has_its_number_and_the_date_it_was_sent(meeting):
    data = render_notice_pdf(send(meeting))
    assert_issued(data, "05-TB/CB")
    flat = pdfutil.flat(pdfutil.text(data))
    assert "Hà Tĩnh, ngày 02 tháng 3 năm 2026" in flat
    assert "về việc tổ chức sinh hoạt chuyên đề quý I năm 2026" in flat
    assert "Vào lúc 08 giờ 00 phút, thứ ba, ngày 17 tháng 3 năm 2026" in flat


def test_notice_is_signed_for_the_cell_by_the_secretary_even_when_a_member_chairs(meeting, secretary):
    chair = m.Member.objects.filter(cell=meeting.cell, position=m.Position.MEMBER).first()
    meeting.chair = chair
    meeting.save()
    flat = pdfutil.flat(pdfutil.text(render_notice_pdf(send(meeting))))
    assert "T/M CHI BỘ BÍ THƯ" in flat
    assert flat.index("T/M CHI BỘ") < flat.rindex(secretary.full_name)
    assert f"Đồng chí {chair.full_name}, đảng viên" in flat  # who chairs is stated in the body
    assert "CHỦ TRÌ" not in flat


def test_deputy_signs_the_notice_when_the_cell_has_no_secretary(cell):
    deputy = f.MemberFactory(cell=cell, full_name="Phạm Văn Phó", position=m.Position.DEPUTY)
    mt = f.MeetingFactory(cell=cell, scheduled_date=datetime.date(2026, 5, 5), place="Phòng họp")
    flat = pdfutil.flat(pdfutil.text(render_notice_pdf(mt)))
    assert "T/M CHI BỘ PHÓ BÍ THƯ" in flat
    assert deputy.full_name in flat


def test_notice_recipients_follow_hd36_and_name_the_standing_committee(meeting):
    flat = pdfutil.flat(pdfutil.text(render_notice_pdf(send(meeting))))
    assert (
        "Nơi nhận: - Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (để báo cáo), "
        "- Các đồng chí đảng viên trong chi bộ, - Lưu chi bộ."
    ) in flat.replace("T/M CHI BỘ BÍ THƯ ", "")
    assert "Kính gửi đồng chí" not in flat


def test_recipients_use_the_committees_own_name_when_stored(meeting, committee):
    committee.standing_committee_name = "Ban Thường vụ Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh"
    committee.save()
    meeting.cell.refresh_from_db()
    flat = pdfutil.flat(pdfutil.text(render_notice_pdf(send(meeting))))
    assert "- Ban Thường vụ Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh (để báo cáo)," in flat


def test_issued_notice_without_a_place_shows_no_blank(meeting):
    meeting.place = ""
    meeting.save()
    assert_issued(render_notice_pdf(send(meeting)), "05-TB/CB")


# --- Attendance sheet -------------------------------------------------------------------------


def test_attendance_sheet_is_dated_the_meeting_day(meeting):
    data = render_attendance_sheet_pdf(send(meeting))
    assert_issued(data, None)
    flat = pdfutil.flat(pdfutil.text(data))
    assert "Hà Tĩnh, ngày 17 tháng 3 năm 2026" in flat
    assert "THƯ KÝ" in flat and "T/M CHI BỘ BÍ THƯ" in flat


def test_attendance_sheet_before_the_notice_is_a_draft(meeting):
    assert_draft(render_attendance_sheet_pdf(meeting), None)


def test_attendance_sheet_chaired_by_a_member_is_signed_chu_tri_without_tm(meeting):
    chair = m.Member.objects.filter(cell=meeting.cell, position=m.Position.MEMBER).exclude(pk=meeting.clerk_id).first()
    meeting.chair = chair
    meeting.save()
    flat = pdfutil.flat(pdfutil.text(render_attendance_sheet_pdf(send(meeting))))
    assert "CHỦ TRÌ" in flat and "T/M CHI BỘ" not in flat
    assert chair.full_name in flat


# --- Plan -----------------------------------------------------------------------------------


@pytest.fixture
def plan(cell, secretary):
    plan = f.PlanFactory(cell=cell, year=2026)
    topic = f.TopicFactory(cell=cell, year=2026, title="Học tập và làm theo Bác")
    f.MeetingFactory(cell=cell, plan=plan, topic=topic, year=2026, quarter=4, planned_month=11)
    return plan


def test_plan_not_submitted_is_a_draft_without_number(plan):
    data = render_plan_pdf(plan)
    assert_draft(data, "KH/CB")
    assert "Quý IV" in pdfutil.flat(pdfutil.text(data))


def test_submitted_plan_has_its_number_and_signature(plan):
    plan.status = m.PlanStatus.SUBMITTED
    plan.submitted_at = datetime.datetime(2026, 1, 9, 10, 0, tzinfo=TZ)
    plan.number = 1
    plan.save()
    data = render_plan_pdf(plan)
    assert_issued(data, "01-KH/CB")
    flat = pdfutil.flat(pdfutil.text(data))
    assert "Hà Tĩnh, ngày 09 tháng 01 năm 2026" in flat
    assert "T/M CHI BỘ BÍ THƯ" in flat and "Nguyễn Văn Bí Thư" in flat
    assert "- Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (để báo cáo)," in flat


# --- Topic ----------------------------------------------------------------------------------


def test_topic_before_its_lead_paper_is_approved_is_a_draft(meeting):
    assert_draft(render_topic_pdf(meeting.topic), None)


def test_topic_with_approved_lead_paper_is_issued_without_blanks(meeting):
    topic = meeting.topic
    topic.lead_paper_status = "approved"
    topic.lead_approved_at = datetime.datetime(2026, 3, 3, 15, 0, tzinfo=TZ)
    topic.description = ""  # nothing typed: the section is left out, not dotted
    topic.save()
    data = render_topic_pdf(topic)
    assert_issued(data, None)
    flat = pdfutil.flat(pdfutil.text(data))
    assert "Hà Tĩnh, ngày 03 tháng 3 năm 2026" in flat
    assert "I. NỘI DUNG ĐỀ DẪN" in flat and "MỤC ĐÍCH, YÊU CẦU" not in flat


# --- Minutes --------------------------------------------------------------------------------


def test_minutes_have_their_number_header_sizes_and_lower_case_summary(meeting, secretary):
    minutes = minutes_create(meeting=meeting, actor=secretary.user)
    data = render_minutes_pdf(minutes)
    assert_issued(data, "01-BB/CB")
    runs = pdfutil.runs_by_font(data, 0)
    assert any(font.endswith("Tinos-Bold") and "sinh hoạt chuyên đề quý I năm 2026" in t for font, t in runs)
    flat = pdfutil.flat(pdfutil.text(data))
    assert "T/M CHI BỘ BÍ THƯ" in flat and "THƯ KÝ" in flat


def test_minutes_chaired_by_a_plain_member_are_signed_chu_tri(cell, secretary):
    meeting = recorded_meeting(cell, secretary=secretary, n_members=6, n_speeches=1)
    chair = m.Member.objects.filter(cell=cell, position=m.Position.MEMBER).exclude(pk=meeting.clerk_id).first()
    meeting.chair = chair
    meeting.save()
    minutes = minutes_create(meeting=meeting, actor=None)
    flat = pdfutil.flat(pdfutil.text(render_minutes_pdf(minutes)))
    assert "T/M CHI BỘ" not in flat
    assert "CHỦ TRÌ" in flat and "THƯ KÝ" in flat
    assert f"Đồng chí {chair.full_name}, chủ trì buổi sinh hoạt, kết luận" in flat


def test_old_minutes_render_with_the_rule_applied_to_the_frozen_chair(meeting, secretary):
    minutes = minutes_create(meeting=meeting, actor=secretary.user)
    snapshot = dict(minutes.snapshot)
    # Frozen before positions were kept, under the old rule ("BÍ THƯ" for any chair).
    snapshot["chair"] = {"name": "Lê Văn Ủy Viên", "position_label": "Chi ủy viên"}
    snapshot["signature_title"] = "BÍ THƯ"
    minutes.snapshot = snapshot  # in memory only: sealed rows are never updated
    flat = pdfutil.flat(pdfutil.text(render_minutes_pdf(minutes)))
    assert "T/M CHI BỘ" not in flat and "CHỦ TRÌ" in flat
    assert "Chủ trì: đồng chí Lê Văn Ủy Viên, Chi ủy viên." in flat


def test_minutes_with_empty_texts_show_no_blank_and_list_the_programme(meeting, secretary):
    meeting.purpose = ""
    meeting.author_response = ""
    meeting.programme = "- Khai mạc\n- Trình bày đề dẫn\n\n- Thảo luận, kết luận"
    meeting.save()
    minutes = minutes_create(meeting=meeting, actor=secretary.user)
    data = render_minutes_pdf(minutes)
    assert_issued(data, "01-BB/CB")
    txt = pdfutil.text(data)
    lines = [line.strip() for line in txt.splitlines()]
    assert {"- Khai mạc", "- Trình bày đề dẫn", "- Thảo luận, kết luận"} <= set(lines)
    flat = pdfutil.flat(txt)
    assert "Đồng chí Nguyễn Văn Bí Thư nêu mục đích, yêu cầu của buổi sinh hoạt." in flat
    assert "tiếp thu, giải trình các ý kiến phát biểu." in flat


def test_addendum_signs_like_its_minutes_and_keeps_the_number(meeting, secretary):
    minutes = minutes_create(meeting=meeting, actor=secretary.user)
    addendum = m.MinutesAddendum(minutes=minutes, version=1, text="Đính chính mục III.3.")
    data = render_addendum_pdf(addendum)
    flat = pdfutil.flat(pdfutil.text(data))
    assert "DỰ THẢO" not in flat and "……" not in flat
    assert "Kèm theo Biên bản số 01-BB/CB" in flat
    assert "PHỤ LỤC ĐÍNH CHÍNH BIÊN BẢN lần 1 – Biên bản số 01-BB/CB ngày 17 tháng 3 năm 2026" in flat
    assert "T/M CHI BỘ BÍ THƯ" in flat and "THƯ KÝ" in flat


def test_verification_line_is_on_the_page_of_the_signatures(cell, secretary):
    from meetings.documents.minutes import layout_minutes

    meeting = recorded_meeting(cell, secretary=secretary, n_members=8, n_speeches=1)
    minutes = minutes_create(meeting=meeting, actor=None)
    base = dict(minutes.snapshot)
    for n in range(14, 30, 2):
        minutes.snapshot = {
            **base,
            "speeches": [
                {"position": i + 1, "speaker": "Nguyễn Văn An", "content": "Thống nhất.", "contribution": ""}
                for i in range(n)
            ],
        }
        pages = layout_minutes(minutes).pages
        classes = [
            {
                (b.element.get("class") or "")
                for b in page._page_box.descendants()
                if getattr(b, "element", None) is not None
            }
            for page in pages
        ]
        sig = [i for i, c in enumerate(classes) if "signatures" in c]
        code = [i for i, c in enumerate(classes) if "vcode-box" in c]
        assert sig == code, f"{n} speeches: signatures on {sig}, code line on {code}"


# --- Text that cannot be printed ------------------------------------------------------------


def test_controls_and_emoji_are_removed_from_the_pdf_and_vietnamese_survives(meeting):
    topic = meeting.topic
    topic.title = "Tự soi\u202e, tự sửa 🎉 “đúng” – đủ… 👍🏽"
    topic.save()
    data = render_notice_pdf(send(meeting))
    txt = pdfutil.text(data)
    for bad in ("\u202e", "🎉", "👍", "\U0001f3fd"):
        assert bad not in txt
    assert "“Tự soi, tự sửa “đúng” – đủ…" in pdfutil.flat(txt)
    fonts = pdfutil.embedded_fonts(data)
    assert all("Tinos" in name for name in fonts), fonts


def test_every_issued_document_prints_no_blank_anywhere(meeting, secretary, plan):
    send(meeting)
    topic = meeting.topic
    topic.lead_paper_status = "approved"
    topic.save()
    plan.status = m.PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.number = 2
    plan.save()
    minutes = minutes_create(meeting=meeting, actor=secretary.user)
    for data in (
        render_notice_pdf(meeting),
        render_attendance_sheet_pdf(meeting),
        render_topic_pdf(topic),
        render_plan_pdf(plan),
        render_minutes_pdf(minutes),
    ):
        flat = pdfutil.flat(pdfutil.text(data))
        assert "……" not in flat and "DỰ THẢO" not in flat


def test_a_numbered_programme_keeps_its_numbers_without_a_dash(meeting, secretary):
    meeting.programme = "1. Khai mạc\n2. Trình bày đề dẫn\n3. Thảo luận"
    meeting.save()
    minutes = minutes_create(meeting=meeting, actor=secretary.user)
    lines = [line.strip() for line in pdfutil.text(render_minutes_pdf(minutes)).splitlines()]
    assert {"1. Khai mạc", "2. Trình bày đề dẫn", "3. Thảo luận"} <= set(lines)
    assert not any(line.startswith("- 1.") for line in lines)
