"""The admin writes through the services: moving, adding and deleting organisations and
rescheduling meetings keep the dashboards' figures right, as the same change in the app would."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from meetings.models import Attendance, ComplianceSummary, Conclusion, Meeting, Organization, Report
from meetings.selectors.dashboard import dashboard
from meetings.services.compliance_check import compliance_check
from tests import factories as f
from tests.dashboard_tree import QUARTER, YEAR, build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def admin_client(client):
    client.force_login(f.UserFactory(is_superuser=True, is_staff=True))
    return client


def totals(org):
    figures = dashboard(committee=Organization.objects.get(pk=org.pk), year=YEAR, quarter=QUARTER).totals
    return figures.total_cells, figures.compliant, figures.scheduled, figures.grades["good"]


def org_form(org, **changes):
    data = {
        "name": org.name,
        "short_name": org.short_name,
        "parent": org.parent_id or "",
        "email": org.email,
        "place": org.place,
        "phone": org.phone,
        "is_active": "on" if org.is_active else "",
    }
    return {**data, **changes}


def test_moving_a_cell_in_the_admin_moves_its_figures(tree, admin_client):
    url = reverse("admin:meetings_organization_change", args=[tree["a1"].pk])
    response = admin_client.post(url, org_form(tree["a1"], parent=tree["b"].pk, name="Chi bộ A1 (chuyển)"))
    assert response.status_code == 302
    moved = Organization.objects.get(pk=tree["a1"].pk)
    assert (moved.name, moved.parent_id) == ("Chi bộ A1 (chuyển)", tree["b"].pk)
    assert moved.path.startswith(tree["b"].path)
    assert totals(tree["a"]) == (2, 0, 1, 0)
    assert totals(tree["b"]) == (2, 2, 2, 1)
    assert totals(tree["root"]) == (5, 2, 3, 1)


def test_moving_into_its_own_subtree_is_refused_on_the_form(tree, admin_client):
    url = reverse("admin:meetings_organization_change", args=[tree["a"].pk])
    response = admin_client.post(url, org_form(tree["a"], parent=tree["a1"].pk))
    assert response.status_code == 200
    assert "chính cây trực thuộc" in response.text
    assert Organization.objects.get(pk=tree["a"].pk).parent_id == tree["root"].pk


def test_adding_a_cell_in_the_admin_places_it_and_counts_it(tree, admin_client):
    data = org_form(Organization(name="Chi bộ A4", place="Hà Tĩnh", is_active=True), parent=tree["a"].pk)
    response = admin_client.post(reverse("admin:meetings_organization_add"), {**data, "kind": "cell"})
    assert response.status_code == 302
    added = Organization.objects.get(name="Chi bộ A4")
    assert added.path == tree["a"].path + f"{added.pk:09d}/"
    assert (totals(tree["a"])[0], totals(tree["root"])[0]) == (4, 6)


def test_deleting_an_empty_cell_in_the_admin_updates_the_counts(tree, admin_client):
    empty = f.CellFactory(name="Chi bộ tạm", parent=tree["a"])
    response = admin_client.post(reverse("admin:meetings_organization_delete", args=[empty.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert (totals(tree["a"])[0], totals(tree["root"])[0]) == (3, 5)


def test_bulk_deleting_organisations_in_the_admin_updates_the_counts(tree, admin_client):
    cells = [f.CellFactory(name="Chi bộ tạm A", parent=tree["a"]), f.CellFactory(name="Chi bộ tạm B", parent=tree["b"])]
    response = admin_client.post(
        reverse("admin:meetings_organization_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [c.pk for c in cells]},
    )
    assert response.status_code == 302
    assert not Organization.objects.filter(pk__in=[c.pk for c in cells]).exists()
    assert (totals(tree["a"])[0], totals(tree["b"])[0], totals(tree["root"])[0]) == (3, 1, 5)


def test_deleting_a_meeting_in_the_admin_is_refused_with_its_reason(tree, admin_client):
    meeting = Meeting.objects.get(cell=tree["a2"], year=YEAR, quarter=QUARTER)
    response = admin_client.post(reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"})
    assert response.status_code == 200
    assert "không xóa buổi sinh hoạt trong trang quản trị" in response.text
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert totals(tree["a"]) == (3, 1, 2, 1)


def test_bulk_deleting_meetings_in_the_admin_is_refused(tree, admin_client):
    meeting = Meeting.objects.get(cell=tree["a2"], year=YEAR, quarter=QUARTER)
    response = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [meeting.pk]},
    )
    assert response.status_code == 200
    assert "không xóa buổi sinh hoạt trong trang quản trị" in response.text
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_report_cannot_be_deleted_in_the_admin(tree, admin_client):
    report = Report.objects.get(minutes__cell=tree["a1"])
    response = admin_client.post(reverse("admin:meetings_report_delete", args=[report.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()
    assert dashboard(committee=tree["a"], year=YEAR, quarter=QUARTER).totals.reports == 1


def test_compliance_summaries_are_read_only_in_the_admin(tree, admin_client):
    summary = ComplianceSummary.objects.filter(cell=tree["a1"]).first()
    assert admin_client.get(reverse("admin:meetings_compliancesummary_changelist")).status_code == 200
    change = admin_client.post(reverse("admin:meetings_compliancesummary_change", args=[summary.pk]), {})
    assert change.status_code == 403
    assert ComplianceSummary.objects.get(pk=summary.pk).finalized_count == summary.finalized_count


def change_form_data(client, url, **changes):
    """The admin change form as the browser would post it back unchanged, plus `changes`."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}

    def add(form):
        for bound in form:
            widget, value = bound.field.widget, bound.value()
            if hasattr(widget, "decompress"):  # split date and time
                for i, part in enumerate(widget.decompress(value)):
                    data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is not None:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return {**data, **changes}


