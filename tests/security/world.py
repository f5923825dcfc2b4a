"""A small but complete world for access tests: a superior committee with the owning cell
and another cell, an unrelated committee with its cell, every role, and one object of
every kind in the owning cell."""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings import models as m
from meetings.periods import quarter_of
from meetings.services.organizations import organization_create
from tests import factories as f

ROLES = [
    "anonymous",
    "member",
    "committee_member",
    "secretary",
    "deputy",
    "other_secretary",
    "staff",
    "unrelated_staff",
    "superuser",
]


@dataclass
class World:
    users: dict
    objects: dict
    cell: m.Organization
    other_cell: m.Organization
    superior: m.Organization
    unrelated: m.Organization


def build_world() -> World:
    province = organization_create(name="Đảng bộ tỉnh", kind=m.OrgKind.COMMITTEE, email="tinh@example.vn")
    superior = organization_create(
        name="Đảng ủy Khối", kind=m.OrgKind.COMMITTEE, parent=province, email="khoi@example.vn"
    )
    unrelated = organization_create(
        name="Đảng ủy phường", kind=m.OrgKind.COMMITTEE, parent=province, email="phuong@example.vn"
    )
    cell = organization_create(name="Chi bộ Văn phòng", kind=m.OrgKind.CELL, parent=superior, place="Hà Tĩnh")
    other_cell = organization_create(name="Chi bộ Tài chính", kind=m.OrgKind.CELL, parent=superior)
    unrelated_cell = organization_create(name="Chi bộ Tổ dân phố", kind=m.OrgKind.CELL, parent=unrelated)

    secretary = f.SecretaryFactory(cell=cell, full_name="Nguyễn Văn Bí")
    deputy = f.MemberWithUserFactory(cell=cell, full_name="Trần Văn Phó", position="deputy")
    committee_member = f.MemberWithUserFactory(cell=cell, full_name="Lê Thị Ủy", position="committee")
    member = f.MemberWithUserFactory(cell=cell, full_name="Phạm Thị Viên")
    f.MemberFactory(cell=cell, full_name="Hoàng Văn Năm")
    other_secretary = f.SecretaryFactory(cell=other_cell, full_name="Đỗ Văn Khác")
    f.SecretaryFactory(cell=unrelated_cell, full_name="Vũ Văn Xa")
    users = {
        "anonymous": None,
        "member": member.user,
        "committee_member": committee_member.user,
        "secretary": secretary.user,
        "deputy": deputy.user,
        "other_secretary": other_secretary.user,
        "staff": f.StaffUserFactory(committee=superior, full_name="Cán bộ Khối", email="canbo@example.vn"),
        "unrelated_staff": f.StaffUserFactory(committee=unrelated, full_name="Cán bộ phường"),
        "superuser": f.UserFactory(is_superuser=True, is_staff=True, username="root"),
    }

    year = timezone.localdate().year
    plan = f.PlanFactory(cell=cell, year=year)
    topic = f.TopicFactory(
        cell=cell,
        year=year,
        title="Tự soi, tự sửa",
        lead_author=member,
        lead_paper_status=m.LeadPaperStatus.ASSIGNED,
        lead_paper_due=timezone.localdate() + datetime.timedelta(days=5),
    )
    contribution = f.ContributionFactory(
        topic=topic, member=member, subject="Liên hệ bản thân", due_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    future = timezone.localdate() + datetime.timedelta(days=10)
    meeting = f.MeetingFactory(
        cell=cell,
        topic=topic,
        plan=plan,
        stage="noticed",
        scheduled_date=future,
        start_time=datetime.time(8, 0),
        place="Hội trường",
        year=future.year,
        quarter=quarter_of(future),
        chair=secretary,
        clerk=committee_member,
    )

    done_topic = f.TopicFactory(
        cell=cell,
        year=year,
        title="Học tập và làm theo Bác",
        lead_author=secretary,
        lead_paper_status=m.LeadPaperStatus.APPROVED,
        lead_paper_text="Đề dẫn",
    )
    past = timezone.localdate() - datetime.timedelta(days=20)
    finalized = f.MeetingFactory(
        cell=cell,
        topic=done_topic,
        plan=plan,
        stage="held",
        scheduled_date=past,
        start_time=datetime.time(8, 0),
        place="Hội trường",
        year=past.year,
        quarter=quarter_of(past),
        chair=secretary,
        clerk=committee_member,
    )
    m.Attendance.objects.create(meeting=finalized, member=member, status="present")
    m.Conclusion.objects.create(
        meeting=finalized,
        preparation_evaluation="Tốt",
        quality_evaluation="Tốt",
        adopted="Tiếp thu",
        quality_score=92,
        quality_grade="good",
    )
    minutes = m.Minutes.objects.create(
        meeting=finalized,
        cell=cell,
        year=past.year,
        number=1,
        finalized_at=timezone.now(),
        verification_code="ABCD1234",
    )
    data = b"%PDF-1.4 world minutes"
    minutes.pdf.save("bien-ban.pdf", ContentFile(data), save=False)
    minutes.pdf_sha256 = hashlib.sha256(data).hexdigest()
    minutes.save()
    m.Meeting.objects.filter(pk=finalized.pk).update(stage="finalized")
    report = m.Report.objects.create(minutes=minutes, committee=superior, version=1)
    addendum = m.MinutesAddendum(minutes=minutes, version=1, text="Đính chính")
    addendum.pdf.save("phu-luc.pdf", ContentFile(b"%PDF-1.4 world addendum"), save=False)
    addendum.pdf_sha256 = hashlib.sha256(b"%PDF-1.4 world addendum").hexdigest()
    addendum.save()
    notification = m.Notification.objects.create(
        key="world:1",
        kind=m.NotificationKind.NOTICE,
        recipient_email=member.email,
        cell=cell,
        meeting=meeting,
        due_at=timezone.now(),
        status=m.NotificationStatus.FAILED,
        last_error="550",
    )
    # An action item of the finalised meeting's conclusion, owned by the member (issue 17).
    action_item = m.ActionItem.objects.create(
        meeting=finalized, cell=cell, number=1, text="Rà soát quy chế", owner_member=member, due_on=future
    )
    objects = {
        "action_item": action_item,
        "plan": plan,
        "topic": topic,
        "contribution": contribution,
        "meeting": meeting,
        "finalized_meeting": finalized,
        "addendum": addendum,
        "done_topic": done_topic,
        "minutes": minutes,
        "report": report,
        "member": member,
        "notification": notification,
        "cell": cell,
        "superior": superior,
        "unrelated_cell": unrelated_cell,
    }
    return World(users=users, objects=objects, cell=cell, other_cell=other_cell, superior=superior, unrelated=unrelated)
