import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AttendanceReply, LeadPaperStatus, Report, ReportStatus
from meetings.workflow import Stage
from tests import factories as f
from tests.dashboard_tree import finalized_meeting

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_login_page_is_vietnamese(client):
    response = client.get(reverse("accounts:login"))
    assert "Đăng nhập" in response.content.decode()


def test_secretary_home_shows_cell_and_work(client, secretary):
    f.MeetingFactory(cell=secretary.cell)
    client.force_login(secretary.user)
    body = client.get(reverse("home")).content.decode()
    assert secretary.cell.name in body
    assert "Việc cần làm" in body
    assert "Tự soi, tự sửa" in body


def test_member_home_shows_tasks(client, member):
    f.ContributionFactory(topic=f.TopicFactory(cell=member.cell), member=member, subject="Liên hệ bản thân")
    client.force_login(member.user)
    body = client.get(reverse("home")).content.decode()
    assert "Nhiệm vụ của tôi" in body
    assert "Liên hệ bản thân" in body
    assert "Việc cần làm" not in body


def test_committee_home_counts_cells(client, staff, cell, other_cell):
    client.force_login(staff)
    body = client.get(reverse("home")).content.decode()
    assert staff.committee.name in body
    assert "Chi bộ trực thuộc" in body


def test_home_does_not_leak_other_cells(client, secretary, other_cell):
    f.MeetingFactory(cell=other_cell, topic=f.TopicFactory(cell=other_cell, title="Bí mật chi bộ khác"))
    client.force_login(secretary.user)
    assert "Bí mật chi bộ khác" not in client.get(reverse("home")).content.decode()


def test_login_and_logout_round_trip(client, secretary):
    response = client.post(reverse("accounts:login"), {"username": secretary.user.username, "password": f.PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _secretary_work(cell, n):
    """n of each kind of secretary item."""
    for i in range(n):
        topic = f.TopicFactory(cell=cell, title=f"Chuyên đề {i}", lead_paper_status=LeadPaperStatus.SUBMITTED)
        f.MeetingFactory(cell=cell, topic=topic, stage=Stage.SCHEDULED, scheduled_date=days(5 + i))
        f.ContributionFactory(topic=topic, due_on=days(-1))
        meeting = finalized_meeting(cell, report=True, number=i + 1)
        Report.objects.filter(minutes__meeting=meeting).update(status=ReportStatus.RETURNED, comment=f"Bổ sung {i}")
        f.MemberFactory(cell=cell, email="")


def test_secretary_items_are_links_to_their_pages(client, secretary):
    topic = f.TopicFactory(cell=secretary.cell, title="Học tập Bác", lead_paper_status=LeadPaperStatus.SUBMITTED)
    meeting = f.MeetingFactory(cell=secretary.cell, topic=topic, stage=Stage.HELD, scheduled_date=days(-1))
    done = finalized_meeting(secretary.cell, report=True)
    report = Report.objects.get(minutes__meeting=done)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RETURNED, comment="Thiếu danh sách")
    client.force_login(secretary.user)
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("meetings:finalize", args=[meeting.pk])}"' in body
    assert f'href="{reverse("reports:cell_list")}#bao-cao-{report.pk}"' in body
    assert "Cấp ủy cấp trên trả lại báo cáo: Thiếu danh sách" in body
    # The lead paper waits only while the meeting is being prepared: held, it is the minutes' turn.
    assert "Duyệt đề dẫn" not in body


def test_secretary_with_nothing_due_is_told_so_and_sees_whats_next(client, secretary):
    topic = f.TopicFactory(cell=secretary.cell, lead_paper_status=LeadPaperStatus.APPROVED)
    meeting = f.MeetingFactory(cell=secretary.cell, topic=topic, stage=Stage.NOTICED, scheduled_date=days(20))
    AttendanceReply.objects.create(meeting=meeting, member=secretary, will_attend=True)
    client.force_login(secretary.user)
    body = client.get(reverse("home")).content.decode()
    assert 'id="secretary-nothing-due"' in body
    assert "Hiện không có việc cần làm ngay." in body
    assert "home-item" not in body
    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}"' in body


