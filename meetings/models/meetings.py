import pghistory
from django.db import models
from django.db.models import F, Q

from meetings.models.integrity import guard_children, protect_finalized_meeting
from meetings.models.limits import (
    CONCLUSION_TEXT_MAX_LENGTH,
    MEETING_TEXT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    RESERVATION_MAX_LENGTH,
    RESOLUTION_MAX_LENGTH,
    SPEECH_MAX_LENGTH,
    text_limits,
)
from meetings.workflow import Stage, Step


class MeetingKind(models.TextChoices):
    THEMATIC = "thematic", "Sinh hoạt chuyên đề"
    REGULAR = "regular", "Sinh hoạt định kỳ"


class MinutesAdoption(models.TextChoices):
    UNANIMOUS = "unanimous", "Thống nhất 100%"
    RESERVATIONS = "reservations", "Thông qua với ý kiến bảo lưu"


class MeetingMode(models.TextChoices):
    """How the meeting is held (issue 17, item 6; HD 03-HD/TW 2022 for online meetings)."""

    IN_PERSON = "in_person", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    HYBRID = "hybrid", "Kết hợp trực tiếp và trực tuyến"


class AttendanceMode(models.TextChoices):
    """How one member attended a hybrid meeting; blank counts as in person (the main place)."""

    IN_PERSON = "in_person", "Dự trực tiếp"
    ONLINE = "online", "Dự trực tuyến"


