"""Every link in every e-mail lands, for its recipient, on the page where the action is.

Each message is built by the outbox (sent to Django's locmem backend), its links are read
from the text and HTML parts and opened with the test client as that recipient: 200 and the
action on the page; another cell's member (or another committee's staff) gets 404; someone
not logged in goes through the login page and comes back to the same link.
"""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import notifications as svc
from meetings.services.notifications.rendering import site_url
from meetings.services.organizations import organization_follower_set
from meetings.workflow import Stage
from tests import factories as f
from tests.factories import PASSWORD
from tests.services.test_notifications import at, make_meeting, sweep

pytestmark = pytest.mark.django_db
K = m.NotificationKind
SITE = "https://chibo.example.vn"
NOW = at(2026, 3, 1, 9)
LEAD_TEXT = "<p>Đề dẫn: tự soi, tự sửa trong từng bộ phận.</p>"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"  # a trailing slash in the setting must not double


@pytest.fixture
def follower(committee):
    return f.StaffUserFactory(committee=committee, full_name="Lê Văn Phụ Trách")


@pytest.fixture
def stranger(other_cell):
    """A member with an account in another cell of the same committee."""
    return f.MemberWithUserFactory(cell=other_cell, full_name="Phạm Văn Chi Bộ Khác")


def _to(address):
    return [msg for msg in mail.outbox if address in msg.to[0]]


def _links(msg) -> list[str]:
    """The links of both parts, in order, without repeats."""
    html = msg.alternatives[0][0]
    # An href is HTML: `&amp;` between query parameters is `&` to the browser.
    found = URL.findall(msg.body) + [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]
    return list(dict.fromkeys(u.rstrip(".,)") for u in found))


def _actions(msg) -> list[str]:
    """The links into the app other than its home page (the footer of every message)."""
    return [u for u in _links(msg) if u.rstrip("/") != SITE]


