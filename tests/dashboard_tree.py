"""A small hand-counted tree shared by the dashboard tests (year 2025, quarter 2)."""

import datetime

from meetings.models import Attendance, AttendanceStatus, Conclusion, Minutes
from meetings.services.compliance import compliance_refresh
from meetings.services.reports import report_submit
from meetings.workflow import Stage
from tests import factories as f

YEAR, QUARTER = 2025, 2
WARNING = "Tài liệu gửi đảng viên muộn hơn 3 ngày trước buổi sinh hoạt."


def finalized_meeting(cell, *, grade="", present=0, absent=0, number=1, report=False, warnings=()):
    # Held first: on PostgreSQL, triggers refuse attendance and conclusions of a finalised meeting.
    meeting = f.MeetingFactory(
        cell=cell, year=YEAR, quarter=QUARTER, stage=Stage.HELD, scheduled_date=datetime.date(YEAR, 5, 10)
    )
    for _ in range(present):
        Attendance.objects.create(meeting=meeting, member=f.MemberFactory(cell=cell), status=AttendanceStatus.PRESENT)
    for _ in range(absent):
        Attendance.objects.create(
            meeting=meeting, member=f.MemberFactory(cell=cell), status=AttendanceStatus.EXCUSED, reason="Ốm"
        )
    if grade:
        Conclusion.objects.create(
            meeting=meeting,
            preparation_evaluation="Tốt",
            quality_evaluation="Tốt",
            adopted="Nội dung",
            quality_grade=grade,
            quality_score=92,
        )
    meeting.stage = Stage.FINALIZED
    meeting.save(update_fields=["stage"])
    minutes = Minutes.objects.create(
        meeting=meeting,
        cell=cell,
        year=YEAR,
        number=number,
        warnings=list(warnings),
        finalized_at=datetime.datetime(YEAR, 5, 10, 10, tzinfo=datetime.UTC),
    )
    if report:
        report_submit(minutes=minutes)
    compliance_refresh(cell=cell, year=YEAR, quarter=QUARTER)
    return meeting


def build_tree():
    """root → A (a1 compliant, a2 scheduled, a3 nothing), B (b1 compliant, minutes with a
    warning), cell c (nothing)."""
    root = f.CommitteeFactory(name="Đảng bộ Tỉnh")
    a = f.CommitteeFactory(name="Đảng ủy A", parent=root)
    b = f.CommitteeFactory(name="Đảng ủy B", parent=root)
    a1 = f.CellFactory(name="Chi bộ A1", parent=a)
    a2 = f.CellFactory(name="Chi bộ A2", parent=a)
    a3 = f.CellFactory(name="Chi bộ A3", parent=a)
    b1 = f.CellFactory(name="Chi bộ B1", parent=b)
    c = f.CellFactory(name="Chi bộ C", parent=root)
    f.SecretaryFactory(cell=a3, full_name="Lê Văn Ba", phone="0912000003")
    finalized_meeting(a1, grade="good", present=1, absent=1, report=True)
    f.MeetingFactory(
        cell=a2, year=YEAR, quarter=QUARTER, stage=Stage.SCHEDULED, scheduled_date=datetime.date(YEAR, 6, 20)
    )
    compliance_refresh(cell=a2, year=YEAR, quarter=QUARTER)
    finalized_meeting(b1, warnings=[WARNING])
    # Another quarter, to check the per-quarter chart: a1 also held one in Q1.
    f.MeetingFactory(cell=a1, year=YEAR, quarter=1, stage=Stage.FINALIZED, scheduled_date=datetime.date(YEAR, 2, 1))
    compliance_refresh(cell=a1, year=YEAR, quarter=1)
    return {"root": root, "a": a, "b": b, "a1": a1, "a2": a2, "a3": a3, "b1": b1, "c": c}
