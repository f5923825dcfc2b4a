"""The cell's library of finished topics, searchable with or without diacritics."""

from meetings.models import Topic
from meetings.text import fold
from meetings.workflow import Stage


def library_topics(*, cell_id: int, query: str = ""):
    """Topics whose meeting is finalised; every folded word of the query must appear."""
    qs = (
        Topic.objects.filter(cell_id=cell_id, meeting__stage=Stage.FINALIZED)
        .select_related("group", "meeting", "meeting__minutes", "lead_author")
        .order_by("-meeting__scheduled_date", "-pk")
    )
    for word in fold(query).split()[:10]:
        qs = qs.filter(search_text__icontains=word)
    return qs


def library_topic(*, cell_id: int, pk: int) -> Topic | None:
    return (
        Topic.objects.filter(cell_id=cell_id, meeting__stage=Stage.FINALIZED, pk=pk)
        .select_related("group", "meeting", "lead_author")
        .prefetch_related("contributions__member")
        .first()
    )
