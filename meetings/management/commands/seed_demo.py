"""Demo data: a realistic Hà Tĩnh tree, members, logins and the 2023 directed topics of the
guide. Idempotent: running it again changes nothing that is already there."""

import datetime
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from meetings.models import (
    DirectedTopic,
    Gender,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    TopicGroup,
    User,
)
from meetings.services.members import member_create
from meetings.services.organizations import organization_create
from meetings.text import fold

DEMO_PASSWORD = "chibo-demo-2026"  # noqa: S105 - the documented demo password
HISTORY_NOT_MAILED = "Dữ liệu mẫu: không gửi thư cho các buổi sinh hoạt đã qua."

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_M = ["Văn", "Đức", "Hữu", "Minh", "Quang", "Xuân", "Đình", "Công", "Thanh"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Thị Hồng", "Thị Thanh", "Ngọc", "Thị Kim"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hiếu",
    "Lộc",
    "Trung",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Dung",
    "Giang",
    "Hà",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Trang",
    "Tuyết",
    "Yến",
    "Nhung",
]

TREE = {
    "name": "Đảng bộ tỉnh Hà Tĩnh",
    "short": "Tỉnh ủy",
    "email": "tinhuy@demo.chibo.vn",
    "children": [
        {
            "name": "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh",
            "short": "Đảng ủy Khối",
            "email": "danguykhoi@demo.chibo.vn",
            "staff": "capuy",
            "children": [
                {"cell": "Chi bộ cơ quan Ủy ban Mặt trận Tổ quốc tỉnh", "size": 22, "secretary": "bithu"},
                {"cell": "Chi bộ Văn phòng Sở Tài chính", "size": 18, "secretary": "bithu2"},
                {
                    "name": "Đảng bộ Công ty Điện lực Hà Tĩnh",
                    "short": "Đảng ủy Công ty Điện lực",
                    "email": "dienluc@demo.chibo.vn",
                    "children": [
                        {"cell": "Chi bộ Kế hoạch Vật tư - Quản lý Đầu tư - Tài chính Kế toán", "size": 25},
                        {"cell": "Chi bộ Kỹ thuật - An toàn", "size": 16},
                    ],
                },
            ],
        },
        {
            "name": "Đảng bộ phường Thành Sen",
            "short": "Đảng ủy phường Thành Sen",
            "email": "thanhsen@demo.chibo.vn",
            "children": [
                {"cell": "Chi bộ Tổ dân phố 1", "size": 28},
                {"cell": "Chi bộ Tổ dân phố 5", "size": 15},
            ],
        },
    ],
}

DIRECTED_2023 = [
    (
        1,
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về phát huy ý chí tự lực, tự cường, "
        "khơi dậy khát vọng và truyền thống văn hóa, con người Hà Tĩnh, nỗ lực hoàn thành kế hoạch phát triển "
        "kinh tế - xã hội năm 2023",
    ),
    (
        2,
        "Thường xuyên tự soi, tự sửa gắn với khắc phục các hạn chế, khuyết điểm năm 2022, góp phần hoàn thành "
        "xuất sắc nhiệm vụ chính trị của cơ quan, doanh nghiệp năm 2023",
    ),
    (
        3,
        "Sinh hoạt chính trị, tư tưởng về nội dung tác phẩm “Kiên quyết, kiên trì đấu tranh phòng, chống tham "
        "nhũng, tiêu cực, góp phần xây dựng Đảng và Nhà nước ta ngày càng trong sạch, vững mạnh” của đồng chí "
        "Tổng Bí thư Nguyễn Phú Trọng",
    ),
]

