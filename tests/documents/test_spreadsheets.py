import pytest

from meetings.documents.spreadsheets import safe_cell


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_prefixed(value):
    assert safe_cell(value) == "'" + value


def test_plain_values_are_untouched():
    assert safe_cell("Nguyễn Văn An") == "Nguyễn Văn An"
    assert safe_cell(-5) == -5


def test_control_characters_are_dropped():
    assert safe_cell("Phạm\x1b[31m Viên\x07") == "Phạm[31m Viên"
    assert safe_cell("\x08=1+1") == "'=1+1"
