"""The cell's register of decisions (issue 17, item 5): rows read from the sealed minutes'
snapshot (conclusion, resolution, action items) with the items' live status, newest first;
accent-insensitive search, filters, and a query count that does not grow with the meetings."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import ActionItem, ActionOwnerKind, ActionStatus, Minutes
from meetings.selectors.register import ACTION, CONCLUSION, RESOLUTION, RegisterFilters, register_rows, register_years
from meetings.workflow import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def sealed_meeting(cell, *, day, number, topic="Tự soi, tự sửa", resolution="Chi bộ quyết nghị học tập", items=()):
    """A finalised meeting with its minutes; `items` are (text, owner_label, status) written both
    to the snapshot (what was decided) and to the live table (status, progress)."""
    meeting = f.MeetingFactory(cell=cell, stage=Stage.FINALIZED, scheduled_date=day, year=day.year)
    due = day + datetime.timedelta(days=30)
    snapshot = {
        "date": day.isoformat(),
        "topic_title": topic,
        "conclusion": {
            "preparation_evaluation": "Chuẩn bị chu đáo",
            "quality_evaluation": "Thảo luận sôi nổi",
            "adopted": "Tiếp thu ý kiến",
            "orientation": "",
        },
        "resolution": {
            "text": resolution,
            "votes_for": 9,
            "votes_against": 0,
            "votes_abstain": 1,
            "eligible_voters": 10,
        },
        "action_items": [
            {
                "number": n,
                "text": text,
                "owner": owner,
                "due_on": due.isoformat(),
                "due_label": due.strftime("%d/%m/%Y"),
            }
            for n, (text, owner, _status) in enumerate(items, start=1)
        ],
    }
    for n, (text, _owner, status) in enumerate(items, start=1):
        ActionItem.objects.create(
            meeting=meeting,
            cell=cell,
            number=n,
            text=text,
            owner_kind=ActionOwnerKind.COMMITTEE,
            due_on=due,
            status=status,
            progress_note="Đã triển khai" if status == ActionStatus.DONE else "",
        )
    Minutes.objects.create(
        meeting=meeting,
        cell=cell,
        year=day.year,
        number=number,
        snapshot=snapshot,
        finalized_at=timezone.now(),
    )
    return meeting


@pytest.fixture
def register(cell):
    sealed_meeting(
        cell,
        day=datetime.date(2025, 11, 20),
        number=7,
        topic="Nghị quyết Trung ương 4",
        resolution="Nghị quyết về chỉnh đốn Đảng",
        items=[("Rà soát quy chế làm việc", "Chi ủy", ActionStatus.DONE)],
    )
    sealed_meeting(
        cell,
        day=datetime.date(2026, 3, 5),
        number=2,
        items=[
            ("Viết bài thu hoạch", "Đồng chí Trần Thị Đảng Viên", ActionStatus.OPEN),
            ("Sửa quy chế chi tiêu", "Chi ủy", ActionStatus.IN_PROGRESS),
        ],
    )
    return cell


def test_rows_from_several_meetings_newest_first(register):
    rows = register_rows(cell=register)
    assert [(r.kind, r.date.year) for r in rows] == [
        (CONCLUSION, 2026),
        (RESOLUTION, 2026),
        (ACTION, 2026),
        (ACTION, 2026),
        (CONCLUSION, 2025),
        (RESOLUTION, 2025),
        (ACTION, 2025),
    ]
    first = rows[0]
    assert first.minutes_label == "02-BB/CB" and first.topic == "Tự soi, tự sửa"
    assert ("Đánh giá việc chuẩn bị", "Chuẩn bị chu đáo") in first.parts
    assert rows[1].votes == "Tán thành 9/10; không tán thành 0; không biểu quyết 1"
    item = rows[2]
    assert (item.number, item.owner, item.status_label) == (1, "Đồng chí Trần Thị Đảng Viên", "Chưa thực hiện")
    assert rows[6].progress_note == "Đã triển khai"


def test_search_without_diacritics_finds_the_accented_text(register):
    rows = register_rows(cell=register, filters=RegisterFilters(query="nghi quyet ve chinh don"))
    assert [r.kind for r in rows] == [RESOLUTION]
    assert rows[0].parts == [("", "Nghị quyết về chỉnh đốn Đảng")]
    # The topic is searched too: every row of that meeting matches "nghi quyet trung uong".
    assert len(register_rows(cell=register, filters=RegisterFilters(query="nghị quyết trung ương"))) == 3
    assert register_rows(cell=register, filters=RegisterFilters(query="không có đâu")) == []
    # Headings are not searched: "đánh giá" is in every conclusion's headings, in none of its texts.
    assert register_rows(cell=register, filters=RegisterFilters(query="danh gia")) == []


def test_filters_year_kind_and_status(register):
    assert {r.date.year for r in register_rows(cell=register, filters=RegisterFilters(year=2025))} == {2025}
    kinds = {r.kind for r in register_rows(cell=register, filters=RegisterFilters(kind=RESOLUTION))}
    assert kinds == {RESOLUTION}
    done = register_rows(cell=register, filters=RegisterFilters(status=ActionStatus.DONE))
    assert [r.parts[0][1] for r in done] == ["Rà soát quy chế làm việc"]
    assert register_years(cell=register) == [2026, 2025]


def test_only_the_cells_own_finalised_minutes(register, other_cell):
    sealed_meeting(other_cell, day=datetime.date(2026, 4, 1), number=1, resolution="Của chi bộ khác")
    assert all(r.topic != "" for r in register_rows(cell=register))
    assert not any("Của chi bộ khác" in r.text for r in register_rows(cell=register))


def test_snapshot_is_the_record_not_the_live_text(register):
    ActionItem.objects.filter(text="Viết bài thu hoạch").update(text="Sửa sau khi khóa")
    texts = [r.text for r in register_rows(cell=register, filters=RegisterFilters(kind=ACTION))]
    assert "Viết bài thu hoạch" in texts and "Sửa sau khi khóa" not in texts


@pytest.mark.parametrize("meetings", [2, 8])
def test_query_count_is_constant_in_the_number_of_meetings(cell, meetings, django_assert_num_queries):
    for n in range(meetings):
        sealed_meeting(
            cell,
            day=datetime.date(2026, 1, 1) + datetime.timedelta(days=n * 10),
            number=n + 1,
            items=[("Việc A", "Chi ủy", ActionStatus.OPEN), ("Việc B", "Chi ủy", ActionStatus.DONE)],
        )
    with django_assert_num_queries(2):
        rows = register_rows(cell=cell, filters=RegisterFilters(query="viec a"))
    assert len(rows) == meetings
