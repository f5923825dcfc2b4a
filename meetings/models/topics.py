import pghistory
from django.db import models

from meetings.models.limits import (
    ACTIVITY_ACTION_MAX_LENGTH,
    COMPLETED_TEXT_MAX_LENGTH,
    CONTRIBUTION_TEXT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    LEAD_PAPER_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SEARCH_TEXT_MAX_LENGTH,
    TOPIC_TITLE_MAX_LENGTH,
    text_limits,
)
from meetings.text import fold


class TopicGroup(models.Model):
    """The seven groups of topics of the guide (DOMAIN.md §5), created by a data migration."""

    number = models.PositiveSmallIntegerField("số thứ tự", unique=True)
    name = models.CharField("tên nhóm", max_length=255)

    class Meta:
        verbose_name = "nhóm chuyên đề"
        verbose_name_plural = "nhóm chuyên đề"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class DirectedTopic(models.Model):
    """A topic issued for the year by a committee to every cell below it."""

    committee = models.ForeignKey(
        "meetings.Organization",
        verbose_name="cấp ủy triển khai",
        on_delete=models.PROTECT,
        related_name="directed_topics",
        limit_choices_to={"kind": "committee"},
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên chuyên đề", max_length=TOPIC_TITLE_MAX_LENGTH)
    group = models.ForeignKey(TopicGroup, verbose_name="nhóm", on_delete=models.PROTECT)
    description = models.TextField("nội dung, yêu cầu", max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    issued_on = models.DateField("ngày triển khai", null=True, blank=True)

    class Meta:
        verbose_name = "chuyên đề cấp trên triển khai"
        verbose_name_plural = "chuyên đề cấp trên triển khai"
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "title"], name="directed_topic_unique_title"),
            *text_limits("directed_topic", description=DESCRIPTION_MAX_LENGTH),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"


