"""Documents of a meeting before it is held: the notice and the attendance sheet."""

from django.utils import timezone

from meetings.documents.base import (
    BLANK,
    cell_signature,
    clock,
    document_place,
    header_context,
    local,
    long_date,
    position_title,
    recipients,
    render_pdf,
    roman,
    signature,
    weekday,
)
from meetings.models import Attendance, Member, MemberStatus, Position
from meetings.selectors.members import cell_signer


def when_text(meeting, *, draft: bool) -> str:
    """`Vào lúc 08 giờ 00 phút, thứ ba, ngày 17 tháng 3 năm 2026`; a draft shows blanks for
    what is not fixed yet, an issued document leaves out what it does not know."""
    day, time = meeting.scheduled_date, meeting.start_time
    at = clock(time) if time or draft else ""
    on = f"{weekday(day)}, {long_date(day)}" if day else (long_date(None, year=meeting.year) if draft else "")
    if at and on:
        return f"Vào lúc {at}, {on}"
    if at or on:
        return f"Vào {'lúc ' + at if at else on}"
    return "Thời gian do chi ủy thông báo sau"


def _chair_signature(meeting) -> dict:
    """The meeting's chair signs what is done at the meeting: T/M CHI BỘ only above the
    secretary's or the deputy's title, CHỦ TRÌ for another member."""
    if meeting.chair_id:
        return signature(meeting.chair.position, name=meeting.chair.full_name)
    return cell_signature(meeting.cell)


def _common(meeting, *, title: str) -> dict:
    cell = meeting.cell
    superior = cell.parent
    # The notice is issued when it is sent (DOMAIN.md §9); until then it is a draft.
    draft = meeting.notice_sent_at is None
    topic = meeting.topic if meeting.topic_id else None
    return {
        "title": title,
        "meeting": meeting,
        "draft": draft,
        "topic": topic,
        "topic_title": topic.title if topic else meeting.get_kind_display(),
        "quarter": roman(meeting.quarter),
        "cell_name": cell.name,
        "when": when_text(meeting, draft=draft),
        "blank": BLANK,
        "superior": superior,
    }


def render_notice_pdf(meeting) -> bytes:
    """Notice / invitation of the meeting: time, place, topic and who prepares what; signed
    for the cell by the secretary (or the deputy)."""
    ctx = _common(meeting, title="Thông báo sinh hoạt chuyên đề")
    cell, superior, draft = meeting.cell, ctx["superior"], ctx["draft"]
    sent = local(meeting.notice_sent_at)
    ctx.update(
        header_context(
            superior_name=superior.name if superior else "",
            issuer_name=cell.name,
            place=document_place(cell),
            day=sent.date() if sent else None,
            year=meeting.year,
            draft=draft,
            number_label=meeting.notice_number_label,
            number_suffix="TB/CB",
        )
    )
    topic = ctx["topic"]
    contributions = topic.contributions.select_related("member").order_by("due_on", "id") if topic else []
    ctx["contributions"] = [
        {"subject": c.subject, "member": c.member.full_name, "due": long_date(c.due_on) if c.due_on else ""}
        for c in contributions
    ]
    ctx["lead_due"] = long_date(topic.lead_paper_due) if topic and topic.lead_paper_due else ""
    ctx["expected_count"] = Member.objects.filter(cell=cell).expected().count()
    ctx["guests"] = list(meeting.guests.all())
    ctx["signature"] = cell_signature(cell)
    # The chair, else the secretary (or deputy) who chairs by default (DOMAIN.md §2).
    chair = meeting.chair if meeting.chair_id else cell_signer(cell)
    if chair is not None:
        ctx["chair_text"] = f"Đồng chí {chair.full_name}, {position_title(chair.position)}"
    else:
        ctx["chair_text"] = f"Đồng chí {BLANK}" if draft else "Bí thư Chi bộ"
    ctx["recipients"] = recipients(superior)
    return render_pdf("documents/notice.html", ctx)


def render_attendance_sheet_pdf(meeting) -> bytes:
    """Sheet that members sign at the meeting, sorted by given name (Vietnamese order); dated
    the meeting day, a draft until the notice fixing that day is sent."""
    ctx = _common(meeting, title="Danh sách đảng viên dự sinh hoạt")
    cell, superior = meeting.cell, ctx["superior"]
    day = meeting.scheduled_date
    ctx.update(
        header_context(
            superior_name=superior.name if superior else "",
            issuer_name=cell.name,
            place=document_place(cell),
            day=day,
            year=meeting.year,
            draft=ctx["draft"] or day is None,
        )
    )
    recorded = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("member")}
    if recorded:
        members = sorted((a.member for a in recorded.values()), key=lambda mb: mb.sort_key)
    else:
        members = list(Member.objects.filter(cell=cell).expected().order_by("sort_key", "id"))
    on = day or timezone.localdate()
    ctx["rows"] = [
        {
            "member": mb,
            "position": Position(mb.position).label,
            "membership": "Chính thức" if mb.is_full_member(on) else "Dự bị",
            "note": recorded[mb.pk].get_status_display()
            if mb.pk in recorded and recorded[mb.pk].status != "present"
            else "",
        }
        for mb in members
    ]
    ctx["not_expected"] = list(
        Member.objects.filter(cell=cell, status__in=[MemberStatus.EXEMPT, MemberStatus.ELSEWHERE]).order_by("sort_key")
    )
    ctx["guests"] = list(meeting.guests.all())
    ctx["clerk_name"] = meeting.clerk.full_name if meeting.clerk_id else ""
    ctx["signature"] = _chair_signature(meeting)
    return render_pdf("documents/attendance_sheet.html", ctx)
