"""How the members present at a hybrid meeting attended (issue 17, item 6)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from meetings.models import Attendance, AttendanceMode, AttendanceStatus


@dataclass(frozen=True)
class ModeCounts:
    in_person: int = 0
    online: int = 0


def attendance_mode_counts(*, meeting_id: int) -> ModeCounts:
    """Present members by how they attended, in one query. A present member whose mode was
    not chosen attended in person: the meeting's main place is the default."""
    agg = Attendance.objects.filter(meeting_id=meeting_id, status=AttendanceStatus.PRESENT).aggregate(
        present=Count("pk"), online=Count("pk", filter=Q(mode=AttendanceMode.ONLINE))
    )
    return ModeCounts(in_person=agg["present"] - agg["online"], online=agg["online"])
