"""Reports of finished topics and minutes to the directly superior committee.
Owned by the members/dashboard work (issue 6): review (accept / return) and corrections."""

from django.db.models import Max

from meetings.models import Report


def report_submit(*, minutes, addendum=None) -> Report | None:
    """File a new version of the report in the superior committee's inbox."""
    committee = minutes.cell.parent
    if committee is None:
        return None
    version = (Report.objects.filter(minutes=minutes).aggregate(v=Max("version"))["v"] or 0) + 1
    return Report.objects.create(minutes=minutes, committee=committee, version=version, addendum=addendum)
