import pytest
from django.core.management import CommandError, call_command

from meetings.models import Member, Organization, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    counts = (Organization.objects.count(), Member.objects.count(), User.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Organization.objects.count(), Member.objects.count(), User.objects.count()) == counts
    assert Organization.objects.filter(kind="cell").count() >= 5
    for username in ("bithu", "bithu2", "dangvien", "capuy", "admin"):
        assert User.objects.get(username=username).check_password("chibo-demo-2026")
    bithu = User.objects.get(username="bithu").member
    bithu2 = User.objects.get(username="bithu2").member
    assert bithu.cell != bithu2.cell and bithu.cell.parent == bithu2.cell.parent
    assert User.objects.get(username="dangvien").member.cell == bithu.cell
    assert User.objects.get(username="capuy").committee == bithu.cell.parent
    assert Organization.objects.filter(name__icontains="Mặt trận Tổ quốc").exists()
    assert Organization.objects.filter(name__icontains="Kế hoạch Vật tư").exists()


def test_seed_demo_follows_the_party_rules(settings):
    from meetings.models import Position, Resolution
    from meetings.rules.votes import eligible_voters

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    committee = Member.objects.exclude(position=Position.MEMBER)
    assert committee.exists()
    assert not committee.filter(full_member_on__isnull=True).exists()  # the cell committee is full members
    for resolution in Resolution.objects.select_related("meeting"):
        voters = eligible_voters(resolution.meeting)
        votes = resolution.votes_for + resolution.votes_against + resolution.votes_abstain
        assert votes <= voters.present, (resolution.meeting, votes, voters)


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)


def test_seed_demo_mails_nothing_for_demo_history(settings, mailoutbox):
    from django.utils import timezone

    from meetings.models import Meeting, Notification, NotificationKind, NotificationStatus
    from meetings.periods import quarter_of
    from meetings.services.notifications import notifications_send_due

    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", verbosity=0)
    assert mailoutbox == []
    today = timezone.localdate()
    history = Meeting.objects.exclude(year=today.year, quarter=quarter_of(today))
    assert history.filter(stage="finalized").exists()
    rows = Notification.objects.filter(meeting__in=history)
    # The services still wrote the outbox rows (notices, study copies, reports)...
    assert rows.filter(kind=NotificationKind.REPORT).exists() and rows.filter(kind=NotificationKind.STUDY).exists()
    # ...the notices went through delivery at notice time to the dummy backend (the receipts read
    # them; mailoutbox above stayed empty)...
    notices = rows.filter(kind=NotificationKind.NOTICE)
    assert notices.exists() and set(notices.values_list("status", flat=True)) == {NotificationStatus.SENT}
    # ...and every other one is cancelled with the reason, so the sweeper sends nothing later.
    later = rows.exclude(status=NotificationStatus.SENT)
    assert set(later.values_list("status", flat=True)) == {NotificationStatus.CANCELLED}
    assert set(later.values_list("last_error", flat=True)) == {
        "Dữ liệu mẫu: không gửi thư cho các buổi sinh hoạt đã qua."
    }
    assert notifications_send_due(enqueue_tasks=False) == 0
    assert mailoutbox == []
