"""Demo history of thematic meetings, built through the same services a secretary uses.

Called by seed_demo: `seed_demo_meetings(cells=[...], actor_by_cell={cell_id: user}, rooms={cell_id: place})`.
Every cell has a yearly plan, submitted in January, with a topic per quarter; past quarters are
held and finalised (some cells skip some quarters, so are not compliant). Office cells meet on
a weekday afternoon in their meeting room, residential cells (tổ dân phố) on a Sunday morning
in the street's cultural house. What is said comes from _demo_texts.py.
Idempotent: a quarter whose meeting is no longer planned is left alone.
"""

import contextlib
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.management.commands._demo_texts import (
    OFFICE_ABSENCE_REASONS,
    OFFICE_TOPICS,
    RESERVATION,
    RESIDENTIAL_ABSENCE_REASONS,
    RESIDENTIAL_TOPICS,
    TopicText,
)
from meetings.models import (
    ActionOwnerKind,
    ActionStatus,
    AttendanceStatus,
    DirectedTopic,
    Meeting,
    MeetingKind,
    MeetingMode,
    Member,
    MemberStatus,
    MinutesAdoption,
    Notification,
    NotificationKind,
    NotificationStatus,
    Organization,
    Plan,
    PlanStatus,
    Position,
    TopicGroup,
)
from meetings.periods import quarter_of
from meetings.rules.meetings import quality_criteria
from meetings.rules.votes import eligible_voters
from meetings.selectors.action_reviews import review_candidates
from meetings.services import action_reviews as review_services
from meetings.services import actions as action_services
from meetings.services import contributions as contribution_services
from meetings.services import meeting_mode as mode_services
from meetings.services import meeting_run as run_services
from meetings.services import meetings as meeting_services
from meetings.services import plans as plan_services
from meetings.services import topics as topic_services
from meetings.services.notifications import notifications_send_batch
from meetings.workflow import Stage, Step

try:  # with it the demo history gets realistic timestamps
    import time_machine
except ImportError:  # pragma: no cover
    time_machine = None

RESIDENTIAL_PREFIX = "Chi bộ Tổ dân phố"
OFFICE_START = datetime.time(14, 0)
RESIDENTIAL_START = datetime.time(8, 0)  # Sunday morning, when residents are at home
SUNDAY = 6


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


def demo_years(today: datetime.date, quarters: int = 3) -> list[int]:
    """The years the demo shows: those of the past quarters held, and the current one."""
    return sorted({year for year, _ in _quarters_before(today, quarters)} | {today.year})


def is_residential(cell: Organization) -> bool:
    return cell.name.startswith(RESIDENTIAL_PREFIX)


def topic_text_for(cell: Organization, index: int, quarter: int) -> TopicText:
    """The topic of a cell's quarter: a different one each quarter, for its kind of cell."""
    topics = RESIDENTIAL_TOPICS if is_residential(cell) else OFFICE_TOPICS
    return topics[(index + quarter) % len(topics)]


def meeting_day(cell: Organization, year: int, quarter: int, index: int) -> datetime.date:
    """Mid second month of the quarter: a Sunday for a residential cell, a working day
    (Monday to Friday) for an office cell."""
    day = datetime.date(year, (quarter - 1) * 3 + 2, 12 + index % 10)
    if is_residential(cell):
        return day + datetime.timedelta(days=(SUNDAY - day.weekday()) % 7)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _local(date: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))


def _shift(date: datetime.date, time: datetime.time, minutes: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, time) + datetime.timedelta(minutes=minutes))


def _topic_fields(cell: Organization, year: int, text: TopicText) -> dict:
    directed = (
        DirectedTopic.objects.filter(committee__in=Organization.objects.ancestors_of(cell), year=year, title=text.title)
        .order_by("pk")
        .first()
    )
    if directed is not None:
        return {"directed_topic": directed, "description": text.purpose}
    return {"title": text.title, "group": TopicGroup.objects.get(number=text.group), "description": text.purpose}


def _committee(members: list[Member]) -> tuple[Member, Member, Member]:
    secretary = next((m for m in members if m.position == Position.SECRETARY), members[0])
    deputy = next((m for m in members if m.position == Position.DEPUTY), members[1])
    clerk = next((m for m in members if m.position == Position.COMMITTEE_MEMBER), members[2])
    return secretary, deputy, clerk


