import pghistory
import pgtrigger
from django.db import models
from django.db.models import Q

from meetings.models.integrity import protect_sealed_addendum, protect_sealed_minutes
from meetings.models.limits import ADDENDUM_MAX_LENGTH, REPORT_COMMENT_MAX_LENGTH, text_limits
from meetings.models.meetings import QualityGrade


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Minutes(models.Model):
    """The frozen, numbered minutes of a finalised meeting and their stored PDF."""

    meeting = models.OneToOneField(
        "meetings.Meeting", verbose_name="buổi sinh hoạt", on_delete=models.PROTECT, related_name="minutes"
    )
    cell = models.ForeignKey(
        "meetings.Organization", verbose_name="chi bộ", on_delete=models.PROTECT, related_name="minutes"
    )
    year = models.PositiveSmallIntegerField("năm")
    # Issued from the cell's register (IssuedNumber, kind BB), which keeps it unique per term.
    number = models.PositiveIntegerField("số biên bản")
    snapshot = models.JSONField("nội dung đã khóa", default=dict)
    warnings = models.JSONField("cảnh báo khi hoàn tất", default=list, blank=True)
    # The self-assessed grade capped by measured facts (meetings/rules/grades.py), fixed at
    # finalisation; blank on minutes finalised before caps existed (their self grade stands).
    recorded_grade = models.CharField("xếp loại ghi nhận", max_length=16, choices=QualityGrade.choices, blank=True)
    grade_reasons = models.JSONField("lý do giới hạn xếp loại", default=list, blank=True)
    pdf = models.FileField("tệp PDF", upload_to="minutes/%Y/", blank=True)
    pdf_sha256 = models.CharField("SHA-256 của PDF", max_length=64, blank=True)
    verification_code = models.CharField("mã xác thực", max_length=16, blank=True, db_index=True)
    finalized_at = models.DateTimeField("hoàn tất lúc")
    finalized_by = models.ForeignKey(
        "meetings.User", verbose_name="người hoàn tất", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "biên bản"
        verbose_name_plural = "biên bản"
        ordering = ["-year", "-number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="minutes_number_positive"),
        ]
        triggers = protect_sealed_minutes()

    def __str__(self):
        return f"Biên bản số {self.number_label}"

    @property
    def number_label(self) -> str:
        return f"{self.number:02d}-BB/CB"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class MinutesAddendum(models.Model):
    """A correction to finalised minutes: a new record with its own sealed PDF, the minutes
    stay untouched."""

    minutes = models.ForeignKey(Minutes, verbose_name="biên bản", on_delete=models.PROTECT, related_name="addenda")
    version = models.PositiveIntegerField("lần bổ sung")
    text = models.TextField("nội dung đính chính, bổ sung", max_length=ADDENDUM_MAX_LENGTH)
    pdf = models.FileField("tệp PDF", upload_to="addenda/%Y/", blank=True)
    pdf_sha256 = models.CharField("SHA-256 của PDF", max_length=64, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        "meetings.User", verbose_name="người lập", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "phụ lục đính chính biên bản"
        verbose_name_plural = "phụ lục đính chính biên bản"
        ordering = ["minutes", "version"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "version"], name="addendum_version_unique"),
            *text_limits("addendum", text=ADDENDUM_MAX_LENGTH),
        ]
        triggers = protect_sealed_addendum()

    def __str__(self):
        return f"Bổ sung {self.version} – {self.minutes}"


class ReportStatus(models.TextChoices):
    RECEIVED = "received", "Đã nhận, chờ xem xét"
    ACCEPTED = "accepted", "Đã chấp nhận"
    RETURNED = "returned", "Trả lại để bổ sung"