def test_moving_a_meeting_to_another_quarter_in_the_admin_moves_it_on_the_dashboard(tree, admin_client):
    meeting = Meeting.objects.get(cell=tree["a2"], year=YEAR, quarter=QUARTER)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    moved = {"scheduled_date": "2025-08-20", "start_time": "08:00", "place": "Hội trường"}
    with time_machine.travel(datetime.datetime(YEAR, 7, 1, 9, tzinfo=datetime.UTC), tick=False):
        response = admin_client.post(url, change_form_data(admin_client, url, **moved))
    assert response.status_code == 302
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.quarter, stored.version) == (3, meeting.version + 1)  # through meeting_schedule
    assert totals(tree["a"]) == (3, 1, 1, 1)
    q3 = dashboard(committee=tree["root"], year=YEAR, quarter=3).totals
    assert (q3.scheduled, q3.compliant) == (1, 0)
    for quarter in (QUARTER, 3):
        result = compliance_check(year=YEAR, quarter=quarter, repair=False)
        assert (result["summaries_repaired"], result["rollups_repaired"]) == (0, 0)


def test_a_schedule_the_service_refuses_is_shown_and_nothing_is_saved(tree, admin_client):
    meeting = Meeting.objects.get(cell=tree["a2"], year=YEAR, quarter=QUARTER)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    response = admin_client.post(url, change_form_data(admin_client, url, scheduled_date="2025-08-20", place=""))
    assert response.status_code == 302
    assert "Vui lòng" in admin_client.get(response.url).text
    assert Meeting.objects.get(pk=meeting.pk).scheduled_date == meeting.scheduled_date


def test_the_stage_cannot_be_changed_in_the_admin(tree, admin_client):
    meeting = Meeting.objects.get(cell=tree["a2"], year=YEAR, quarter=QUARTER)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert 'name="stage"' not in admin_client.get(url).text
    response = admin_client.post(url, change_form_data(admin_client, url, stage="finalized"))
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).stage == "scheduled"
    assert totals(tree["a"]) == (3, 1, 2, 1)


def test_attendance_and_conclusion_of_a_finalised_meeting_are_read_only_in_the_admin(tree, admin_client):
    attendance = Attendance.objects.filter(meeting__cell=tree["a1"], status="present").first()
    url = reverse("admin:meetings_attendance_change", args=[attendance.pk])
    assert admin_client.post(url, {"meeting": attendance.meeting_id, "member": attendance.member_id}).status_code == 403
    conclusion = Conclusion.objects.get(meeting__cell=tree["a1"])
    assert admin_client.post(reverse("admin:meetings_conclusion_delete", args=[conclusion.pk])).status_code == 403
    assert Attendance.objects.get(pk=attendance.pk).status == "present"


def test_attendance_is_recorded_on_the_meeting_page_not_added_in_the_admin(tree, admin_client):
    meeting = Meeting.objects.get(cell=tree["a2"], year=YEAR, quarter=QUARTER)
    member = f.MemberFactory(cell=tree["a2"])
    response = admin_client.post(
        reverse("admin:meetings_attendance_add"), {"meeting": meeting.pk, "member": member.pk, "status": "present"}
    )
    assert response.status_code == 403
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_minutes_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:meetings_minutes_add")).status_code == 403
