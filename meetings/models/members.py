import datetime
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings.text import fold, vn_sort_key


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class User(AbstractUser):
    """A login. Linked either to a party member (via Member.user) or, for committee staff,
    to the committee they work for."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    committee = models.ForeignKey(
        "meetings.Organization",
        verbose_name="cán bộ của cấp ủy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        limit_choices_to={"kind": "committee"},
    )
    calendar_token = models.CharField(
        "mã lịch cá nhân", max_length=64, default=new_calendar_token, unique=True, editable=False
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class Position(models.TextChoices):
    SECRETARY = "secretary", "Bí thư"
    DEPUTY = "deputy", "Phó Bí thư"
    COMMITTEE_MEMBER = "committee", "Chi ủy viên"
    MEMBER = "member", "Đảng viên"


MANAGING_POSITIONS = (Position.SECRETARY, Position.DEPUTY)
PREPARING_POSITIONS = (Position.SECRETARY, Position.DEPUTY, Position.COMMITTEE_MEMBER)


class MemberStatus(models.TextChoices):
    ACTIVE = "active", "Đang sinh hoạt"
    EXEMPT = "exempt", "Miễn sinh hoạt"
    ELSEWHERE = "elsewhere", "Sinh hoạt tạm thời nơi khác"
    VISITING = "visiting", "Sinh hoạt tạm thời tại chi bộ"
    MOVED_OUT = "moved_out", "Đã chuyển đi"


# Members expected at a meeting: exempt members and those attending elsewhere are not.
EXPECTED_STATUSES = (MemberStatus.ACTIVE, MemberStatus.VISITING)


class MemberQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status=MemberStatus.MOVED_OUT)

    def expected(self):
        return self.filter(status__in=EXPECTED_STATUSES)

    def in_cell(self, cell):
        return self.filter(cell=cell)


class Member(models.Model):
    cell = models.ForeignKey(
        "meetings.Organization",
        verbose_name="chi bộ",
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": "cell"},
    )
    party_group = models.ForeignKey(
        "meetings.Organization",
        verbose_name="tổ đảng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
        limit_choices_to={"kind": "group"},
    )
    user = models.OneToOneField(
        "meetings.User",
        verbose_name="tài khoản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    full_name = models.CharField("họ và tên", max_length=120)
    sort_key = models.CharField("khóa sắp xếp", max_length=255, editable=False, db_index=True)
    search_name = models.CharField("tên không dấu", max_length=120, editable=False, default="")
    date_of_birth = models.DateField("ngày sinh", null=True, blank=True)
    gender = models.CharField("giới tính", max_length=8, choices=Gender.choices, blank=True)
    card_number = models.CharField("số thẻ đảng viên", max_length=32, null=True, blank=True, unique=True)
    joined_on = models.DateField("ngày vào Đảng", null=True, blank=True)
    full_member_on = models.DateField("ngày chính thức", null=True, blank=True)
    phone = models.CharField("điện thoại", max_length=32, blank=True)
    email = models.EmailField("e-mail", blank=True)
    position = models.CharField(
        "chức vụ trong chi bộ", max_length=16, choices=Position.choices, default=Position.MEMBER
    )
    status = models.CharField(
        "tình trạng sinh hoạt", max_length=16, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    exempt_reason = models.CharField(
        "lý do miễn sinh hoạt",
        max_length=255,
        blank=True,
        help_text="Bắt buộc khi đảng viên được miễn sinh hoạt (ví dụ: tuổi cao, sức khỏe yếu).",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        ordering = ["sort_key"]
        indexes = [models.Index(fields=["cell", "status"], name="member_cell_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(full_member_on__gte=models.F("joined_on")),
                name="member_full_after_joined",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = " ".join(self.full_name.split())
        self.sort_key = vn_sort_key(self.full_name)
        self.search_name = fold(self.full_name)[:120]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key", "search_name"}
        super().save(*args, **kwargs)

    def is_full_member(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.full_member_on is not None and self.full_member_on <= on

    @property
    def is_full(self) -> bool:
        return self.is_full_member()

    @property
    def membership_label(self) -> str:
        return "Chính thức" if self.is_full else "Dự bị"

    @property
    def is_expected(self) -> bool:
        return self.status in EXPECTED_STATUSES


class MembershipHistory(models.Model):
    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.CASCADE, related_name="history")
    cell = models.ForeignKey("meetings.Organization", verbose_name="chi bộ", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "quá trình sinh hoạt"
        verbose_name_plural = "quá trình sinh hoạt"
        ordering = ["member", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ended_on__isnull=True), name="history_one_open_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.member} – {self.cell}"