class Report(models.Model):
    """A finished topic and its minutes as reported to the directly superior committee.
    Each correction is a new version; every version is kept."""

    minutes = models.ForeignKey(Minutes, verbose_name="biên bản", on_delete=models.PROTECT, related_name="reports")
    committee = models.ForeignKey(
        "meetings.Organization", verbose_name="cấp ủy nhận", on_delete=models.PROTECT, related_name="received_reports"
    )
    version = models.PositiveIntegerField("phiên bản", default=1)
    addendum = models.ForeignKey(
        MinutesAddendum,
        verbose_name="phụ lục kèm theo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField("tình trạng", max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED)
    comment = models.TextField("ý kiến của cấp ủy cấp trên", max_length=REPORT_COMMENT_MAX_LENGTH, blank=True)
    received_at = models.DateTimeField("nhận lúc", auto_now_add=True)
    reviewed_at = models.DateTimeField("xem xét lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người xem xét",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The committee's own copy, taken when the version is sent: the SHA-256 of the sealed file
    # it carries (the addendum's, else the minutes') and the cell's hash chain head then
    # (meetings/models/ledger.py). Blank on reports sent before the chain existed.
    document_sha256 = models.CharField("SHA-256 của tài liệu gửi kèm", max_length=64, blank=True)
    chain_seq = models.PositiveIntegerField("số mắt xích đầu chuỗi", null=True, blank=True)
    chain_head = models.CharField("mã băm đầu chuỗi", max_length=64, blank=True)

    class Meta:
        verbose_name = "báo cáo gửi cấp ủy cấp trên"
        verbose_name_plural = "báo cáo gửi cấp ủy cấp trên"
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "version"], name="report_version_unique"),
            *text_limits("report", comment=REPORT_COMMENT_MAX_LENGTH),
        ]
        indexes = [models.Index(fields=["committee", "status"], name="report_committee_status_idx")]
        # Review changes the status and comment, never the copy taken when the version was sent.
        triggers = [
            pgtrigger.Protect(
                name="protect_report_chain",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("document_sha256", "chain_seq", "chain_head"),
            )
        ]

    def __str__(self):
        return f"Báo cáo {self.minutes} (v{self.version})"


class ComplianceSummary(models.Model):
    """Per cell and quarter, kept up to date on finalisation so that dashboards aggregate
    in the database without touching meetings."""

    cell = models.ForeignKey(
        "meetings.Organization", verbose_name="chi bộ", on_delete=models.CASCADE, related_name="compliance"
    )
    cell_path = models.CharField("đường dẫn chi bộ", max_length=255)
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý")
    finalized_count = models.PositiveIntegerField("số buổi đã hoàn tất", default=0)
    scheduled_count = models.PositiveIntegerField("số buổi đã lên lịch", default=0)
    attendance_rate = models.FloatField("tỷ lệ dự họp", null=True, blank=True)
    best_grade = models.CharField("xếp loại cao nhất", max_length=16, blank=True)
    reports_count = models.PositiveIntegerField("số báo cáo đã gửi", default=0)
    # Finalised meetings whose minutes carry warnings stored at finalisation.
    warned_count = models.PositiveIntegerField("số biên bản có cảnh báo", default=0)
    # Action items of finalised meetings due in this quarter (issue 17, item 3); dropped items
    # are not counted. Late: past the due date and not done on time (moves with the calendar).
    actions_due = models.PositiveIntegerField("số việc đến hạn trong quý", default=0)
    actions_on_time = models.PositiveIntegerField("số việc hoàn thành đúng hạn", default=0)
    actions_late = models.PositiveIntegerField("số việc trễ hạn", default=0)
    # The cell's last finalised meeting of a reviewing kind in the quarter had earlier items
    # still open and reviewed none of them.
    review_skipped = models.BooleanField("buổi họp cuối quý không kiểm điểm việc thực hiện", default=False)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "tổng hợp theo quý"
        verbose_name_plural = "tổng hợp theo quý"
        constraints = [models.UniqueConstraint(fields=["cell", "year", "quarter"], name="summary_one_per_cell_quarter")]
        indexes = [
            models.Index(
                fields=["year", "quarter", "cell_path"],
                name="summary_period_path_idx",
                opclasses=["int2_ops", "int2_ops", "varchar_pattern_ops"],
            ),
            # The dashboard's list of cells with warnings reads only the few warned rows.
            models.Index(
                fields=["year", "quarter", "cell_path"],
                name="summary_warned_idx",
                opclasses=["int2_ops", "int2_ops", "varchar_pattern_ops"],
                condition=Q(warned_count__gt=0),
            ),
            # The drill-down's list of cells that reviewed nothing reads only the flagged rows.
            models.Index(
                fields=["year", "quarter", "cell_path"],
                name="summary_review_skipped_idx",
                opclasses=["int2_ops", "int2_ops", "varchar_pattern_ops"],
                condition=Q(review_skipped=True),
            ),
        ]

    def __str__(self):
        return f"{self.cell} Q{self.quarter}/{self.year}"

    @property
    def compliant(self) -> bool:
        return self.finalized_count > 0


