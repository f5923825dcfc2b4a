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


def test_plain_text_with_angle_brackets_is_not_mangled():
    text = "Tỷ lệ a < b và c > d & e"
    assert sanitize_rich_text(text) == text
    assert rich(text) == "<p>Tỷ lệ a &lt; b và c &gt; d &amp; e</p>"


def test_lead_paper_is_sanitised_when_stored(db):
    from meetings.services.topics import topic_assign_lead_author, topic_submit_lead_paper
    from tests import factories as f

    secretary = f.SecretaryFactory()
    topic = f.TopicFactory(cell=secretary.cell)
    f.MeetingFactory(cell=secretary.cell, topic=topic, stage="preparing")
    topic_assign_lead_author(topic=topic, actor=secretary.user, author=secretary)
    topic = topic_submit_lead_paper(
        topic=topic, actor=secretary.user, text='<p onclick="x()">Đề dẫn <b>chính</b></p><script>alert(1)</script>'
    )
    topic.refresh_from_db()
    assert topic.lead_paper_text == "<p>Đề dẫn <b>chính</b></p>"
