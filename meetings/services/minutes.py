"""Numbering, freezing and storing the minutes of a finalised meeting.

`minutes_create` is called by `meeting_finalize` inside its transaction: it numbers the
minutes from the cell's register (services/numbering.py, series row locked, so two
finalisations at once get consecutive numbers), freezes
everything the minutes show into `snapshot`, renders the PDF once, stores it with its
SHA-256 and a short verification code printed on the PDF.
"""

import datetime
import hashlib
import hmac
import logging
import secrets

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.documents.base import document_place, local
from meetings.models import (
    EXPECTED_STATUSES,
    Attendance,
    AttendanceStatus,
    DocumentKind,
    Member,
    MemberStatus,
    Minutes,
    MinutesAddendum,
    MinutesAdoption,
    MinutesReservation,
    Organization,
    Position,
)
from meetings.rules.grades import recorded_grade
from meetings.rules.meeting_mode import mode_snapshot
from meetings.rules.votes import RULE_TEXT as VOTES_RULE_TEXT
from meetings.selectors.action_reviews import action_review_rows
from meetings.selectors.actions import action_item_rows, meeting_action_items
from meetings.selectors.receipts import materials_summary
from meetings.selectors.signatures import minutes_served_file
from meetings.services.ledger import ledger_append, ledger_lock
from meetings.services.notifications.action_reminders import notifications_for_action_items
from meetings.services.numbering import document_number_issue, meeting_document_title

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
# No 0/O/1/I: the code is read off paper and typed in.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class MinutesFileError(Exception):
    """The stored PDF is missing or does not match its recorded SHA-256."""


def minutes_next_number(*, cell, year: int, actor=None, title: str = "", on: datetime.date | None = None) -> int:
    """Issue the cell's next minutes number (kind BB) from its register. Callers hold a
    transaction: the series row is locked so two finalisations at the same moment get
    consecutive numbers, and a rolled-back finalisation gives its number back."""
    issued = document_number_issue(
        cell=cell, kind=DocumentKind.MINUTES, actor=actor, title=title, on=on or datetime.date(year, 1, 1)
    )
    return issued.number


def minutes_new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def meeting_date(meeting):
    start = local(meeting.actual_start)
    return start.date() if start else meeting.scheduled_date


def _person(member) -> dict | None:
    if member is None:
        return None
    return {
        "id": member.pk,
        "name": member.full_name,
        "position": member.position,
        "position_label": Position(member.position).label,
    }


def _signature_title(chair) -> str:
    if chair is not None and chair.position == Position.DEPUTY:
        return "PHÓ BÍ THƯ"
    if chair is not None and chair.position != Position.SECRETARY:
        return "CHỦ TRÌ"
    return "BÍ THƯ"


def _adoption(meeting) -> dict | None:
    if not meeting.minutes_read_back_at:
        return None
    reservations = MinutesReservation.objects.filter(meeting=meeting).select_related("member")
    return {
        "read_back": local(meeting.minutes_read_back_at).time().strftime("%H:%M"),
        "unanimous": meeting.minutes_adoption == MinutesAdoption.UNANIMOUS,
        "reservations": [
            {"name": r.member.full_name, "text": r.text} for r in reservations.order_by("member__sort_key", "pk")
        ],
    }


