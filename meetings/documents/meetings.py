"""Documents of a meeting before it is held: the notice and the attendance sheet."""

from django.utils import timezone

from meetings.documents.base import clock, date_line, document_place, long_date, render_pdf, weekday
from meetings.models import Attendance, Member, MemberStatus, Position


def cell_secretary(cell) -> Member | None:
    return (
        Member.objects.filter(cell=cell, position=Position.SECRETARY)
        .exclude(status=MemberStatus.MOVED_OUT)
        .order_by("id")
        .first()
    )


def _signer(meeting):
    """The chair signs for the cell when set; otherwise the cell's secretary."""
    chair = meeting.chair if meeting.chair_id else cell_secretary(meeting.cell)
    title = "PHÓ BÍ THƯ" if chair is not None and chair.position == Position.DEPUTY else "BÍ THƯ"
    return chair, title


def _common(meeting, *, title: str) -> dict:
    cell = meeting.cell
    superior = cell.parent
    signer, signer_title = _signer(meeting)
    issued = timezone.localtime(meeting.notice_sent_at).date() if meeting.notice_sent_at else timezone.localdate()
    topic = meeting.topic if meeting.topic_id else None
    return {
        "title": title,
        "meeting": meeting,
        "topic": topic,
        "topic_title": topic.title if topic else meeting.get_kind_display(),
        "superior_name": superior.name if superior else "",
        "cell_name": cell.name,
        "date_line": date_line(document_place(cell), issued),
        "meeting_date": long_date(meeting.scheduled_date),
        "meeting_weekday": weekday(meeting.scheduled_date) if meeting.scheduled_date else "",
        "meeting_clock": clock(meeting.start_time),
        "signer_name": signer.full_name if signer else "",
        "signer_title": signer_title,
    }


def render_notice_pdf(meeting) -> bytes:
    """Notice / invitation of the meeting: time, place, topic and who prepares what."""
    ctx = _common(meeting, title="Thông báo sinh hoạt chuyên đề")
    topic = ctx["topic"]
    ctx["contributions"] = list(topic.contributions.select_related("member").order_by("due_on", "id")) if topic else []
    ctx["expected_count"] = Member.objects.filter(cell=meeting.cell).expected().count()
    ctx["guests"] = list(meeting.guests.all())
    ctx["recipients"] = [
        "Các đồng chí đảng viên trong chi bộ",
        *([f"{meeting.cell.parent.name} (để báo cáo)"] if meeting.cell.parent_id else []),
        "Lưu chi bộ",
    ]
    return render_pdf("documents/notice.html", ctx)


def render_attendance_sheet_pdf(meeting) -> bytes:
    """Sheet that members sign at the meeting, sorted by given name (Vietnamese order)."""
    ctx = _common(meeting, title="Danh sách đảng viên dự sinh hoạt")
    recorded = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("member")}
    if recorded:
        members = sorted((a.member for a in recorded.values()), key=lambda mb: mb.sort_key)
    else:
        members = list(Member.objects.filter(cell=meeting.cell).expected().order_by("sort_key", "id"))
    day = meeting.scheduled_date or timezone.localdate()
    ctx["rows"] = [
        {
            "member": mb,
            "position": Position(mb.position).label,
            "membership": "Chính thức" if mb.is_full_member(day) else "Dự bị",
            "note": recorded[mb.pk].get_status_display()
            if mb.pk in recorded and recorded[mb.pk].status != "present"
            else "",
        }
        for mb in members
    ]
    ctx["not_expected"] = list(
        Member.objects.filter(cell=meeting.cell, status__in=[MemberStatus.EXEMPT, MemberStatus.ELSEWHERE]).order_by(
            "sort_key"
        )
    )
    ctx["guests"] = list(meeting.guests.all())
    ctx["clerk_name"] = meeting.clerk.full_name if meeting.clerk_id else ""
    return render_pdf("documents/attendance_sheet.html", ctx)