def _yearly_plan(*, cell, actor, year: int, index: int) -> Plan:
    """The cell's plan of the year with a topic for each quarter, submitted to the superior
    committee in January (or today, early in January)."""
    plan = Plan.objects.filter(cell=cell, year=year).first()
    if plan is None:
        members = list(Member.objects.filter(cell=cell).expected().order_by("card_number"))
        secretary, _, _ = _committee(members)
        moment = min(_local(datetime.date(year, 1, 8), 9), timezone.now())
        with _at(moment):
            plan = plan_services.plan_create(cell=cell, year=year, actor=actor)
            for quarter in (1, 2, 3, 4):
                plan_services.plan_add_meeting(
                    plan=plan,
                    actor=actor,
                    quarter=quarter,
                    planned_month=(quarter - 1) * 3 + 2,
                    responsible=secretary,
                    **_topic_fields(cell, year, topic_text_for(cell, index, quarter)),
                )
    if plan.status == PlanStatus.DRAFT and plan.meetings.exclude(stage=Stage.CANCELLED).exists():
        moment = min(_local(datetime.date(year, 1, 12), 15), timezone.now())
        with _at(moment):
            plan = plan_services.plan_submit(plan=plan, actor=actor)
    return plan


def _name(member: Member) -> str:
    return f"đồng chí {member.full_name}"


def _response(author: Member, said: list[tuple[Member, str]]) -> str:
    heard = "; ".join(f"ý kiến của {_name(m)} về {point}" for m, point in said)
    return (
        f"Đồng chí {author.full_name} cảm ơn các ý kiến đóng góp và tiếp thu: {heard}.\n\n"
        f"Các ý kiến trên được bổ sung vào phần giải pháp của chuyên đề. Riêng đề nghị về {said[-1][1]}, "
        "người chuẩn bị đề dẫn thống nhất và đề nghị chi ủy đưa vào nghị quyết để tổ chức thực hiện; chuyên đề "
        "được hoàn chỉnh và gửi đảng viên nghiên cứu sau buổi sinh hoạt."
    )


def _completed(text: TopicText, said: list[tuple[Member, str]]) -> str:
    points = "; ".join(point for _, point in said)
    return (
        f"{text.lead_paper}\n\n"
        f"Tiếp thu ý kiến tại buổi sinh hoạt, chuyên đề được bổ sung các giải pháp sau: {points}. "
        "Chi ủy cụ thể hóa các giải pháp này trong nghị quyết và chương trình công tác của chi bộ."
    )


def _evaluations(*, author, date, paper_sent, said, contributions: int, absent_without_reason: bool, residential):
    preparation = (
        f"Chi ủy chuẩn bị chu đáo: đề dẫn do {_name(author)} chuẩn bị được duyệt và gửi đến đảng viên ngày "
        f"{paper_sent:%d/%m/%Y}, trước buổi sinh hoạt {(date - paper_sent).days} ngày; {contributions} đồng chí "
        "được phân công tham luận đều nộp bài đúng hạn."
    )
    place = "tổ dân phố" if residential else "cơ quan"
    best = " và ".join(f"{_name(m)} về {point}" for m, point in said[-2:])
    quality = (
        f"Buổi sinh hoạt nghiêm túc, có {len(said)} lượt ý kiến, trong đó {contributions} tham luận; các ý kiến đi "
        f"vào thực tế của chi bộ và {place}, nhất là ý kiến của {best}."
    )
    if absent_without_reason:
        quality += " Còn đảng viên vắng mặt không có lý do; chi ủy sẽ gặp gỡ, nhắc nhở theo quy định."
    return preparation, quality


def _scores(quality: int) -> dict:
    criteria = quality_criteria()
    scores = {key: min(maximum, round(maximum * quality / 100)) for key, _, maximum in criteria}
    first_key, _, first_max = criteria[0]
    scores[first_key] = max(0, min(first_max, scores[first_key] + quality - sum(scores.values())))
    return scores


DISCARD_MAIL = "django.core.mail.backends.dummy.EmailBackend"
HYBRID_ROOM = "https://hop.chibo.vn/phong/{cell}"
HYBRID_REASON = "Nhiều đồng chí đang công tác, học tập xa địa bàn, không thể về dự trực tiếp."
HYBRID_IN_PERSON = 3  # the chair, the lead author and the clerk meet in the room


