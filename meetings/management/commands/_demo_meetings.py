"""Demo history of thematic meetings, built through the same services a secretary uses.

Called by seed_demo: `seed_demo_meetings(cells=[...], actor_by_cell={cell_id: user})`.
Idempotent: a cell's quarter that already has a thematic meeting is left alone.
"""

import contextlib
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import AttendanceStatus, Meeting, MeetingKind, Member, MinutesAdoption, Position, TopicGroup
from meetings.periods import quarter_of
from meetings.rules.meetings import quality_criteria
from meetings.rules.votes import eligible_voters
from meetings.services import meeting_run as run_services
from meetings.services import meetings as meeting_services
from meetings.services import plans as plan_services
from meetings.services import topics as topic_services
from meetings.workflow import Stage, Step

try:  # with it the demo history gets realistic timestamps
    import time_machine
except ImportError:  # pragma: no cover
    time_machine = None

OWN_TOPICS = [
    (6, "Nâng cao chất lượng, hiệu quả thực hiện nhiệm vụ chuyên môn của cơ quan"),
    (4, "Nâng cao năng lực ứng dụng công nghệ thông tin của cán bộ, đảng viên"),
    (7, "Giáo dục truyền thống cách mạng của quê hương Hà Tĩnh"),
    (3, "Phòng, chống lãng phí trong sử dụng tài sản công tại cơ quan"),
]
SPEECHES = [
    "Đồng tình với nội dung đề dẫn; liên hệ bản thân cần chủ động hơn trong công việc được giao.",
    "Đề nghị chi bộ phân công cụ thể từng đảng viên phụ trách nội dung, có kiểm tra, đôn đốc hằng tháng.",
    "Thực tế tại cơ quan còn một số hạn chế về phối hợp giữa các bộ phận; đề xuất giải pháp tăng cường trao đổi.",
    "Mỗi đảng viên cần gương mẫu, nói đi đôi với làm; đề nghị đưa nội dung này vào tiêu chí đánh giá cuối năm.",
]


@contextlib.contextmanager
def _at(moment: datetime.datetime):
    if time_machine is None:
        yield
        return
    with time_machine.travel(moment, tick=False):
        yield


def _quarters_before(today: datetime.date, count: int) -> list[tuple[int, int]]:
    year, quarter = today.year, quarter_of(today)
    result = []
    for _ in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        result.append((year, quarter))
    return result


def _topic_choice(cell, year: int, index: int) -> dict:
    directed = list(topic_services.directed_topics_for_cell(cell, year))
    if directed and index % 2 == 0:
        return {"directed_topic": directed[index % len(directed)]}
    number, title = OWN_TOPICS[index % len(OWN_TOPICS)]
    return {"title": title, "group": TopicGroup.objects.get(number=number)}


def _local(date: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))


