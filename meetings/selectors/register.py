"""The cell's register of decisions (issue 17, item 5): every conclusion, resolution and action
item of the cell's finalised meetings, newest first.

What was decided is read from the sealed minutes' snapshot (the record); an action item's status
and progress note come from its live row, since progress is reported after the meeting.
Two queries whatever the number of meetings and items (years: one more)."""

import datetime
from dataclasses import dataclass, field

from meetings.models import ActionItem, ActionOwnerKind, ActionStatus, Minutes
from meetings.text import fold
from meetings.workflow import Stage

CONCLUSION, RESOLUTION, ACTION = "ket-luan", "nghi-quyet", "viec"
KINDS = {CONCLUSION: "Kết luận", RESOLUTION: "Nghị quyết", ACTION: "Việc thực hiện"}
STATUSES = dict(ActionStatus.choices)

# The snapshot's parts of a conclusion, in the minutes' order.
CONCLUSION_PARTS = [
    ("preparation_evaluation", "Đánh giá việc chuẩn bị"),
    ("quality_evaluation", "Đánh giá chất lượng buổi sinh hoạt"),
    ("adopted", "Những nội dung chi bộ thống nhất tiếp thu, thực hiện"),
    ("orientation", "Định hướng tư tưởng"),
]


@dataclass
class RegisterRow:
    kind: str
    date: datetime.date | None
    topic: str
    minutes_id: int
    minutes_label: str
    meeting_id: int
    parts: list[tuple[str, str]] = field(default_factory=list)  # (heading, text); heading may be ""
    votes: str = ""
    number: int | None = None
    owner: str = ""
    due_on: datetime.date | None = None
    status: str = ""
    progress_note: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, "")

    @property
    def text(self) -> str:
        """The parts as one text (Excel, search)."""
        return "\n".join(f"{h}: {t}" if h else t for h, t in self.parts)

    @property
    def search_text(self) -> str:
        # The words written, not the headings every conclusion carries ("Đánh giá ...").
        texts = [t for _h, t in self.parts]
        return fold(" ".join([self.topic, self.minutes_label, *texts, self.owner, self.progress_note]))


@dataclass(frozen=True)
class RegisterFilters:
    year: int | None = None
    kind: str = ""  # one of KINDS or "" for all
    status: str = ""  # an ActionStatus value or "" (only action items carry one)
    query: str = ""


def register_years(*, cell) -> list[int]:
    """The years the cell has finalised minutes in, newest first (one query)."""
    return sorted(set(Minutes.objects.filter(cell=cell).values_list("year", flat=True)), reverse=True)


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _votes(resolution: dict) -> str:
    voters = resolution.get("eligible_voters") or resolution.get("expected_members")
    text = f"Tán thành {resolution.get('votes_for', 0)}"
    if voters:
        text += f"/{voters}"
    return (
        f"{text}; không tán thành {resolution.get('votes_against', 0)}; "
        f"không biểu quyết {resolution.get('votes_abstain', 0)}"
    )


def _minutes_label(number: int) -> str:
    return f"{number:02d}-BB/CB"


def register_rows(*, cell, filters: RegisterFilters = RegisterFilters()) -> list[RegisterRow]:
    """The register's rows for the filters, newest meeting first; within a meeting the
    conclusion, then the resolution, then the action items in their order."""
    minutes_qs = Minutes.objects.filter(cell=cell, meeting__stage=Stage.FINALIZED)
    if filters.year:
        minutes_qs = minutes_qs.filter(year=filters.year)
    # Only the snapshot keys the register shows are read, not the whole frozen minutes.
    records = list(
        minutes_qs.values(
            "pk",
            "number",
            "meeting_id",
            "snapshot__date",
            "snapshot__topic_title",
            "snapshot__conclusion",
            "snapshot__resolution",
            "snapshot__action_items",
        )
    )
    live = {}
    if filters.kind in ("", ACTION):
        items = ActionItem.objects.filter(cell=cell, meeting_id__in=[r["meeting_id"] for r in records]).values(
            "meeting_id", "number", "text", "owner_kind", "owner_member__full_name", "due_on", "status", "progress_note"
        )
        live = {(i["meeting_id"], i["number"]): i for i in items}

    rows: list[RegisterRow] = []
    for r in records:
        base = {
            "date": _date(r["snapshot__date"]),
            "topic": r["snapshot__topic_title"] or "",
            "minutes_id": r["pk"],
            "minutes_label": _minutes_label(r["number"]),
            "meeting_id": r["meeting_id"],
        }
        conclusion = r["snapshot__conclusion"]
        if conclusion and filters.kind in ("", CONCLUSION):
            parts = [(heading, conclusion.get(key) or "") for key, heading in CONCLUSION_PARTS if conclusion.get(key)]
            rows.append(RegisterRow(kind=CONCLUSION, parts=parts, **base))
        resolution = r["snapshot__resolution"]
        if resolution and filters.kind in ("", RESOLUTION):
            rows.append(
                RegisterRow(
                    kind=RESOLUTION, parts=[("", resolution.get("text") or "")], votes=_votes(resolution), **base
                )
            )
        if filters.kind in ("", ACTION):
            rows.extend(_action_rows(r, base, live))

    if filters.status:
        rows = [row for row in rows if row.kind == ACTION and row.status == filters.status]
    needle = fold(filters.query)
    if needle:
        # Accent-insensitive search in Python over the rows already loaded: one cell's
        # finalised minutes (a dozen or two a year), bounded further by the year filter.
        # Simple and visible; no folded column or unaccent extension is needed at this size.
        rows = [row for row in rows if needle in row.search_text]
    rows.sort(key=lambda row: (row.date or datetime.date.min, row.minutes_id), reverse=True)
    return rows  # sort is stable: within a meeting the order built above is kept


def _action_rows(record: dict, base: dict, live: dict) -> list[RegisterRow]:
    """Items as the minutes froze them, with their live status; minutes sealed before items were
    frozen (no "action_items" key) show the live rows of that meeting, if any."""
    frozen = record["snapshot__action_items"]
    meeting_id = record["meeting_id"]
    if frozen is None:
        frozen = [
            {"number": i["number"], "text": i["text"], "owner": "", "due_on": i["due_on"].isoformat()}
            for key, i in sorted(live.items())
            if key[0] == meeting_id
        ]
    rows = []
    for a in frozen:
        current = live.get((meeting_id, a.get("number")), {})
        owner = a.get("owner") or current.get("owner_member__full_name") or ""
        if not owner and current.get("owner_kind"):
            owner = ActionOwnerKind(current["owner_kind"]).label
        rows.append(
            RegisterRow(
                kind=ACTION,
                parts=[("", a.get("text") or "")],
                number=a.get("number"),
                owner=owner,
                due_on=_date(a.get("due_on")),
                status=current.get("status", ""),
                progress_note=current.get("progress_note", ""),
                **base,
            )
        )
    return rows
