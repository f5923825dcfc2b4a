from django.db import models
from django.db.models import Q


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "Đảng bộ / cấp ủy"
    CELL = "cell", "Chi bộ"
    PARTY_GROUP = "group", "Tổ đảng"


PATH_STEP = 10  # width of one path segment: zero-padded id plus "/"


# Kept by meetings/services/organizations.py (create, move), never by a plain save.
TREE_FIELDS = frozenset({"parent", "path", "depth", "subtree_cells"})


def path_segment(pk: int) -> str:
    return f"{pk:09d}/"


def path_ids(path: str) -> list[int]:
    """The ids along a materialised path, root first (the node itself last)."""
    return [int(seg) for seg in path.strip("/").split("/") if seg]


class OrganizationQuerySet(models.QuerySet):
    def subtree(self, org, *, include_self=True):
        qs = self.filter(path__startswith=org.path)
        return qs if include_self else qs.exclude(pk=org.pk)

    def cells(self):
        return self.filter(kind=OrgKind.CELL)

    def ancestors_of(self, org):
        return self.filter(pk__in=path_ids(org.path)).exclude(pk=org.pk).order_by("depth")


class Organization(models.Model):
    """A node of the party tree: committees of any level, cells and party groups.

    `path` is a materialised path of zero-padded ids ("000000001/000000007/") so that
    "everything under this committee" is one indexed prefix scan, whatever the depth.
    Create, move and delete through meetings/services/organizations.py, which keeps the
    paths, the cell counts and the ancestors' rollups.
    """

    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=64, blank=True)
    kind = models.CharField("loại", max_length=16, choices=OrgKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="cấp trên trực tiếp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("đường dẫn cây", max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField("cấp", default=0, editable=False)
    # Cells in the subtree (1 for a cell), kept on create and move, so that a dashboard does
    # not count 300,000 rows to know how many cells a committee has.
    subtree_cells = models.PositiveIntegerField("số chi bộ trong cây", default=0, editable=False)
    email = models.EmailField("e-mail nhận báo cáo", blank=True)
    place = models.CharField(
        "địa danh", max_length=100, blank=True, help_text="Dùng ở dòng địa danh, ngày tháng của văn bản."
    )
    phone = models.CharField("điện thoại", max_length=32, blank=True)
    # The superior committee's member who follows the cell (HD 42); set by
    # meetings/services/organizations.py, which checks the committee.
    follower = models.ForeignKey(
        "meetings.User",
        verbose_name="cấp ủy viên phụ trách",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_cells",
    )
    # The body that issues and receives documents is the committee, not the organisation
    # (DOMAIN.md §9): "Đảng bộ Khối …" is led by "Đảng ủy Khối …".
    committee_name = models.CharField(
        "tên cấp ủy",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Đảng ủy Khối các cơ quan tỉnh. Để trống thì suy ra từ tên tổ chức.",
    )
    standing_committee_name = models.CharField(
        "tên ban thường vụ",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh. Dùng ở dòng “Kính gửi” và “Nơi nhận”.",
    )
    # A cell's documents are numbered from 01 in each committee term (meetings/models/documents.py).
    term_started_on = models.DateField(
        "ngày bắt đầu nhiệm kỳ",
        null=True,
        blank=True,
        help_text="Ngày bắt đầu nhiệm kỳ của chi ủy; số văn bản đánh lại từ 01 mỗi nhiệm kỳ.",
    )
    is_active = models.BooleanField("đang hoạt động", default=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for `path LIKE 'prefix%'`.
            models.Index(fields=["path"], name="org_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["kind", "path"],
                name="org_kind_path_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind="committee"),
                name="org_only_committee_is_root",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            # The place in the tree and the cell count are written only by the services of
            # meetings/services/organizations.py: a plain save never writes back a stale copy.
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in TREE_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def is_cell(self):
        return self.kind == OrgKind.CELL

    @property
    def is_committee(self):
        return self.kind == OrgKind.COMMITTEE

    @property
    def committee_display(self) -> str:
        """The name a document is issued under: the committee of a committee organisation,
        the cell itself for a cell ("Chi bộ …")."""
        if self.committee_name:
            return self.committee_name
        if self.is_committee:
            for prefix in ("Đảng bộ ", "đảng bộ ", "ĐẢNG BỘ "):
                if self.name.startswith(prefix):
                    return "Đảng ủy " + self.name[len(prefix) :]
        return self.name

    @property
    def addressee_name(self) -> str:
        """The body a document is addressed to ("Kính gửi: …", "Nơi nhận")."""
        if self.standing_committee_name:
            return self.standing_committee_name
        if self.is_committee:
            return "Ban Thường vụ " + self.committee_display
        return self.committee_display

    def ancestors(self):
        return Organization.objects.ancestors_of(self)

    def superior(self):
        return self.parent
