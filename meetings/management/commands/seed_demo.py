"""Demo data: a realistic Hà Tĩnh tree, members with consistent histories, logins, directed
topics and a history of thematic meetings (_demo_meetings.py, texts in _demo_texts.py).
Dates are relative to today. Idempotent: running it again changes nothing already there."""

import calendar
import datetime
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from meetings.management.commands._demo_meetings import RESIDENTIAL_PREFIX, demo_years, seed_demo_meetings
from meetings.management.commands._demo_texts import OFFICE_TOPICS, RESIDENTIAL_TOPICS
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
from meetings.services.compliance import compliance_refresh_actions_all
from meetings.services.members import member_create, member_update
from meetings.services.organizations import organization_create, organization_follower_set
from meetings.services.signing.demo import demo_signatures
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
    "committee_name": "Tỉnh ủy Hà Tĩnh",
    "standing_committee_name": "Ban Thường vụ Tỉnh ủy Hà Tĩnh",
    "email": "tinhuy@demo.chibo.vn",
    "place": "Hà Tĩnh",
    "children": [
        {
            "name": "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh",
            "short": "Đảng ủy Khối",
            "committee_name": "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
            "standing_committee_name": "Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
            "email": "danguykhoi@demo.chibo.vn",
            "place": "Hà Tĩnh",
            "staff": "capuy",
            "children": [
                {
                    "cell": "Chi bộ cơ quan Ủy ban Mặt trận Tổ quốc tỉnh",
                    "size": 22,
                    "secretary": "bithu",
                    "room": "Hội trường tầng 2, trụ sở Ủy ban Mặt trận Tổ quốc tỉnh",
                },
                {
                    "cell": "Chi bộ Văn phòng Sở Tài chính",
                    "size": 18,
                    "secretary": "bithu2",
                    "room": "Phòng họp tầng 3, trụ sở Sở Tài chính",
                },
                {
                    "name": "Đảng bộ Công ty Điện lực Hà Tĩnh",
                    "short": "Đảng ủy Công ty Điện lực",
                    "committee_name": "Đảng ủy Công ty Điện lực Hà Tĩnh",
                    "standing_committee_name": "Ban Thường vụ Đảng ủy Công ty Điện lực Hà Tĩnh",
                    "email": "dienluc@demo.chibo.vn",
                    "place": "Hà Tĩnh",
                    "children": [
                        {
                            "cell": "Chi bộ Kế hoạch Vật tư - Quản lý Đầu tư - Tài chính Kế toán",
                            "size": 25,
                            "room": "Phòng họp số 1, trụ sở Công ty Điện lực Hà Tĩnh",
                        },
                        {
                            "cell": "Chi bộ Kỹ thuật - An toàn",
                            "size": 16,
                            "room": "Phòng họp số 2, trụ sở Công ty Điện lực Hà Tĩnh",
                        },
                    ],
                },
            ],
        },
        {
            "name": "Đảng bộ phường Thành Sen",
            "short": "Đảng ủy phường Thành Sen",
            "committee_name": "Đảng ủy phường Thành Sen",
            "standing_committee_name": "Ban Thường vụ Đảng ủy phường Thành Sen",
            "email": "thanhsen@demo.chibo.vn",
            "place": "Thành Sen",
            "children": [
                # Residential cells (tổ dân phố) meet in the street's cultural house.
                {"cell": "Chi bộ Tổ dân phố 1", "size": 28, "room": "Nhà văn hóa tổ dân phố 1, phường Thành Sen"},
                {"cell": "Chi bộ Tổ dân phố 5", "size": 15, "room": "Nhà văn hóa tổ dân phố 5, phường Thành Sen"},
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

# Exemption (miễn sinh hoạt) is granted for old age or a long illness, with the reason recorded.
EXEMPT_OLD = "Tuổi cao, sức khỏe yếu, đi lại khó khăn"
EXEMPT_ILL = "Ốm đau dài ngày, đang điều trị bệnh hiểm nghèo (có xác nhận của cơ sở y tế)"
EXEMPT_STROKE = "Ốm đau dài ngày, di chứng tai biến mạch máu não"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), the month's last day when it has no such day."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_before(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, -12 * years)


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (chạy lại không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Cho phép chạy khi DEBUG tắt.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo chỉ dùng cho môi trường thử nghiệm (DEBUG bật). Dùng --force nếu chắc chắn.")
        self.today = timezone.localdate()
        self.cells = {}
        self.rooms = {}
        self.secretaries = {}
        with transaction.atomic():
            self._admin()
            root = self._org(TREE, None)
            self._directed_topics()
            self._follower()
        self._meetings()
        # The history was written at past dates: which action items are late is judged today,
        # as the daily task would (services/compliance.py).
        compliance_refresh_actions_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu mẫu sẵn sàng: {Organization.objects.filter(path__startswith=root.path).count()} tổ chức, "
                f"{Member.objects.count()} đảng viên. Mật khẩu các tài khoản mẫu: {DEMO_PASSWORD}"
            )
        )

    # --- tree -------------------------------------------------------------------------
    def _term_started_on(self) -> datetime.date:
        # The cell committee's term began at the cell congress, before any demo document.
        return datetime.date(min(demo_years(self.today)) - 1, 6, 15)

    def _org(self, node, parent):
        if "cell" in node:
            term = self._term_started_on()
            cell = Organization.objects.filter(name=node["cell"], parent=parent).first() or organization_create(
                name=node["cell"], kind=OrgKind.CELL, parent=parent, place=parent.place, term_started_on=term
            )
            if cell.term_started_on is None:  # a demo database seeded before terms existed
                from meetings.services.numbering import cell_document_settings_update

                cell = cell_document_settings_update(cell=cell, actor=self.admin, term_started_on=term)
            self.cells[cell.name] = cell
            self.rooms[cell.pk] = node["room"]
            self._members(cell, node["size"], node.get("secretary"))
            return cell
        names = {
            "committee_name": node["committee_name"],
            "standing_committee_name": node["standing_committee_name"],
        }
        org = Organization.objects.filter(name=node["name"], parent=parent).first() or organization_create(
            name=node["name"],
            kind=OrgKind.COMMITTEE,
            parent=parent,
            short_name=node.get("short", ""),
            email=node.get("email", ""),
            place=node["place"],
            **names,
        )
        if not org.committee_name:  # a demo database seeded before the committees' names existed
            from meetings.services.organizations import organization_committee_names_update

            org = organization_committee_names_update(organization=org, actor=self.admin, **names)
        if node.get("staff"):
            self._user(node["staff"], "Nguyễn Thị Cấp Ủy", committee=org, email="capuy@demo.chibo.vn")
        for child in node.get("children", []):
            self._org(child, org)
        return org

    def _life(self, rng, i: int, size: int, residential: bool) -> dict:
        """Age, joining age, status and exemption reason of the i-th member of a cell: the
        committee are experienced full members, a cell has one or two probationary members
        (joined less than 12 months ago), exempt members are old or ill, with the reason."""
        spec = {"status": MemberStatus.ACTIVE, "reason": "", "probationary": False}
        last = size - 1
        if residential:
            if i == 0:
                age, join = rng.randint(62, 68), rng.randint(22, 28)
            elif i in (1, 2):
                age, join = rng.randint(48, 60), rng.randint(23, 30)
            elif i == last:
                age, join = rng.randint(80, 88), rng.randint(19, 26)
                spec.update(status=MemberStatus.EXEMPT, reason=EXEMPT_OLD)
            elif i == last - 1:
                age, join = rng.randint(68, 74), rng.randint(20, 30)
                spec.update(status=MemberStatus.EXEMPT, reason=EXEMPT_STROKE)
            elif i == last - 2 and size > 20:
                age, join = rng.randint(76, 84), rng.randint(19, 26)
                spec.update(status=MemberStatus.EXEMPT, reason=EXEMPT_OLD)
            elif i == last - 3 and size > 20:
                age, join = rng.randint(32, 45), rng.randint(21, 28)
                spec.update(status=MemberStatus.ELSEWHERE)
            elif i == last - 4:
                age, join = rng.randint(28, 38), None
                spec["probationary"] = True
            elif rng.random() < 0.6:  # retired: many joined in the army, at 19 or 20
                age, join = rng.randint(60, 79), rng.randint(19, 32)
            else:
                age, join = rng.randint(32, 58), rng.randint(20, 32)
        else:
            if i < 3:
                age, join = rng.randint(42, 55), rng.randint(24, 32)
            elif i == last:  # office staff are of working age: exempt only through illness
                age, join = rng.randint(45, 55), rng.randint(25, 33)
                spec.update(status=MemberStatus.EXEMPT, reason=EXEMPT_ILL)
            elif i == last - 1 and size > 20:
                age, join = rng.randint(30, 45), rng.randint(23, 29)
                spec.update(status=MemberStatus.ELSEWHERE)
            elif i == last - 2 or (i == last - 5 and size >= 20):
                age, join = rng.randint(25, 31), None
                spec["probationary"] = True
            else:
                age = rng.randint(26, 56)
                join = rng.randint(22, min(age - 2, 38))
        born = years_before(self.today, age) - datetime.timedelta(days=rng.randint(1, 360))
        if spec["probationary"]:
            # Less than 12 months ago, before the oldest demo meeting (at most 11 months back).
            joined = add_months(self.today, -12) + datetime.timedelta(days=rng.randint(6, 20))
        else:
            joined = add_months(born, 12 * join) + datetime.timedelta(days=rng.randint(0, 200))
            joined = min(joined, add_months(self.today, -14))
        spec.update(born=born, joined=joined, full=None if spec["probationary"] else add_months(joined, 12))
        return spec

    def _members(self, cell, size, secretary_login):
        rng = random.Random(cell.name)
        dates_rng = random.Random(f"{cell.name}/dates")
        residential = cell.name.startswith(RESIDENTIAL_PREFIX)
        existing = Member.objects.filter(cell=cell).count()
        used = set(Member.objects.filter(cell=cell).values_list("full_name", flat=True))
        lives = [self._life(dates_rng, i, size, residential) for i in range(size)]
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
            life = lives[i]
            position = [Position.SECRETARY, Position.DEPUTY, Position.COMMITTEE_MEMBER][i] if i < 3 else Position.MEMBER
            login = fold(name).split()[-1] + "".join(w[0] for w in fold(name).split()[:-1])
            member_create(
                cell=cell,
                full_name=name,
                gender=Gender.FEMALE if female else Gender.MALE,
                date_of_birth=life["born"],
                card_number=f"{cell.pk:03d}{i + 1:05d}",
                joined_on=life["joined"],
                full_member_on=life["full"],
                phone=f"09{rng.randint(10000000, 99999999)}",
                email=f"{login}.{cell.pk}{i}@demo.chibo.vn",
                position=position,
                status=life["status"],
                exempt_reason=life["reason"],
            )
        self._recognise_full_members(cell)
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

    def _recognise_full_members(self, cell):
        """Seeded some time ago: probationary members whose 12 months are over become full
        members on that day, as the cell would have decided (none stays probationary longer)."""
        due = add_months(self.today, -12)
        for member in Member.objects.filter(cell=cell, full_member_on__isnull=True, joined_on__lte=due):
            member_update(member=member, full_member_on=add_months(member.joined_on, 12))

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
        self.admin = self._user("admin", "Quản trị hệ thống", email="admin@demo.chibo.vn", superuser=True)

    def _directed_topics(self):
        """The bloc committee's topics for 2023 (from the guide) and, for every year the demo
        shows, the bloc's and the ward's topics of the year."""
        bloc = Organization.objects.get(name="Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh")
        ward = Organization.objects.get(name="Đảng bộ phường Thành Sen")
        groups = {g.number: g for g in TopicGroup.objects.all()}
        issued = [(bloc, 2023, number, title) for number, title in DIRECTED_2023]
        for year in demo_years(self.today):
            issued += [(bloc, year, t.group, t.title) for t in OFFICE_TOPICS if t.directed]
            issued += [(ward, year, t.group, t.title) for t in RESIDENTIAL_TOPICS if t.directed]
        for committee, year, number, title in issued:
            DirectedTopic.objects.get_or_create(
                committee=committee,
                year=year,
                title=title,
                defaults={"group": groups[number], "issued_on": datetime.date(year, 1, 15)},
            )

    def _follower(self):
        """The bloc committee's member who follows the demo secretaries' cells (HD 42)."""
        capuy = User.objects.get(username="capuy")
        for cell_id, secretary in self.secretaries.items():
            cell = Organization.objects.get(pk=cell_id)
            if secretary.user_id and cell.follower_id is None and cell.path.startswith(capuy.committee.path):
                organization_follower_set(cell=cell, follower=capuy)

    def _meetings(self):
        from django.db.models import Max

        from meetings.models import Meeting, MeetingKind, Notification
        from meetings.periods import quarter_of
        from meetings.services.notifications import notifications_cancel_unsent, notifications_dispatch_paused

        # Cells without a demo login act through the administrator account.
        actor_by_cell = {cell_id: sec.user or self.admin for cell_id, sec in self.secretaries.items()}
        # Past meetings are created through the real services, which write outbox rows:
        # no e-mail goes out for demo history (and no render/send per row slows seeding).
        last_id = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        with notifications_dispatch_paused():
            seed_demo_meetings(cells=list(self.cells.values()), actor_by_cell=actor_by_cell, rooms=self.rooms)
            # Issue 18: the latest finalised minutes signed by chair and clerk with demo
            # certificates (the signed copy's e-mail to the committee is demo history too).
            demo_signatures(password=DEMO_PASSWORD, log=self.stdout.write)
        historical = (
            Meeting.objects.filter(cell__in=list(self.cells.values()), kind=MeetingKind.THEMATIC)
            .exclude(year=self.today.year, quarter=quarter_of(self.today))
            .values("pk")
        )
        notifications_cancel_unsent(meeting_ids=historical, after_id=last_id, reason=HISTORY_NOT_MAILED)
