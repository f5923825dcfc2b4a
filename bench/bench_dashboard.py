"""Dashboard benchmark: the page (through Django's test client) vs the bare SQL computing
the same numbers, for the root of a `seed_scale` tree and for a 1,000-cell committee.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_scale
    python manage.py migrate && python manage.py seed_scale --cells 300000
    python manage.py compliance_rebuild   # only for data seeded before the rollups existed
    python bench/bench_dashboard.py [--runs 15]

Prints, for each committee, the median and best of the page and of the bare SQL that reads the
same rows (the rollups and the two lists), their ratio, and for context the median of the
from-scratch aggregate over every cell's summary (what the rollups replace). The page is timed
twice: as served between writes (from the page cache, meetings/pagecache.py) and rendered
afresh right after a write (a dashboard-scope bump before each timed request).
Targets: root < 500 ms, 1,000-cell committee < 50 ms, both within 2x of the bare SQL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import Organization, OrgKind, User  # noqa: E402
from meetings.pagecache import dashboard_scope  # noqa: E402
from meetings.periods import quarter_is_open  # noqa: E402
from meetings.services.compliance import quarter_of  # noqa: E402

# The same rows the page reads, written by hand: the direct children with their rollup row for
# the period, the committee's own rollup rows for the year (chart) and the two 50-row lists.
SQL_CHILDREN = """
SELECT o.id, o.name, o.kind, o.path, o.subtree_cells,
       s.cells_compliant, s.cells_scheduled, s.cells_reported, s.reports_count,
       s.attendance_ppm_sum, s.attendance_count, s.grade_good, s.grade_fair, s.grade_average, s.grade_poor
FROM meetings_organization o
LEFT JOIN meetings_orgquarterstats s ON s.org_id = o.id AND s.year = %(year)s AND s.quarter = %(quarter)s
WHERE o.parent_id = %(org)s AND o.kind <> 'group'
ORDER BY o.kind, o.name
"""
SQL_QUARTERS = (
    "SELECT quarter, cells_compliant FROM meetings_orgquarterstats WHERE org_id = %(org)s AND year = %(year)s"
)
SQL_LIST = """
SELECT o.id, o.name, o.email, o.phone,
       (SELECT p.name FROM meetings_organization p WHERE p.id = o.parent_id),
       sec.full_name, sec.phone, sec.email
       {extra}
FROM meetings_organization o
LEFT JOIN LATERAL (
    SELECT m.full_name, m.phone, m.email FROM meetings_member m
    WHERE m.cell_id = o.id AND m.position = 'secretary' AND m.status <> 'moved_out' ORDER BY m.id LIMIT 1
) sec ON true
WHERE o.kind = 'cell' AND (o.path COLLATE "C") LIKE %(prefix)s
  AND NOT EXISTS (SELECT 1 FROM meetings_compliancesummary s WHERE s.cell_id = o.id AND s.year = %(year)s
                  AND s.quarter = %(quarter)s AND s.{column} > 0)
ORDER BY o.path COLLATE "C" LIMIT 50
"""
SCHEDULED = """, (SELECT s.scheduled_count FROM meetings_compliancesummary s
                WHERE s.cell_id = o.id AND s.year = %(year)s AND s.quarter = %(quarter)s)"""

# For context only: the same per-child numbers aggregated from scratch over every cell's
# summary (what the page did before the rollups).
SQL_SCRATCH = [
    """SELECT substr(path, 1, %(key_len)s), count(*) FROM meetings_organization
       WHERE kind = 'cell' AND path LIKE %(prefix)s GROUP BY 1""",
    """SELECT substr(s.cell_path, 1, %(key_len)s) AS child,
       count(*) FILTER (WHERE s.finalized_count > 0), count(*) FILTER (WHERE s.scheduled_count > 0),
       count(*) FILTER (WHERE s.reports_count > 0), sum(s.reports_count), avg(s.attendance_rate),
       count(s.attendance_rate),
       count(*) FILTER (WHERE s.finalized_count > 0 AND s.best_grade = 'good'),
       count(*) FILTER (WHERE s.finalized_count > 0 AND s.best_grade = 'fair'),
       count(*) FILTER (WHERE s.finalized_count > 0 AND s.best_grade = 'average'),
       count(*) FILTER (WHERE s.finalized_count > 0 AND s.best_grade = 'poor')
       FROM meetings_compliancesummary s
       WHERE s.year = %(year)s AND s.quarter = %(quarter)s AND s.cell_path LIKE %(prefix)s GROUP BY 1""",
    """SELECT quarter, count(*) FROM meetings_compliancesummary
       WHERE year = %(year)s AND quarter IN (1, 2, 3, 4) AND cell_path LIKE %(prefix)s AND finalized_count > 0
       GROUP BY quarter""",
]


def _params(org, year, quarter):
    return {"key_len": len(org.path) + 10, "year": year, "quarter": quarter, "prefix": org.path + "%", "org": org.pk}


def bare_sql(org, year, quarter, with_at_risk):
    """What the page's numbers cost in SQL: the rollup rows and the two lists."""
    params = _params(org, year, quarter)
    with connection.cursor() as cursor:
        cursor.execute(SQL_CHILDREN, params)
        rows = cursor.fetchall()
        cursor.execute(SQL_QUARTERS, params)
        cursor.fetchall()
        cursor.execute(SQL_LIST.format(column="finalized_count", extra=SCHEDULED), params)
        cursor.fetchall()
        if with_at_risk:
            cursor.execute(SQL_LIST.format(column="scheduled_count", extra=""), params)
            cursor.fetchall()
    return rows


