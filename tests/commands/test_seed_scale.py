"""seed_scale, the national tree the dashboard benchmark and the load run read, loads on the
current schema: a column added later with a model default needs no change to the command."""

import pytest
from django.core.management import call_command

from meetings.models import ComplianceSummary, Meeting, Member, Organization, OrgKind, OrgQuarterStats
from meetings.selectors.dashboard import dashboard

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_scale_loads_a_small_tree_the_dashboard_reads():
    call_command("seed_scale", "--cells", "120", "--year", "2026", verbosity=0)
    root = Organization.objects.get(depth=0)
    assert Organization.objects.filter(kind=OrgKind.CELL).count() == 120
    assert Member.objects.count() == 120  # one secretary per cell
    assert Meeting.objects.filter(year=2026).exists()
    assert ComplianceSummary.objects.filter(year=2026).exists()
    # Columns the command does not list got their model defaults.
    meeting = Meeting.objects.filter(stage="finalized").first()
    assert meeting.mode == "in_person" and meeting.period_warning == ""
    stats = OrgQuarterStats.objects.get(org=root, year=2026, quarter=1)
    assert (
        stats.cells_compliant == ComplianceSummary.objects.filter(year=2026, quarter=1, finalized_count__gt=0).count()
    )
    root.refresh_from_db()
    assert root.subtree_cells == 120
    assert dashboard(committee=root, year=2026, quarter=1).totals.total_cells == 120