def minutes_snapshot(meeting) -> dict:
    """Everything the minutes show, as plain JSON, so later edits of members, names or the
    organisation never change finalised minutes."""
    cell = Organization.objects.select_related("parent").get(pk=meeting.cell_id)
    superior = cell.parent
    day = meeting_date(meeting)
    start, end = local(meeting.actual_start), local(meeting.actual_end)
    topic = meeting.topic if meeting.topic_id else None
    chair = meeting.chair if meeting.chair_id else None
    clerk = meeting.clerk if meeting.clerk_id else None

    members = list(Member.objects.filter(cell=cell).exclude(status=MemberStatus.MOVED_OUT))
    full = sum(1 for mb in members if mb.is_full_member(day))
    recorded = list(Attendance.objects.filter(meeting=meeting).select_related("member").order_by("member__sort_key"))
    # Exempt members who attend are recorded present but are not expected (DOMAIN.md §8).
    attendances = [a for a in recorded if a.member.status in EXPECTED_STATUSES]
    exempt_present = sum(
        1 for a in recorded if a.member.status == MemberStatus.EXEMPT and a.status == AttendanceStatus.PRESENT
    )
    by_status = {s: [a for a in attendances if a.status == s] for s in AttendanceStatus.values}
    absentees = [
        {"name": a.member.full_name, "status": a.status, "status_label": a.get_status_display(), "reason": a.reason}
        for a in attendances
        if a.status != AttendanceStatus.PRESENT
    ]
    counts = {
        "total": len(members),
        "full": full,
        "probationary": len(members) - full,
        "exempt": sum(1 for mb in members if mb.status == MemberStatus.EXEMPT),
        "elsewhere": sum(1 for mb in members if mb.status == MemberStatus.ELSEWHERE),
        "expected": len(attendances),
        "present": len(by_status[AttendanceStatus.PRESENT]),
        "excused": len(by_status[AttendanceStatus.EXCUSED]),
        "unexcused": len(by_status[AttendanceStatus.UNEXCUSED]),
        "exempt_present": exempt_present,
    }
    counts["rate"] = round(100 * counts["present"] / counts["expected"], 1) if counts["expected"] else None

    speeches = [
        {
            "position": s.position,
            "speaker": s.speaker_name,
            "title": s.guest.title if s.guest_id else "",
            "content": s.content,
            "contribution": s.contribution.subject if s.contribution_id else "",
        }
        for s in meeting.speeches.select_related("speaker", "guest", "contribution").order_by("position", "id")
    ]
    conclusion = getattr(meeting, "conclusion", None) if hasattr(meeting, "conclusion") else None
    resolution = getattr(meeting, "resolution", None) if hasattr(meeting, "resolution") else None
    lead_author = topic.lead_author if topic and topic.lead_author_id else None

    return {
        "version": SNAPSHOT_VERSION,
        "meeting_id": meeting.pk,
        "kind": meeting.kind,
        "kind_label": meeting.get_kind_display(),
        "superior_name": superior.name if superior else "",
        # The committee that leads the superior organisation, and the body documents are
        # addressed to (DOMAIN.md §9), frozen with the minutes like every other name.
        "superior_committee_name": superior.committee_display if superior else "",
        "superior_addressee_name": superior.addressee_name if superior else "",
        "cell_name": cell.name,
        "place_name": document_place(cell),
        "date": day.isoformat() if day else None,
        "start": start.time().strftime("%H:%M") if start else None,
        "end": end.time().strftime("%H:%M") if end else None,
        "end_date": end.date().isoformat() if end else None,
        "duration_minutes": meeting.duration_minutes,
        "meeting_place": meeting.place,
        "topic_title": topic.title if topic else meeting.get_kind_display(),
        "topic_group": str(topic.group) if topic else "",
        "combined": meeting.combined_with_regular,
        "combined_order": meeting.combined_order,
        "combined_order_label": meeting.get_combined_order_display() if meeting.combined_order else "",
        "guests": [{"name": g.name, "title": g.title} for g in meeting.guests.order_by("id")],
        "chair": _person(chair),
        "clerk": _person(clerk),
        "signature_title": _signature_title(chair),
        "counts": counts,
        "absentees": absentees,
        "programme": meeting.programme,
        "purpose": meeting.purpose,
        "lead": {
            "name": lead_author.full_name if lead_author else "",
            "summary": meeting.lead_paper_summary,
        },
        "speeches": speeches,
        "author_response": meeting.author_response,
        "adoption": _adoption(meeting),
        "conclusion": None
        if conclusion is None
        else {
            "preparation_evaluation": conclusion.preparation_evaluation,
            "quality_evaluation": conclusion.quality_evaluation,
            "adopted": conclusion.adopted,
            "orientation": conclusion.orientation,
            "quality_score": conclusion.quality_score,
            "quality_grade": conclusion.quality_grade,
            "quality_grade_label": conclusion.get_quality_grade_display() if conclusion.quality_grade else "",
        },
        "resolution": None
        if resolution is None
        else {
            "text": resolution.text,
            "votes_for": resolution.votes_for,
            "votes_against": resolution.votes_against,
            "votes_abstain": resolution.votes_abstain,
            "eligible_voters": resolution.eligible_voters,
            "eligible_explanation": resolution.eligible_explanation,
            "valid": resolution.is_valid,
            "rule": VOTES_RULE_TEXT,
        },
    }


