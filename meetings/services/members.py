import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.models import Member, MembershipHistory, MemberStatus, Organization, OrgKind


def member_create(*, cell: Organization, full_name: str, **fields) -> Member:
    if cell.kind != OrgKind.CELL:
        raise ValidationError("Đảng viên phải sinh hoạt tại một chi bộ.")
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": "Họ và tên không được để trống."})
    with transaction.atomic():
        member = Member(cell=cell, full_name=full_name, **fields)
        member.full_clean(exclude=["user", "party_group"])
        member.save()
        MembershipHistory.objects.create(member=member, cell=cell, started_on=member.joined_on or timezone.localdate())
    return member


def member_update(*, member: Member, **fields) -> Member:
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean(exclude=["user", "party_group"])
    member.save()
    return member


def member_transfer(
    *, member: Member, to_cell: Organization, on: datetime.date | None = None, note: str = ""
) -> Member:
    """Move a member to another cell, closing the history row of the old one."""
    if to_cell.kind != OrgKind.CELL:
        raise ValidationError("Chỉ có thể chuyển đảng viên đến một chi bộ.")
    if to_cell.pk == member.cell_id:
        raise ValidationError("Đảng viên đang sinh hoạt tại chi bộ này.")
    on = on or timezone.localdate()
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        current = MembershipHistory.objects.filter(member=member, ended_on__isnull=True).first()
        if current and on < current.started_on:
            raise ValidationError(
                f"Ngày chuyển phải từ {current.started_on:%d/%m/%Y} trở đi "
                "(ngày bắt đầu sinh hoạt tại chi bộ hiện tại)."
            )
        MembershipHistory.objects.filter(member=member, ended_on__isnull=True).update(ended_on=on)
        MembershipHistory.objects.create(member=member, cell=to_cell, started_on=on, note=note)
        member.cell = to_cell
        member.party_group = None
        if member.status == MemberStatus.MOVED_OUT:
            member.status = MemberStatus.ACTIVE
        member.save()
    return member
