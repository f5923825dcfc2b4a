from meetings.templatetags.chibo import rich
from meetings.text import sanitize_rich_text


def test_scripts_and_handlers_are_removed():
    dirty = (
        '<p onclick="x()">Nội dung</p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:1">l</a>'
    )
    clean = sanitize_rich_text(dirty)
    assert "<script" not in clean and "onclick" not in clean and "onerror" not in clean and "javascript:" not in clean
    assert "<p>Nội dung</p>" in clean


def test_plain_text_is_escaped_into_paragraphs():
    assert rich("Dòng 1\nDòng 2 <b") == "<p>Dòng 1<br>Dòng 2 &lt;b</p>"


def test_formatting_is_kept():
    assert rich("<b>Đậm</b> và <em>nghiêng</em>") == "<b>Đậm</b> và <em>nghiêng</em>"
