"""The cell's library of finished topics, searchable with or without diacritics; with the
exemplary topics that the committees above the cell hold up (meetings/models/exemplary.py)."""

from django.db.models import Exists, OuterRef, Prefetch, Q

from meetings.models import ExemplaryTopic, Topic
from meetings.models.organizations import path_ids
from meetings.text import fold
from meetings.workflow import Stage


def _ancestor_ids(cell_path: str) -> list[int]:
    """The committees above a cell, read from its materialised path (no query)."""
    return path_ids(cell_path)[:-1] if cell_path else []


def _marks_above(ancestors: list[int]):
    return ExemplaryTopic.objects.filter(committee_id__in=ancestors)


def _library_queryset(*, cell_id: int, cell_path: str):
    """Finalised topics of the cell, and finalised topics of any cell marked exemplary by a
    committee above this cell (a mark by a committee elsewhere does not reach it)."""
    ancestors = _ancestor_ids(cell_path)
    marks = _marks_above(ancestors)
    scope = Q(cell_id=cell_id)
    if ancestors:
        scope |= Q(pk__in=marks.values("topic_id"))
    return Topic.objects.filter(scope, meeting__stage=Stage.FINALIZED).annotate(
        is_exemplary=Exists(marks.filter(topic_id=OuterRef("pk")))
    )


def library_topics(*, cell_id: int, query: str = "", cell_path: str = ""):
    """Topics whose meeting is finalised; every folded word of the query must appear. With the
    cell's path, the exemplary topics of other cells under the same committees come too."""
    qs = (
        _library_queryset(cell_id=cell_id, cell_path=cell_path)
        .select_related("group", "meeting", "meeting__minutes", "lead_author", "cell")
        .order_by("-meeting__scheduled_date", "-pk")
    )
    for word in fold(query).split()[:10]:
        qs = qs.filter(search_text__icontains=word)
    return qs


def library_topic(*, cell_id: int, pk: int, cell_path: str = "") -> Topic | None:
    marks = _marks_above(_ancestor_ids(cell_path)).select_related("committee").order_by("committee__depth")
    return (
        _library_queryset(cell_id=cell_id, cell_path=cell_path)
        .filter(pk=pk)
        .select_related("group", "meeting", "lead_author", "cell")
        .prefetch_related("contributions__member", Prefetch("exemplary_marks", queryset=marks, to_attr="marks"))
        .first()
    )


def exemplary_mark(*, topic_id: int, committee_id: int) -> ExemplaryTopic | None:
    """The committee's own mark on a topic, if it gave one."""
    return ExemplaryTopic.objects.filter(topic_id=topic_id, committee_id=committee_id).first()
