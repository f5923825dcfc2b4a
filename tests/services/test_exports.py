import pytest

from meetings.services.exports import safe_cell


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_prefixed(value):
    assert safe_cell(value) == "'" + value


def test_plain_values_are_untouched():
    assert safe_cell("Nguyễn Văn An") == "Nguyễn Văn An"
    assert safe_cell(-5) == -5
