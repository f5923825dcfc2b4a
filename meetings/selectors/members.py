from meetings.models import Member, MemberStatus


def cell_members(cell_id: int, *, expected_only: bool = False):
    """The cell's current members (not moved out), in Vietnamese given-name order."""
    qs = Member.objects.filter(cell_id=cell_id).exclude(status=MemberStatus.MOVED_OUT)
    if expected_only:
        qs = qs.filter(status__in=(MemberStatus.ACTIVE, MemberStatus.VISITING))
    return qs.order_by("sort_key")
