"""The dashboard on the demo data, against hand-counted expectations.

seed_demo (frozen at 29/11/2026) gives Q1–Q3 2026 finalised meetings to six cells; a cell
misses a quarter when (its index + the quarter's offset) % 3 == 2, except bithu's cell, which
never misses (see _demo_meetings.py). Cells in tree order: 0 MTTQ (bithu), 1 Sở Tài chính
(bithu2), 2 Kế hoạch Vật tư, 3 Kỹ thuật – An toàn (both under the power company), 4 TDP 1,
5 TDP 5 (both under the ward). Hand count:
  Q1: missing 2, 5     Q2: missing 1, 4     Q3: missing 3     Q4: nothing held yet
capuy's bloc committee has cells 0–3; the province has all six.
"""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.models import Organization, User
from meetings.selectors.dashboard import dashboard

pytestmark = pytest.mark.django_db

DEMO_DAY = timezone.make_aware(datetime.datetime(2026, 11, 29, 10, 0))


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    with time_machine.travel(DEMO_DAY, tick=False):
        call_command("seed_demo", verbosity=0)
        yield


def test_bloc_committee_per_quarter(demo):
    bloc = User.objects.get(username="capuy").committee
    with time_machine.travel(DEMO_DAY, tick=False):
        board = dashboard(committee=bloc, year=2026, quarter=4)
    assert board.totals.total_cells == 4
    assert [(q, c, t) for q, c, t in board.per_quarter] == [(1, 3, 4), (2, 3, 4), (3, 3, 4), (4, 0, 4)]
    assert board.totals.compliant == 0
    assert board.quarter_open
    assert {row["name"] for row in board.at_risk} >= {"Chi bộ Văn phòng Sở Tài chính"}


def test_bloc_committee_children_in_quarter_three(demo):
    bloc = User.objects.get(username="capuy").committee
    with time_machine.travel(DEMO_DAY, tick=False):
        board = dashboard(committee=bloc, year=2026, quarter=3)
    by_name = {row.org["name"]: row.figures for row in board.rows}
    assert by_name["Chi bộ cơ quan Ủy ban Mặt trận Tổ quốc tỉnh"].compliant == 1
    assert by_name["Chi bộ Văn phòng Sở Tài chính"].compliant == 1
    company = by_name["Đảng bộ Công ty Điện lực Hà Tĩnh"]
    assert (company.total_cells, company.compliant) == (2, 1)  # Kỹ thuật – An toàn missed Q3
    assert board.totals.compliant == 3
    assert [c["name"] for c in board.non_compliant] == ["Chi bộ Kỹ thuật - An toàn"]
    assert board.totals.reports == 3


def test_province_counts_all_six_cells(demo):
    province = Organization.objects.get(name="Đảng bộ tỉnh Hà Tĩnh")
    with time_machine.travel(DEMO_DAY, tick=False):
        board = dashboard(committee=province, year=2026, quarter=1)
    assert board.totals.total_cells == 6
    assert [(q, c) for q, c, _ in board.per_quarter] == [(1, 4), (2, 4), (3, 5), (4, 0)]


def test_capuy_sees_the_numbers_on_the_page(demo, client):
    client.force_login(User.objects.get(username="capuy"))
    with time_machine.travel(DEMO_DAY, tick=False):
        body = client.get(reverse("dashboard:home") + "?nam=2026&quy=3", follow=True).content.decode()
    assert "Chi bộ Kỹ thuật - An toàn" in body
    assert "75,0%" in body
