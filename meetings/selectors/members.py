from django.db.models import Case, IntegerField, Value, When

from meetings.models import MANAGING_POSITIONS, Member, MemberStatus, Organization, Position, User
from meetings.models.organizations import path_ids


def cell_members(cell_id: int, *, expected_only: bool = False):
    """The cell's current members (not moved out), in Vietnamese given-name order."""
    qs = Member.objects.filter(cell_id=cell_id).exclude(status=MemberStatus.MOVED_OUT)
    if expected_only:
        qs = qs.filter(status__in=(MemberStatus.ACTIVE, MemberStatus.VISITING))
    return qs.order_by("sort_key")


def follower_candidates(cell: Organization):
    """Who may follow the cell (HD 42): active staff of a committee above it."""
    return User.objects.filter(committee_id__in=path_ids(cell.path)[:-1], is_active=True).order_by(
        "full_name", "username"
    )


def cell_signer(cell) -> Member | None:
    """Who signs a document for the cell (DOMAIN.md §9): the secretary, else the deputy."""
    secretary_first = Case(
        When(position=Position.SECRETARY, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Member.objects.filter(cell_id=cell.pk, position__in=MANAGING_POSITIONS)
        .exclude(status=MemberStatus.MOVED_OUT)
        .order_by(secretary_first, "id")
        .first()
    )
