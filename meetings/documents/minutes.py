"""The minutes of a thematic meeting (DOMAIN.md §9), rendered from the frozen snapshot."""

import datetime

from meetings.documents.base import clock, date_line, long_date, render_document, render_pdf


def _time(value: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


def minutes_context(snapshot: dict, *, number_label: str, verification_code: str) -> dict:
    day = datetime.date.fromisoformat(snapshot["date"]) if snapshot.get("date") else None
    end_day = datetime.date.fromisoformat(snapshot["end_date"]) if snapshot.get("end_date") else None
    absentees = snapshot.get("absentees", [])
    lead_name = (snapshot.get("lead") or {}).get("name", "")
    chair_name = (snapshot.get("chair") or {}).get("name", "")
    return {
        # Introduce the speaker only when the recorded text does not already name them.
        "intro_purpose": bool(chair_name) and chair_name not in (snapshot.get("purpose") or ""),
        "intro_lead": bool(lead_name) and lead_name not in ((snapshot.get("lead") or {}).get("summary") or ""),
        "intro_response": bool(lead_name) and lead_name not in (snapshot.get("author_response") or ""),
        "s": snapshot,
        "number_label": number_label,
        "verification_code": verification_code,
        "date_line": date_line(snapshot.get("place_name", ""), day),
        "long_date": long_date(day),
        "start_clock": clock(_time(snapshot.get("start"))),
        "end_clock": clock(_time(snapshot.get("end"))),
        "read_back_clock": clock(_time((snapshot.get("adoption") or {}).get("read_back"))),
        "ends_same_day": end_day is None or end_day == day,
        "end_long_date": long_date(end_day),
        "excused": [a for a in absentees if a["status"] == "excused"],
        "unexcused": [a for a in absentees if a["status"] == "unexcused"],
        "speeches": snapshot.get("speeches", []),
        "title": f"Biên bản số {number_label}",
    }


def _context_of(minutes) -> dict:
    return minutes_context(
        minutes.snapshot, number_label=minutes.number_label, verification_code=minutes.verification_code
    )


def render_minutes_pdf(minutes) -> bytes:
    """PDF of finalised minutes, from `minutes.snapshot` only (the frozen content)."""
    return render_pdf("documents/minutes.html", _context_of(minutes))


def layout_minutes(minutes):
    """The laid-out pages (no PDF written), for layout checks."""
    return render_document("documents/minutes.html", _context_of(minutes))
