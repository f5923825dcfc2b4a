"""The roll call's attendance mode (issue 17, item 6): the run page's attendance posts carry
`mode_<member id>` for present rows at a hybrid meeting; meeting_run.py saves it after the
status. At an in-person or online meeting a posted mode is ignored (the service refuses it)."""

from django.core.exceptions import ValidationError

from meetings.models import AttendanceStatus, MeetingMode
from meetings.services.meeting_mode import attendance_modes_set
from meetings.views._common import error_messages


def save_posted_modes(request, meeting, statuses: dict[int, str]) -> str:
    """Save the posted mode of each member posted present; "" or the Vietnamese refusal."""
    if meeting.mode != MeetingMode.HYBRID:
        return ""
    modes = {
        member_id: request.POST.get(f"mode_{member_id}", "")
        for member_id, status in statuses.items()
        if status == AttendanceStatus.PRESENT and request.POST.get(f"mode_{member_id}")
    }
    if not modes:
        return ""
    try:
        attendance_modes_set(meeting=meeting, actor=request.user, version=None, modes=modes)
    except ValidationError as exc:
        return " ".join(error_messages(exc))
    return ""