def minutes_create(*, meeting, actor, warnings: list | None = None) -> Minutes:
    """Number, freeze, render once and store. Must run inside the caller's transaction."""
    from meetings.documents import render_minutes_pdf

    ledger_lock(cell=meeting.cell)  # before the register's series, in the order numbering uses
    snapshot = minutes_snapshot(meeting)
    year = int(snapshot["date"][:4]) if snapshot["date"] else meeting.year
    day = datetime.date.fromisoformat(snapshot["date"]) if snapshot["date"] else datetime.date(year, 1, 1)
    title = meeting_document_title("Biên bản", snapshot["kind_label"], snapshot["topic_title"])
    number = minutes_next_number(cell=meeting.cell, year=year, actor=actor, title=title, on=day)
    code = minutes_new_code()
    while Minutes.objects.filter(verification_code=code).exists():
        code = minutes_new_code()
    snapshot["warnings"] = list(warnings or [])
    # Fixed now, from the facts as finalised: later edits cannot move the reported grade.
    verdict = recorded_grade(meeting)
    snapshot["grade"] = {"recorded": verdict.grade, "recorded_label": verdict.label, "reasons": verdict.reasons}
    # Materials receipts as they stood (issue 17): a later first opening never changes the minutes.
    snapshot["materials"] = materials_summary(meeting=meeting).as_snapshot()
    # The action items as decided (issue 17): progress later never changes the minutes.
    snapshot["action_items"] = action_item_rows(meeting_action_items(meeting.pk))
    # The review of earlier items at this meeting (issue 17, item 2), as recorded.
    snapshot["action_reviews"] = action_review_rows(meeting.pk)
    # The meeting mode as held (issue 17, item 6): "Hình thức: …" in section I.
    snapshot["mode"] = mode_snapshot(meeting)
    minutes = Minutes.objects.create(
        meeting=meeting,
        cell=meeting.cell,
        year=year,
        number=number,
        snapshot=snapshot,
        warnings=snapshot["warnings"],
        recorded_grade=verdict.grade,
        grade_reasons=verdict.reasons,
        finalized_at=timezone.now(),
        finalized_by=actor if getattr(actor, "pk", None) else None,
        verification_code=code,
    )
    minutes_store_pdf(minutes=minutes, data=render_minutes_pdf(minutes))
    ledger_append(cell=meeting.cell, kind="minutes", obj=minutes, sha256=minutes.pdf_sha256)
    notifications_for_action_items(meeting=meeting)  # reminders before their due dates
    return minutes


def minutes_store_pdf(*, minutes: Minutes, data: bytes) -> None:
    # The name never comes from user input: cell, year, number and the random code.
    name = f"bien-ban-{minutes.cell_id}-{minutes.year}-{minutes.number:02d}-{minutes.verification_code}.pdf"
    minutes.pdf_sha256 = hashlib.sha256(data).hexdigest()
    minutes.pdf.save(name, ContentFile(data), save=False)
    minutes.save(update_fields=["pdf", "pdf_sha256"])


def minutes_verify_file(*, minutes: Minutes, data: bytes) -> bool:
    if not minutes.pdf_sha256:
        return False
    return hmac.compare_digest(hashlib.sha256(data).hexdigest(), minutes.pdf_sha256)


