"""A national-size tree for the dashboard benchmark: committees, cells, one secretary per cell,
thematic meetings for the 4 quarters of a year, their per-quarter summaries and the
per-organisation rollups (`compliance_rebuild`, set-based).

Rows are generated with precomputed ids and paths and written in bulk (COPY on PostgreSQL,
executemany elsewhere); nothing goes through the ORM one row at a time. Meant for a
database of its own, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_scale python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_scale python manage.py seed_scale --cells 300000
"""

import datetime
import io
import json
import math
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from meetings.models import ComplianceSummary, Meeting, Member, Organization
from meetings.models.organizations import path_segment
from meetings.services.compliance import compliance_rebuild
from meetings.text import fold, vn_sort_key

# Written in bulk: their id sequences are reset and their statistics refreshed afterwards.
LOADED_TABLES = (
    "meetings_organization",
    "meetings_member",
    "meetings_meeting",
    "meetings_compliancesummary",
    "meetings_orgquarterstats",
)
CELLS_PER_BASE = 100  # grassroots committee
BASES_PER_BLOC = 10  # a bloc committee has about 1,000 cells
BLOCS_PER_PROVINCE = 5

ORG_COLUMNS = (
    "id",
    "name",
    "short_name",
    "kind",
    "parent_id",
    "path",
    "depth",
    "email",
    "place",
    "phone",
    "is_active",
    "created_at",
    "subtree_cells",
)
MEMBER_COLUMNS = (
    "id",
    "cell_id",
    "full_name",
    "sort_key",
    "search_name",
    "gender",
    "phone",
    "email",
    "position",
    "status",
    "created_at",
    "updated_at",
)
MEETING_COLUMNS = (
    "id",
    "cell_id",
    "kind",
    "stage",
    "year",
    "quarter",
    "scheduled_date",
    "place",
    "combined_with_regular",
    "combined_order",
    "notice_warning",
    "actual_start",
    "actual_end",
    "programme",
    "purpose",
    "lead_paper_summary",
    "author_response",
    "cancelled_reason",
    "version",
    "created_at",
    "updated_at",
)
SUMMARY_COLUMNS = (
    "id",
    "cell_id",
    "cell_path",
    "year",
    "quarter",
    "finalized_count",
    "scheduled_count",
    "attendance_rate",
    "best_grade",
    "reports_count",
    "updated_at",
)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Đức", "Hà", "Hùng", "Lan", "Minh", "Nga", "Phương", "Quân"]
GRADES = ["good", "good", "fair", "fair", "fair", "average", "poor"]


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def model_defaults(model, given: tuple) -> dict:
    """The value of every other NOT NULL column: the model field's default, as the ORM would
    write it. A column added later with a default needs no change here; one without a default
    stops the load with its name instead of a COPY error."""
    out = {}
    for field in model._meta.concrete_fields:
        if field.column in given or field.null or field.primary_key:
            continue
        value = field.get_default()
        if value is None:
            raise CommandError(
                f"seed_scale: cột {model._meta.db_table}.{field.column} cần giá trị (không có mặc định)."
            )
        out[field.column] = json.dumps(value) if isinstance(field, models.JSONField) else value
    return out