class CombinedOrder(models.TextChoices):
    REGULAR_FIRST = "regular_first", "Sinh hoạt thường kỳ trước, chuyên đề sau"
    THEMATIC_FIRST = "thematic_first", "Sinh hoạt chuyên đề trước, thường kỳ sau"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Meeting(models.Model):
    """A meeting of a cell, from its line in the plan to its finalised minutes."""

    cell = models.ForeignKey(
        "meetings.Organization", verbose_name="chi bộ", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField("loại sinh hoạt", max_length=16, choices=MeetingKind.choices, default=MeetingKind.THEMATIC)
    plan = models.ForeignKey(
        "meetings.Plan",
        verbose_name="kế hoạch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    topic = models.OneToOneField(
        "meetings.Topic",
        verbose_name="chuyên đề",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting",
    )
    stage = models.CharField("giai đoạn", max_length=16, choices=Stage.choices, default=Stage.PLANNED, db_index=True)
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý", choices=[(q, f"Quý {q}") for q in (1, 2, 3, 4)])
    planned_month = models.PositiveSmallIntegerField("tháng dự kiến", null=True, blank=True)
    responsible = models.ForeignKey(
        "meetings.Member",
        verbose_name="người phụ trách",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_meetings",
    )
    scheduled_date = models.DateField("ngày họp", null=True, blank=True)
    start_time = models.TimeField("giờ bắt đầu", null=True, blank=True)
    starts_at = models.DateTimeField("thời điểm bắt đầu", null=True, blank=True, editable=False, db_index=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    chair = models.ForeignKey(
        "meetings.Member",
        verbose_name="chủ trì",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
    )
    clerk = models.ForeignKey(
        "meetings.Member",
        verbose_name="thư ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clerked_meetings",
    )
    combined_with_regular = models.BooleanField("kết hợp với sinh hoạt thường kỳ", default=False)
    combined_order = models.CharField("thứ tự khi kết hợp", max_length=16, choices=CombinedOrder.choices, blank=True)
    # Meeting mode (issue 17, item 6): the conditions of online meetings are warnings
    # (rules/meeting_mode.py), so these are stored as typed.
    mode = models.CharField("hình thức sinh hoạt", max_length=16, choices=MeetingMode.choices, default="in_person")
    online_room = models.CharField("phòng họp trực tuyến (đường dẫn hoặc tên)", max_length=500, blank=True)
    online_reason = models.CharField("lý do sinh hoạt trực tuyến", max_length=255, blank=True)
    online_not_secret = models.BooleanField("nội dung không thuộc bí mật nhà nước", default=False)
    notice_sent_at = models.DateTimeField("gửi thông báo lúc", null=True, blank=True)
    notice_sent_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người gửi thông báo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Given from the cell's register (kind TB) the first time the notice is sent; kept on re-send.
    notice_number = models.PositiveIntegerField("số thông báo", null=True, blank=True)
    notice_warning = models.CharField("cảnh báo khi gửi thông báo", max_length=255, blank=True)
    # Set when scheduled, started or finalised in the grace days after the quarter's end.
    period_warning = models.CharField("cảnh báo về thời hạn của quý", max_length=255, blank=True)
    actual_start = models.DateTimeField("bắt đầu thực tế", null=True, blank=True)
    actual_end = models.DateTimeField("kết thúc thực tế", null=True, blank=True)
    programme = models.TextField("chương trình sinh hoạt", max_length=MEETING_TEXT_MAX_LENGTH, blank=True)
    purpose = models.TextField("mục đích, yêu cầu", max_length=MEETING_TEXT_MAX_LENGTH, blank=True)
    lead_paper_summary = models.TextField("tóm tắt trình bày đề dẫn", max_length=MEETING_TEXT_MAX_LENGTH, blank=True)
    author_response = models.TextField(
        "ý kiến tiếp thu của người chuẩn bị đề dẫn", max_length=MEETING_TEXT_MAX_LENGTH, blank=True
    )
    cancelled_reason = models.CharField("lý do hủy", max_length=255, blank=True)
    # Read back by the minute-taker and adopted by the cell before closing (DOMAIN.md §6).
    minutes_read_back_at = models.DateTimeField("đọc lại biên bản lúc", null=True, blank=True)
    minutes_adoption = models.CharField(
        "kết quả thông qua biên bản", max_length=16, choices=MinutesAdoption.choices, blank=True
    )
    version = models.PositiveIntegerField("phiên bản", default=1)
    created_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "buổi sinh hoạt"
        verbose_name_plural = "buổi sinh hoạt"
        ordering = ["-year", "-quarter", "scheduled_date"]
        indexes = [
            models.Index(fields=["cell", "year", "quarter"], name="meeting_cell_period_idx"),
            models.Index(fields=["year", "quarter", "stage"], name="meeting_period_stage_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="meeting_quarter_range"),
            models.CheckConstraint(
                condition=Q(planned_month__isnull=True) | Q(planned_month__gte=1, planned_month__lte=12),
                name="meeting_month_range",
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_end__gt=F("actual_start")),
                name="meeting_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(combined_with_regular=False) | ~Q(combined_order=""),
                name="meeting_combined_needs_order",
            ),
            *text_limits(
                "meeting",
                programme=MEETING_TEXT_MAX_LENGTH,
                purpose=MEETING_TEXT_MAX_LENGTH,
                lead_paper_summary=MEETING_TEXT_MAX_LENGTH,
                author_response=MEETING_TEXT_MAX_LENGTH,
            ),
        ]
        triggers = [protect_finalized_meeting()]

    def __str__(self):
        title = self.topic.title if self.topic_id else self.get_kind_display()
        return f"{title} (Quý {self.quarter}/{self.year})"

    @property
    def title(self):
        return self.topic.title if self.topic_id else self.get_kind_display()

    @property
    def is_finalized(self):
        return self.stage == Stage.FINALIZED

    @property
    def notice_number_label(self) -> str:
        """Printed as "Số 05-TB/CB"; "" while no notice was issued (the document reads DỰ THẢO)."""
        return f"{self.notice_number:02d}-TB/CB" if self.notice_number else ""

    @property
    def online_room_link(self) -> str:
        """The online room as a link only when it is a web address (never another scheme)."""
        room = (self.online_room or "").strip()
        return room if room.lower().startswith(("https://", "http://")) else ""

    @property
    def duration_minutes(self):
        if self.actual_start and self.actual_end:
            return int((self.actual_end - self.actual_start).total_seconds() // 60)
        return None


class MeetingStep(models.Model):
    """One of the nine steps of the meeting, recorded as done."""

    meeting = models.ForeignKey(Meeting, verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="steps")
    step = models.CharField("bước", max_length=16, choices=Step.choices)
    note = models.TextField("ghi chú", max_length=NOTE_MAX_LENGTH, blank=True)
    # Set when the step was recorded before an earlier one; kept even if the earlier one follows.
    order_warning = models.CharField("cảnh báo về thứ tự", max_length=255, blank=True)
    done_at = models.DateTimeField("ghi nhận lúc", auto_now=True)
    done_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "bước sinh hoạt"
        verbose_name_plural = "bước sinh hoạt"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "step"], name="step_once_per_meeting"),
            *text_limits("step", note=NOTE_MAX_LENGTH),
        ]
        triggers = [guard_children()]

    def __str__(self):
        return self.get_step_display()