def minutes_pdf_bytes(minutes: Minutes) -> bytes:
    """The stored PDF, after checking it against the recorded hash: a changed or missing file
    is logged and raised, never served. Once signed (issue 18), the latest signed revision."""
    record, _field = minutes_served_file(minutes)
    if record is not minutes:
        return _sealed_pdf_bytes(record, what="biên bản đã ký số", when="khi ký số")
    return _sealed_pdf_bytes(minutes, what="biên bản", when="khi hoàn tất biên bản")


def addendum_pdf_bytes(addendum: MinutesAddendum) -> bytes:
    """The stored PDF of an addendum, checked against its hash like the minutes'."""
    return _sealed_pdf_bytes(addendum, what="phụ lục đính chính", when="khi lập phụ lục")


def _sealed_pdf_bytes(record, *, what: str, when: str) -> bytes:
    label = type(record).__name__
    if not record.pdf or not record.pdf_sha256:
        logger.error("%s %s has no stored PDF", label, record.pk)
        raise MinutesFileError(f"{what.capitalize()} chưa có tệp PDF lưu trữ.")
    try:
        with record.pdf.open("rb") as fh:
            data = fh.read()
    except OSError as exc:
        logger.error("Stored PDF of %s %s cannot be read: %s", label, record.pk, exc)
        raise MinutesFileError(f"Không đọc được tệp PDF lưu trữ của {what}.") from exc
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), record.pdf_sha256):
        logger.error("Stored PDF of %s %s does not match its SHA-256 (%s)", label, record.pk, record.pdf_sha256)
        raise MinutesFileError(f"Tệp PDF lưu trữ không khớp với mã băm đã ghi nhận {when}.")
    return data


def addendum_seal(*, addendum: MinutesAddendum) -> None:
    """Render the unsaved addendum and put its PDF and SHA-256 on it, so the row is inserted
    sealed in one statement (the database refuses any later update). A rendering error
    raises before anything is written."""
    from meetings.documents import render_addendum_pdf

    data = render_addendum_pdf(addendum)
    minutes = addendum.minutes
    # The name never comes from user input.
    name = f"phu-luc-{minutes.cell_id}-{minutes.year}-{minutes.number:02d}-{addendum.version}-{secrets.token_hex(4)}"
    name += ".pdf"
    addendum.pdf_sha256 = hashlib.sha256(data).hexdigest()
    addendum.pdf.save(name, ContentFile(data), save=False)


def minutes_check(*, queryset, code: str, data: bytes | None) -> dict:
    """The verdict of the verification page on a code and/or a PDF file, among `queryset`
    (the minutes the user may see: others are reported exactly like unknown ones)."""
    if code:
        minutes = minutes_find_by_code(code=code, queryset=queryset)
        if minutes is None:
            return {"status": "unknown_code", "code": normalize_code(code)}
        if data is None:
            return {"status": "code_ok", "minutes": minutes}
        ok = minutes_verify_file(minutes=minutes, data=data)
        if not ok:
            logger.warning("Minutes %s: uploaded PDF does not match the record", minutes.pk)
        return {"status": "match" if ok else "mismatch", "minutes": minutes}
    minutes = minutes_find_by_file(data=data, queryset=queryset)
    if minutes:
        return {"status": "match", "minutes": minutes}
    # A sealed addendum is checked the same way, among the addenda of the visible minutes.
    sha = hashlib.sha256(data).hexdigest()
    addendum = MinutesAddendum.objects.filter(minutes__in=queryset, pdf_sha256=sha).select_related("minutes").first()
    if addendum:
        return {"status": "match", "minutes": addendum.minutes, "addendum": addendum}
    return {"status": "unknown_file"}


def minutes_find_by_code(*, code: str, queryset=None):
    qs = queryset if queryset is not None else Minutes.objects.all()
    return qs.filter(verification_code=normalize_code(code)).first()


def minutes_find_by_file(*, data: bytes, queryset=None):
    qs = queryset if queryset is not None else Minutes.objects.all()
    return qs.filter(pdf_sha256=hashlib.sha256(data).hexdigest()).first()
