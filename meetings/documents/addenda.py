"""The correction addendum of finalised minutes, in the same official format as the minutes.

Rendered once when the addendum is created: the frozen minutes snapshot gives the header and
the signers, the addendum row gives the text."""

import datetime

from django.utils import timezone

from meetings.documents.base import header_context, local, long_date, render_document, render_pdf
from meetings.documents.minutes import minutes_signature
from meetings.documents.qr import verification_qr_svg, verification_url


def addendum_context(addendum) -> dict:
    minutes = addendum.minutes
    snapshot = minutes.snapshot
    meeting_day = datetime.date.fromisoformat(snapshot["date"]) if snapshot.get("date") else None
    # Rendered before the row is saved, so `created_at` may still be empty.
    day = local(addendum.created_at or timezone.now()).date()
    kind = "sinh hoạt chuyên đề" if snapshot.get("kind") == "thematic" else (snapshot.get("kind_label") or "").lower()
    return {
        "s": snapshot,
        **header_context(
            superior_name=snapshot.get("superior_name", ""),
            issuer_name=snapshot.get("cell_name", ""),
            place=snapshot.get("place_name", ""),
            day=day,
            year=day.year,
            draft=False,  # sealed when created: always issued
        ),
        "number_text": f"Kèm theo Biên bản số {minutes.number_label}",
        "number_label": minutes.number_label,
        "verification_code": minutes.verification_code,
        "verification_qr": verification_qr_svg(minutes.verification_code),
        "verification_url": verification_url(minutes.verification_code) if minutes.verification_code else "",
        "addendum_version": addendum.version,
        "text": addendum.text,
        "kind_words": kind,
        "minutes_long_date": long_date(meeting_day) if meeting_day else "",
        "signature": minutes_signature(snapshot),
        "title": f"Phụ lục đính chính số {addendum.version} – Biên bản số {minutes.number_label}",
    }


def render_addendum_pdf(addendum) -> bytes:
    return render_pdf("documents/minutes_addendum.html", addendum_context(addendum))


def layout_addendum(addendum):
    """The laid-out pages (no PDF written), for layout checks."""
    return render_document("documents/minutes_addendum.html", addendum_context(addendum))
