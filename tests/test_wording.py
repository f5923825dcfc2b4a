"""What users read speaks in a party office's register (DOMAIN.md §12): no “bạn”, no casual
greeting, no doubled word or home-made abbreviation, the spelling “ủy/hóa/khóa”, and a
committee is addressed as a body (“Kính gửi: Ban Thường vụ …”), never as “đồng chí <tổ chức>”.

Scanned: every template (documents included), the rendered e-mail of every kind, the Python
string literals of meetings/ and chibo/ (not the migrations, which keep history), and chibo's
own Vietnamese for Django's messages. Each hit is reported with its file and line."""

import ast
import datetime
import re
import unicodedata
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from meetings import models as m
from meetings.services import notifications as svc
from meetings.services.notifications.action_reminders import notifications_for_action_items
from meetings.services.notifications.integrity_alert import notifications_for_integrity_alert
from meetings.services.notifications.rendering import SYSTEM_SENDER, MessageBuilder
from meetings.services.organizations import organization_follower_set
from meetings.workflow import Stage
from tests import factories as f
from tests.conftest import login
from tests.services.test_notifications import at, make_meeting

ROOT = Path(settings.BASE_DIR)
K = m.NotificationKind

# Organisations and committees that may follow a greeting by mistake.
_BODIES = r"(?:Đảng bộ|Đảng ủy|Đảng uỷ|Chi bộ|Chi ủy|Chi uỷ|Ban|Tổ đảng|Đảng đoàn|Ủy ban|Uỷ ban|Cấp ủy)"

FORBIDDEN = [
    ("“bạn” (xưng “đồng chí”)", re.compile(r"(?<!\w)bạn(?!\w)", re.IGNORECASE)),
    ("“đã đã”", re.compile(r"(?<!\w)đã\s+đã(?!\w)", re.IGNORECASE)),
    ("“Xin chào”", re.compile(r"(?<!\w)xin chào(?!\w)", re.IGNORECASE)),
    (
        "“Kính gửi đồng chí” + tên tổ chức (viết “Kính gửi: Ban Thường vụ …”)",
        re.compile(rf"Kính gửi:?\s+đồng chí\s+{_BODIES}(?!\w)", re.IGNORECASE),
    ),
    ("“uỷ” (viết “ủy”)", re.compile(r"(?<!\w)uỷ(?!\w)", re.IGNORECASE)),
    ("“hoá” (viết “hóa”)", re.compile(r"(?<!\w)hoá(?!\w)", re.IGNORECASE)),
    ("“khoá” (viết “khóa”)", re.compile(r"(?<!\w)khoá(?!\w)", re.IGNORECASE)),
    ("“SHCĐ” (viết đủ)", re.compile(r"SHCĐ", re.IGNORECASE)),
    ("“không phải bí thư” (ghi chú lập trình)", re.compile(r"không phải bí thư", re.IGNORECASE)),
]


def hits(text: str, where: str, first_line: int = 1) -> list[str]:
    """`where:line: what — excerpt` for each forbidden form in `text`."""
    text = unicodedata.normalize("NFC", text)
    found = []
    for offset, line in enumerate(text.splitlines()):
        for label, pattern in FORBIDDEN:
            for match in pattern.finditer(line):
                start = max(match.start() - 30, 0)
                excerpt = line[start : match.end() + 30].strip()
                found.append(f"{where}:{first_line + offset}: {label} — …{excerpt}…")
    return found


def report(found: list[str]) -> str:
    return "Cách viết không đúng văn phong (DOMAIN.md §12):\n" + "\n".join(found)


# --- the scanner itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Bạn chưa được phân công",
        "Tài khoản của bạn",
        "Buổi sinh hoạt đã đã hoàn tất",
        "Xin chào, Nguyễn Văn An",
        "Kính gửi đồng chí Đảng bộ Khối các cơ quan tỉnh,",
        "Kính gửi đồng chí Ban Thường vụ Đảng ủy Khối,",
        "Chi uỷ duyệt đề dẫn",
        "tự chuyển hoá",
        "Tạm khoá đăng nhập",
        "Đã SHCĐ",
        "(thư ký, không phải bí thư)",
    ],
)
def test_scanner_finds_each_forbidden_form(text):
    assert hits(text, "x")


