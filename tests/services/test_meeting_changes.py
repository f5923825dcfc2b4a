"""A meeting moved, re-placed or cancelled after its notice: everyone who had the notice is
told, with a calendar file that updates (or removes) the event they already hold."""

import datetime
import re

import pytest
import time_machine
from django.core import mail

from meetings import models as m
from meetings.selectors.meeting_changes import change_notice_recipients
from meetings.services import meetings as meeting_svc
from meetings.services import notifications as svc
from meetings.services.organizations import organization_follower_set
from meetings.workflow import Stage
from tests import factories as f
from tests.services.test_notifications import at, make_meeting, raw, sweep

pytestmark = pytest.mark.django_db
K = m.NotificationKind
NOW = at(2026, 3, 1, 9)


@pytest.fixture
def noticed(cell, secretary, member, committee):
    """A noticed meeting whose notice went to two members, the follower and a guest."""
    with time_machine.travel(NOW, tick=False):
        follower = f.StaffUserFactory(committee=committee, full_name="Lê Văn Phụ Trách")
        organization_follower_set(cell=cell, follower=follower)
        meeting = make_meeting(cell, at(2026, 3, 20, 8))
        guest = m.Guest.objects.create(meeting=meeting, name="Phan Đình Khách", email="khach@example.vn")
        svc.notifications_for_notice(meeting=meeting)
        sweep()
        first = {msg.to[0]: msg for msg in mail.outbox}
        assert len(first) == 4
        mail.outbox.clear()
    return {"meeting": meeting, "follower": follower, "guest": guest, "first": first}


def _ics(msg) -> bytes:
    return raw(next(a[1] for a in msg.attachments if a[0].endswith(".ics")))


def _sequence(ics: bytes) -> int:
    return int(re.search(rb"SEQUENCE:(\d+)", ics).group(1))


def _schedule(meeting, *, day=None, hour=None, place=None, actor=None):
    meeting.refresh_from_db()
    return meeting_svc.meeting_schedule(
        meeting=meeting,
        actor=actor,
        version=meeting.version,
        scheduled_date=day or meeting.scheduled_date,
        start_time=datetime.time(hour) if hour is not None else meeting.start_time,
        place=place or meeting.place,
        chair=meeting.chair,
        clerk=meeting.clerk,
    )


@time_machine.travel(NOW, tick=False)
def test_move_reaches_every_earlier_recipient_even_a_removed_guest(noticed, secretary, member):
    meeting, guest = noticed["meeting"], noticed["guest"]
    guest.delete()  # removed after the invitation went out: still told of the new date
    moved = _schedule(meeting, day=datetime.date(2026, 3, 25), hour=14, actor=secretary.user)
    expected = {secretary.email, member.email, noticed["follower"].email, "khach@example.vn"}
    assert moved.change_notices == len(expected)
    sweep()
    assert {msg.to[0].split("<")[-1].rstrip(">") for msg in mail.outbox} == expected
    for msg in mail.outbox:
        assert msg.subject.startswith("[Thay đổi lịch]")
        assert "14:00, ngày 25/03/2026" in msg.body


@time_machine.travel(NOW, tick=False)
def test_moved_ics_updates_the_same_event(noticed, member):
    meeting = noticed["meeting"]
    before = _ics(next(msg for addr, msg in noticed["first"].items() if member.email in addr))
    _schedule(meeting, hour=15)
    sweep()
    after = _ics(next(msg for msg in mail.outbox if member.email in msg.to[0]))
    assert b"METHOD:REQUEST" in after
    assert b"ORGANIZER" in after
    assert re.search(rb"UID:(\S+)", before).group(1) == re.search(rb"UID:(\S+)", after).group(1)
    assert _sequence(after) > _sequence(before)


@time_machine.travel(NOW, tick=False)
def test_place_change_alone_sends_the_change_notice(noticed, member):
    moved = _schedule(noticed["meeting"], place="Phòng họp số 3, nhà B")
    assert moved.change_notices == 4
    sweep()
    msg = next(msg for msg in mail.outbox if member.email in msg.to[0])
    assert msg.subject.startswith("[Thay đổi lịch]")
    assert "Phòng họp số 3, nhà B" in msg.body
    assert "Hội trường tầng 2" in msg.body  # the old place is quoted


@time_machine.travel(NOW, tick=False)
def test_mode_or_online_room_change_sends_the_change_notice(noticed, secretary):
    """The notice prints the mode and the online room: changing either is announced too."""
    meeting = noticed["meeting"]
    meeting.refresh_from_db()
    common = {
        "actor": None,
        "scheduled_date": meeting.scheduled_date,
        "start_time": meeting.start_time,
        "place": meeting.place,
        "chair": secretary,
        "online_not_secret": True,
    }
    hybrid = meeting_svc.meeting_schedule(
        meeting=meeting, version=meeting.version, mode="hybrid", online_room="Điểm cầu xã", **common
    )
    assert hybrid.change_notices == 4
    same = meeting_svc.meeting_schedule(
        meeting=hybrid, version=hybrid.version, mode="hybrid", online_room="Điểm cầu xã", **common
    )
    assert same.change_notices == 0
    room = meeting_svc.meeting_schedule(
        meeting=same, version=same.version, mode="hybrid", online_room="Điểm cầu thôn 2", **common
    )
    assert room.change_notices == 4


@time_machine.travel(NOW, tick=False)
def test_same_time_and_place_sends_nothing(noticed, secretary):
    meeting = noticed["meeting"]
    meeting.refresh_from_db()
    saved = meeting_svc.meeting_schedule(
        meeting=meeting,
        actor=None,
        version=meeting.version,
        scheduled_date=meeting.scheduled_date,
        start_time=meeting.start_time,
        place=meeting.place,
        chair=secretary,
    )
    assert saved.change_notices == 0
    sweep()
    assert mail.outbox == []


@time_machine.travel(NOW, tick=False)
def test_cancel_tells_member_follower_and_guest_with_a_cancelling_ics(noticed, member):
    meeting = noticed["meeting"]
    meeting.refresh_from_db()
    cancelled = meeting_svc.meeting_transition(
        meeting=meeting, actor=None, target=Stage.CANCELLED, version=meeting.version, reason="Trùng hội nghị"
    )
    assert cancelled.change_notices == 4
    sweep()
    assert len(mail.outbox) == 4
    for msg in mail.outbox:
        assert msg.subject.startswith("[Hủy]")
        assert b"METHOD:CANCEL" in _ics(msg)
    first = _ics(next(msg for addr, msg in noticed["first"].items() if member.email in addr))
    assert _sequence(_ics(mail.outbox[0])) > _sequence(first)


@time_machine.travel(NOW, tick=False)
def test_no_change_notice_before_the_notice(cell, secretary):
    meeting = make_meeting(cell, at(2026, 3, 20, 8), stage=Stage.SCHEDULED)
    moved = _schedule(meeting, hour=15)
    assert moved.change_notices == 0
    assert not m.Notification.objects.filter(meeting=meeting, kind=K.NOTICE).exists()


@time_machine.travel(NOW, tick=False)
def test_recipients_count_each_address_once(noticed, secretary, member):
    meeting = noticed["meeting"]
    # A member since given the guest's address: one message for that address.
    member.email = "khach@example.vn"
    member.save()
    emails = [r.email.lower() for r in change_notice_recipients(meeting)]
    assert len(emails) == len(set(emails))
    assert "khach@example.vn" in emails