def _finalised_meeting(*, meeting, actor, room: str, index: int, quality: int, hybrid: bool = False) -> Meeting:
    """Preparation → schedule → notice → the nine steps → finalised minutes, for a planned meeting.
    `hybrid`: held in the room and online, most members joining online (HD 03-HD/TW 2022)."""
    cell = meeting.cell
    residential = is_residential(cell)
    text = topic_text_for(cell, index, meeting.quarter)
    date = meeting_day(cell, meeting.year, meeting.quarter, index)
    start = RESIDENTIAL_START if residential else OFFICE_START
    members = list(Member.objects.filter(cell=cell).expected().order_by("card_number"))
    secretary, author, clerk = _committee(members)
    contributors = members[3:5]
    speakers = members[5 : 5 + 2 + index % 2]
    topic = meeting.topic

    with _at(_local(date - datetime.timedelta(days=20), 9)):
        topic = topic_services.topic_assign_lead_author(
            topic=topic, actor=actor, author=author, due=date - datetime.timedelta(days=8)
        )
        contributions = [
            topic_services.contribution_assign(
                topic=topic,
                actor=actor,
                member=member,
                subject=piece.subject,
                due_on=date - datetime.timedelta(days=3),
            )
            for member, piece in zip(contributors, text.contributions, strict=False)
        ]
        meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.PREPARING)
    paper_sent = date - datetime.timedelta(days=9)
    with _at(_local(paper_sent, 15)):
        topic_services.topic_submit_lead_paper(topic=topic, actor=actor, text=text.lead_paper)
        topic_services.topic_approve_lead_paper(topic=topic, actor=actor)
        meeting = meeting_services.meeting_schedule(
            meeting=meeting,
            actor=actor,
            version=None,
            scheduled_date=date,
            start_time=start,
            place=room,
            chair=secretary,
            clerk=clerk,
            **(
                {
                    "mode": MeetingMode.HYBRID,
                    "online_room": HYBRID_ROOM.format(cell=cell.pk),
                    "online_reason": HYBRID_REASON,
                    "online_not_secret": True,
                }
                if hybrid
                else {}
            ),
        )
        meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.SCHEDULED)
        meeting = meeting_services.meeting_send_notice(meeting=meeting, actor=actor)
        _deliver_nowhere(meeting)
    with _at(_local(date - datetime.timedelta(days=4), 20)):
        for contribution, piece in zip(contributions, text.contributions, strict=False):
            contribution_services.contribution_submit(contribution=contribution, actor=actor, text=piece.text)
    with _at(_shift(date, start, 5)):
        meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.IN_PROGRESS)
        reasons = RESIDENTIAL_ABSENCE_REASONS if residential else OFFICE_ABSENCE_REASONS
        entries = {m.pk: (AttendanceStatus.PRESENT, "") for m in members}
        entries[members[-1].pk] = (AttendanceStatus.EXCUSED, reasons[(index + meeting.quarter) % len(reasons)])
        if quality < 70:
            entries[members[-2].pk] = (AttendanceStatus.UNEXCUSED, "")
        run_services.meeting_attendance_set(meeting=meeting, actor=actor, version=None, entries=entries)
        if hybrid:
            present = [m for m in members if entries[m.pk][0] == AttendanceStatus.PRESENT]
            modes = {m.pk: "in_person" if i < HYBRID_IN_PERSON else "online" for i, m in enumerate(present)}
            mode_services.attendance_modes_set(meeting=meeting, actor=actor, version=None, modes=modes)
        _review_earlier_items(meeting=meeting, actor=actor)
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.OPENING)
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.CLERK)
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.ATTENDANCE)
        run_services.meeting_step_record(
            meeting=meeting,
            actor=actor,
            step=Step.PROGRAMME,
            text=(
                f"1. Đồng chí {author.full_name} trình bày đề dẫn chuyên đề.\n"
                f"2. Các đồng chí được phân công trình bày tham luận; đảng viên phát biểu, thảo luận.\n"
                f"3. Người chuẩn bị đề dẫn tiếp thu ý kiến.\n"
                f"4. Đồng chí {secretary.full_name}, Bí thư Chi bộ, kết luận; chi bộ biểu quyết."
            ),
        )
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.PURPOSE, text=text.purpose)
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.LEAD_PAPER, text=text.lead_summary)
        said = []
        for contribution, piece in zip(topic.contributions.order_by("pk"), text.contributions, strict=False):
            run_services.speech_add_contribution(meeting=meeting, actor=actor, version=None, contribution=contribution)
            said.append((contribution.member, piece.point))
        for speaker, piece in zip(speakers, text.speeches, strict=False):
            run_services.speech_add(meeting=meeting, actor=actor, version=None, speaker=speaker, content=piece.text)
            said.append((speaker, piece.point))
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.DISCUSSION)
        run_services.meeting_step_record(meeting=meeting, actor=actor, step=Step.RESPONSE, text=_response(author, said))
        if index % 3 != 2:  # most topics are completed with the meeting's opinions
            topic_services.topic_completed_save(topic=topic, actor=actor, text=_completed(text, said))
        preparation, quality_text = _evaluations(
            author=author,
            date=date,
            paper_sent=paper_sent,
            said=said,
            contributions=len(contributions),
            absent_without_reason=quality < 70,
            residential=residential,
        )
        run_services.meeting_conclusion_save(
            meeting=meeting,
            actor=actor,
            version=None,
            preparation_evaluation=preparation,
            quality_evaluation=quality_text,
            adopted=text.adopted,
            orientation=text.orientation,
            criteria_scores=_scores(quality),
        )
        _action_items(meeting=meeting, actor=actor, members=members, date=date)
        if index % 2 == 0:
            # Only full members present vote (Party Charter art. 5): the demo stays within them.
            run_services.meeting_resolution_save(
                meeting=meeting,
                actor=actor,
                version=None,
                votes_for=eligible_voters(meeting).present,
                text=(
                    f"Chi bộ thống nhất ban hành nghị quyết chuyên đề “{topic.title}”.\n\n{text.adopted}\n\n"
                    "Giao chi ủy cụ thể hóa thành chương trình hành động, phân công đảng viên thực hiện và kiểm "
                    "tra kết quả trong sinh hoạt định kỳ hằng tháng."
                ),
            )
        duration = 120 if quality >= 70 else 75  # a short one: its grade is capped
        end = _shift(date, start, duration).time()
        run_services.meeting_times_save(meeting=meeting, actor=actor, version=None, start=start, end=end)
        # Read back ten minutes before closing; every third meeting adopts with a reservation.
        read_back = _shift(date, start, duration - 10).time()
        reservations = [(speakers[0], RESERVATION)] if index % 3 == 1 else []
        run_services.meeting_minutes_adoption_save(
            meeting=meeting,
            actor=actor,
            version=None,
            read_back=True,
            read_back_time=read_back,
            adoption=MinutesAdoption.RESERVATIONS if reservations else MinutesAdoption.UNANIMOUS,
            reservations=reservations,
        )
    with _at(_shift(date, start, duration + 30)):
        meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.HELD)
        meeting_services.meeting_finalize(meeting=meeting, actor=actor)
    _report_progress(meeting=meeting, actor=actor, date=date)
    return meeting