def _finalised_meeting(*, cell, actor, year: int, quarter: int, index: int, quality: int) -> Meeting:
    """Plan → preparation → schedule → notice → the nine steps → finalised minutes."""
    month = (quarter - 1) * 3 + 2
    date = datetime.date(year, month, 12 + index % 10)
    members = list(Member.objects.filter(cell=cell).expected().order_by("card_number"))
    secretary = next((m for m in members if m.position == Position.SECRETARY), members[0])
    author = next((m for m in members if m.position == Position.DEPUTY), members[1])
    clerk = next((m for m in members if m.position == Position.COMMITTEE_MEMBER), members[2])

    with _at(_local(date - datetime.timedelta(days=20), 9)):
        plan = plan_services.plan_get_or_create(cell=cell, year=year, actor=actor)
        meeting = plan_services.plan_add_meeting(
            plan=plan,
            actor=actor,
            quarter=quarter,
            planned_month=month,
            responsible=secretary,
            **_topic_choice(cell, year, index + quarter),
        )
        topic = topic_services.topic_assign_lead_author(
            topic=meeting.topic, actor=actor, author=author, due=date - datetime.timedelta(days=7)
        )
        for member, subject in zip(
            members[3:5], ["Liên hệ thực tiễn tại bộ phận", "Giải pháp thực hiện"], strict=False
        ):
            topic_services.contribution_assign(
                topic=topic, actor=actor, member=member, subject=subject, due_on=date - datetime.timedelta(days=3)
            )
        meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.PREPARING)
    with _at(_local(date - datetime.timedelta(days=9), 15)):
        topic_services.topic_submit_lead_paper(
            topic=topic,
            actor=actor,
            text=f"Đề dẫn chuyên đề “{topic.title}”: nội dung cốt lõi, thực trạng tại cơ quan, giải pháp thực hiện.",
        )
        topic_services.topic_approve_lead_paper(topic=topic, actor=actor)
        meeting = meeting_services.meeting_schedule(
            meeting=meeting,
            actor=actor,
            version=None,
            scheduled_date=date,
            start_time=datetime.time(14, 0),
            place="Phòng họp cơ quan",
            chair=secretary,
            clerk=clerk,
        )
        meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.SCHEDULED)
        meeting = meeting_services.meeting_send_notice(meeting=meeting, actor=actor)
    with _at(_local(date, 14, 5)):
        meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.IN_PROGRESS)
        entries = {m.pk: (AttendanceStatus.PRESENT, "") for m in members}
        entries[members[-1].pk] = (AttendanceStatus.EXCUSED, "Đi công tác theo quyết định của cơ quan")
        if quality < 70:
            entries[members[-2].pk] = (AttendanceStatus.UNEXCUSED, "")
        run_services.meeting_attendance_set(meeting=meeting, actor=actor, version=None, entries=entries)
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.OPENING)
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.CLERK)
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.ATTENDANCE)
        run_services.meeting_step_record(
            meeting=meeting,
            actor=actor,
            step=Step.PROGRAMME,
            text="Đề dẫn; thảo luận; tiếp thu; kết luận. Chi bộ biểu quyết thông qua chương trình.",
        )
        run_services.meeting_step_record(
            meeting=meeting,
            actor=actor,
            step=Step.PURPOSE,
            text="Nâng cao nhận thức, thống nhất giải pháp thực hiện trong chi bộ và cơ quan.",
        )
        run_services.meeting_step_record(
            meeting=meeting,
            actor=actor,
            step=Step.LEAD_PAPER,
            text=f"Đồng chí {author} trình bày đề dẫn chuyên đề.",
        )
        for contribution in topic.contributions.all():
            run_services.speech_add_contribution(meeting=meeting, actor=actor, version=None, contribution=contribution)
        for offset, text in enumerate(SPEECHES[: 2 + index % 3]):
            run_services.speech_add(
                meeting=meeting, actor=actor, version=None, speaker=members[5 + offset], content=text
            )
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.DISCUSSION)
        run_services.meeting_step_record(
            meeting=meeting,
            actor=actor,
            step=Step.RESPONSE,
            text=f"Đồng chí {author} tiếp thu các ý kiến, bổ sung vào đề dẫn.",
        )
        scores = {}
        remaining = quality
        criteria = quality_criteria()
        for key, _, maximum in criteria:
            scores[key] = min(maximum, round(maximum * quality / 100))
        remaining = quality - sum(scores.values())
        scores[criteria[0][0]] = max(0, min(criteria[0][2], scores[criteria[0][0]] + remaining))
        run_services.meeting_conclusion_save(
            meeting=meeting,
            actor=actor,
            version=None,
            preparation_evaluation="Chi ủy chuẩn bị chu đáo; đề dẫn, tham luận được gửi trước cho đảng viên.",
            quality_evaluation="Buổi sinh hoạt nghiêm túc, nhiều ý kiến liên hệ thực tiễn của chi bộ và cơ quan.",
            adopted="Thống nhất các giải pháp đã nêu; giao chi ủy cụ thể hóa trong chương trình công tác quý.",
            orientation="Mỗi đảng viên nêu cao tinh thần trách nhiệm, gương mẫu thực hiện.",
            criteria_scores=scores,
        )
        if index % 2 == 0:
            # Only full members present vote (Party Charter art. 5): the demo stays within them.
            run_services.meeting_resolution_save(
                meeting=meeting,
                actor=actor,
                version=None,
                votes_for=eligible_voters(meeting).present,
                text="Chi bộ thống nhất ban hành nghị quyết chuyên đề, giao chi ủy tổ chức thực hiện.",
            )
        duration = 120 if quality >= 70 else 75
        end = (datetime.datetime.combine(date, datetime.time(14)) + datetime.timedelta(minutes=duration)).time()
        run_services.meeting_times_save(meeting=meeting, actor=actor, version=None, start=datetime.time(14), end=end)
        # Read back ten minutes before closing; every third meeting adopts with a reservation.
        read_back = (datetime.datetime.combine(date, end) - datetime.timedelta(minutes=10)).time()
        reservations = []
        if index % 3 == 1:
            reservations = [(members[5], "Đề nghị ghi rõ thời hạn hoàn thành giải pháp thứ hai trong nghị quyết.")]
        run_services.meeting_minutes_adoption_save(
            meeting=meeting,
            actor=actor,
            version=None,
            read_back=True,
            read_back_time=read_back,
            adoption=MinutesAdoption.RESERVATIONS if reservations else MinutesAdoption.UNANIMOUS,
            reservations=reservations,
        )
    with _at(_local(date, 16, 30)):
        meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.HELD)
        meeting_services.meeting_finalize(meeting=meeting, actor=actor)
    return meeting


