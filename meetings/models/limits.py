"""The length of every free-text field, in characters: the form states it, the service checks
it and a CheckConstraint makes the database refuse anything longer, whatever writes it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length

# "field__length" in the constraints below.
models.TextField.register_lookup(Length)

# Long texts the cell types or pastes (a page is about 3,300 characters).
LEAD_PAPER_MAX_LENGTH = 100_000  # the lead paper, about 30 pages
COMPLETED_TEXT_MAX_LENGTH = 200_000  # the completed topic, about 60 pages
CONTRIBUTION_TEXT_MAX_LENGTH = 20_000  # a written contribution
SPEECH_MAX_LENGTH = 20_000  # one speech in the minutes (a contribution's text becomes one)
# All speeches of one meeting together: keeps the minutes near 100 pages, so the PDF is made well
# inside its time budget (bench/bench_pdf_max.py: about 70 ms of CPU a page).
SPEECHES_TOTAL_MAX_LENGTH = 150_000
MEETING_TEXT_MAX_LENGTH = 20_000  # programme, purpose, lead paper summary, author's response
CONCLUSION_TEXT_MAX_LENGTH = 20_000  # each part of the chair's conclusion
RESOLUTION_MAX_LENGTH = 20_000
ADDENDUM_MAX_LENGTH = 20_000
DESCRIPTION_MAX_LENGTH = 5_000  # a topic's purpose and requirements
REPORT_COMMENT_MAX_LENGTH = 5_000  # the superior committee's comment on a report
NOTE_MAX_LENGTH = 2_000  # notes on a plan or a step
RESERVATION_MAX_LENGTH = 1_000  # one member's reservation on the minutes
LAST_ERROR_MAX_LENGTH = 2_000  # written by the mailer, already cut to this length
TOPIC_TITLE_MAX_LENGTH = 500
ACTION_TEXT_MAX_LENGTH = 1_000  # one action item of a conclusion (issue 17)
ACTION_NOTE_MAX_LENGTH = 1_000  # the owner's short progress note
# An activity line quotes titles, places and names (each up to 500 characters).
ACTIVITY_ACTION_MAX_LENGTH = 1_000
# Derived from the title and the three texts; folding may lengthen a few characters.
SEARCH_TEXT_MAX_LENGTH = 2 * (
    TOPIC_TITLE_MAX_LENGTH + DESCRIPTION_MAX_LENGTH + LEAD_PAPER_MAX_LENGTH + COMPLETED_TEXT_MAX_LENGTH + 3
)

assert SPEECH_MAX_LENGTH >= CONTRIBUTION_TEXT_MAX_LENGTH  # noqa: S101 - a contribution is copied into a speech
assert MEETING_TEXT_MAX_LENGTH >= DESCRIPTION_MAX_LENGTH  # noqa: S101 - the purpose starts as the description


def text_limits(model: str, **limits: int) -> list[models.CheckConstraint]:
    """One CheckConstraint per field: `text_limits("speech", content=SPEECH_MAX_LENGTH)`."""
    return [
        models.CheckConstraint(condition=Q(**{f"{name}__length__lte": limit}), name=f"{model}_{name}_max_length")
        for name, limit in limits.items()
    ]


def limit_text(limit: int) -> str:
    """What the form says under a bounded field."""
    return f"Tối đa {limit:,} ký tự.".replace(",", ".")


def too_long_message(limit: int, length: int | None = None) -> str:
    shown = f" (hiện có {length:,} ký tự)".replace(",", ".") if length is not None else ""
    return f"Nội dung quá dài{shown}; tối đa {limit:,} ký tự.".replace(",", ".")


def check_length(errors: dict, field: str, value: str | None, limit: int) -> None:
    """Record a Vietnamese error for `field` when `value` is longer than `limit`."""
    if value and len(value) > limit:
        errors[field] = too_long_message(limit, len(value))


def require_length(field: str, value: str | None, limit: int) -> None:
    errors: dict = {}
    check_length(errors, field, value, limit)
    if errors:
        raise ValidationError(errors)
