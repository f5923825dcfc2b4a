"""Template filters the documents use."""

import pytest

from meetings.templatetags.chibo import sentence_end


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Đồng chí đã báo cáo kết quả", "Đồng chí đã báo cáo kết quả."),
        ("Đồng chí đã báo cáo kết quả.", "Đồng chí đã báo cáo kết quả."),
        ("Vì sao chưa xong?  ", "Vì sao chưa xong?"),
        ("Còn tiếp…", "Còn tiếp…"),
        ("", ""),
        (None, ""),
    ],
)
def test_sentence_end_adds_one_full_stop_only_where_none_is(typed, printed):
    assert sentence_end(typed) == printed