def _preparing_topic(*, cell, actor, year: int, quarter: int) -> Meeting:
    """The current quarter for the demo secretary: a topic in preparation, ready to continue."""
    members = list(Member.objects.filter(cell=cell).expected().order_by("card_number"))
    author = next((m for m in members if m.position == Position.DEPUTY), members[0])
    plan = plan_services.plan_get_or_create(cell=cell, year=year, actor=actor)
    month = max((quarter - 1) * 3 + 1, min(timezone.localdate().month, quarter * 3))
    meeting = plan_services.plan_add_meeting(
        plan=plan,
        actor=actor,
        quarter=quarter,
        planned_month=month,
        responsible=members[0],
        **_topic_choice(cell, year, 0),
    )
    topic_services.topic_assign_lead_author(topic=meeting.topic, actor=actor, author=author)
    topic_services.contribution_assign(
        topic=meeting.topic, actor=actor, member=members[3], subject="Liên hệ thực tiễn tại chi bộ"
    )
    return meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.PREPARING)


def seed_demo_meetings(*, cells, actor_by_cell, quarters: int = 3, preparing_cell=None) -> int:
    """Finalised meetings for the previous quarters (some cells skip some quarters, so are not
    compliant) and, for the demo secretary's cell (`bithu`, else the first cell), a topic in
    preparation for the current quarter. Returns the number of meetings created."""
    today = timezone.localdate()
    created = 0
    if preparing_cell is None:
        preparing_cell = next(
            (c for c in cells if getattr(actor_by_cell.get(c.pk), "username", "") == "bithu"),
            cells[0] if cells else None,
        )
    for index, cell in enumerate(cells):
        actor = actor_by_cell.get(cell.pk)
        if Member.objects.filter(cell=cell).expected().count() < 10:
            continue  # the demo script below needs a committee, an author and speakers
        for offset, (year, quarter) in enumerate(reversed(_quarters_before(today, quarters))):
            if cell != preparing_cell and (index + offset) % 3 == 2:
                continue  # this cell misses this quarter: shown as not compliant
            if Meeting.objects.filter(cell=cell, kind=MeetingKind.THEMATIC, year=year, quarter=quarter).exists():
                continue
            quality = [95, 82, 64, 88, 74][(index + offset) % 5]
            try:
                _finalised_meeting(cell=cell, actor=actor, year=year, quarter=quarter, index=index, quality=quality)
            except ValidationError as exc:  # keep seeding the others; report what failed
                raise ValidationError(f"{cell} quý {quarter}/{year}: {'; '.join(exc.messages)}") from exc
            created += 1
    if preparing_cell is not None:
        year, quarter = today.year, quarter_of(today)
        exists = Meeting.objects.filter(
            cell=preparing_cell, kind=MeetingKind.THEMATIC, year=year, quarter=quarter
        ).exists()
        if not exists:
            _preparing_topic(
                cell=preparing_cell, actor=actor_by_cell.get(preparing_cell.pk), year=year, quarter=quarter
            )
            created += 1
    return created
