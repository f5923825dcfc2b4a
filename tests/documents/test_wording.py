"""The small wording helpers of the documents: names in the header, dates, quarters, signers,
and what text may reach a PDF."""

import datetime

import pytest

from meetings.documents.base import (
    header_name,
    long_date,
    name_groups,
    printable,
    roman,
    signature,
    snapshot_position,
    weekday,
)
from meetings.documents.minutes import minutes_signature, programme_items

# --- Names wrap only between word groups -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "groups"),
    [
        ("Chi bộ Văn phòng", ["CHI BỘ VĂN PHÒNG"]),
        ("Đảng ủy Khối các cơ quan tỉnh", ["ĐẢNG ỦY", "KHỐI", "CÁC CƠ QUAN TỈNH"]),
        (
            "Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
            ["CHI BỘ", "CƠ QUAN", "ỦY BAN", "MẶT TRẬN TỔ QUỐC", "VIỆT NAM TỈNH"],
        ),
        (
            "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh",
            ["ĐẢNG BỘ", "KHỐI", "CÁC CƠ QUAN", "VÀ DOANH NGHIỆP", "TỈNH HÀ TĨNH"],
        ),
        ("Chi bộ Sở Giáo dục và Đào tạo", ["CHI BỘ", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"]),
        ("Chi bộ Tổ dân phố số 5 phường Trần Phú", ["CHI BỘ", "TỔ DÂN PHỐ SỐ 5", "PHƯỜNG TRẦN PHÚ"]),
        ("Chi bộ Phòng Tài chính - Kế hoạch huyện Can Lộc", ["CHI BỘ", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "HUYỆN CAN LỘC"]),
        ("Đảng ủy xã Thạch Hạ", ["ĐẢNG ỦY", "XÃ THẠCH HẠ"]),
        ("Chi bộ Ban Tuyên giáo Tỉnh ủy", ["CHI BỘ", "BAN TUYÊN GIÁO", "TỈNH ỦY"]),
    ],
)
def test_names_are_cut_only_before_the_head_of_a_group(name, groups):
    assert name_groups(name) == groups


def test_a_word_group_is_never_cut_inside():
    for name in ("Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Đảng bộ Khối các cơ quan tỉnh"):
        cut = name_groups(name)
        for pair in ("MẶT TRẬN", "ỦY BAN", "CƠ QUAN", "CHI BỘ", "ĐẢNG BỘ", "TỔ QUỐC", "VIỆT NAM"):
            if pair in name.upper():
                assert any(pair in group for group in cut), (pair, cut)


def test_a_head_that_ends_the_name_stays_with_what_it_qualifies():
    # "… các cơ quan tỉnh": provincial agencies, not a new group "TỈNH".
    assert name_groups("Đảng ủy Khối các cơ quan tỉnh")[-1] == "CÁC CƠ QUAN TỈNH"


def test_header_name_keeps_each_group_on_one_line():
    html = header_name("Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc")
    assert '<span class="nobr">MẶT TRẬN TỔ QUỐC</span>' in html
    assert '<span class="nobr">ỦY BAN</span>' in html
    assert header_name("Chi bộ <b>x</b>").count("<b>") == 0  # escaped


# --- Dates and quarters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2026, 8, 3), "ngày 03 tháng 8 năm 2026"),
        (datetime.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (datetime.date(2026, 1, 31), "ngày 31 tháng 01 năm 2026"),
        (datetime.date(2026, 11, 12), "ngày 12 tháng 11 năm 2026"),
        (datetime.date(2026, 3, 10), "ngày 10 tháng 3 năm 2026"),
    ],
)
def test_long_date_pads_days_under_ten_and_months_one_and_two(day, text):
    assert long_date(day) == text


def test_weekday_is_lower_case_inside_a_sentence():
    assert weekday(datetime.date(2026, 8, 5)) == "thứ tư"
    assert weekday(datetime.date(2026, 8, 9)) == "chủ nhật"


def test_quarters_are_roman():
    assert [roman(q) for q in (1, 2, 3, 4)] == ["I", "II", "III", "IV"]


# --- Who signs ------------------------------------------------------------------------------


def test_on_behalf_of_the_cell_only_above_secretary_or_deputy():
    assert signature("secretary") == {"on_behalf": "T/M CHI BỘ", "title": "BÍ THƯ", "name": ""}
    assert signature("deputy")["title"] == "PHÓ BÍ THƯ"
    for position in ("committee", "member", "", None):
        assert signature(position) == {"on_behalf": "", "title": "CHỦ TRÌ", "name": ""}


def test_old_snapshots_sign_by_the_chairs_frozen_position():
    # Sealed under the old rule: a committee member chair got "BÍ THƯ".
    old = {"chair": {"name": "Lê Văn Ủy Viên", "position_label": "Chi ủy viên"}, "signature_title": "BÍ THƯ"}
    assert minutes_signature(old) == {"on_behalf": "", "title": "CHỦ TRÌ", "name": "Lê Văn Ủy Viên"}
    deputy = {"chair": {"name": "Phạm Văn Phó", "position_label": "Phó bí thư"}, "signature_title": "PHÓ BÍ THƯ"}
    assert minutes_signature(deputy)["title"] == "PHÓ BÍ THƯ"
    # No position frozen at all: the title it was sealed with.
    bare = {"chair": {"name": "Nguyễn Văn Bí Thư"}, "signature_title": "BÍ THƯ"}
    assert minutes_signature(bare) == {"on_behalf": "T/M CHI BỘ", "title": "BÍ THƯ", "name": "Nguyễn Văn Bí Thư"}
    assert snapshot_position({"position": "member", "position_label": "Bí thư"}) == "member"


# --- Programme ------------------------------------------------------------------------------


def test_programme_gives_one_item_per_line_without_typed_bullets():
    text = "- Khai mạc\n\n• Trình bày đề dẫn\n  Thảo luận  \r\n– Kết luận"
    assert programme_items(text) == ["Khai mạc", "Trình bày đề dẫn", "Thảo luận", "Kết luận"]
    assert programme_items("") == []


# --- What reaches a PDF -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["\u202e", "\u200e", "\u200f", "\u2066", "\u2069", "\x00", "\x1b", "\x85", "🎉", "👍🏽"]
)
def test_controls_overrides_and_undrawable_characters_are_removed(bad):
    assert printable(f"Tự soi{bad}, tự sửa") == "Tự soi, tự sửa"


def test_vietnamese_and_its_punctuation_survive():
    text = "“Đảng ủy” – khóa XIII… Ủy viên\n\tđồng chí"
    assert printable(text) == text


def test_decomposed_vietnamese_is_composed_not_stripped():
    decomposed = "Nguye\u0302\u0303n Thi\u0323"
    assert printable(decomposed) == "Nguyễn Thị"