DIRECTED_CURRENT = [
    (2, "Tự soi, tự sửa"),
    (
        1,
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần trách nhiệm, "
        "dám nghĩ, dám làm vì lợi ích chung",
    ),
    (3, "Nâng cao chất lượng sinh hoạt chi bộ, xây dựng tổ chức đảng trong sạch, vững mạnh"),
    (6, "Đổi mới phương thức làm việc, chuyển đổi số trong cơ quan, đơn vị"),
]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (chạy lại không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Cho phép chạy khi DEBUG tắt.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo chỉ dùng cho môi trường thử nghiệm (DEBUG bật). Dùng --force nếu chắc chắn.")
        self.rng = random.Random(2026)
        self.cells = {}
        self.secretaries = {}
        with transaction.atomic():
            root = self._org(TREE, None)
            self._admin()
            self._directed_topics()
        self._meetings()
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu mẫu sẵn sàng: {Organization.objects.filter(path__startswith=root.path).count()} tổ chức, "
                f"{Member.objects.count()} đảng viên. Mật khẩu các tài khoản mẫu: {DEMO_PASSWORD}"
            )
        )

    # --- tree -------------------------------------------------------------------------
    def _org(self, node, parent):
        if "cell" in node:
            cell = Organization.objects.filter(name=node["cell"], parent=parent).first() or organization_create(
                name=node["cell"], kind=OrgKind.CELL, parent=parent, place="Hà Tĩnh"
            )
            self.cells[cell.name] = cell
            self._members(cell, node["size"], node.get("secretary"))
            return cell
        org = Organization.objects.filter(name=node["name"], parent=parent).first() or organization_create(
            name=node["name"],
            kind=OrgKind.COMMITTEE,
            parent=parent,
            short_name=node.get("short", ""),
            email=node.get("email", ""),
            place="Hà Tĩnh",
        )
        if node.get("staff"):
            self._user(node["staff"], "Nguyễn Thị Cấp Ủy", committee=org, email="capuy@demo.chibo.vn")
        for child in node.get("children", []):
            self._org(child, org)
        return org

    def _members(self, cell, size, secretary_login):
        rng = random.Random(cell.name)
        existing = Member.objects.filter(cell=cell).count()
        used = set(Member.objects.filter(cell=cell).values_list("full_name", flat=True))
        for i in range(existing, size):
            female = rng.random() < 0.45
            while True:
                name = " ".join(
                    [
                        rng.choice(FAMILY),
                        rng.choice(MIDDLE_F if female else MIDDLE_M),
                        rng.choice(GIVEN_F if female else GIVEN_M),
                    ]
                )
                if name not in used:
                    used.add(name)
                    break
            # The cell committee is elected from full members: they joined long enough ago.
            last_year = 2020 if i < 3 else 2025
            joined = datetime.date(rng.randint(1995, last_year), rng.randint(1, 12), rng.randint(1, 28))
            full = joined.replace(year=joined.year + 1) if joined.year < 2025 else None
            position = [Position.SECRETARY, Position.DEPUTY, Position.COMMITTEE_MEMBER][i] if i < 3 else Position.MEMBER
            status = MemberStatus.ACTIVE
            if i == size - 1:
                status = MemberStatus.EXEMPT
            elif i == size - 2 and size > 20:
                status = MemberStatus.ELSEWHERE
            login = fold(name).split()[-1] + "".join(w[0] for w in fold(name).split()[:-1])
            member_create(
                cell=cell,
                full_name=name,
                gender=Gender.FEMALE if female else Gender.MALE,
                date_of_birth=datetime.date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28)),
                card_number=f"{cell.pk:03d}{i + 1:05d}",
                joined_on=joined,
                full_member_on=full,
                phone=f"09{rng.randint(10000000, 99999999)}",
                email=f"{login}.{cell.pk}{i}@demo.chibo.vn",
                position=position,
                status=status,
            )
        members = list(Member.objects.filter(cell=cell).order_by("card_number"))
        if secretary_login:
            secretary = next(m for m in members if m.position == Position.SECRETARY)
            self._link(secretary, secretary_login)
            self.secretaries[cell.pk] = secretary
            if secretary_login == "bithu":
                plain = next(m for m in members if m.position == Position.MEMBER and m.status == MemberStatus.ACTIVE)
                self._link(plain, "dangvien")
        else:
            self.secretaries[cell.pk] = next(m for m in members if m.position == Position.SECRETARY)

    def _user(self, username, full_name, *, committee=None, email="", superuser=False):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "committee": committee,
                "email": email,
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _link(self, member, username):
        user = self._user(username, member.full_name, email=member.email)
        if member.user_id != user.pk:
            Member.objects.filter(user=user).exclude(pk=member.pk).update(user=None)
            member.user = user
            member.save(update_fields=["user"])

    def _admin(self):
        self._user("admin", "Quản trị hệ thống", email="admin@demo.chibo.vn", superuser=True)

    def _directed_topics(self):
        bloc = Organization.objects.get(name="Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh")
        groups = {g.number: g for g in TopicGroup.objects.all()}
        for number, title in DIRECTED_2023:
            DirectedTopic.objects.get_or_create(
                committee=bloc,
                year=2023,
                title=title,
                defaults={"group": groups[number], "issued_on": datetime.date(2023, 1, 15)},
            )
        year = timezone.localdate().year
        for number, title in DIRECTED_CURRENT:
            DirectedTopic.objects.get_or_create(
                committee=bloc,
                year=year,
                title=title,
                defaults={"group": groups[number], "issued_on": datetime.date(year, 1, 15)},
            )

    def _meetings(self):
        try:
            from meetings.management.commands._demo_meetings import seed_demo_meetings
        except ImportError:
            return
        # Cells without a demo login act through the administrator account.
        admin = User.objects.get(username="admin")
        actor_by_cell = {cell_id: sec.user or admin for cell_id, sec in self.secretaries.items()}
        from django.db.models import Max

        from meetings.models import Meeting, MeetingKind, Notification
        from meetings.periods import quarter_of
        from meetings.services.notifications import notifications_cancel_unsent, notifications_dispatch_paused

        # Past meetings are created through the real services, which write outbox rows:
        # no e-mail goes out for demo history (and no render/send per row slows seeding).
        last_id = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        with notifications_dispatch_paused():
            seed_demo_meetings(cells=list(self.cells.values()), actor_by_cell=actor_by_cell)
        today = timezone.localdate()
        historical = (
            Meeting.objects.filter(cell__in=list(self.cells.values()), kind=MeetingKind.THEMATIC)
            .exclude(year=today.year, quarter=quarter_of(today))
            .values("pk")
        )
        notifications_cancel_unsent(meeting_ids=historical, after_id=last_id, reason=HISTORY_NOT_MAILED)
