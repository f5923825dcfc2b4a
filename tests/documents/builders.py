"""Builds a fully recorded meeting with factories only (no workflow services), for the
document, minutes-service and view tests."""

import datetime
import zoneinfo

from meetings import models as m
from meetings.periods import quarter_of
from meetings.rules.votes import eligible_voters
from tests import factories as f

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

NAMES = f.MEMBER_NAMES
MIDDLE = ["Hữu", "Minh", "Quang", "Ngọc", "Thanh"]


def recorded_meeting(
    cell,
    *,
    secretary=None,
    n_members: int = 8,
    n_speeches: int = 3,
    day: datetime.date = datetime.date(2026, 3, 17),
    with_resolution: bool = True,
    topic_title: str = "Tự soi, tự sửa",
    speech_text: str | None = None,
) -> m.Meeting:
    """A held meeting: chair/clerk, attendance of every expected member (one excused, one
    unexcused), guests, speeches, conclusion and (optionally) a resolution."""
    if secretary is None:
        secretary = f.SecretaryFactory(cell=cell, full_name="Nguyễn Văn Bí Thư")
    members = [secretary]
    for i in range(n_members - 1):
        name = NAMES[i % len(NAMES)]
        if i >= len(NAMES):  # more than 20 members: vary the middle name, keep the given name
            parts = name.split()
            name = " ".join([parts[0], MIDDLE[(i // len(NAMES)) % len(MIDDLE)], parts[-1]])
        members.append(f.MemberFactory(cell=cell, full_name=name))
    # Last one probationary, plus an exempt member who is not expected.
    members[-1].full_member_on = None
    members[-1].save()
    f.MemberFactory(cell=cell, full_name="Cao Văn Miễn", status=m.MemberStatus.EXEMPT)
    clerk = members[1]
    topic = f.TopicFactory(cell=cell, year=day.year, title=topic_title, lead_author=members[2])
    meeting = f.MeetingFactory(
        cell=cell,
        topic=topic,
        year=day.year,
        quarter=quarter_of(day),
        scheduled_date=day,
        start_time=datetime.time(8, 0),
        place="Hội trường tầng 2, trụ sở cơ quan",
        chair=secretary,
        clerk=clerk,
        stage="held",
        actual_start=datetime.datetime.combine(day, datetime.time(8, 0), TZ),
        actual_end=datetime.datetime.combine(day, datetime.time(10, 5), TZ),
        purpose="Giúp đảng viên nhận thức đầy đủ yêu cầu tự soi, tự sửa; gắn với thực tiễn của cơ quan.",
        programme="Theo chương trình đã gửi đến đảng viên.",
        lead_paper_summary="Đề dẫn nêu thực trạng, nguyên nhân và giải pháp.",
        author_response="Tiếp thu đầy đủ các ý kiến, hoàn thiện chuyên đề để báo cáo cấp trên.",
    )
    m.Guest.objects.create(meeting=meeting, name="Phan Đình Khách", title="Ủy viên Ban Thường vụ Đảng ủy Khối")
    for i, mb in enumerate(members):
        if i == len(members) - 2:
            m.Attendance.objects.create(meeting=meeting, member=mb, status="excused", reason="Đi công tác")
        elif i == len(members) - 3:
            m.Attendance.objects.create(meeting=meeting, member=mb, status="unexcused")
        else:
            m.Attendance.objects.create(meeting=meeting, member=mb, status="present")
    present = [mb for i, mb in enumerate(members) if i < len(members) - 3 or i == len(members) - 1]
    for i in range(n_speeches):
        m.Speech.objects.create(
            meeting=meeting,
            speaker=present[i % len(present)],
            position=i + 1,
            content=speech_text or f"Ý kiến số {i + 1}: thống nhất với đề dẫn, đề nghị tăng cường tự phê bình.",
        )
    m.Conclusion.objects.create(
        meeting=meeting,
        preparation_evaluation="Chi ủy chuẩn bị chu đáo, tài liệu gửi đúng hạn.",
        quality_evaluation="Buổi sinh hoạt nghiêm túc, nhiều ý kiến chất lượng.",
        adopted="Mỗi đảng viên xây dựng kế hoạch tự soi, tự sửa và báo cáo chi bộ.",
        orientation="Giữ vững lập trường tư tưởng, đoàn kết nội bộ.",
        quality_score=92,
        quality_grade="good",
    )
    if with_resolution:
        # Every full member present votes for; the probationary member does not vote.
        voters = eligible_voters(meeting)
        m.Resolution.objects.create(
            meeting=meeting,
            text="Chi bộ thống nhất ban hành nghị quyết chuyên đề.",
            votes_for=voters.present,
            eligible_voters=voters.count,
            eligible_explanation=voters.explanation,
        )
    return meeting