def test_member_items_link_to_submit_and_reply(client, member):
    topic = f.TopicFactory(cell=member.cell)
    meeting = f.MeetingFactory(cell=member.cell, topic=topic, stage=Stage.NOTICED, scheduled_date=days(3), place="P1")
    task = f.ContributionFactory(topic=topic, member=member, subject="Liên hệ", due_on=days(2))
    done = finalized_meeting(member.cell)
    client.force_login(member.user)
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("portal:contribution_edit", args=[task.pk])}"' in body
    assert f'href="{reverse("portal:meetings")}?buoi={meeting.pk}#tra-loi"' in body
    assert f'href="{reverse("portal:meetings")}?buoi={meeting.pk}"' in body  # the next meeting
    assert f'href="{reverse("library:detail", args=[done.topic_id])}"' in body
    assert "còn 2 ngày" in body
    assert "Việc cần làm" not in body  # no secretary section


def test_committee_items_link_to_review_and_dashboard(client, staff, cell):
    meeting = finalized_meeting(cell, report=True)
    report = Report.objects.get(minutes__meeting=meeting)
    client.force_login(staff)
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:detail", args=[report.pk])}"' in body
    assert f'href="{reverse("dashboard:home")}"' in body
    assert "1 chi bộ chưa sinh hoạt chuyên đề" in body


@pytest.mark.parametrize("n", [1, 6])
def test_secretary_home_queries_do_not_grow_with_items(client, secretary, n, django_assert_max_num_queries):
    _secretary_work(secretary.cell, n)
    client.force_login(secretary.user)
    client.get(reverse("home"))  # session and caches warm
    # +2 for the action items (issue 17): the cell's overdue ones and the secretary's own;
    # +1 for the items overdue without a review (issue 17, item 2).
    with django_assert_max_num_queries(18):
        body = client.get(reverse("home")).content.decode()
    assert body.count("Cấp ủy cấp trên trả lại báo cáo") == n


@pytest.mark.parametrize("n", [1, 6])
def test_member_home_queries_do_not_grow_with_items(client, member, n, django_assert_max_num_queries):
    for i in range(n):
        topic = f.TopicFactory(cell=member.cell, title=f"Chuyên đề {i}")
        f.MeetingFactory(cell=member.cell, topic=topic, stage=Stage.NOTICED, scheduled_date=days(3 + i))
        f.ContributionFactory(topic=topic, member=member, due_on=days(2))
        finalized_meeting(member.cell, number=i + 1)
    client.force_login(member.user)
    client.get(reverse("home"))
    with django_assert_max_num_queries(9):  # +1: the member's action items (issue 17)
        body = client.get(reverse("home")).content.decode()
    assert body.count("Nộp tham luận:") == n


@pytest.mark.parametrize("n", [1, 6])
def test_committee_home_queries_do_not_grow_with_items(client, staff, n, django_assert_max_num_queries):
    for _ in range(n):
        finalized_meeting(f.CellFactory(parent=staff.committee), report=True)
    client.force_login(staff)
    client.get(reverse("home"))
    with django_assert_max_num_queries(7):
        body = client.get(reverse("home")).content.decode()
    assert body.count("Xem xét báo cáo của") == n


def test_committee_with_nothing_due_is_told_so(client, staff):
    client.force_login(staff)
    body = client.get(reverse("home")).content.decode()
    assert 'id="committee-nothing-due"' in body
    assert "home-item" not in body


def test_member_with_nothing_due_is_told_so(client, member):
    client.force_login(member.user)
    body = client.get(reverse("home")).content.decode()
    assert "Đồng chí không có nhiệm vụ nào cần làm ngay." in body
    assert "Chưa có lịch sinh hoạt sắp tới." in body
