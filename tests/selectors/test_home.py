"""The home page's items: each present when due, absent otherwise, and scoped to the user's cell."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import AttendanceReply, LeadPaperStatus, Member, Report, ReportStatus
from meetings.periods import current_quarter
from meetings.selectors import home
from meetings.services.reports import report_submit
from meetings.workflow import Stage
from tests import factories as f
from tests.dashboard_tree import finalized_meeting

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def texts(section):
    return [item.text for item in section["items"]]


def kinds(section):
    return [(item.kind, item.pk) for item in section["items"]]


def test_quarter_label_counts_days_to_the_quarters_last_day():
    status = home.quarter_status(datetime.date(2026, 11, 30))
    assert status["label"] == "Quý IV còn 31 ngày"
    assert status["end"] == datetime.date(2026, 12, 31)
    assert home.quarter_status(datetime.date(2026, 3, 31))["label"] == "Quý I còn 0 ngày"


# --- secretary ------------------------------------------------------------------------------


def test_quarter_without_thematic_meeting_is_an_item_until_one_is_planned(secretary):
    section = home.secretary_home(cell_id=secretary.cell_id)
    label = home.quarter_status(today())["label"]
    assert any(t.startswith(label) and "chưa có buổi sinh hoạt chuyên đề" in t for t in texts(section))
    assert ("plans", None) in kinds(section)
    meeting = f.MeetingFactory(cell=secretary.cell, stage=Stage.PLANNED)
    section = home.secretary_home(cell_id=secretary.cell_id)
    assert ("plans", None) not in kinds(section)
    assert ("meeting", meeting.pk) in kinds(section)
    assert f"Lên lịch họp “{meeting.title}”" in texts(section)


def test_cancelled_meeting_does_not_count_as_planned(secretary):
    f.MeetingFactory(cell=secretary.cell, stage=Stage.CANCELLED)
    assert ("plans", None) in kinds(home.secretary_home(cell_id=secretary.cell_id))


def test_submitted_lead_paper_asks_for_approval(secretary):
    topic = f.TopicFactory(cell=secretary.cell, title="Học tập Bác", lead_paper_status=LeadPaperStatus.SUBMITTED)
    f.MeetingFactory(cell=secretary.cell, topic=topic, stage=Stage.PREPARING)
    section = home.secretary_home(cell_id=secretary.cell_id)
    assert "Duyệt đề dẫn “Học tập Bác”" in texts(section)
    assert ("lead_paper", topic.pk) in kinds(section)
    topic.lead_paper_status = LeadPaperStatus.APPROVED
    topic.save()
    assert not [t for t in texts(home.secretary_home(cell_id=secretary.cell_id)) if "đề dẫn" in t]


def test_assigned_lead_paper_reminds_the_author_with_the_due_date(secretary, member):
    topic = f.TopicFactory(
        cell=secretary.cell,
        title="Tự phê bình",
        lead_author=member,
        lead_paper_due=days(3),
        lead_paper_status=LeadPaperStatus.ASSIGNED,
    )
    f.MeetingFactory(cell=secretary.cell, topic=topic, stage=Stage.PREPARING)
    item = next(i for i in home.secretary_home(cell_id=secretary.cell_id)["items"] if i.kind == "lead_paper")
    assert item.text == f"Nhắc đồng chí {member.full_name} nộp đề dẫn “Tự phê bình”"
    assert item.detail == f"hạn {days(3):%d/%m/%Y}, còn 3 ngày"


def test_meeting_stages_give_their_action(secretary):
    cell = secretary.cell
    scheduled = f.MeetingFactory(cell=cell, stage=Stage.SCHEDULED, scheduled_date=days(5))
    today_meeting = f.MeetingFactory(
        cell=cell, stage=Stage.NOTICED, scheduled_date=today(), start_time=datetime.time(8), place="Hội trường"
    )
    held = f.MeetingFactory(cell=cell, stage=Stage.HELD, scheduled_date=days(-1))
    later = f.MeetingFactory(cell=cell, stage=Stage.NOTICED, scheduled_date=days(3))
    section = home.secretary_home(cell_id=cell.pk)
    found = kinds(section)
    assert found[0] == ("run", today_meeting.pk)  # today's meeting comes first
    assert section["items"][0].text.startswith("Hôm nay sinh hoạt")
    assert "08:00" in section["items"][0].detail and "Hội trường" in section["items"][0].detail
    assert found[1] == ("finalize", held.pk)
    assert ("meeting", scheduled.pk) in found
    assert f"Gửi thông báo buổi sinh hoạt “{scheduled.title}”" in texts(section)
    # Noticed, not yet the day: nothing to do on the meeting itself.
    assert all(pk != later.pk for kind, pk in found if kind in ("meeting", "run", "finalize"))


def test_committee_member_is_sent_to_the_meeting_not_the_finalise_page(cell):
    held = f.MeetingFactory(cell=cell, stage=Stage.HELD, scheduled_date=days(-1))
    assert ("meeting", held.pk) in kinds(home.secretary_home(cell_id=cell.pk, manage=False))


def test_meetings_of_later_quarters_are_next_not_due(secretary):
    year, quarter = current_quarter()
    later = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    f.MeetingFactory(cell=secretary.cell, stage=Stage.PLANNED)
    future = f.MeetingFactory(cell=secretary.cell, stage=Stage.PLANNED, year=later[0], quarter=later[1])
    section = home.secretary_home(cell_id=secretary.cell_id)
    assert ("meeting", future.pk) not in kinds(section)
    assert ("lead_paper", future.topic_id) not in kinds(section)
    assert future in section["upcoming"]


def test_returned_report_shows_the_committees_comment_until_corrected(secretary):
    meeting = finalized_meeting(secretary.cell, report=True)
    report = Report.objects.get(minutes__meeting=meeting)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RETURNED, comment="Bổ sung danh sách vắng")
    section = home.secretary_home(cell_id=secretary.cell_id)
    assert "Cấp ủy cấp trên trả lại báo cáo: Bổ sung danh sách vắng" in texts(section)
    assert ("report", report.pk) in kinds(section)
    # Not for a committee member: the reports page is the secretary's.
    assert ("report", report.pk) not in kinds(home.secretary_home(cell_id=secretary.cell_id, manage=False))
    report_submit(minutes=meeting.minutes)  # the correction, a newer version
    assert not [t for t in texts(home.secretary_home(cell_id=secretary.cell_id)) if "trả lại" in t]


def test_accepted_report_is_not_an_item(secretary):
    meeting = finalized_meeting(secretary.cell, report=True)
    Report.objects.filter(minutes__meeting=meeting).update(status=ReportStatus.ACCEPTED, comment="Tốt")
    assert not [i for i in home.secretary_home(cell_id=secretary.cell_id)["items"] if i.kind == "report"]


def test_overdue_contributions_are_counted_per_topic(secretary):
    topic = f.TopicFactory(cell=secretary.cell, title="Chống lãng phí")
    f.MeetingFactory(cell=secretary.cell, topic=topic, stage=Stage.NOTICED, scheduled_date=days(4))
    f.ContributionFactory(topic=topic, due_on=days(-2))
    f.ContributionFactory(topic=topic, due_on=days(-1))
    f.ContributionFactory(topic=topic, due_on=days(2))  # not due yet
    f.ContributionFactory(topic=topic, due_on=days(-3), submitted_at=timezone.now())  # submitted
    item = next(i for i in home.secretary_home(cell_id=secretary.cell_id)["items"] if i.kind == "topic")
    assert item.pk == topic.pk
    assert item.text == "Nhắc nộp tham luận chuyên đề “Chống lãng phí”"
    assert item.detail.startswith("2 tham luận quá hạn")


def test_overdue_contributions_of_a_finished_meeting_are_not_items(secretary):
    meeting = finalized_meeting(secretary.cell)
    f.ContributionFactory(topic=meeting.topic, due_on=days(-5))
    assert not [i for i in home.secretary_home(cell_id=secretary.cell_id)["items"] if i.kind == "topic"]


def test_members_without_email_are_counted_for_the_secretary(secretary):
    assert not [i for i in home.secretary_home(cell_id=secretary.cell_id)["items"] if i.kind == "members"]
    f.MemberFactory(cell=secretary.cell, email="")
    f.MemberFactory(cell=secretary.cell, email="", status="moved_out")
    section = home.secretary_home(cell_id=secretary.cell_id)
    assert "Bổ sung e-mail cho 1 đảng viên" in texts(section)
    assert not [i for i in home.secretary_home(cell_id=secretary.cell_id, manage=False)["items"] if i.kind == "members"]


def test_other_cells_work_never_shows(secretary, other_cell):
    topic = f.TopicFactory(cell=other_cell, title="Bí mật", lead_paper_status=LeadPaperStatus.SUBMITTED)
    f.MeetingFactory(cell=other_cell, topic=topic, stage=Stage.HELD, scheduled_date=days(-1))
    f.ContributionFactory(topic=topic, due_on=days(-2))
    f.MemberFactory(cell=other_cell, email="")
    other = finalized_meeting(other_cell, report=True)
    Report.objects.filter(minutes__meeting=other).update(status=ReportStatus.RETURNED, comment="Chi bộ khác")
    section = home.secretary_home(cell_id=secretary.cell_id)
    assert [i.kind for i in section["items"]] == ["plans"]
    assert "Bí mật" not in " ".join(texts(section))


# --- member ---------------------------------------------------------------------------------


def test_member_contribution_task_with_days_left_until_submitted(member):
    topic = f.TopicFactory(cell=member.cell, title="Đạo đức công vụ")
    f.MeetingFactory(cell=member.cell, topic=topic, stage=Stage.NOTICED, scheduled_date=days(9))
    task = f.ContributionFactory(topic=topic, member=member, subject="Liên hệ bản thân", due_on=days(5))
    item = next(i for i in home.member_home(member_id=member.pk)["items"] if i.kind == "contribution")
    assert (item.pk, item.text) == (task.pk, "Nộp tham luận: Liên hệ bản thân")
    assert f"hạn {days(5):%d/%m/%Y}, còn 5 ngày" in item.detail
    task.submitted_at = timezone.now()
    task.save()
    assert not [i for i in home.member_home(member_id=member.pk)["items"] if i.kind == "contribution"]


def test_member_lead_paper_to_write(member):
    topic = f.TopicFactory(
        cell=member.cell, title="Nêu gương", lead_author=member, lead_paper_status=LeadPaperStatus.ASSIGNED
    )
    f.MeetingFactory(cell=member.cell, topic=topic, stage=Stage.PREPARING)
    assert ("lead_paper", topic.pk) in kinds(home.member_home(member_id=member.pk))
    topic.lead_paper_status = LeadPaperStatus.SUBMITTED
    topic.save()
    assert ("lead_paper", topic.pk) not in kinds(home.member_home(member_id=member.pk))


def test_meeting_awaiting_reply_until_the_member_answers(member):
    meeting = f.MeetingFactory(cell=member.cell, stage=Stage.NOTICED, scheduled_date=days(4), place="Phòng 2")
    section = home.member_home(member_id=member.pk)
    assert ("reply", meeting.pk) in kinds(section)
    assert section["next_meeting"] == meeting
    AttendanceReply.objects.create(meeting=meeting, member=member, will_attend=True)
    section = home.member_home(member_id=member.pk)
    assert ("reply", meeting.pk) not in kinds(section)
    assert section["next_meeting"] == meeting


def test_member_sees_recent_finished_topics_and_nothing_of_other_cells(member, other_cell):
    done = finalized_meeting(member.cell)
    foreign = finalized_meeting(other_cell)
    f.MeetingFactory(cell=other_cell, stage=Stage.NOTICED, scheduled_date=days(2))
    f.ContributionFactory(topic=f.TopicFactory(cell=other_cell), member=f.MemberFactory(cell=other_cell))
    section = home.member_home(member_id=member.pk)
    assert [t.pk for t in section["finished"]] == [done.topic_id]
    assert foreign.topic_id not in [t.pk for t in section["finished"]]
    assert section["items"] == [] and section["next_meeting"] is None


# --- committee staff ------------------------------------------------------------------------


def test_committee_reports_awaiting_review_and_cells_not_held(staff, cell, other_cell):
    meeting = finalized_meeting(cell, report=True)
    report = Report.objects.get(minutes__meeting=meeting)
    returned = finalized_meeting(other_cell, report=True, number=2)
    Report.objects.filter(minutes__meeting=returned).update(status=ReportStatus.RETURNED, comment="x")
    from meetings.permissions import access_for

    section = home.committee_home(access=access_for(staff), committee_id=staff.committee_id)
    assert ("review", report.pk) in kinds(section)
    assert section["waiting_count"] == 1
    assert f"Xem xét báo cáo của {cell.name}" in texts(section)
    # Nothing held in the current quarter (the helper's meetings are in 2025): both cells count.
    assert section["cells_not_held"] == 2
    # The quarter's figure first when the quarter ends within a month, else after the reports.
    urgent = home.quarter_status(today())["days_left"] <= home.QUARTER_URGENT_DAYS
    assert [i.kind for i in section["items"]] == (["dashboard", "review"] if urgent else ["review", "dashboard"])
    item = next(i for i in section["items"] if i.kind == "dashboard")
    assert item.text.startswith("2 chi bộ chưa sinh hoạt chuyên đề")


def test_committee_sees_no_report_of_another_committee(staff):
    elsewhere = f.CellFactory(parent=f.CommitteeFactory())
    finalized_meeting(elsewhere, report=True)
    from meetings.permissions import access_for

    section = home.committee_home(access=access_for(staff), committee_id=staff.committee_id)
    assert section["waiting_count"] == 0
    assert not [i for i in section["items"] if i.kind == "review"]


def test_member_model_counts_only_current_members_without_email(secretary):
    f.MemberFactory(cell=secretary.cell, email="", status="exempt")
    assert home.secretary_home(cell_id=secretary.cell_id)["member_counts"]["no_email"] == 1
    assert Member.objects.filter(cell=secretary.cell).count() == 2
