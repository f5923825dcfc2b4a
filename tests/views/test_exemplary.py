"""Exemplary topics on the pages: the mark on the committee's report page, the badge and the
"use as a template" form in the library of the cells under that committee, and the scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from tests import factories as f
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _report_url(world):
    return reverse("reports:detail", args=[world.objects["report"].pk])


def _mark(client, world, user, *, reason="Chuẩn bị công phu", next_url=None):
    client.force_login(user)
    topic = world.objects["done_topic"]
    return client.post(
        reverse("topics:exemplary_mark", args=[topic.pk]),
        {"reason": reason, "next": next_url if next_url is not None else _report_url(world)},
    )


def _far_secretary(world):
    return m.Member.objects.get(full_name="Vũ Văn Xa").user


def test_report_page_offers_the_mark_to_committee_staff(client, world):
    client.force_login(world.users["staff"])
    page = client.get(_report_url(world)).content.decode()
    assert "data-exemplary-panel" in page
    assert "Chọn là chuyên đề tiêu biểu" in page


def test_staff_mark_from_the_report_page_and_see_it_there(client, world):
    response = _mark(client, world, world.users["staff"])
    assert response.status_code == 302
    assert response["Location"] == _report_url(world)
    mark = m.ExemplaryTopic.objects.get()
    assert (mark.topic, mark.committee, mark.reason) == (
        world.objects["done_topic"],
        world.superior,
        "Chuẩn bị công phu",
    )
    page = client.get(_report_url(world)).content.decode()
    assert "Bỏ chọn tiêu biểu" in page
    assert "Chuẩn bị công phu" in page


def test_staff_unmark(client, world):
    _mark(client, world, world.users["staff"])
    topic = world.objects["done_topic"]
    response = client.post(reverse("topics:exemplary_unmark", args=[topic.pk]), {"next": _report_url(world)})
    assert response.status_code == 302
    assert not m.ExemplaryTopic.objects.exists()


def test_an_outside_next_address_is_not_followed(client, world):
    response = _mark(client, world, world.users["staff"], next_url="https://evil.example/")
    assert response["Location"] == reverse("dashboard:cell", args=[world.cell.pk])


def test_secretaries_are_refused_and_staff_elsewhere_get_404(client, world):
    assert _mark(client, world, world.users["secretary"]).status_code == 403
    assert _mark(client, world, world.users["other_secretary"]).status_code == 403
    assert _mark(client, world, world.users["unrelated_staff"]).status_code == 404
    assert not m.ExemplaryTopic.objects.exists()


def test_the_badge_shows_in_the_library_of_cells_under_the_committee_only(client, world):
    topic = world.objects["done_topic"]
    client.force_login(world.users["other_secretary"])
    assert topic.title not in client.get(reverse("library:index")).content.decode()
    assert client.get(reverse("library:detail", args=[topic.pk])).status_code == 404
    _mark(client, world, world.users["staff"])

    client.force_login(world.users["other_secretary"])
    page = client.get(reverse("library:index")).content.decode()
    assert topic.title in page and "Chuyên đề tiêu biểu" in page and world.cell.name in page

    client.force_login(_far_secretary(world))
    assert topic.title not in client.get(reverse("library:index")).content.decode()
    assert client.get(reverse("library:detail", args=[topic.pk])).status_code == 404
    assert client.get(reverse("library:pdf", args=[topic.pk])).status_code == 404


def test_another_cells_exemplary_topic_reads_without_that_cells_file_links(client, world):
    topic = world.objects["done_topic"]
    _mark(client, world, world.users["staff"])
    client.force_login(world.users["other_secretary"])
    response = client.get(reverse("library:detail", args=[topic.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chuyên đề tiêu biểu" in page and "Chuẩn bị công phu" in page
    assert reverse("topics:pdf", args=[topic.pk]) not in page  # another cell's page: 404 there
    assert "Dùng làm mẫu cho chuyên đề mới" in page
    pdf = client.get(reverse("library:pdf", args=[topic.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_secretary_starts_a_new_topic_and_lands_on_it(client, world):
    topic = world.objects["done_topic"]
    _mark(client, world, world.users["staff"])
    client.force_login(world.users["other_secretary"])
    response = client.post(reverse("library:use", args=[topic.pk]), {"quarter": "3"})
    new = m.Topic.objects.get(cell=world.other_cell)
    assert response.status_code == 302
    assert response["Location"] == reverse("topics:detail", args=[new.pk])
    assert (new.title, new.lead_paper_text, new.meeting.quarter) == (topic.title, topic.lead_paper_text, 3)
    page = client.get(response["Location"]).content.decode()
    assert topic.title in page


def test_a_plain_member_sees_no_template_form_and_is_refused(client, world):
    topic = world.objects["done_topic"]
    _mark(client, world, world.users["staff"])
    member = f.MemberWithUserFactory(cell=world.other_cell, full_name="Phan Văn Tuấn")
    client.force_login(member.user)
    page = client.get(reverse("library:detail", args=[topic.pk])).content.decode()
    assert "Dùng làm mẫu cho chuyên đề mới" not in page
    assert client.post(reverse("library:use", args=[topic.pk]), {"quarter": "1"}).status_code == 403
    client.force_login(_far_secretary(world))
    assert client.post(reverse("library:use", args=[topic.pk]), {"quarter": "1"}).status_code == 404
    assert not m.Topic.objects.filter(cell=world.other_cell).exists()


def _library_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("library:index")).status_code == 200
    return len(ctx.captured_queries)


def test_library_queries_do_not_grow_with_exemplary_topics(client, world):
    staff = world.users["staff"]
    _mark(client, world, staff)
    client.force_login(world.users["other_secretary"])
    _library_queries(client)
    one = _library_queries(client)
    from meetings.services.topics_exemplary import topic_mark_exemplary

    for n in range(4):
        topic = f.TopicFactory(cell=world.cell, title=f"Chuyên đề mẫu {n}")
        f.MeetingFactory(cell=world.cell, topic=topic, stage="finalized", scheduled_date=timezone.localdate())
        topic_mark_exemplary(topic=topic, actor=staff, reason="")
    assert _library_queries(client) == one
