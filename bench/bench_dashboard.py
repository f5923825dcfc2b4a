"""Dashboard benchmark: the page, rendered afresh on every request, against what it cannot
do without (a bare Django view on the same stack plus the bare SQL reading the same rows),
for the root of a `seed_scale` tree and for a 1,000-cell committee.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_scale
    python manage.py migrate && python manage.py seed_scale --cells 300000
    python bench/bench_dashboard.py [--runs 15]

For each committee, in the same process and interleaved run by run (page, bare view, bare
SQL, so that a change of machine load hits all three alike), it times:

- the page: `/tong-hop/<id>/` through Django's test client as a logged-in staff user of that
  committee (middleware, session, user, permission check, selector, template);
- the bare view: `/bench/bare/` (`CHIBO_BENCH_BARE_VIEW`, chibo/urls.py), through the same
  client and the same middleware, session and user lookup, returning "ok";
- the bare SQL: the page's data, written by hand: the children with their rollup row for the
  quarter, the committee's 4 rows for the year (the page sums its children's rows of the year
  instead) and the two 50-row lists with each cell's secretary (a LATERAL join; the page reads
  the secretaries of the listed cells in one more query).

It prints the medians and the best of each (ms), the queries per page, the ratio
page / (bare view + bare SQL) of the medians (target: at most 2) and, for context only, the
from-scratch aggregate over every cell's summary (what the rollups replace). Nothing is
cached between requests: every page is rendered from the database.
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
# The reference view is only mounted when this is on (read when the URLconf is imported).
os.environ["CHIBO_BENCH_BARE_VIEW"] = "True"
os.environ.setdefault("LOG_LEVEL", "WARNING")  # no axes login chatter between the figures

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import Organization, OrgKind, User  # noqa: E402
from meetings.periods import quarter_is_open, quarter_of  # noqa: E402

TARGET_RATIO = 2.0

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


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def interleaved(fns: dict, runs: int) -> dict[str, list[float]]:
    """Each function once per round, round after round: load drifts hit all of them alike."""
    for fn in fns.values():
        fn()  # warm-up: plans, templates, connection
    samples = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            samples[name].append(_ms(fn))
    return samples


def staff_client(org):
    user, _ = User.objects.get_or_create(username=f"bench-staff-{org.pk}", defaults={"committee": org})
    client = Client()
    client.force_login(user)
    return client


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _queries(fn):
    """(number of SQL statements `fn` runs, its result): counted at the cursor, since the
    test client's request_started signal empties connection.queries."""
    executed = []

    def count(execute, sql, *rest):
        executed.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):
        result = fn()
    return len(executed), result


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


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
    print(
        f"Năm {year}, quý {quarter}{' (chưa kết thúc: có danh sách nguy cơ)' if at_risk else ''}; "
        f"{args.runs} vòng đo xen kẽ mỗi mục; trung vị / nhanh nhất, ms; tải máy (1/5/15 phút) {_load()}"
    )
    for label, org in (("gốc", root), ("1.000 chi bộ", bloc)):
        cells = Organization.objects.filter(kind=OrgKind.CELL, path__startswith=org.path).count()
        client = staff_client(org)
        url = f"/tong-hop/{org.pk}/?nam={year}&quy={quarter}"
        _get(client, url)
        page_queries, size = _queries(lambda client=client, url=url: len(_get(client, url).content))
        bare_queries, _ = _queries(lambda client=client: _get(client, "/bench/bare/"))
        samples = interleaved(
            {
                "page": lambda client=client, url=url: _get(client, url),
                "bare": lambda client=client: _get(client, "/bench/bare/"),
                "sql": lambda org=org: bare_sql(org, year, quarter, at_risk),
            },
            args.runs,
        )
        scratch = interleaved({"scratch": lambda org=org: scratch_sql(org, year, quarter)}, max(3, args.runs // 3))
        med = {name: statistics.median(s) for name, s in samples.items()}
        best = {name: min(s) for name, s in samples.items()}
        reference = med["bare"] + med["sql"]
        ratio = med["page"] / reference
        verdict = "ĐẠT" if ratio <= TARGET_RATIO else "CHƯA ĐẠT"
        print(
            f"{label:>13} ({cells:,} chi bộ; trang {page_queries} truy vấn, {size / 1024:.0f} KiB; "
            f"view trống {bare_queries} truy vấn)\n"
            f"    trang {med['page']:6.1f} / {best['page']:6.1f}   "
            f"view trống {med['bare']:5.1f} / {best['bare']:5.1f}   "
            f"SQL thuần {med['sql']:5.1f} / {best['sql']:5.1f}   "
            f"tỷ lệ trang / (view trống + SQL) {ratio:4.2f}x (nhanh nhất: "
            f"{best['page'] / (best['bare'] + best['sql']):4.2f}x)   mục tiêu ≤ {TARGET_RATIO:g}x: {verdict}\n"
            f"    [tổng hợp lại từ đầu, để so sánh: {statistics.median(scratch['scratch']):7.1f}]   tải {_load()}"
        )


if __name__ == "__main__":
    main()
