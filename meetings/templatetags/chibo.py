from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from meetings.periods import ROMAN_QUARTERS
from meetings.text import looks_like_html, sanitize_rich_text

register = template.Library()


@register.filter
def rich(value):
    """Show long text: simple formatting kept (sanitised with nh3), plain text gets paragraphs."""
    value = value or ""
    if looks_like_html(value):
        return mark_safe(sanitize_rich_text(value))
    return mark_safe(linebreaks(escape(value)))


@register.filter
def roman(quarter):
    """A quarter as office documents write it: 4 → "IV"."""
    return ROMAN_QUARTERS.get(quarter, quarter)


@register.filter
def sentence_end(value):
    """Text followed by a full stop, unless it already ends a sentence (typed text often does),
    so the documents never print two full stops."""
    text = str(value or "").rstrip()
    return text if not text or text.endswith((".", "!", "?", "…")) else f"{text}."