def scratch_sql(org, year, quarter):
    params = _params(org, year, quarter)
    with connection.cursor() as cursor:
        for sql in SQL_SCRATCH:
            cursor.execute(sql, params)
            cursor.fetchall()


def timed(fn, runs):
    fn()  # warm-up: caches, plans
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def timed_after_write(fn, runs, org):
    """`fn` timed right after a write that invalidates the committee's dashboard (the write
    untimed): what a change in one of its cells does."""
    samples = []
    for _ in range(runs):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO meetings_pagebump (scope) VALUES (%s)", [dashboard_scope(org.pk)])
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def staff_client(org):
    user, _ = User.objects.get_or_create(username=f"bench-staff-{org.pk}", defaults={"committee": org})
    client = Client()
    client.force_login(user)
    return client


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    settings.DEBUG = False  # no query log in memory, as in production
    if connection.vendor != "postgresql":
        print("Cảnh báo: benchmark này dành cho PostgreSQL (DATABASE_URL).")
    root = Organization.objects.filter(parent__isnull=True, name__contains="quy mô").order_by("-pk").first()
    if root is None:
        sys.exit("Chưa có dữ liệu: chạy `manage.py seed_scale` trước.")
    today = timezone.localdate()
    year, quarter = today.year, quarter_of(today)
    at_risk = quarter_is_open(year, quarter)
    # A committee of about 1,000 cells: a "bloc" committee two levels below the root.
    bloc = Organization.objects.filter(path__startswith=root.path, depth=root.depth + 2, kind=OrgKind.COMMITTEE).first()
    targets = [("gốc", root, 500), ("1.000 chi bộ", bloc, 50)]
    print(f"Năm {year}, quý {quarter}; {args.runs} lần đo mỗi mục (trung vị / nhanh nhất, ms)")
    for label, org, limit_ms in targets:
        cells = Organization.objects.filter(kind=OrgKind.CELL, path__startswith=org.path).count()
        client = staff_client(org)
        url = f"/tong-hop/{org.pk}/?nam={year}&quy={quarter}"

        def page(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        executed = []

        def count(execute, sql, *rest, executed=executed):
            executed.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            page()
        page_med, page_min = timed(page, args.runs)
        fresh_med, fresh_min = timed_after_write(page, args.runs, org)
        sql_med, sql_min = timed(lambda org=org: bare_sql(org, year, quarter, at_risk), args.runs)
        scratch_med, _ = timed(lambda org=org: scratch_sql(org, year, quarter), args.runs)
        ratio = page_med / sql_med if sql_med else float("inf")
        verdict = "ĐẠT" if page_med < limit_ms and ratio <= 2 else "CHƯA ĐẠT"
        print(
            f"{label:>13} ({cells:,} chi bộ, {len(executed)} truy vấn/trang): "
            f"trang {page_med:7.1f} / {page_min:7.1f}   "
            f"(vẽ lại sau khi ghi: {fresh_med:7.1f} / {fresh_min:7.1f}, {fresh_med / sql_med:5.2f}x)   "
            f"SQL thuần (cùng các dòng) {sql_med:6.1f} / {sql_min:6.1f}   tỷ lệ {ratio:5.2f}x   "
            f"[tổng hợp lại từ đầu: {scratch_med:7.1f}]   mục tiêu < {limit_ms} ms và ≤ 2x: {verdict}"
        )


if __name__ == "__main__":
    main()
