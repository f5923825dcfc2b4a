import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings.services.replies import attendance_reply_set
from meetings.workflow import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_will_attend_then_change_mind(member):
    meeting = f.MeetingFactory(
        cell=member.cell, stage=Stage.NOTICED, scheduled_date=timezone.localdate() + datetime.timedelta(days=3)
    )
    attendance_reply_set(meeting=meeting, member=member, will_attend=True, reason="")
    reply = attendance_reply_set(meeting=meeting, member=member, will_attend=False, reason="  Ốm  ")
    assert (reply.will_attend, reply.reason) == (False, "Ốm")
    assert meeting.replies.count() == 1


def test_cannot_attend_requires_reason(member):
    meeting = f.MeetingFactory(cell=member.cell, stage=Stage.NOTICED)
    with pytest.raises(ValidationError):
        attendance_reply_set(meeting=meeting, member=member, will_attend=False, reason=" ")


@pytest.mark.parametrize("stage", [Stage.IN_PROGRESS, Stage.FINALIZED])
def test_no_reply_once_started_or_finalized(member, stage):
    meeting = f.MeetingFactory(cell=member.cell, stage=stage)
    with pytest.raises(ValidationError):
        attendance_reply_set(meeting=meeting, member=member, will_attend=True, reason="")


def test_no_reply_after_start_time(member):
    meeting = f.MeetingFactory(cell=member.cell, stage=Stage.NOTICED)
    meeting.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    meeting.save()
    with pytest.raises(ValidationError):
        attendance_reply_set(meeting=meeting, member=member, will_attend=True, reason="")


def test_member_of_other_cell_refused(member, other_cell):
    meeting = f.MeetingFactory(cell=other_cell, stage=Stage.NOTICED)
    with pytest.raises(PermissionDenied):
        attendance_reply_set(meeting=meeting, member=member, will_attend=True, reason="")
