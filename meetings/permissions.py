"""Who may see and change what. Every view fetches through these helpers, so another
cell's object answers 404 exactly like an object that does not exist.

Scopes (DOMAIN.md §10):
- a member sees their own cell;
- the cell's secretary and deputy *manage* the cell (members, plan submission, finalisation);
- they and the cell committee members *prepare* (plans, topics, meetings, running them);
- committee staff read every cell of their subtree and change none of it;
- a superuser reads and manages everything.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from meetings.models import (
    MANAGING_POSITIONS,
    PREPARING_POSITIONS,
    Contribution,
    Meeting,
    Member,
    MemberStatus,
    Minutes,
    MinutesAddendum,
    Organization,
    OrgKind,
    Plan,
    Report,
    Topic,
    User,
)

READ, PREPARE, MANAGE = "read", "prepare", "manage"


@dataclass(frozen=True)
class Access:
    authenticated: bool = False
    superuser: bool = False
    member_id: int | None = None
    cell_id: int | None = None
    position: str | None = None
    committee_id: int | None = None
    committee_path: str | None = None

    @property
    def is_member(self):
        return self.member_id is not None

    @property
    def is_staff_of_committee(self):
        return self.committee_id is not None

    def can(self, level: str, cell_id: int | None) -> bool:
        if self.superuser:
            return True
        if cell_id is None or cell_id != self.cell_id:
            return False
        if level == READ:
            return True
        if level == PREPARE:
            return self.position in PREPARING_POSITIONS
        return self.position in MANAGING_POSITIONS

    @property
    def role_label(self) -> str:
        from meetings.models import Position

        if self.superuser:
            return "Quản trị hệ thống"
        if self.committee_id:
            return "Cán bộ cấp ủy"
        if self.position:
            return Position(self.position).label
        return "Chưa được phân quyền"


def access_for(user) -> Access:
    """The user's scope, computed once per request and cached on the user object."""
    cached = getattr(user, "_chibo_access", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        access = Access()
    else:
        # The auth backend loads `member` and `committee` with the user (no extra query).
        try:
            member = user.member
        except Member.DoesNotExist:
            member = None
        if member is not None and member.status == MemberStatus.MOVED_OUT:
            member = None
        committee = user.committee if user.committee_id else None
        access = Access(
            authenticated=True,
            superuser=user.is_superuser,
            member_id=member.pk if member else None,
            cell_id=member.cell_id if member else None,
            position=member.position if member else None,
            committee_id=committee.pk if committee else None,
            committee_path=committee.path if committee else None,
        )
    user._chibo_access = access
    return access


_NOTHING = Q(pk__in=[])


def scope_q(user, *, field: str = "cell", level: str = READ) -> Q:
    """A filter on `field` (a foreign key to the cell) for the cells the user may reach."""
    access = access_for(user)
    if access.superuser:
        return Q()
    q = _NOTHING
    if access.cell_id and access.can(level, access.cell_id):
        q = Q(**{f"{field}_id": access.cell_id})
    if level == READ and access.committee_path:
        q |= Q(**{f"{field}__path__startswith": access.committee_path})
    return q


def cells_visible_to(user):
    access = access_for(user)
    qs = Organization.objects.filter(kind=OrgKind.CELL)
    if access.superuser:
        return qs
    q = _NOTHING
    if access.cell_id:
        q = Q(pk=access.cell_id)
    if access.committee_path:
        q |= Q(path__startswith=access.committee_path)
    return qs.filter(q)


def cells_managed_by(user, level: str = MANAGE):
    access = access_for(user)
    qs = Organization.objects.filter(kind=OrgKind.CELL)
    if access.superuser:
        return qs
    if access.cell_id and access.can(level, access.cell_id):
        return qs.filter(pk=access.cell_id)
    return qs.none()


def organizations_visible_to(user):
    """Committees and cells a committee's staff may open on the dashboard (their subtree)."""
    access = access_for(user)
    if access.superuser:
        return Organization.objects.all()
    if access.committee_path:
        return Organization.objects.filter(path__startswith=access.committee_path)
    return Organization.objects.none()


def require_level(user, level: str, cell_id: int) -> None:
    """403 for a user who may see the cell but not change it (e.g. a plain member)."""
    if not access_for(user).can(level, cell_id):
        raise PermissionDenied("Đồng chí không có quyền thực hiện thao tác này.")


def require_committee_staff(user, message: str) -> Access:
    """403 (with the page's own message) for anyone but committee staff and superusers."""
    access = access_for(user)
    if not (access.superuser or access.committee_path):
        raise PermissionDenied(message)
    return access


def _scoped_get(qs, user, pk, *, level: str, field: str = "cell"):
    obj = get_object_or_404(qs.filter(scope_q(user, field=field, level=READ)), pk=pk)
    if level != READ:
        cell_id = getattr(obj, f"{field}_id") if field != "self" else obj.pk
        require_level(user, level, cell_id)
    return obj


def cell_for_user(user, pk, *, level: str = READ) -> Organization:
    obj = get_object_or_404(cells_visible_to(user), pk=pk)
    if level != READ:
        require_level(user, level, obj.pk)
    return obj


def organization_for_user(user, pk) -> Organization:
    return get_object_or_404(organizations_visible_to(user), pk=pk)


def meeting_for_user(user, pk, *, level: str = READ, queryset=None) -> Meeting:
    qs = queryset if queryset is not None else Meeting.objects.select_related("cell", "topic")
    return _scoped_get(qs, user, pk, level=level)


def topic_for_user(user, pk, *, level: str = READ) -> Topic:
    return _scoped_get(Topic.objects.select_related("cell", "group", "lead_author"), user, pk, level=level)


def plan_for_user(user, pk, *, level: str = READ) -> Plan:
    return _scoped_get(Plan.objects.select_related("cell"), user, pk, level=level)


def member_for_user(user, pk, *, level: str = READ) -> Member:
    return _scoped_get(Member.objects.select_related("cell"), user, pk, level=level)


def minutes_visible_to(user):
    return Minutes.objects.filter(scope_q(user))


def minutes_for_user(user, pk) -> Minutes:
    return _scoped_get(Minutes.objects.select_related("cell", "meeting"), user, pk, level=READ)


def addendum_for_user(user, pk) -> MinutesAddendum:
    """An addendum is read by whoever may read its minutes."""
    qs = MinutesAddendum.objects.select_related("minutes", "minutes__cell")
    return _scoped_get(qs, user, pk, level=READ, field="minutes__cell")


def contribution_for_user(user, pk, *, own: bool = False, level: str = READ) -> Contribution:
    """A contribution of a visible cell; with own=True, only the member's own (or a preparer's)."""
    qs = Contribution.objects.select_related("topic", "topic__cell", "member")
    obj = get_object_or_404(qs.filter(scope_q(user, field="topic__cell")), pk=pk)
    access = access_for(user)
    if own and obj.member_id != access.member_id and not access.can(PREPARE, obj.topic.cell_id):
        raise Http404
    if level != READ:
        require_level(user, level, obj.topic.cell_id)
    return obj


def report_for_committee_user(user, pk) -> Report:
    """A report in the inbox of a committee the user works for (or below it)."""
    access = access_for(user)
    qs = Report.objects.select_related("minutes", "minutes__cell", "committee")
    if not access.superuser:
        if not access.committee_path:
            raise Http404
        qs = qs.filter(committee__path__startswith=access.committee_path)
    return get_object_or_404(qs, pk=pk)


def report_for_cell_user(user, pk) -> Report:
    """A report of the user's own cell (any cell for a superuser), which they must manage."""
    access = access_for(user)
    qs = Report.objects.select_related("minutes")
    if not access.superuser:
        qs = qs.filter(minutes__cell_id=access.cell_id)
    report = get_object_or_404(qs, pk=pk)
    require_level(user, MANAGE, report.minutes.cell_id)
    return report


def member_for_calendar_token(token: str) -> Member:
    """The feed's owner: the secret token is the only credential (no login); 404 for an
    unknown token, an inactive account or a member who has left."""
    user = User.objects.filter(calendar_token=token, is_active=True).select_related("member__cell").first()
    member = getattr(user, "member", None) if user else None
    if member is None or member.status == MemberStatus.MOVED_OUT:
        raise Http404
    return member