def _action_items(*, meeting, actor, members: list[Member], date: datetime.date) -> None:
    """Two points of the conclusion turned into action items: one for a member (the demo's
    plain member, so the member's home shows it), one for the cell committee."""
    member = next(m for m in members if m.position == Position.MEMBER and m.status == MemberStatus.ACTIVE)
    action_services.action_item_add(
        meeting=meeting,
        actor=actor,
        text="Tự rà soát hạn chế của bản thân theo nội dung chuyên đề, đăng ký nội dung khắc phục với chi bộ.",
        owner_kind=ActionOwnerKind.MEMBER,
        owner_member=member,
        due_on=date + datetime.timedelta(days=30),
    )
    action_services.action_item_add(
        meeting=meeting,
        actor=actor,
        text="Cụ thể hóa kết luận thành kế hoạch thực hiện của chi bộ, phân công theo dõi, đôn đốc.",
        owner_kind=ActionOwnerKind.COMMITTEE,
        due_on=date + datetime.timedelta(days=45),
    )


def _deliver_nowhere(meeting) -> None:
    """The notice and materials of a demo meeting go through delivery when they were sent, as
    in a real quarter (the receipts and the minutes' warnings read their delivery), to Django's
    dummy backend, which drops them: demo history never mails anyone."""
    due = Notification.objects.filter(
        meeting=meeting, kind=NotificationKind.NOTICE, status=NotificationStatus.PENDING, due_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    notifications_send_batch(ids=list(due), backend=DISCARD_MAIL)


def _review_earlier_items(*, meeting, actor) -> None:
    """The meeting reviews what the cell's earlier conclusions assigned: a member's item in
    progress is found done, the committee's plan has been issued."""
    for item in review_candidates(meeting).order_by("meeting__scheduled_date", "number"):
        if item.owner_kind == ActionOwnerKind.MEMBER:
            note = "Đồng chí đã báo cáo kết quả khắc phục với chi bộ."
        else:
            note = "Chi ủy đã ban hành kế hoạch thực hiện, phân công đồng chí phó bí thư theo dõi."
        review_services.action_item_review(item=item, meeting=meeting, actor=actor, status=ActionStatus.DONE, note=note)


def _report_progress(*, meeting, actor, date: datetime.date) -> None:
    """The member reports on the first item three weeks after the meeting (when that day has
    passed): done for meetings of more than four months ago, still under way for the latest, so
    the member's home has an item to follow; the committee's item is left for the next review."""
    day = date + datetime.timedelta(days=21)
    today = timezone.localdate()
    if day >= today:
        return
    item = meeting.action_items.filter(owner_kind=ActionOwnerKind.MEMBER).first()
    done = (today - date).days > 120
    with _at(_local(day, 20)):
        action_services.action_item_progress(
            item=item,
            actor=actor,
            status=ActionStatus.DONE if done else ActionStatus.IN_PROGRESS,
            note="Đã đăng ký nội dung khắc phục với chi bộ." if done else "Đang khắc phục, sẽ báo cáo chi bộ.",
        )


def _preparing_topic(*, meeting, actor, index: int) -> Meeting:
    """The current quarter for the demo secretary: a topic in preparation, ready to continue."""
    members = list(Member.objects.filter(cell=meeting.cell).expected().order_by("card_number"))
    _, author, _ = _committee(members)
    text = topic_text_for(meeting.cell, index, meeting.quarter)
    topic_services.topic_assign_lead_author(topic=meeting.topic, actor=actor, author=author)
    topic_services.contribution_assign(
        topic=meeting.topic, actor=actor, member=members[3], subject=text.contributions[0].subject
    )
    return meeting_services.meeting_transition(meeting=meeting, actor=actor, target=Stage.PREPARING)


def _planned(cell, year: int, quarter: int) -> Meeting | None:
    return (
        Meeting.objects.filter(cell=cell, kind=MeetingKind.THEMATIC, year=year, quarter=quarter, stage=Stage.PLANNED)
        .select_related("cell", "topic")
        .order_by("pk")
        .first()
    )


def seed_demo_meetings(*, cells, actor_by_cell, rooms=None, quarters: int = 3, preparing_cell=None) -> int:
    """Submitted yearly plans; finalised meetings for the previous quarters (some cells skip
    some quarters, so are not compliant) and, for the demo secretary's cell (`bithu`, else the
    first cell), a topic in preparation for the current quarter. Returns the number of
    meetings held or started."""
    today = timezone.localdate()
    rooms = rooms or {}
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
        for year in demo_years(today, quarters):
            _yearly_plan(cell=cell, actor=actor, year=year, index=index)
        room = rooms.get(cell.pk) or "Phòng họp của cơ quan"
        for offset, (year, quarter) in enumerate(reversed(_quarters_before(today, quarters))):
            if cell != preparing_cell and (index + offset) % 3 == 2:
                continue  # this cell misses this quarter: shown as not compliant
            meeting = _planned(cell, year, quarter)
            if meeting is None:
                continue
            quality = [95, 82, 64, 88, 74][(index + offset) % 5]
            # Some cells held one quarter's meeting in the room and online.
            hybrid = offset == 1 and index % 3 == 0 and quality >= 70
            try:
                _finalised_meeting(meeting=meeting, actor=actor, room=room, index=index, quality=quality, hybrid=hybrid)
            except ValidationError as exc:  # say which meeting the services refused
                raise ValidationError(f"{cell} quý {quarter}/{year}: {'; '.join(exc.messages)}") from exc
            created += 1
    if preparing_cell is not None:
        meeting = _planned(preparing_cell, today.year, quarter_of(today))
        if meeting is not None:
            _preparing_topic(
                meeting=meeting, actor=actor_by_cell.get(preparing_cell.pk), index=cells.index(preparing_cell)
            )
            created += 1
    return created