def _get(client, url):
    """Open an e-mail link as the browser would (the fragment stays in the browser)."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE, url
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def _as(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def noticed(cell, secretary, member):
    meeting = make_meeting(cell, at(2026, 3, 20, 8))
    meeting.topic.lead_author = secretary
    meeting.topic.lead_paper_text = LEAD_TEXT
    meeting.topic.save()
    return meeting


# --- the one place links are built --------------------------------------------------------------


def test_site_url_builds_absolute_links_from_the_setting():
    assert site_url() == SITE + "/"
    assert site_url("portal:meetings", query={"buoi": 7}, fragment="tra-loi") == SITE + "/lich-hop/?buoi=7#tra-loi"
    assert site_url("topics:detail", 3, fragment="de-dan") == SITE + "/chuyen-de/3/#de-dan"


@time_machine.travel(NOW, tick=False)
def test_every_link_of_every_kind_is_absolute_on_site_url(noticed, member, secretary, committee, staff):
    svc.notifications_for_notice(meeting=noticed)
    sweep()
    # Reminders are rendered from the rows the notice created, at their own time.
    with time_machine.travel(at(2026, 3, 19, 8, 5), tick=False):
        sweep()
    assert {msg.extra_headers["X-Chibo-Key"].split(":")[0] for msg in mail.outbox} >= {
        "notice",
        "meeting_reminder",
        "reply_reminder",
    }
    for msg in mail.outbox:
        hrefs = re.findall(r'href="([^"]+)"', msg.alternatives[0][0])
        assert hrefs and all(h.startswith(SITE + "/") for h in hrefs), hrefs
        assert all(u.startswith(SITE + "/") for u in URL.findall(msg.body))
        assert "//lich-hop" not in msg.body and "//buoi-sinh-hoat" not in msg.body


# --- notice and reminders: the member's reply to that meeting ------------------------------------


@time_machine.travel(NOW, tick=False)
def test_notice_links_the_member_to_the_reply_for_that_meeting(client, noticed, member):
    svc.notifications_for_notice(meeting=noticed)
    sweep()
    (msg,) = _to(member.email)
    reply = SITE + reverse("portal:meetings") + f"?buoi={noticed.pk}&tu=thu#tra-loi"
    assert reply in _actions(msg)
    assert reply in msg.body and f'href="{reply.replace("&", "&amp;")}"' in msg.alternatives[0][0]
    html = _get(_as(client, member.user), reply).content.decode()
    assert 'id="tra-loi"' in html
    assert reverse("portal:meeting_reply", args=[noticed.pk]) in html
    assert ">Tôi sẽ tham dự</button>" in html and ">Tôi không dự được</button>" in html
    assert "tự soi, tự sửa trong từng bộ phận" in html  # the lead paper under the reply


@time_machine.travel(NOW, tick=False)
def test_notice_link_opened_by_another_cells_member_is_404(client, noticed, member, stranger):
    svc.notifications_for_notice(meeting=noticed)
    sweep()
    (msg,) = _to(member.email)
    for url in _actions(msg):
        assert _get(_as(client, stranger.user), url).status_code == 404, url


@time_machine.travel(NOW, tick=False)
def test_notice_link_sends_a_logged_out_member_through_login_and_back(client, noticed, member):
    svc.notifications_for_notice(meeting=noticed)
    sweep()
    reply = next(u for u in _actions(_to(member.email)[0]) if "tra-loi" in u)
    answer = _get(client, reply)
    assert answer.status_code == 302
    login_url = urlsplit(answer["Location"])
    assert login_url.path == reverse("accounts:login")
    back = parse_qs(login_url.query)["next"][0]
    assert back == f"{reverse('portal:meetings')}?buoi={noticed.pk}&tu=thu"
    page = client.get(answer["Location"]).content.decode()
    assert 'name="next"' in page and f"buoi={noticed.pk}" in page
    logged_in = client.post(answer["Location"], {"username": member.user.username, "password": PASSWORD, "next": back})
    assert logged_in.status_code == 302 and logged_in["Location"] == back
    assert ">Tôi không dự được</button>" in client.get(back).content.decode()


@time_machine.travel(NOW, tick=False)
def test_notice_lead_paper_link_shows_the_lead_paper_to_the_member(client, noticed, member, settings):
    # Without an attachment (the lead paper cannot be rendered) the notice links to it.
    noticed.topic.lead_paper_text = ""
    noticed.topic.lead_paper_file = ContentFile(b"not a real file", name="de-dan.docx")
    noticed.topic.save()
    svc.notifications_for_notice(meeting=noticed)
    m.Topic.objects.filter(pk=noticed.topic_id).update(lead_paper_file="")  # gone before sending
    sweep()
    (msg,) = _to(member.email)
    lead = SITE + reverse("portal:meetings") + f"?buoi={noticed.pk}&tu=thu#tai-lieu"
    assert lead in _actions(msg)
    html = _get(_as(client, member.user), lead).content.decode()
    assert 'id="tai-lieu"' in html and "Đề dẫn" in html


@time_machine.travel(NOW, tick=False)
def test_reply_and_meeting_reminders_link_to_the_same_reply(client, noticed, member):
    svc.notifications_for_notice(meeting=noticed)
    reply = SITE + reverse("portal:meetings") + f"?buoi={noticed.pk}&tu=thu#tra-loi"
    with time_machine.travel(at(2026, 3, 19, 8, 5), tick=False):
        sweep()
        for kind in (K.REPLY_REMINDER, K.MEETING_REMINDER):
            msg = next(x for x in _to(member.email) if x.extra_headers["X-Chibo-Key"].startswith(kind))
            assert _actions(msg) == [reply], kind
            html = _get(_as(client, member.user), reply).content.decode()
            assert ">Tôi không dự được</button>" in html


@time_machine.travel(NOW, tick=False)
def test_follower_notice_links_to_the_meeting_page(client, cell, noticed, follower):
    organization_follower_set(cell=cell, follower=follower)
    svc.notifications_for_notice(meeting=noticed)
    sweep()
    (msg,) = _to(follower.email)
    assert _actions(msg) == [SITE + reverse("meetings:detail", args=[noticed.pk])]
    assert _get(_as(client, follower), _actions(msg)[0]).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_guest_invitation_has_no_member_only_links(noticed):
    m.Guest.objects.create(meeting=noticed, name="Đồng chí Khách Mời", email="khach@example.vn")
    svc.notifications_for_notice(meeting=noticed)
    sweep()
    (msg,) = _to("khach@example.vn")
    assert _actions(msg) == []


# --- the reply itself: one tap, the reason asked for when not attending -----------------------------


@time_machine.travel(NOW, tick=False)
def test_cannot_attend_asks_for_the_reason_then_saves_it(client, noticed, member):
    _as(client, member.user)
    url = reverse("portal:meeting_reply", args=[noticed.pk])
    asked = client.post(url, {"will_attend": "0"}, HTTP_HX_REQUEST="true")
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Đồng chí cho biết lý do không dự được" in html and 'name="reason"' in html
    assert "alert-danger" not in html and "is-invalid" not in html  # a question, not an error
    assert not m.AttendanceReply.objects.exists()
    empty = client.post(url, {"will_attend": "0", "reason": "  "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 200 and "is-invalid" in empty.content.decode()
    assert not m.AttendanceReply.objects.exists()
    saved = client.post(url, {"will_attend": "0", "reason": "Đi công tác"}, HTTP_HX_REQUEST="true")
    assert "Đã ghi nhận" in saved.content.decode() and "Đi công tác" in saved.content.decode()
    reply = m.AttendanceReply.objects.get()
    assert (reply.member_id, reply.will_attend, reply.reason) == (member.pk, False, "Đi công tác")


@time_machine.travel(NOW, tick=False)
def test_cannot_attend_without_javascript_asks_on_the_meeting_page(client, noticed, member):
    _as(client, member.user)
    url = reverse("portal:meeting_reply", args=[noticed.pk])
    asked = client.post(url, {"will_attend": "0"})
    assert asked.status_code == 200
    assert 'id="tra-loi"' in asked.content.decode() and 'name="reason"' in asked.content.decode()
    saved = client.post(url, {"will_attend": "0", "reason": "Ốm"})
    assert saved.status_code == 302
    assert saved["Location"] == f"{reverse('portal:meetings')}?buoi={noticed.pk}#tra-loi"
    assert "Không dự được" in client.get(saved["Location"]).content.decode()


@time_machine.travel(NOW, tick=False)
def test_will_attend_is_one_tap(client, noticed, member):
    _as(client, member.user)
    answer = client.post(
        reverse("portal:meeting_reply", args=[noticed.pk]), {"will_attend": "1"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200 and "Sẽ tham dự" in answer.content.decode()
    assert m.AttendanceReply.objects.get().will_attend is True


@time_machine.travel(NOW, tick=False)
def test_reply_refused_after_the_start_is_shown_where_the_member_tapped(client, noticed, member):
    with time_machine.travel(at(2026, 3, 20, 8, 30), tick=False):
        _as(client, member.user)
        answer = client.post(
            reverse("portal:meeting_reply", args=[noticed.pk]), {"will_attend": "1"}, HTTP_HX_REQUEST="true"
        )
    assert answer.status_code == 200  # htmx swaps only successful answers
    assert "Đã đến giờ họp" in answer.content.decode()
    assert not m.AttendanceReply.objects.exists()


def test_meeting_page_of_a_missing_or_bad_id_is_404(client, member):
    _as(client, member.user)
    for value in ("987654", "abc", "1" * 30):
        assert client.get(reverse("portal:meetings"), {"buoi": value}).status_code == 404


# --- deadline reminders: the submit page, with the lead paper ------------------------------------


@pytest.fixture
def assigned(cell, secretary, member):
    with time_machine.travel(NOW, tick=False):
        topic = f.TopicFactory(
            cell=cell,
            lead_author=secretary,
            lead_paper_due=datetime.date(2026, 3, 10),
            lead_paper_status=m.LeadPaperStatus.ASSIGNED,
            lead_paper_text=LEAD_TEXT,
        )
        contribution = f.ContributionFactory(
            topic=topic, member=member, subject="Liên hệ bản thân", due_on=datetime.date(2026, 3, 12)
        )
        svc.notifications_for_deadlines(topic=topic)
    return topic, contribution


def test_contribution_deadline_links_to_its_submit_page_with_the_lead_paper(client, assigned, member, stranger):
    topic, contribution = assigned
    with time_machine.travel(at(2026, 3, 9, 7, 5), tick=False):
        sweep()
        (msg,) = _to(member.email)
        submit = SITE + reverse("portal:contribution_edit", args=[contribution.pk])
        assert _actions(msg) == [submit]
        html = _get(_as(client, member.user), submit).content.decode()
        assert ">Nộp tham luận</button>" in html and 'name="text"' in html
        assert 'id="de-dan"' in html and "tự soi, tự sửa trong từng bộ phận" in html
        assert reverse("topics:pdf", args=[topic.pk]) in html
        assert _get(_as(client, stranger.user), submit).status_code == 404


def test_lead_paper_deadline_links_the_author_to_the_lead_paper_form(client, assigned, secretary, stranger):
    topic, _ = assigned
    with time_machine.travel(at(2026, 3, 7, 7, 5), tick=False):
        sweep()
        (msg,) = _to(secretary.email)
        form = SITE + reverse("topics:detail", args=[topic.pk]) + "#de-dan"
        assert _actions(msg) == [form]
        html = _get(_as(client, secretary.user), form).content.decode()
        assert 'id="de-dan"' in html and ">Nộp đề dẫn</button>" in html
        assert _get(_as(client, stranger.user), form).status_code == 404


# --- after the meeting: the finished topic, the report, the answer -------------------------------


@pytest.fixture
def finalized(cell, secretary, member, committee, staff):
    meeting = make_meeting(cell, at(2026, 3, 5, 8), stage=Stage.FINALIZED)
    meeting.topic.completed_text = "<p>Chuyên đề hoàn chỉnh sau sinh hoạt.</p>"
    meeting.topic.save()
    minutes = m.Minutes.objects.create(
        meeting=meeting,
        cell=cell,
        year=2026,
        number=3,
        finalized_at=timezone.now(),
        verification_code="AB12CD34",
        pdf=ContentFile(b"%PDF-1.4 minutes", name="bien-ban.pdf"),
    )
    report = m.Report.objects.create(minutes=minutes, committee=committee, version=1)
    return meeting, minutes, report


def test_study_copy_links_to_the_finished_topic(client, finalized, member, stranger):
    meeting, minutes, report = finalized
    svc.notifications_for_finalized(meeting=meeting, minutes=minutes, report=report)
    sweep()
    (msg,) = [x for x in _to(member.email) if x.subject.startswith("Tài liệu nghiên cứu")]
    topic_url = SITE + reverse("library:detail", args=[meeting.topic_id])
    assert topic_url in _actions(msg)
    html = _get(_as(client, member.user), topic_url).content.decode()
    assert "Chuyên đề hoàn chỉnh sau sinh hoạt." in html
    for url in _actions(msg):
        assert _get(_as(client, member.user), url).status_code == 200, url
        assert _get(_as(client, stranger.user), url).status_code == 404, url


def test_report_email_links_the_committee_staff_to_the_report_page(client, finalized, committee, staff, member):
    meeting, minutes, report = finalized
    svc.notifications_for_finalized(meeting=meeting, minutes=minutes, report=report)
    sweep()
    msg = next(x for x in _to(staff.email) if x.subject.startswith("Báo cáo sinh hoạt"))
    report_url = SITE + reverse("reports:detail", args=[report.pk])
    assert report_url in _actions(msg)
    html = _get(_as(client, staff), report_url).content.decode()
    assert ">Chấp nhận</button>" in html and ">Trả lại để bổ sung</button>" in html
    # The committee's shared address gets the same link (its staff log in to open it).
    shared = next(x for x in _to(committee.email) if x.subject.startswith("Báo cáo sinh hoạt"))
    assert report_url in _actions(shared)
    # Scoped: another committee's staff get 404; a member of the cell is not committee staff.
    elsewhere = f.StaffUserFactory(committee=f.CommitteeFactory())
    assert _get(_as(client, elsewhere), report_url).status_code == 404
    assert _get(_as(client, member.user), report_url).status_code == 403


def test_returned_report_answer_links_the_secretary_to_the_correction_form(client, finalized, secretary, member):
    _meeting, _minutes, report = finalized
    report.status = m.ReportStatus.RETURNED
    report.comment = "Bổ sung danh sách vắng"
    report.save()
    svc.notifications_for_report_answer(report=report)
    sweep()
    (msg,) = _to(secretary.email)
    url = SITE + reverse("reports:cell_list") + f"#bao-cao-{report.pk}"
    assert _actions(msg) == [url]
    html = _get(_as(client, secretary.user), url).content.decode()
    assert f'id="bao-cao-{report.pk}"' in html and ">Gửi bản bổ sung</button>" in html
    assert _get(_as(client, member.user), url).status_code == 403


# --- the quarter watch --------------------------------------------------------------------------


def test_quarter_watch_links_the_secretary_to_the_plan_and_the_committee_to_its_dashboard(
    client, cell, secretary, committee, staff
):
    svc.notifications_for_quarter_watch(today=datetime.date(2026, 3, 25))
    sweep()
    warning = next(x for x in _to(secretary.email) if x.subject.startswith("Cảnh báo"))
    assert _actions(warning) == [SITE + reverse("plans:index")]
    assert _get(_as(client, secretary.user), _actions(warning)[0]).status_code == 200
    summary = next(x for x in _to(staff.email) if x.subject.startswith("Tổng hợp quý"))
    assert _actions(summary) == [SITE + reverse("dashboard:org", args=[committee.pk])]
    assert _get(_as(client, staff), _actions(summary)[0]).status_code == 200
    elsewhere = f.StaffUserFactory(committee=f.CommitteeFactory())
    assert _get(_as(client, elsewhere), _actions(summary)[0]).status_code == 404
