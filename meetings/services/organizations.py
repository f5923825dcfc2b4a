from django.core.exceptions import ValidationError
from django.db import transaction

from meetings.models import Organization, OrgKind


def organization_create(*, name: str, kind: str, parent: Organization | None = None, **fields) -> Organization:
    if kind != OrgKind.COMMITTEE and parent is None:
        raise ValidationError("Chi bộ và tổ đảng phải thuộc một cấp ủy cấp trên.")
    if parent is not None and parent.kind == OrgKind.PARTY_GROUP:
        raise ValidationError("Tổ đảng không thể có tổ chức trực thuộc.")
    if kind == OrgKind.PARTY_GROUP and (parent is None or parent.kind != OrgKind.CELL):
        raise ValidationError("Tổ đảng phải thuộc một chi bộ.")
    with transaction.atomic():
        return Organization.objects.create(name=name, kind=kind, parent=parent, **fields)


def organization_move(*, organization: Organization, new_parent: Organization) -> Organization:
    if new_parent.path.startswith(organization.path):
        raise ValidationError("Không thể chuyển một tổ chức vào chính cây trực thuộc của nó.")
    with transaction.atomic():
        organization.parent = new_parent
        organization.save()  # rebases the whole subtree's paths in one UPDATE
    return organization
