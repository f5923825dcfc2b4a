"""The minutes of a thematic meeting (DOMAIN.md §9), rendered from the frozen snapshot."""

import datetime
import re

from meetings.documents.base import (
    clock,
    header_context,
    long_date,
    position_title,
    render_document,
    render_pdf,
    roman,
    signature,
    snapshot_position,
)
from meetings.documents.qr import verification_qr_svg, verification_url
from meetings.periods import quarter_of

# A programme typed as a list ("- Khai mạc", "• …") is printed as our own list.
_BULLET = re.compile(r"^\s*(?:[-–—•+*]\s*)")
# A line typed with its own number ("1.", "2)") keeps the number as its marker, no dash.
_NUMBERED = re.compile(r"^\d+\s*[.)]\s")
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def _time(value: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


def programme_items(text: str | None) -> list[str]:
    """One list item per non-empty line of the programme, without the typed bullet."""
    return [_BULLET.sub("", line).strip() for line in (text or "").splitlines() if _BULLET.sub("", line).strip()]


def minutes_signature(snapshot: dict) -> dict:
    """The chair signs on the right, by today's rule applied to the position frozen in the
    snapshot, so minutes sealed under the older wording render the same way. Snapshots that
    froze no position at all keep the title they were sealed with."""
    chair = snapshot.get("chair") or {}
    position = snapshot_position(chair)
    if not position:
        sealed = snapshot.get("signature_title") or ""
        position = {"BÍ THƯ": "secretary", "PHÓ BÍ THƯ": "deputy"}.get(sealed, "")
    return signature(position, name=chair.get("name", ""))


def _opening(snapshot: dict, day: datetime.date | None) -> str:
    start = _time(snapshot.get("start"))
    parts = [f"lúc {clock(start)}" if start else "", long_date(day) if day else ""]
    return "Vào " + ", ".join(p for p in parts if p) if any(parts) else "Hôm nay"


def minutes_context(snapshot: dict, *, number_label: str, verification_code: str) -> dict:
    day = datetime.date.fromisoformat(snapshot["date"]) if snapshot.get("date") else None
    end_day = datetime.date.fromisoformat(snapshot["end_date"]) if snapshot.get("end_date") else None
    absentees = snapshot.get("absentees", [])
    lead_name = (snapshot.get("lead") or {}).get("name", "")
    chair_name = (snapshot.get("chair") or {}).get("name", "")
    kind = "sinh hoạt chuyên đề" if snapshot.get("kind") == "thematic" else (snapshot.get("kind_label") or "").lower()
    # Sections are numbered in order; one with nothing recorded is left out.
    sections = ["conclusion"] if snapshot.get("conclusion") else []
    sections += ["resolution"] if snapshot.get("resolution") else []
    sections.append("grade")
    numbers = {name: _ROMAN[3 + i] for i, name in enumerate(sections)}
    return {
        # Introduce the speaker only when the recorded text does not already name them.
        "intro_purpose": bool(chair_name) and chair_name not in (snapshot.get("purpose") or ""),
        "intro_lead": bool(lead_name) and lead_name not in ((snapshot.get("lead") or {}).get("summary") or ""),
        "intro_response": bool(lead_name) and lead_name not in (snapshot.get("author_response") or ""),
        "s": snapshot,
        **header_context(
            superior_name=snapshot.get("superior_name", ""),
            issuer_name=snapshot.get("cell_name", ""),
            place=snapshot.get("place_name", ""),
            day=day,
            year=day.year if day else None,
            draft=False,  # minutes exist only once finalised: always issued
            number_label=number_label,
        ),
        "number_label": number_label,
        "verification_code": verification_code,
        # Issue 18: the QR code of the verification page, and the ids the signature fields use.
        "verification_qr": verification_qr_svg(verification_code),
        "verification_url": verification_url(verification_code) if verification_code else "",
        "sign_anchors": True,
        "summary": f"{kind} quý {roman(quarter_of(day))} năm {day.year}" if day else kind,
        "kind_words": kind,
        "opening": _opening(snapshot, day),
        # Also read by bench/bench_pdf.py, which lays the same minutes out as a Word file.
        "long_date": long_date(day) if day else "",
        "start_clock": clock(_time(snapshot.get("start"))) if snapshot.get("start") else "",
        "programme": [
            {"text": item, "numbered": bool(_NUMBERED.match(item))}
            for item in programme_items(snapshot.get("programme"))
        ],
        "end_clock": clock(_time(snapshot.get("end"))) if snapshot.get("end") else "",
        "read_back_clock": clock(_time((snapshot.get("adoption") or {}).get("read_back"))),
        "ends_same_day": end_day is None or end_day == day,
        "end_long_date": long_date(end_day) if end_day else "",
        "excused": [a for a in absentees if a["status"] == "excused"],
        "unexcused": [a for a in absentees if a["status"] == "unexcused"],
        "speeches": snapshot.get("speeches", []),
        "signature": minutes_signature(snapshot),
        "chair_title": position_title(snapshot_position(snapshot.get("chair"))) if snapshot.get("chair") else "",
        "chair_on_behalf": snapshot_position(snapshot.get("chair")) in ("secretary", "deputy"),
        "section": numbers,
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