class Guest(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="guests")
    name = models.CharField("họ và tên", max_length=120)
    title = models.CharField("chức vụ, đơn vị", max_length=255, blank=True)
    email = models.EmailField("e-mail", blank=True, help_text="Để gửi giấy mời.")

    class Meta:
        verbose_name = "đại biểu"
        verbose_name_plural = "đại biểu"
        ordering = ["id"]
        triggers = [guard_children()]

    def __str__(self):
        return self.name


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Có mặt"
    EXCUSED = "excused", "Vắng có lý do"
    UNEXCUSED = "unexcused", "Vắng không lý do"


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "meetings.Member", verbose_name="đảng viên", on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField("tình trạng", max_length=16, choices=AttendanceStatus.choices)
    reason = models.CharField("lý do vắng", max_length=255, blank=True)
    # Only at a hybrid meeting, only read for present members (issue 17, item 6).
    mode = models.CharField("hình thức dự", max_length=16, choices=AttendanceMode.choices, blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now=True)

    class Meta:
        verbose_name = "điểm danh"
        verbose_name_plural = "điểm danh"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member"),
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(reason=""), name="attendance_excused_needs_reason"
            ),
        ]
        triggers = [guard_children()]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"


class AttendanceReply(models.Model):
    """A member's own advance answer: will attend, or cannot because…"""

    meeting = models.ForeignKey(
        Meeting, verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="replies"
    )
    member = models.ForeignKey(
        "meetings.Member", verbose_name="đảng viên", on_delete=models.CASCADE, related_name="replies"
    )
    will_attend = models.BooleanField("sẽ tham dự")
    reason = models.CharField("lý do không tham dự", max_length=255, blank=True)
    replied_at = models.DateTimeField("trả lời lúc", auto_now=True)

    class Meta:
        verbose_name = "trả lời tham dự"
        verbose_name_plural = "trả lời tham dự"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="reply_once_per_member")]

    def __str__(self):
        return f"{self.member}: {'tham dự' if self.will_attend else 'vắng'}"


class Speech(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="speeches"
    )
    # Exactly one of them: a member of the cell or a guest of the meeting.
    speaker = models.ForeignKey(
        "meetings.Member",
        verbose_name="người phát biểu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speeches",
    )
    guest = models.ForeignKey(
        Guest,
        verbose_name="đại biểu phát biểu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speeches",
    )
    contribution = models.ForeignKey(
        "meetings.Contribution",
        verbose_name="tham luận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speeches",
    )
    position = models.PositiveIntegerField("thứ tự")
    content = models.TextField("nội dung", max_length=SPEECH_MAX_LENGTH)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "ý kiến phát biểu"
        verbose_name_plural = "ý kiến phát biểu"
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["meeting", "position"], name="speech_meeting_pos_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker__isnull=False, guest__isnull=True) | Q(speaker__isnull=True, guest__isnull=False),
                name="speech_member_or_guest",
            ),
            *text_limits("speech", content=SPEECH_MAX_LENGTH),
        ]
        triggers = [guard_children()]

    def __str__(self):
        return f"{self.speaker_name}: {self.content[:40]}"

    @property
    def speaker_name(self) -> str:
        if self.guest_id:
            return self.guest.name
        return self.speaker.full_name