GRADES = ("good", "fair", "average", "poor")
# The summed columns of OrgQuarterStats, in one list for the service that keeps them and the
# selectors that read them.
STAT_FIELDS = (
    "cells_compliant",
    "cells_scheduled",
    "cells_reported",
    "reports_count",
    "attendance_ppm_sum",
    "attendance_count",
    *(f"grade_{g}" for g in GRADES),
    "cells_warned",
)
# The action items' sums (issue 17, item 3), kept by the same refresh and rebuild. Apart from
# STAT_FIELDS because the nightly `compliance_check` recomputes the meeting figures only.
ACTION_STAT_FIELDS = ("actions_due", "actions_on_time", "actions_late", "cells_review_skipped")
ROLLUP_FIELDS = (*STAT_FIELDS, *ACTION_STAT_FIELDS)
PPM = 1_000_000  # attendance rates are stored in integer parts per million


class OrgQuarterStats(models.Model):
    """Per organisation (committee or cell) and quarter: the sums of the `ComplianceSummary`
    rows of its whole subtree, kept up to date incrementally by `compliance_refresh`, so that a
    dashboard reads a handful of rows instead of aggregating every cell of the subtree.

    The number of cells is not here (a cell without a summary row still counts):
    it is `Organization.subtree_cells`."""

    org = models.ForeignKey(
        "meetings.Organization", verbose_name="tổ chức", on_delete=models.CASCADE, related_name="quarter_stats"
    )
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý")
    cells_compliant = models.IntegerField("số chi bộ đã sinh hoạt chuyên đề", default=0)
    cells_scheduled = models.IntegerField("số chi bộ đã lên lịch", default=0)
    cells_reported = models.IntegerField("số chi bộ đã gửi báo cáo", default=0)
    reports_count = models.IntegerField("số báo cáo đã gửi", default=0)
    # Integer parts per million of the cells' attendance rates: exact sums, no float drift
    # between incremental updates and a rebuild.
    attendance_ppm_sum = models.BigIntegerField("tổng tỷ lệ dự họp (phần triệu)", default=0)
    attendance_count = models.IntegerField("số chi bộ có tỷ lệ dự họp", default=0)
    grade_good = models.IntegerField("số chi bộ xếp loại tốt", default=0)
    grade_fair = models.IntegerField("số chi bộ xếp loại khá", default=0)
    grade_average = models.IntegerField("số chi bộ xếp loại trung bình", default=0)
    grade_poor = models.IntegerField("số chi bộ xếp loại kém", default=0)
    cells_warned = models.IntegerField("số chi bộ có biên bản kèm cảnh báo", default=0)
    actions_due = models.IntegerField("số việc đến hạn trong quý", default=0)
    actions_on_time = models.IntegerField("số việc hoàn thành đúng hạn", default=0)
    actions_late = models.IntegerField("số việc trễ hạn", default=0)
    cells_review_skipped = models.IntegerField("số chi bộ không kiểm điểm việc thực hiện", default=0)

    class Meta:
        verbose_name = "tổng hợp theo quý của tổ chức"
        verbose_name_plural = "tổng hợp theo quý của tổ chức"
        constraints = [models.UniqueConstraint(fields=["org", "year", "quarter"], name="stats_one_per_org_quarter")]

    def __str__(self):
        return f"{self.org} Q{self.quarter}/{self.year}"
