"""Prepare the load-test database (run through `manage.py shell`): a meeting of bithu's cell
in progress (attendance and speeches are entered during the load), staff logins for the
national root and for a committee of about 1,000 cells, and the ids the locustfile needs."""

import datetime
import json
import os

from django.utils import timezone

from meetings.models import Meeting, Member, Organization, OrgKind, User
from meetings.periods import quarter_of
from meetings.workflow import Stage

PASSWORD = "chibo-demo-2026"  # noqa: S105 - the documented demo password

bithu = User.objects.get(username="bithu").member
cell = bithu.cell
meeting = (
    Meeting.objects.filter(cell=cell, topic__isnull=False)
    .exclude(stage__in=[Stage.FINALIZED, Stage.CANCELLED])
    .order_by("-pk")
    .first()
)
today = timezone.localdate()
Meeting.objects.filter(pk=meeting.pk).update(
    stage=Stage.IN_PROGRESS,
    scheduled_date=today,
    start_time=datetime.time(8, 0),
    place="Hội trường tầng 2",
    chair=bithu,
    clerk=Member.objects.filter(cell=cell, position="deputy").first(),
    year=today.year,
    quarter=quarter_of(today),
)


def staff(username, org):
    user, _ = User.objects.get_or_create(username=username, defaults={"committee": org, "full_name": username})
    user.committee = org
    user.set_password(PASSWORD)
    user.save()


root = max(
    Organization.objects.filter(parent__isnull=True),
    key=lambda org: Organization.objects.filter(path__startswith=org.path, kind=OrgKind.CELL).count(),
)
# A committee of about 1,000 cells (a bloc in seed_scale's tree).
bloc = (
    Organization.objects.filter(kind=OrgKind.COMMITTEE, path__startswith=root.path, subtree_cells__gte=900)
    .order_by("subtree_cells", "pk")
    .first()
) or root
staff("bench-root", root)
staff("bench-bloc", bloc)
ids = {
    "meeting": meeting.pk,
    "members": list(Member.objects.filter(cell=cell).expected().values_list("pk", flat=True)),
    "root": root.pk,
    "bloc": bloc.pk,
    "bloc_cells": Organization.objects.filter(path__startswith=bloc.path, kind=OrgKind.CELL).count(),
    "root_cells": Organization.objects.filter(path__startswith=root.path, kind=OrgKind.CELL).count(),
}
with open(os.environ["CHIBO_LOAD_IDS"], "w") as fh:
    json.dump(ids, fh)