class LeadPaperStatus(models.TextChoices):
    UNASSIGNED = "unassigned", "Chưa phân công"
    ASSIGNED = "assigned", "Đã phân công"
    SUBMITTED = "submitted", "Đã nộp, chờ duyệt"
    APPROVED = "approved", "Đã duyệt"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Topic(models.Model):
    """The content of a thematic meeting: title, group, lead paper and contributions."""

    cell = models.ForeignKey(
        "meetings.Organization", verbose_name="chi bộ", on_delete=models.PROTECT, related_name="topics"
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên chuyên đề", max_length=TOPIC_TITLE_MAX_LENGTH)
    search_text = models.TextField("nội dung không dấu", max_length=SEARCH_TEXT_MAX_LENGTH, editable=False, default="")
    group = models.ForeignKey(TopicGroup, verbose_name="nhóm", on_delete=models.PROTECT)
    directed_topic = models.ForeignKey(
        DirectedTopic,
        verbose_name="theo chuyên đề cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topics",
    )
    description = models.TextField("mục đích, yêu cầu", max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    lead_author = models.ForeignKey(
        "meetings.Member",
        verbose_name="người chuẩn bị đề dẫn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_papers",
    )
    lead_paper_due = models.DateField("hạn nộp đề dẫn", null=True, blank=True)
    lead_paper_status = models.CharField(
        "tình trạng đề dẫn", max_length=16, choices=LeadPaperStatus.choices, default=LeadPaperStatus.UNASSIGNED
    )
    lead_paper_text = models.TextField("nội dung đề dẫn", max_length=LEAD_PAPER_MAX_LENGTH, blank=True)
    lead_paper_file = models.FileField("tệp đề dẫn", upload_to="lead_papers/%Y/", blank=True)
    lead_assigned_at = models.DateTimeField("phân công lúc", null=True, blank=True)
    lead_assigned_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người phân công",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    lead_submitted_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người nộp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    lead_approved_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người duyệt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The topic completed after the meeting (step 8); the lead paper above is kept as it was.
    completed_text = models.TextField("nội dung chuyên đề hoàn chỉnh", max_length=COMPLETED_TEXT_MAX_LENGTH, blank=True)
    completed_file = models.FileField("tệp chuyên đề hoàn chỉnh", upload_to="completed_topics/%Y/", blank=True)
    completed_at = models.DateTimeField("hoàn chỉnh lúc", null=True, blank=True)
    completed_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người hoàn chỉnh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "chuyên đề"
        verbose_name_plural = "chuyên đề"
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["cell", "year"], name="topic_cell_year_idx")]
        constraints = text_limits(
            "topic",
            description=DESCRIPTION_MAX_LENGTH,
            lead_paper_text=LEAD_PAPER_MAX_LENGTH,
            completed_text=COMPLETED_TEXT_MAX_LENGTH,
            search_text=SEARCH_TEXT_MAX_LENGTH,
        )

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.title} {self.description} {self.lead_paper_text} {self.completed_text}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_completed(self) -> bool:
        return bool(self.completed_text or self.completed_file)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Contribution(models.Model):
    """A prepared contribution (tham luận) assigned to a member."""

    topic = models.ForeignKey(Topic, verbose_name="chuyên đề", on_delete=models.CASCADE, related_name="contributions")
    member = models.ForeignKey(
        "meetings.Member", verbose_name="đảng viên", on_delete=models.PROTECT, related_name="contributions"
    )
    subject = models.CharField("nội dung được phân công", max_length=TOPIC_TITLE_MAX_LENGTH)
    due_on = models.DateField("hạn nộp", null=True, blank=True)
    text = models.TextField("nội dung tham luận", max_length=CONTRIBUTION_TEXT_MAX_LENGTH, blank=True)
    file = models.FileField("tệp tham luận", upload_to="contributions/%Y/", blank=True)
    assigned_at = models.DateTimeField("phân công lúc", auto_now_add=True)
    assigned_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người phân công",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người nộp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "tham luận"
        verbose_name_plural = "tham luận"
        ordering = ["topic", "due_on", "id"]
        indexes = [models.Index(fields=["member", "submitted_at"], name="contrib_member_idx")]
        constraints = [
            models.UniqueConstraint(fields=["topic", "member", "subject"], name="contribution_unique_assignment"),
            *text_limits("contribution", text=CONTRIBUTION_TEXT_MAX_LENGTH),
        ]

    def __str__(self):
        return f"{self.member} – {self.subject}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã gửi cấp ủy cấp trên"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Plan(models.Model):
    """The cell's yearly plan of thematic meetings; its items are planned meetings."""

    cell = models.ForeignKey(
        "meetings.Organization", verbose_name="chi bộ", on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField("năm")
    status = models.CharField("tình trạng", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    note = models.TextField("ghi chú", max_length=NOTE_MAX_LENGTH, blank=True)
    # Given from the cell's register (kind KH) the first time the plan is submitted; kept on reopen.
    number = models.PositiveIntegerField("số kế hoạch", null=True, blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        "meetings.User",
        verbose_name="người gửi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "kế hoạch sinh hoạt chuyên đề"
        verbose_name_plural = "kế hoạch sinh hoạt chuyên đề"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "year"], name="plan_one_per_cell_year"),
            *text_limits("plan", note=NOTE_MAX_LENGTH),
        ]

    def __str__(self):
        return f"Kế hoạch năm {self.year} – {self.cell}"

    @property
    def number_label(self) -> str:
        """Printed as "Số 01-KH/CB"; "" while the plan was never submitted."""
        return f"{self.number:02d}-KH/CB" if self.number else ""


class Activity(models.Model):
    """Who did what and when, shown on the topic and meeting pages."""

    cell = models.ForeignKey(
        "meetings.Organization", verbose_name="chi bộ", on_delete=models.CASCADE, related_name="activities"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="buổi sinh hoạt",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    topic = models.ForeignKey(
        Topic, verbose_name="chuyên đề", null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    actor = models.ForeignKey(
        "meetings.User",
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("việc", max_length=ACTIVITY_ACTION_MAX_LENGTH)
    at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["cell", "-at"], name="activity_cell_at_idx")]

    def __str__(self):
        return self.action


TOPIC_GROUPS = [
    (1, "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    (2, "Phòng, chống suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”"),
    (3, "Xây dựng Đảng, xây dựng cơ quan vững mạnh; đấu tranh phòng, chống tham nhũng, lãng phí, tiêu cực, quan liêu"),
    (4, "Nâng cao trình độ lý luận chính trị, chuyên môn nghiệp vụ, năng lực công tác của cán bộ, đảng viên"),
    (5, "Triển khai thực hiện chỉ thị, nghị quyết của Đảng, pháp luật của Nhà nước liên quan đến chi bộ"),
    (6, "Nâng cao chất lượng, hiệu quả thực hiện nhiệm vụ chính trị của cơ quan, đơn vị"),
    (7, "Giáo dục truyền thống cách mạng, truyền thống của cơ quan, đơn vị"),
]
