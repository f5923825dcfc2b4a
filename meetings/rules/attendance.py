"""Who is expected at a meeting and how attendance counts (DOMAIN.md §8)."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from meetings.models import EXPECTED_STATUSES, Attendance, AttendanceStatus, Meeting, Member, MemberStatus


def expected_members(meeting: Meeting):
    return Member.objects.filter(cell_id=meeting.cell_id, status__in=EXPECTED_STATUSES)


# Attendance form value for an exempt member who did not come: no record is kept, since
# exempt members are not expected (DOMAIN.md §8 "Attendance identity").
NOT_ATTENDING = "none"


def attendance_members(meeting: Meeting):
    """Whose attendance may be recorded: the expected members, and exempt members, who
    may still attend and are then recorded present."""
    return Member.objects.filter(cell_id=meeting.cell_id, status__in=(*EXPECTED_STATUSES, MemberStatus.EXEMPT))


def exempt_status_allowed(status: str) -> bool:
    return status in (AttendanceStatus.PRESENT, NOT_ATTENDING)


def attendance_missing(meeting: Meeting) -> list[str]:
    """Names of the expected members whose attendance is not recorded yet."""
    return list(expected_members(meeting).exclude(attendances__meeting=meeting).values_list("full_name", flat=True))


def reason_missing(status: str, reason: str) -> bool:
    """An excused absence must say why."""
    return status == AttendanceStatus.EXCUSED and not (reason or "").strip()


def attendance_prefill(meeting: Meeting, members, attendances: dict, replies: dict) -> list[dict]:
    """Rows of the attendance form: the recorded status, else the member's advance reply."""
    rows = []
    for member in members:
        att = attendances.get(member.pk)
        reply = replies.get(member.pk)
        if att is not None:
            status, reason, source = att.status, att.reason, "recorded"
        elif reply is not None:
            status = AttendanceStatus.PRESENT if reply.will_attend else AttendanceStatus.EXCUSED
            reason, source = ("" if reply.will_attend else reply.reason), "reply"
        else:
            status, reason, source = "", "", ""
        rows.append({"member": member, "status": status, "reason": reason, "source": source, "reply": reply})
    return rows


@dataclass
class AttendanceCounts:
    expected: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    unrecorded: int = 0
    exempt: int = 0
    total: int = 0
    full: int = 0
    probationary: int = 0
    exempt_present: int = 0  # not expected, so outside the identity and the rate

    @property
    def identity_ok(self) -> bool:
        return self.unrecorded == 0 and self.present + self.excused + self.unexcused == self.expected

    @property
    def rate(self) -> float | None:
        # Exempt members (and those attending elsewhere) are not expected, so not in the rate.
        return self.present / self.expected if self.expected else None


def attendance_counts(meeting: Meeting) -> AttendanceCounts:
    """The figures of DOMAIN.md §8, in two aggregate queries."""
    today = meeting.scheduled_date or timezone.localdate()
    members = Member.objects.filter(cell_id=meeting.cell_id).exclude(status=MemberStatus.MOVED_OUT)
    agg = members.aggregate(
        total=Count("pk"),
        expected=Count("pk", filter=Q(status__in=EXPECTED_STATUSES)),
        exempt=Count("pk", filter=Q(status=MemberStatus.EXEMPT)),
        full=Count("pk", filter=Q(full_member_on__lte=today)),
    )
    expected = Q(member__status__in=EXPECTED_STATUSES)
    att = Attendance.objects.filter(meeting=meeting, member__cell_id=meeting.cell_id).aggregate(
        present=Count("pk", filter=expected & Q(status=AttendanceStatus.PRESENT)),
        excused=Count("pk", filter=expected & Q(status=AttendanceStatus.EXCUSED)),
        unexcused=Count("pk", filter=expected & Q(status=AttendanceStatus.UNEXCUSED)),
        exempt_present=Count("pk", filter=Q(member__status=MemberStatus.EXEMPT, status=AttendanceStatus.PRESENT)),
    )
    recorded = att["present"] + att["excused"] + att["unexcused"]
    return AttendanceCounts(
        expected=agg["expected"],
        present=att["present"],
        excused=att["excused"],
        unexcused=att["unexcused"],
        unrecorded=max(agg["expected"] - recorded, 0),
        exempt=agg["exempt"],
        total=agg["total"],
        full=agg["full"],
        probationary=agg["total"] - agg["full"],
        exempt_present=att["exempt_present"],
    )
