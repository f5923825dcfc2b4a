from django.db import models

from meetings.models.limits import LAST_ERROR_MAX_LENGTH, text_limits


class NotificationKind(models.TextChoices):
    NOTICE = "notice", "Thông báo họp"
    MEETING_REMINDER = "meeting_reminder", "Nhắc lịch họp"
    DEADLINE_REMINDER = "deadline_reminder", "Nhắc hạn nộp"
    REPLY_REMINDER = "reply_reminder", "Nhắc trả lời tham dự"
    QUARTER_WARNING = "quarter_warning", "Cảnh báo chưa lên lịch sinh hoạt chuyên đề"
    QUARTER_SUMMARY = "quarter_summary", "Tổng hợp chi bộ có nguy cơ"
    STUDY = "study", "Gửi chuyên đề để nghiên cứu"
    REPORT = "report", "Báo cáo cấp ủy cấp trên"
    REPORT_ANSWER = "report_answer", "Trả lời báo cáo"
    ACTION_REMINDER = "action_reminder", "Nhắc hạn việc thực hiện kết luận"
    INTEGRITY_ALERT = "integrity_alert", "Cảnh báo toàn vẹn hồ sơ niêm phong"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi"
    CANCELLED = "cancelled", "Đã hủy"


class Notification(models.Model):
    """The outbox: one row per e-mail to one recipient. Written in the same transaction
    as the change that causes it; `key` makes creating the same message twice impossible."""

    key = models.CharField("khóa chống trùng", max_length=255, unique=True)
    kind = models.CharField("loại", max_length=32, choices=NotificationKind.choices, db_index=True)
    recipient_email = models.EmailField("người nhận")
    recipient_name = models.CharField("tên người nhận", max_length=150, blank=True)
    recipient_user = models.ForeignKey(
        "meetings.User",
        verbose_name="tài khoản nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    cell = models.ForeignKey(
        "meetings.Organization",
        verbose_name="chi bộ / cấp ủy",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="buổi sinh hoạt",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    context = models.JSONField("dữ liệu", default=dict, blank=True)
    due_at = models.DateTimeField("gửi lúc (dự kiến)", db_index=True)
    status = models.CharField(
        "tình trạng", max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    next_attempt_at = models.DateTimeField("thử lại lúc", null=True, blank=True)
    claimed_at = models.DateTimeField("nhận gửi lúc", null=True, blank=True)
    last_error = models.TextField("lỗi gần nhất", max_length=LAST_ERROR_MAX_LENGTH, blank=True)
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "thư gửi đi"
        verbose_name_plural = "thư gửi đi"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="notification_due_idx")]
        constraints = text_limits("notification", last_error=LAST_ERROR_MAX_LENGTH)

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_email}"
