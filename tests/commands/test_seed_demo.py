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


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