class QualityGrade(models.TextChoices):
    GOOD = "good", "Tốt"
    FAIR = "fair", "Khá"
    AVERAGE = "average", "Trung bình"
    POOR = "poor", "Kém"


class Conclusion(models.Model):
    meeting = models.OneToOneField(
        Meeting, verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="conclusion"
    )
    preparation_evaluation = models.TextField("đánh giá việc chuẩn bị", max_length=CONCLUSION_TEXT_MAX_LENGTH)
    quality_evaluation = models.TextField("đánh giá chất lượng buổi sinh hoạt", max_length=CONCLUSION_TEXT_MAX_LENGTH)
    adopted = models.TextField("những nội dung cần tiếp thu", max_length=CONCLUSION_TEXT_MAX_LENGTH)
    orientation = models.TextField("định hướng tư tưởng", max_length=CONCLUSION_TEXT_MAX_LENGTH, blank=True)
    criteria_scores = models.JSONField("điểm theo tiêu chí", default=dict, blank=True)
    quality_score = models.PositiveSmallIntegerField("tổng điểm chất lượng", default=0)
    quality_grade = models.CharField("xếp loại chất lượng", max_length=16, choices=QualityGrade.choices, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "kết luận"
        verbose_name_plural = "kết luận"
        constraints = [
            models.CheckConstraint(condition=Q(quality_score__lte=100), name="conclusion_score_max_100"),
            *text_limits(
                "conclusion",
                preparation_evaluation=CONCLUSION_TEXT_MAX_LENGTH,
                quality_evaluation=CONCLUSION_TEXT_MAX_LENGTH,
                adopted=CONCLUSION_TEXT_MAX_LENGTH,
                orientation=CONCLUSION_TEXT_MAX_LENGTH,
            ),
        ]
        triggers = [guard_children()]

    def __str__(self):
        return f"Kết luận – {self.meeting}"


class Resolution(models.Model):
    meeting = models.OneToOneField(
        Meeting, verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="resolution"
    )
    text = models.TextField("nội dung nghị quyết", max_length=RESOLUTION_MAX_LENGTH)
    votes_for = models.PositiveIntegerField("số tán thành")
    votes_against = models.PositiveIntegerField("số không tán thành", default=0)
    votes_abstain = models.PositiveIntegerField("số không biểu quyết", default=0)
    # The denominator as computed when the votes were saved (meetings/rules/votes.py), and how.
    eligible_voters = models.PositiveIntegerField("số đảng viên chính thức được tính để biểu quyết", default=0)
    eligible_explanation = models.CharField("cách tính số đảng viên được biểu quyết", max_length=255, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "nghị quyết"
        verbose_name_plural = "nghị quyết"
        constraints = text_limits("resolution", text=RESOLUTION_MAX_LENGTH)
        triggers = [guard_children()]

    def __str__(self):
        return f"Nghị quyết – {self.meeting}"

    @property
    def is_valid(self) -> bool:
        # More than half of the counted full members vote for it (DOMAIN.md §8 "Votes").
        return self.eligible_voters > 0 and self.votes_for * 2 > self.eligible_voters


class MinutesReservation(models.Model):
    """A member's reservation on the minutes, in their own words."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="reservations"
    )
    member = models.ForeignKey("meetings.Member", verbose_name="đảng viên", on_delete=models.PROTECT, related_name="+")
    text = models.CharField("ý kiến bảo lưu", max_length=RESERVATION_MAX_LENGTH)

    class Meta:
        verbose_name = "ý kiến bảo lưu"
        verbose_name_plural = "ý kiến bảo lưu"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="reservation_one_per_member"),
        ]
        triggers = [guard_children()]

    def __str__(self):
        return f"Bảo lưu – {self.member_id}"
