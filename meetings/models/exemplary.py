from django.db import models

EXEMPLARY_REASON_MAX_LENGTH = 500


class ExemplaryTopic(models.Model):
    """A finished topic that a superior committee holds up as an example to every cell under it.

    A table of its own, not a field of Topic: the topic belongs to a finalised meeting, and a
    mark given (or taken back) later must not touch what was sealed."""

    topic = models.ForeignKey(
        "meetings.Topic", verbose_name="chuyên đề", on_delete=models.CASCADE, related_name="exemplary_marks"
    )
    committee = models.ForeignKey(
        "meetings.Organization",
        verbose_name="cấp ủy chọn",
        on_delete=models.CASCADE,
        related_name="exemplary_topics",
        limit_choices_to={"kind": "committee"},
    )
    marked_by = models.ForeignKey(
        "meetings.User", verbose_name="người chọn", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField("chọn lúc", auto_now_add=True)
    reason = models.CharField("lý do", max_length=EXEMPLARY_REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "chuyên đề tiêu biểu"
        verbose_name_plural = "chuyên đề tiêu biểu"
        ordering = ["-marked_at"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "committee"], name="exemplary_topic_once_per_committee"),
        ]
        # The library of a cell looks the marks up by its ancestors' ids.
        indexes = [models.Index(fields=["committee", "topic"], name="exemplary_committee_idx")]

    def __str__(self):
        return f"{self.topic} – {self.committee}"