@pytest.mark.parametrize(
    "text",
    [
        "Ban Thường vụ Đảng ủy Khối",  # “ban” (a body), not the pronoun
        "Kính gửi: Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh",
        "Kính gửi đồng chí Nguyễn Văn An,",
        "Đăng xuất, thoát",  # “thoát” contains the letters of “hoá” but is right
        "quỷ, quả, khóa, hóa, ủy",
    ],
)
def test_scanner_leaves_the_right_forms_alone(text):
    assert hits(text, "x") == []


# --- templates, Python strings, translations ---------------------------------------------------


def test_templates_have_no_forbidden_wording():
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in (".html", ".txt"):
            found += hits(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, report(found)


def _string_literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_python_strings_of_meetings_and_chibo_have_no_forbidden_wording():
    found = []
    for package in ("meetings", "chibo"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, value in _string_literals(path):
                found += hits(value, str(path.relative_to(ROOT)), line)
    assert not found, report(found)


def _po_entries(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (header left out)."""
    entries, key, current = {}, None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if line.startswith("msgid "):
            key, current = "msgid", {"msgid": ast.literal_eval(line[6:]), "msgstr": ""}
        elif line.startswith("msgstr "):
            key = "msgstr"
            current["msgstr"] = ast.literal_eval(line[7:])
        elif line.startswith('"') and current is not None:
            current[key] += ast.literal_eval(line)
        elif not line and current is not None:
            if current["msgid"]:
                entries[current["msgid"]] = current["msgstr"]
            current = None
    return entries


PO_FILE = ROOT / "chibo" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_chibo_vietnamese_for_django_has_no_forbidden_wording():
    found = hits("\n".join(_po_entries(PO_FILE).values()), str(PO_FILE.relative_to(ROOT)))
    assert not found, report(found)


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo in the repository is the .po compiled (`msgfmt -o django.mo django.po`)."""
    entries = _po_entries(PO_FILE)
    assert len(entries) > 20
    with translation.override("vi"):
        stale = {k: v for k, v in entries.items() if translation.gettext(k) != v}
    assert not stale, f"django.mo chưa được biên dịch lại từ django.po: {sorted(stale)}"


# --- Django's own pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_password_gets_the_offices_wording(client, secretary):
    response = client.post(reverse("accounts:login"), {"username": secretary.user.username, "password": "sai"})
    body = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in body
    assert "Vui lòng điền vào" not in body


@pytest.mark.django_db
def test_password_change_form_speaks_of_the_current_password(client, secretary):
    login(client, secretary.user)
    body = client.get(reverse("accounts:password_change")).content.decode()
    assert "Mật khẩu hiện tại" in body and "Nhập lại mật khẩu mới" in body
    assert hits(body, "đổi mật khẩu") == []


@pytest.mark.django_db
def test_admin_index_titles_and_third_party_sections_are_vietnamese(client):
    admin_user = f.UserFactory(is_staff=True, is_superuser=True)
    body = login(client, admin_user).get(reverse("admin:index")).content.decode()
    for name in ("Quản trị hệ thống", "Phân quyền", "Theo dõi đăng nhập", "Lịch sử thay đổi dữ liệu", "Tài khoản:"):
        assert name in body
    for english in ("Site quản trị", "Axes", "Pghistory", "Xác thực và ủy quyền", "Chào mừng"):
        assert english not in body
    assert hits(body, "admin") == []


# --- the home page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_names_the_comrade_and_the_title_not_a_greeting(client, secretary):
    body = login(client, secretary.user).get(reverse("home")).content.decode()
    assert "Xin chào" not in body
    assert f"Đồng chí {secretary.user.display_name} — Bí thư {secretary.cell.name}" in body
    assert hits(body, "trang chủ") == []


@pytest.mark.django_db
def test_home_of_committee_staff_names_the_committee(client, staff):
    body = login(client, staff).get(reverse("home")).content.decode()
    assert f"Đồng chí {staff.display_name} — cán bộ {staff.committee.committee_display}" in body


# --- the e-mails of every kind ----------------------------------------------------------------

BLOC = "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh"
BLOC_STANDING = "Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh"
CELL = "Chi bộ Văn phòng Sở Tài chính"


@pytest.fixture
def every_email(db):
    """Every kind of message built by the real hooks and rendered by the real builder:
    notice (member, follower, guest; new, moved, postponed, cancelled), reminders, deadline
    reminders, study copy, report (committee address and staff; first and later version),
    answers (accepted, returned), quarter warning and summary."""
    committee = f.CommitteeFactory(name=BLOC, email="vanphong@dukhoi.example.vn")
    cell = f.CellFactory(name=CELL, parent=committee)
    secretary = f.SecretaryFactory(cell=cell, full_name="Nguyễn Văn An")
    member = f.MemberWithUserFactory(cell=cell, full_name="Trần Thị Bình")
    staff = f.StaffUserFactory(committee=committee, full_name="Lê Văn Cường")
    late_cell = f.CellFactory(name="Chi bộ Kỹ thuật - An toàn", parent=committee)
    f.SecretaryFactory(cell=late_cell, full_name="Phạm Thị Dung")
    organization_follower_set(cell=cell, follower=staff)
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = make_meeting(cell, at(2026, 3, 20, 8))
        topic = meeting.topic
        topic.lead_author = member
        topic.lead_paper_due = datetime.date(2026, 3, 12)
        topic.lead_paper_status = m.LeadPaperStatus.ASSIGNED
        topic.lead_paper_text = "<p>Nội dung đề dẫn</p>"
        topic.save()
        f.ContributionFactory(topic=topic, member=secretary, due_on=datetime.date(2026, 3, 15))
        m.Guest.objects.create(meeting=meeting, name="Phan Đình Khách", title="Phó Bí thư", email="khach@example.vn")
        with svc.notifications_dispatch_paused():
            svc.notifications_for_notice(meeting=meeting)
            svc.notifications_for_deadlines(topic=topic)
    m.Meeting.objects.filter(pk=meeting.pk).update(stage=Stage.FINALIZED)
    minutes = m.Minutes.objects.create(
        meeting=meeting,
        cell=cell,
        year=2026,
        number=3,
        finalized_at=timezone.now(),
        verification_code="AB12CD34",
        pdf=ContentFile(b"%PDF-1.4 minutes", name="bien-ban.pdf"),
    )
    report = m.Report.objects.create(
        minutes=minutes, committee=committee, version=1, document_sha256="a" * 64, chain_seq=1, chain_head="b" * 64
    )
    with svc.notifications_dispatch_paused():
        svc.notifications_for_finalized(meeting=meeting, minutes=minutes, report=report)
        for status in (m.ReportStatus.ACCEPTED, m.ReportStatus.RETURNED):
            report.status, report.comment = status, "Đề nghị bổ sung danh sách vắng"
            report.save()
            svc.notifications_for_report_answer(report=report)
        svc.notifications_for_quarter_watch(today=datetime.date(2026, 3, 25))
    # An action item of the conclusion and its reminder (issue 17).
    m.ActionItem.objects.create(
        meeting=meeting,
        cell=cell,
        number=1,
        text="Rà soát quy chế",
        owner_member=member,
        due_on=datetime.date(2026, 4, 10),
    )
    with time_machine.travel(at(2026, 3, 21, 9), tick=False), svc.notifications_dispatch_paused():
        notifications_for_action_items(meeting=meeting)
    # The administrators' alert of the daily integrity check (issue 18).
    f.UserFactory(is_superuser=True, email="quantri@example.vn", full_name="Võ Văn Quản Trị")
    with svc.notifications_dispatch_paused():
        notifications_for_integrity_alert(
            result={
                "problems_count": 1,
                "problems": [f"{CELL} (mã {cell.pk}): mắt xích số 1 …"],
                "cells": 1,
                "links": 1,
                "files": 1,
                "reports": 1,
            },
            now=at(2026, 3, 22, 3),
        )
    rows = list(m.Notification.objects.select_related("meeting", "meeting__topic", "meeting__cell", "cell"))
    variants = []
    for n in rows:
        variants.append(n)
        if n.kind == K.NOTICE:  # the same row as a moved, postponed and cancelled meeting
            for change in ("moved", "postponed", "cancelled"):
                variants.append(m.Notification(**{**_fields(n), "context": {**n.context, "change": change}}))
        if n.kind == K.REPORT:  # a later version of the report
            variants.append(m.Notification(**{**_fields(n), "context": {**n.context, "report_version": 2}}))
    builder = MessageBuilder()
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        messages = [(n, builder.build(n)) for n in variants]
    return {"messages": messages, "committee": committee, "cell": cell, "staff": staff}


def _fields(n):
    return {
        field.attname: getattr(n, field.attname)
        for field in m.Notification._meta.concrete_fields
        if not field.primary_key
    }


def test_every_kind_of_email_is_built(every_email):
    assert {n.kind for n, _msg in every_email["messages"]} == set(K.values)


def test_emails_have_no_forbidden_wording(every_email):
    found = []
    for n, msg in every_email["messages"]:
        where = f"e-mail {n.kind} tới {n.recipient_name} ({n.context.get('change') or n.context.get('status') or ''})"
        found += hits(msg.subject, where + " [tiêu đề]")
        found += hits(msg.body, where + " [văn bản]")
        found += hits(msg.alternatives[0][0], where + " [HTML]")
    assert not found, report(found)


def test_report_and_quarter_summary_are_addressed_to_the_standing_committee(every_email):
    to_committee = [(n, msg) for n, msg in every_email["messages"] if n.kind in (K.REPORT, K.QUARTER_SUMMARY)]
    # The committee's own address and its staff member, for both kinds.
    assert {(n.kind, n.recipient_user_id is None) for n, _msg in to_committee} == {
        (K.REPORT, True),
        (K.REPORT, False),
        (K.QUARTER_SUMMARY, True),
        (K.QUARTER_SUMMARY, False),
    }
    for _n, msg in to_committee:
        assert msg.body.startswith(f"Kính gửi: {BLOC_STANDING}\n")
        assert f"<p>Kính gửi: {BLOC_STANDING}</p>" in msg.alternatives[0][0]
        assert "Kính gửi đồng chí" not in msg.body


def test_member_emails_greet_the_comrade_and_are_signed_by_the_cell(every_email):
    for n, msg in every_email["messages"]:
        if n.kind in (K.NOTICE, K.MEETING_REMINDER, K.REPLY_REMINDER, K.DEADLINE_REMINDER, K.STUDY):
            assert msg.body.startswith(f"Kính gửi đồng chí {n.recipient_name},\n"), msg.body[:80]
            assert f"Trân trọng.\n{CELL}\n" in msg.body


def test_report_is_signed_by_the_cell_and_the_answer_by_the_committee(every_email):
    signed = {n.kind: msg.body for n, msg in every_email["messages"]}
    assert f"Trân trọng.\n{CELL}\n" in signed[K.REPORT]
    assert "Trân trọng.\nĐảng ủy Khối các cơ quan và doanh nghiệp tỉnh\n" in signed[K.REPORT_ANSWER]
    for kind in (K.QUARTER_WARNING, K.QUARTER_SUMMARY):
        assert f"Trân trọng.\n{SYSTEM_SENDER}\n" in signed[kind]
