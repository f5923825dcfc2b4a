from django.db import models


class ReceiptVia(models.TextChoices):
    PORTAL = "portal", "Trang buổi sinh hoạt"
    EMAIL = "email", "Liên kết trong thư"
    PDF = "pdf", "Tệp đề dẫn"


class MaterialsReceipt(models.Model):
    """When a member first opened a meeting's materials (HD 42: materials reach members at
    least 1 day before). Written once; later openings change nothing. Deliberately without the
    finalised-meeting guard: a member may first open the materials after the minutes are
    sealed, and the minutes freeze the figure they printed."""

    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="materials_receipts"
    )
    member = models.ForeignKey(
        "meetings.Member", verbose_name="đảng viên", on_delete=models.CASCADE, related_name="materials_receipts"
    )
    first_opened_at = models.DateTimeField("mở tài liệu lần đầu lúc")
    via = models.CharField("mở qua", max_length=8, choices=ReceiptVia.choices)

    class Meta:
        verbose_name = "ghi nhận đọc tài liệu"
        verbose_name_plural = "ghi nhận đọc tài liệu"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="materials_receipt_once")]

    def __str__(self):
        return f"{self.member_id} → {self.meeting_id} ({self.via})"