class BulkWriter:
    """Buffers rows of one model's table and flushes them with COPY (PostgreSQL) or
    executemany. Rows give `columns`; the other NOT NULL columns get their model defaults."""

    def __init__(self, model, columns: tuple, *, chunk: int = 100_000):
        self.table, self.chunk = model._meta.db_table, chunk
        defaults = model_defaults(model, columns)
        self.columns = (*columns, *defaults)
        self.tail = tuple(defaults.values())
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.tail)
        if len(self.rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        cols = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buf = io.StringIO()
                for row in self.rows:
                    buf.write("\t".join(_copy_value(v) for v in row))
                    buf.write("\n")
                buf.seek(0)
                cursor.cursor.copy_expert(f"COPY {self.table} ({cols}) FROM STDIN", buf)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {self.table} ({cols}) VALUES ({marks})", self.rows)  # noqa: S608
        self.written += len(self.rows)
        self.rows = []


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def _reset_sequence(table: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
        )


class Command(BaseCommand):
    help = "Tạo dữ liệu quy mô toàn quốc (mặc định 300.000 chi bộ) để đo hiệu năng trang tổng hợp."

    def add_arguments(self, parser):
        parser.add_argument("--cells", type=int, default=300_000)
        parser.add_argument("--year", type=int, default=None, help="Năm của các buổi sinh hoạt (mặc định: năm nay).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-members", action="store_true", help="Không tạo bí thư cho mỗi chi bộ.")

    def handle(self, *args, cells: int, year: int | None, seed: int, no_members: bool, **options):
        if cells < 1:
            raise CommandError("Số chi bộ phải lớn hơn 0.")
        rng = random.Random(seed)
        year = year or timezone.localdate().year
        today = timezone.localdate()
        started = time.monotonic()
        self.with_members = not no_members
        with transaction.atomic():
            # Synthetic bulk rows need no change history: the pghistory row triggers on
            # meetings would otherwise write a million event rows. Off for this load only.
            self._user_triggers("DISABLE")
            root = self._tree(cells, rng, year)
            self._user_triggers("ENABLE")
        self.stdout.write(f"Cây tổ chức: {time.monotonic() - started:.1f} s")
        rollup = compliance_rebuild(year=year)  # the per-committee rollups the dashboard reads
        self.stdout.write(f"  {rollup['rows']:,} dòng tổng hợp theo tổ chức: {time.monotonic() - started:.1f} s")
        for table in LOADED_TABLES:
            _reset_sequence(table)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in LOADED_TABLES:
                    cursor.execute(f"VACUUM ANALYZE {table}")  # sets hint bits and the visibility map after COPY
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {cells:,} chi bộ dưới “{root.name}” (id {root.pk}) cho năm {year} "
                f"trong {time.monotonic() - started:.1f} s (hôm nay {today:%d/%m/%Y})."
            )
        )

    @staticmethod
    def _user_triggers(action: str) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if action == "ENABLE":
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run pending FK checks first
                for table in ("meetings_meeting", "meetings_member", "meetings_compliancesummary"):
                    cursor.execute(f"ALTER TABLE {table} {action} TRIGGER USER")

    def _tree(self, cells: int, rng: random.Random, year: int) -> Organization:
        now = timezone.now()
        n_base = math.ceil(cells / CELLS_PER_BASE)
        n_bloc = math.ceil(n_base / BASES_PER_BLOC)
        n_prov = math.ceil(n_bloc / BLOCS_PER_PROVINCE)
        orgs = BulkWriter(Organization, ORG_COLUMNS)
        next_id = _next_id("meetings_organization")
        run = next_id  # distinguishes names when the command runs twice

        def org(name, kind, parent_id, path, depth):
            nonlocal next_id
            pk = next_id
            next_id += 1
            own_path = path + path_segment(pk)
            cells_below = int(kind == "cell")  # committees' counts come from compliance_rebuild below
            email = f"org{pk}@example.vn"
            orgs.add((pk, name, "", kind, parent_id, own_path, depth, email, "Hà Nội", "", True, now, cells_below))
            return pk, own_path

        root_id, root_path = org(f"Ban Chấp hành Trung ương (quy mô {cells:,}, lượt {run})", "committee", None, "", 0)
        prov = [org(f"Đảng bộ tỉnh số {i + 1}", "committee", root_id, root_path, 1) for i in range(n_prov)]
        bloc = [
            org(
                f"Đảng ủy khối số {i + 1}",
                "committee",
                prov[i // BLOCS_PER_PROVINCE][0],
                prov[i // BLOCS_PER_PROVINCE][1],
                2,
            )
            for i in range(n_bloc)
        ]
        base = [
            org(f"Đảng bộ cơ sở số {i + 1}", "committee", bloc[i // BASES_PER_BLOC][0], bloc[i // BASES_PER_BLOC][1], 3)
            for i in range(n_base)
        ]
        cell_rows = []
        for i in range(cells):
            parent_id, parent_path = base[i // CELLS_PER_BASE]
            cell_rows.append(org(f"Chi bộ số {i + 1}", "cell", parent_id, parent_path, 4))
        orgs.flush()
        self.stdout.write(f"  {orgs.written:,} tổ chức")

        if self.with_members:
            self._members(cell_rows, rng, now)
        self._meetings(cell_rows, rng, year, now)
        return Organization.objects.get(pk=root_id)

    def _members(self, cell_rows, rng, now):
        members = BulkWriter(Member, MEMBER_COLUMNS)
        next_id = _next_id("meetings_member")
        keys = {}
        for cell_id, _ in cell_rows:
            name = f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}"
            if name not in keys:
                keys[name] = (vn_sort_key(name), fold(name))
            sort_key, search = keys[name]
            members.add(
                (
                    next_id,
                    cell_id,
                    name,
                    sort_key,
                    search,
                    "male",
                    f"09{next_id % 100_000_000:08d}",
                    f"bithu{next_id}@example.vn",
                    "secretary",
                    "active",
                    now,
                    now,
                )
            )
            next_id += 1
        members.flush()
        self.stdout.write(f"  {members.written:,} bí thư chi bộ")

    def _meetings(self, cell_rows, rng, year, now):
        meetings = BulkWriter(Meeting, MEETING_COLUMNS)
        summaries = BulkWriter(ComplianceSummary, SUMMARY_COLUMNS)
        meeting_id = _next_id("meetings_meeting")
        summary_id = _next_id("meetings_compliancesummary")
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        for quarter in (1, 2, 3, 4):
            first = datetime.date(year, 3 * quarter - 2, 1)
            quarter_end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
            past_days = max(0, min((quarter_end - first).days, (today - first).days))
            future = first > today
            for cell_id, cell_path in cell_rows:
                r = rng.random()
                if not future and past_days and r < 0.82:
                    stage, day = "finalized", first + datetime.timedelta(days=rng.randrange(past_days))
                elif r < 0.90:
                    stage = "scheduled"
                    day = max(today, first) + datetime.timedelta(days=rng.randrange(1, 30))
                    if day >= quarter_end:
                        day = quarter_end - datetime.timedelta(days=1)
                elif r < 0.95:
                    stage, day = "planned", None
                else:
                    continue  # no meeting at all: no summary row either
                start = end = None
                rate = grade = None
                if stage == "finalized":
                    start = datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=tz)
                    end = start + datetime.timedelta(minutes=rng.randrange(90, 180))
                    rate = round(rng.uniform(0.7, 1.0), 3)
                    grade = rng.choice(GRADES)
                meetings.add(
                    (
                        meeting_id,
                        cell_id,
                        "thematic",
                        stage,
                        year,
                        quarter,
                        day,
                        "Hội trường",
                        False,
                        "",
                        "",
                        start,
                        end,
                        "",
                        "",
                        "",
                        "",
                        "",
                        1,
                        now,
                        now,
                    )
                )
                meeting_id += 1
                done = stage == "finalized"
                summaries.add(
                    (
                        summary_id,
                        cell_id,
                        cell_path,
                        year,
                        quarter,
                        int(done),
                        int(stage in ("finalized", "scheduled")),
                        rate,
                        grade or "",
                        int(done),
                        now,
                    )
                )
                summary_id += 1
        meetings.flush()
        summaries.flush()
        self.stdout.write(f"  {meetings.written:,} buổi sinh hoạt, {summaries.written:,} dòng tổng hợp theo quý")
