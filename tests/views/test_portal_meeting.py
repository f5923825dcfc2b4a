"""The member's page of one meeting (/lich-hop/?buoi=<pk>): a member's page, not the secretary's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AttendanceReply, LeadPaperStatus, Minutes, Position
from meetings.workflow import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db

LONG_PARAGRAPH = "Đoạn cuối của đề dẫn, không bị cắt bớt. "


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def page(client, meeting):
    return client.get(reverse("portal:meetings"), {"buoi": meeting.pk})


@pytest.fixture
def noticed(member):
    topic = f.TopicFactory(
        cell=member.cell,
        title="Học tập và làm theo Bác",
        lead_paper_text="Phần mở đầu.\n\n" + "Nội dung. " * 400 + "\n\n" + LONG_PARAGRAPH,
        lead_paper_status=LeadPaperStatus.APPROVED,
    )
    return f.MeetingFactory(
        cell=member.cell,
        topic=topic,
        stage=Stage.NOTICED,
        scheduled_date=days(6),
        start_time=datetime.time(14, 0),
        place="Hội trường tầng 3",
    )


def test_member_page_shows_when_where_reply_lead_paper_and_task(client, member, noticed):
    task = f.ContributionFactory(topic=noticed.topic, member=member, subject="Liên hệ bản thân", due_on=days(4))
    client.force_login(member.user)
    html = page(client, noticed).content.decode()
    assert f"{days(6):%d/%m/%Y}, 14:00" in html
    assert "Hội trường tầng 3" in html
    assert 'id="tra-loi"' in html and reverse("portal:meeting_reply", args=[noticed.pk]) in html
    assert LONG_PARAGRAPH.strip() in html  # the whole lead paper, inline
    assert f"{reverse('topics:pdf', args=[noticed.topic_id])}?ban=de-dan" in html
    assert "Liên hệ bản thân" in html and f"{days(4):%d/%m/%Y}" in html and "còn 4 ngày" in html
    assert f'href="{reverse("portal:contribution_edit", args=[task.pk])}"' in html
    assert 'id="ket-qua"' not in html  # nothing concluded yet


def test_member_page_of_a_hybrid_meeting_gives_the_online_room_as_a_link(client, member, noticed):
    noticed.mode, noticed.online_room = "hybrid", "https://hop.example.vn/cb1"
    noticed.save(update_fields=["mode", "online_room"])
    client.force_login(member.user)
    html = page(client, noticed).content.decode()
    assert "Hội trường tầng 3" in html
    assert "kết hợp trực tiếp và trực tuyến" in html
    assert '<a href="https://hop.example.vn/cb1" rel="noopener noreferrer" target="_blank">' in html
    listing = client.get(reverse("portal:meetings")).content.decode()
    assert "kết hợp trực tiếp và trực tuyến" in listing


def test_member_page_of_an_in_person_meeting_says_nothing_of_modes(client, member, noticed):
    client.force_login(member.user)
    assert "Hình thức:" not in page(client, noticed).content.decode()


def test_member_page_has_no_secretary_controls(client, member, noticed):
    client.force_login(member.user)
    html = page(client, noticed).content.decode()
    for secretary_only in (
        reverse("meetings:detail", args=[noticed.pk]),
        reverse("meetings:transition", args=[noticed.pk]),
        reverse("meetings:run", args=[noticed.pk]),
        reverse("meetings:schedule", args=[noticed.pk]),
        reverse("meetings:list"),
        reverse("plans:index"),
        reverse("members:list"),
        reverse("notifications:home"),
        "Bước tiếp theo",
        "Nhật ký",
    ):
        assert secretary_only not in html, secretary_only


def test_lead_author_sees_the_lead_paper_as_a_task(client, member):
    topic = f.TopicFactory(
        cell=member.cell, lead_author=member, lead_paper_status=LeadPaperStatus.ASSIGNED, lead_paper_due=days(3)
    )
    meeting = f.MeetingFactory(cell=member.cell, topic=topic, stage=Stage.PREPARING, scheduled_date=days(10))
    client.force_login(member.user)
    html = page(client, meeting).content.decode()
    assert f'href="{reverse("topics:detail", args=[topic.pk])}#de-dan"' in html
    assert "Viết đề dẫn" in html


def _finalized_with_minutes(member):
    meeting = f.MeetingFactory(cell=member.cell, stage=Stage.HELD, scheduled_date=days(-3))
    f.ContributionFactory(topic=meeting.topic, member=member, subject="Đã nộp", submitted_at=timezone.now())
    meeting.stage = Stage.FINALIZED
    meeting.save(update_fields=["stage"])
    Minutes.objects.create(
        meeting=meeting,
        cell=member.cell,
        year=meeting.year,
        number=7,
        finalized_at=timezone.now(),
        snapshot={
            "conclusion": {
                "preparation_evaluation": "Chuẩn bị chu đáo",
                "quality_evaluation": "Thảo luận sôi nổi",
                "adopted": "Tiếp thu ý kiến về tác phong",
                "orientation": "Giữ vững lập trường",
                "quality_grade_label": "Tốt",
            },
            "resolution": {
                "text": "Chi bộ quyết nghị thực hiện ba việc",
                "votes_for": 9,
                "votes_against": 0,
                "votes_abstain": 1,
            },
            "speeches": [{"content": "Nội dung phát biểu không hiện ở đây"}],
        },
    )
    return meeting


def test_after_finalisation_member_reads_the_conclusion_and_resolution(client, member):
    meeting = _finalized_with_minutes(member)
    client.force_login(member.user)
    html = page(client, meeting).content.decode()
    assert 'id="ket-qua"' in html
    for text in ("Chuẩn bị chu đáo", "Thảo luận sôi nổi", "Tiếp thu ý kiến về tác phong", "Giữ vững lập trường"):
        assert text in html
    assert "Chi bộ quyết nghị thực hiện ba việc" in html
    assert "9 tán thành" in html
    assert "07-BB/CB" in html
    assert f'href="{reverse("library:detail", args=[meeting.topic_id])}"' in html
    assert "Nội dung phát biểu không hiện ở đây" not in html
    # The task is over: no submit button on a finished meeting.
    assert "Nộp tham luận</a>" not in html and "Thay tham luận</a>" not in html


def test_other_cells_meeting_is_404_on_the_member_page(client, member, other_cell):
    foreign = f.MeetingFactory(cell=other_cell, stage=Stage.NOTICED, scheduled_date=days(3))
    client.force_login(member.user)
    assert page(client, foreign).status_code == 404


@pytest.mark.parametrize("n", [1, 8])
def test_member_page_queries_do_not_grow_with_contributions(client, member, noticed, n, django_assert_max_num_queries):
    for i in range(n):
        f.ContributionFactory(topic=noticed.topic, member=member, subject=f"Tham luận {i}", due_on=days(2))
        f.ContributionFactory(topic=noticed.topic, subject=f"Của đồng chí khác {i}")
    client.force_login(member.user)
    page(client, noticed)
    with django_assert_max_num_queries(5):
        assert page(client, noticed).status_code == 200


def test_finalized_member_page_reads_the_outcome_in_one_more_query(client, member, django_assert_max_num_queries):
    meeting = _finalized_with_minutes(member)
    client.force_login(member.user)
    page(client, meeting)
    with django_assert_max_num_queries(6):
        assert page(client, meeting).status_code == 200


def test_meetings_list_cards_link_to_their_page(client, member, noticed):
    client.force_login(member.user)
    html = client.get(reverse("portal:meetings")).content.decode()
    assert f'href="{reverse("portal:meetings")}?buoi={noticed.pk}"' in html
    assert f'href="{reverse("portal:meetings")}?buoi={noticed.pk}#tai-lieu"' in html


def test_plain_member_menu_has_no_secretary_entries(client, member):
    client.force_login(member.user)
    html = client.get(reverse("home")).content.decode()
    for entry in ("plans:index", "meetings:list", "members:list", "reports:cell_list", "notifications:home"):
        assert f'href="{reverse(entry)}"' not in html, entry
    for entry in ("portal:tasks", "portal:meetings", "library:index"):
        assert f'href="{reverse(entry)}"' in html, entry


def test_cell_committee_member_keeps_plans_and_meetings_in_the_menu(client, cell):
    committee_member = f.MemberWithUserFactory(cell=cell, position=Position.COMMITTEE_MEMBER)
    client.force_login(committee_member.user)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("plans:index")}"' in html
    assert f'href="{reverse("meetings:list")}"' in html


def test_member_may_fetch_the_lead_paper_pdf_linked_on_the_page(client, member, noticed):
    client.force_login(member.user)
    response = client.get(reverse("topics:pdf", args=[noticed.topic_id]), {"ban": "de-dan"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_finished_meeting_shows_no_reply_section_without_a_reply(client, member):
    meeting = _finalized_with_minutes(member)
    client.force_login(member.user)
    assert 'id="tra-loi"' not in page(client, meeting).content.decode()
    AttendanceReply.objects.create(meeting=meeting, member=member, will_attend=False, reason="Ốm")
    html = page(client, meeting).content.decode()
    assert 'id="tra-loi"' in html and "Ốm" in html
