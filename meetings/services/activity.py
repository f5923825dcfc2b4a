from meetings.models import Activity


def activity_record(*, cell, actor, action: str, meeting=None, topic=None) -> Activity:
    return Activity.objects.create(
        cell=cell, actor=actor if getattr(actor, "pk", None) else None, action=action, meeting=meeting, topic=topic
    )
