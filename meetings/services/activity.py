import datetime

from django.utils import timezone

from meetings.models import Activity

# A later action of the same kind by the same person within this time updates the entry.
MERGE_WINDOW = datetime.timedelta(minutes=15)


def activity_record(*, cell, actor, action: str, meeting=None, topic=None) -> Activity:
    return Activity.objects.create(
        cell=cell, actor=actor if getattr(actor, "pk", None) else None, action=action, meeting=meeting, topic=topic
    )


def activity_record_merged(*, cell, actor, action: str, meeting, prefix: str) -> Activity:
    """Like activity_record, but when the meeting's latest entry is of the same kind (its text
    starts with `prefix`), by the same person, and recent, that entry is updated instead: a
    roll call done click by click reads as one line in the log."""
    now = timezone.now()
    last = Activity.objects.filter(meeting=meeting).order_by("-at", "-id").first()
    actor_id = getattr(actor, "pk", None)
    if (
        last is not None
        and actor_id is not None
        and last.actor_id == actor_id
        and last.action.startswith(prefix)
        and last.at >= now - MERGE_WINDOW
    ):
        Activity.objects.filter(pk=last.pk).update(action=action, at=now)
        last.action, last.at = action, now
        return last
    return activity_record(cell=cell, actor=actor, action=action, meeting=meeting)
