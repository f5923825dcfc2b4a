"""What each role's home page shows, fetched in a fixed number of queries."""

from django.db.models import Count, Q

from meetings.models import (
    LeadPaperStatus,
    Meeting,
    MeetingKind,
    Member,
    Organization,
    OrgQuarterStats,
)
from meetings.periods import current_quarter
from meetings.selectors import portal
from meetings.workflow import Stage


def secretary_home(*, cell_id: int) -> dict:
    year, quarter = current_quarter()
    cell = Organization.objects.select_related("parent").get(pk=cell_id)
    counts = Member.objects.filter(cell_id=cell_id).aggregate(
        total=Count("pk", filter=~Q(status="moved_out")),
        expected=Count("pk", filter=Q(status__in=["active", "visiting"])),
    )
    open_meetings = list(
        Meeting.objects.filter(cell_id=cell_id)
        .exclude(stage__in=[Stage.FINALIZED, Stage.CANCELLED])
        .select_related("topic")
        .order_by("year", "quarter", "scheduled_date")[:10]
    )
    recent = list(
        Meeting.objects.filter(cell_id=cell_id, stage=Stage.FINALIZED)
        .select_related("topic", "minutes")
        .order_by("-scheduled_date")[:5]
    )
    held_this_quarter = Meeting.objects.filter(
        cell_id=cell_id, kind=MeetingKind.THEMATIC, year=year, quarter=quarter, stage=Stage.FINALIZED
    ).exists()
    return {
        "cell": cell,
        "year": year,
        "quarter": quarter,
        "member_counts": counts,
        "open_meetings": open_meetings,
        "recent_meetings": recent,
        "held_this_quarter": held_this_quarter,
    }


def member_home(*, member_id: int) -> dict:
    """The home page's short version of the member's portal: what is still to do and what is next."""
    member = Member.objects.select_related("cell").get(pk=member_id)
    tasks = [c for c in portal.member_contributions(member=member) if not c.is_submitted]
    lead_papers = list(
        portal.member_lead_papers(member=member).filter(
            lead_paper_status__in=[LeadPaperStatus.ASSIGNED, LeadPaperStatus.SUBMITTED]
        )
    )
    upcoming = list(portal.member_meetings(member=member)[:5])
    return {"member": member, "tasks": tasks, "lead_papers": lead_papers, "upcoming": upcoming}


def committee_home(*, committee_id: int) -> dict:
    year, quarter = current_quarter()
    committee = Organization.objects.get(pk=committee_id)
    # The rollups the dashboard reads, not a count over the subtree (300,000 cells at the root).
    total = committee.subtree_cells
    compliant = (
        OrgQuarterStats.objects.filter(org_id=committee_id, year=year, quarter=quarter)
        .values_list("cells_compliant", flat=True)
        .first()
        or 0
    )
    children = list(Organization.objects.filter(parent_id=committee_id).order_by("kind", "name")[:50])
    return {
        "committee": committee,
        "year": year,
        "quarter": quarter,
        "cells_total": total,
        "cells_compliant": compliant,
        "children": children,
    }
