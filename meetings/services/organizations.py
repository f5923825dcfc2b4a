"""The party tree: creating, editing, moving and deleting organisations.

`path`, `depth` and `subtree_cells` are kept here, with the compliance rollups of every
ancestor, in the same transaction as the change; `Organization.save` never writes them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from meetings.models import Organization, OrgKind, User
from meetings.models.organizations import path_ids, path_segment
from meetings.selectors.members import follower_candidates
from meetings.services.compliance import stats_move


def organization_check_place(*, kind: str, parent: Organization | None, organization: Organization | None = None):
    """Raise ValidationError if an organisation of `kind` may not sit under `parent`
    (for an existing `organization`: nor under its own subtree)."""
    if kind != OrgKind.COMMITTEE and parent is None:
        raise ValidationError("Chi bộ và tổ đảng phải thuộc một cấp ủy cấp trên.")
    if parent is not None and parent.kind == OrgKind.PARTY_GROUP:
        raise ValidationError("Tổ đảng không thể có tổ chức trực thuộc.")
    if kind == OrgKind.PARTY_GROUP and (parent is None or parent.kind != OrgKind.CELL):
        raise ValidationError("Tổ đảng phải thuộc một chi bộ.")
    moved = organization is not None and organization.pk is not None and parent is not None
    if moved and (parent.pk == organization.pk or parent.path.startswith(organization.path)):
        raise ValidationError("Không thể chuyển một tổ chức vào chính cây trực thuộc của nó.")


def _insert(organization: Organization) -> Organization:
    parent = organization.parent
    organization_check_place(kind=organization.kind, parent=parent)
    # The parent's current path, not the caller's copy (it may have moved since).
    parent_path = Organization.objects.values_list("path", flat=True).get(pk=parent.pk) if parent else ""
    organization.save(force_insert=True)
    organization.path = parent_path + path_segment(organization.pk)
    organization.depth = organization.path.count("/") - 1
    Organization.objects.filter(pk=organization.pk).update(path=organization.path, depth=organization.depth)
    if organization.kind == OrgKind.CELL:
        Organization.objects.filter(pk__in=path_ids(organization.path)).update(subtree_cells=F("subtree_cells") + 1)
        organization.subtree_cells = 1
    return organization


def organization_create(*, name: str, kind: str, parent: Organization | None = None, **fields) -> Organization:
    with transaction.atomic():
        return _insert(Organization(name=name, kind=kind, parent=parent, **fields))


def organization_move(*, organization: Organization, new_parent: Organization | None) -> Organization:
    """Put an organisation and its whole subtree under `new_parent` (None: at the top). Its
    cells and its rollups leave the old ancestors and join the new ones."""
    with transaction.atomic():
        ids = sorted({organization.pk, *([new_parent.pk] if new_parent is not None else [])})
        locked = Organization.objects.select_for_update().in_bulk(ids)  # rows locked in id order
        current = locked[organization.pk]
        parent = locked[new_parent.pk] if new_parent is not None else None
        organization_check_place(kind=current.kind, parent=parent, organization=current)
        old_path = current.path
        new_path = (parent.path if parent is not None else "") + path_segment(current.pk)
        organization.parent = parent
        organization.path = new_path
        organization.depth = new_path.count("/") - 1
        organization.save(update_fields=["parent", "path", "depth"])
        if new_path != old_path:
            Organization.objects.filter(path__startswith=old_path).exclude(pk=current.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (new_path.count("/") - old_path.count("/")),
            )
            stats_move(org=organization, old_path=old_path, new_path=new_path)
    return organization


def organization_save(*, organization: Organization) -> Organization:
    """Save an organisation edited as a whole (the admin form): a new one is placed in the
    tree; an existing one has its fields saved and, when its parent changed, is moved."""
    with transaction.atomic():
        if organization.pk is None:
            return _insert(organization)
        stored = Organization.objects.select_for_update().values("kind", "parent_id").get(pk=organization.pk)
        if organization.kind != stored["kind"]:
            raise ValidationError("Không thể đổi loại của một tổ chức đã có.")
        organization.save()  # a plain save leaves the parent and the tree fields alone
        if organization.parent_id != stored["parent_id"]:
            organization_move(organization=organization, new_parent=organization.parent)
    return organization


def organization_follower_set(*, cell: Organization, follower: User | None) -> Organization:
    """Name the committee member who follows the cell (HD 42): staff of a committee above it."""
    if follower is not None and not follower_candidates(cell).filter(pk=follower.pk).exists():
        raise ValidationError({"follower": "Chỉ chọn được cán bộ của cấp ủy cấp trên của chi bộ."})
    with transaction.atomic():
        cell = Organization.objects.select_for_update().get(pk=cell.pk)
        cell.follower = follower
        cell.save(update_fields=["follower"])
    return cell


def organization_delete(*, organization: Organization) -> None:
    """Delete an organisation that nothing refers to (the database refuses otherwise). Its
    cells and rollups leave its ancestors first, as if it were moved to the top."""
    with transaction.atomic():
        current = Organization.objects.select_for_update().get(pk=organization.pk)
        top = path_segment(current.pk)
        if current.path != top:
            stats_move(org=current, old_path=current.path, new_path=top)
        current.delete()


def organization_committee_names_update(
    *, organization: Organization, actor: User, committee_name: str, standing_committee_name: str
) -> Organization:
    """The names of a committee organisation's leading bodies ("Đảng ủy Khối …", "Ban Thường
    vụ Đảng ủy Khối …"), used by the documents of every cell below it. They are the
    committee's own data: its staff or an administrator set them, never a cell."""
    if not organization.is_committee:
        raise ValidationError("Chỉ đảng bộ mới có tên cấp ủy và ban thường vụ.")
    if not (actor.is_superuser or actor.committee_id == organization.pk):
        raise ValidationError("Chỉ cán bộ của cấp ủy này hoặc quản trị viên mới được sửa tên cấp ủy.")
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        organization.committee_name = " ".join((committee_name or "").split())[:255]
        organization.standing_committee_name = " ".join((standing_committee_name or "").split())[:255]
        organization.save(update_fields=["committee_name", "standing_committee_name"])
    return organization
