import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import models as m
from tests import factories as f


@pytest.mark.django_db
class TestBodyNames:
    def test_committee_organisation_is_led_by_its_derived_committee(self):
        org = f.CommitteeFactory(name="Đảng bộ Khối các cơ quan tỉnh")
        assert org.committee_display == "Đảng ủy Khối các cơ quan tỉnh"
        assert org.addressee_name == "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh"

    def test_plain_party_committee_name_is_derived_too(self):
        org = f.CommitteeFactory(name="Đảng bộ tỉnh Hà Tĩnh")
        assert org.committee_display == "Đảng ủy tỉnh Hà Tĩnh"

    def test_stored_names_win(self):
        org = f.CommitteeFactory(
            name="Đảng bộ Khối các cơ quan tỉnh",
            committee_name="Đảng ủy Khối Cơ quan tỉnh",
            standing_committee_name="Ban Thường vụ Đảng ủy Khối Cơ quan tỉnh Hà Tĩnh",
        )
        assert org.committee_display == "Đảng ủy Khối Cơ quan tỉnh"
        assert org.addressee_name == "Ban Thường vụ Đảng ủy Khối Cơ quan tỉnh Hà Tĩnh"

    def test_committee_already_named_as_committee_is_kept(self):
        org = f.CommitteeFactory(name="Đảng ủy Khối các cơ quan tỉnh")
        assert org.committee_display == "Đảng ủy Khối các cơ quan tỉnh"
        assert org.addressee_name == "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh"

    def test_cell_issues_in_its_own_name(self, cell):
        assert cell.committee_display == "Chi bộ Văn phòng"
        assert cell.addressee_name == "Chi bộ Văn phòng"


@pytest.mark.django_db
class TestLabels:
    def test_notice_and_plan_labels_empty_until_issued(self):
        meeting = f.MeetingFactory()
        plan = f.PlanFactory()
        assert (meeting.notice_number_label, plan.number_label) == ("", "")
        meeting.notice_number, plan.number = 5, 1
        assert (meeting.notice_number_label, plan.number_label) == ("05-TB/CB", "01-KH/CB")
        meeting.notice_number = 123
        assert meeting.notice_number_label == "123-TB/CB"

    def test_issued_number_label(self, cell):
        series = m.DocumentSeries.objects.create(cell=cell, kind="KH", term_started_on=datetime.date(2025, 6, 1))
        issued = m.IssuedNumber.objects.create(series=series, number=7, title="Kế hoạch năm 2026")
        assert issued.label == "07-KH/CB"
        assert m.document_label(4, m.DocumentKind.MINUTES) == "04-BB/CB"


@pytest.mark.django_db
class TestSeriesKey:
    def test_cell_without_term_numbers_per_calendar_year(self, cell):
        assert m.series_key(cell, datetime.date(2026, 8, 3)) == datetime.date(2026, 1, 1)

    def test_declared_term_spans_years(self, cell):
        cell.term_started_on = datetime.date(2025, 6, 20)
        assert m.series_key(cell, datetime.date(2027, 2, 1)) == datetime.date(2025, 6, 20)
        assert m.series_key(cell, datetime.date(2025, 6, 19)) == datetime.date(2025, 1, 1)


@pytest.mark.django_db
class TestRegisterConstraints:
    def test_number_unique_in_its_series(self, cell):
        series = m.DocumentSeries.objects.create(cell=cell, kind="BB", term_started_on=datetime.date(2026, 1, 1))
        m.IssuedNumber.objects.create(series=series, number=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            m.IssuedNumber.objects.create(series=series, number=1)
        other = m.DocumentSeries.objects.create(cell=cell, kind="TB", term_started_on=datetime.date(2026, 1, 1))
        m.IssuedNumber.objects.create(series=other, number=1)

    def test_number_zero_refused(self, cell):
        series = m.DocumentSeries.objects.create(cell=cell, kind="BB", term_started_on=datetime.date(2026, 1, 1))
        with pytest.raises(IntegrityError), transaction.atomic():
            m.IssuedNumber.objects.create(series=series, number=0, issued_at=timezone.now())

    def test_one_series_per_cell_kind_term(self, cell):
        key = datetime.date(2026, 1, 1)
        m.DocumentSeries.objects.create(cell=cell, kind="BB", term_started_on=key)
        with pytest.raises(IntegrityError), transaction.atomic():
            m.DocumentSeries.objects.create(cell=cell, kind="BB", term_started_on=key)
