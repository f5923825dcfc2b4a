"""Nightly check that the stored figures still follow from the meetings, and their repair.

`compliance_refresh` keeps `ComplianceSummary` and `OrgQuarterStats` by differences; a write
that bypassed it (a shell, a raw UPDATE, a bug) would leave the dashboard wrong for good.
`compliance_check` recomputes one quarter from scratch in set-based SQL (a temporary table of
every cell's summary, then the sums over every ancestor in one grouped query), compares with
what is stored, and writes back only the rows that differ, each logged. The work grows with
the number of meetings in the quarter, not with a query per cell.
"""

import logging
from dataclasses import asdict, dataclass

from django.db import connection, transaction

from meetings.models import (
    Attendance,
    AttendanceStatus,
    ComplianceSummary,
    Conclusion,
    Meeting,
    MeetingKind,
    Minutes,
    Organization,
    OrgQuarterStats,
    Report,
)
from meetings.models.minutes import GRADES, PPM, STAT_FIELDS
from meetings.models.organizations import PATH_STEP
from meetings.periods import current_quarter
from meetings.workflow import ON_CALENDAR, Stage

logger = logging.getLogger(__name__)

SUMMARY_FIELDS = (
    "cell_path",
    "finalized_count",
    "scheduled_count",
    "attendance_rate",
    "best_grade",
    "reports_count",
    "warned_count",
)
# Rates computed in SQL and in Python may differ in the last bits; less than this is no drift.
RATE_TOLERANCE = 1e-9
# A wholesale loss (a table restored from elsewhere) is repaired in full but not logged row by row.
LOG_LIMIT = 200
_TMP = "compliance_check_summary"


@dataclass
class CheckResult:
    year: int
    quarter: int
    cells: int = 0
    summaries_repaired: int = 0
    rollups_repaired: int = 0
    repaired: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


def _tables() -> dict[str, str]:
    return {
        "meeting": Meeting._meta.db_table,
        "attendance": Attendance._meta.db_table,
        "conclusion": Conclusion._meta.db_table,
        "minutes": Minutes._meta.db_table,
        "report": Report._meta.db_table,
        "org": Organization._meta.db_table,
        "summary": ComplianceSummary._meta.db_table,
        "stats": OrgQuarterStats._meta.db_table,
        "tmp": _TMP,
    }


def _quoted(values) -> str:
    # Constants from the code (stages, kinds, grades), never user input.
    return ", ".join(f"'{v}'" for v in values)


# Every cell with a thematic meeting or a stored summary in the quarter, computed the way
# `_compute` in compliance.py does: counts by stage, the mean over finalised meetings of
# present / recorded, the best grade of a finalised meeting, finalised minutes with a report,
# finalised minutes carrying warnings.
_COMPUTE_SUMMARIES = """
INSERT INTO {tmp} (cell_id, cell_path, finalized_count, scheduled_count, attendance_rate, best_grade, reports_count,
                   warned_count)
SELECT o.id, o.path, COALESCE(m.finalized, 0), COALESCE(m.scheduled, 0), a.rate,
       CASE COALESCE(m.best, 0) {rank_to_grade} ELSE '' END, COALESCE(r.n, 0), COALESCE(m.warned, 0)
FROM (SELECT cell_id FROM {meeting} WHERE kind = %(kind)s AND year = %(year)s AND quarter = %(quarter)s
      UNION SELECT cell_id FROM {summary} WHERE year = %(year)s AND quarter = %(quarter)s) c
JOIN {org} o ON o.id = c.cell_id
LEFT JOIN (
    SELECT mt.cell_id,
           SUM(CASE WHEN mt.stage = %(finalized)s THEN 1 ELSE 0 END) AS finalized,
           SUM(CASE WHEN mt.stage IN ({on_calendar}) THEN 1 ELSE 0 END) AS scheduled,
           MAX(CASE WHEN mt.stage = %(finalized)s THEN CASE {grade} {grade_to_rank} ELSE 0 END ELSE 0 END) AS best,
           SUM(CASE WHEN mt.stage = %(finalized)s AND {has_warnings} THEN 1 ELSE 0 END) AS warned
    FROM {meeting} mt LEFT JOIN {conclusion} cc ON cc.meeting_id = mt.id LEFT JOIN {minutes} mi ON mi.meeting_id = mt.id
    WHERE mt.kind = %(kind)s AND mt.year = %(year)s AND mt.quarter = %(quarter)s
    GROUP BY mt.cell_id
) m ON m.cell_id = c.cell_id
LEFT JOIN (
    SELECT per_meeting.cell_id, AVG(per_meeting.rate) AS rate FROM (
        SELECT mt.cell_id,
               CAST(SUM(CASE WHEN att.status = %(present)s THEN 1 ELSE 0 END) AS double precision) / COUNT(*) AS rate
        FROM {meeting} mt JOIN {attendance} att ON att.meeting_id = mt.id
        WHERE mt.kind = %(kind)s AND mt.year = %(year)s AND mt.quarter = %(quarter)s AND mt.stage = %(finalized)s
        GROUP BY mt.id, mt.cell_id
    ) per_meeting GROUP BY per_meeting.cell_id
) a ON a.cell_id = c.cell_id
LEFT JOIN (
    SELECT mt.cell_id, COUNT(DISTINCT mi.id) AS n
    FROM {meeting} mt JOIN {minutes} mi ON mi.meeting_id = mt.id JOIN {report} rp ON rp.minutes_id = mi.id
    WHERE mt.kind = %(kind)s AND mt.year = %(year)s AND mt.quarter = %(quarter)s AND mt.stage = %(finalized)s
    GROUP BY mt.cell_id
) r ON r.cell_id = c.cell_id
"""

_SUMMARY_DIFFS = """
SELECT t.cell_id, s.id, {stored}, {computed}
FROM {tmp} t LEFT JOIN {summary} s ON s.cell_id = t.cell_id AND s.year = %(year)s AND s.quarter = %(quarter)s
WHERE (s.id IS NULL AND (t.finalized_count > 0 OR t.scheduled_count > 0 OR t.reports_count > 0
                         OR t.attendance_rate IS NOT NULL OR t.best_grade <> '' OR t.warned_count > 0))
   OR (s.id IS NOT NULL AND (s.cell_path <> t.cell_path OR s.finalized_count <> t.finalized_count
       OR s.scheduled_count <> t.scheduled_count OR s.best_grade <> t.best_grade
       OR s.reports_count <> t.reports_count OR s.warned_count <> t.warned_count
       OR (s.attendance_rate IS NULL) <> (t.attendance_rate IS NULL)
       OR ABS(s.attendance_rate - t.attendance_rate) > {tolerance}))
ORDER BY t.cell_id
"""

# The rollup of each organisation is the sum over the cells below it: each summary counts once
# for every ancestor, found by cutting its cell's path at each depth (as `compliance_rebuild`).
_COMPUTED_ROLLUPS = """
SELECT CAST(substr(o.path, d.depth * {step} + 1, {width}) AS integer) AS org_id,
       SUM(CASE WHEN t.finalized_count > 0 THEN 1 ELSE 0 END) AS cells_compliant,
       SUM(CASE WHEN t.scheduled_count > 0 THEN 1 ELSE 0 END) AS cells_scheduled,
       SUM(CASE WHEN t.reports_count > 0 THEN 1 ELSE 0 END) AS cells_reported,
       SUM(t.reports_count) AS reports_count,
       SUM(CASE WHEN t.attendance_rate IS NULL THEN 0
                ELSE CAST(floor(t.attendance_rate * {ppm} + 0.5) AS bigint) END) AS attendance_ppm_sum,
       COUNT(t.attendance_rate) AS attendance_count,
       {grades},
       SUM(CASE WHEN t.warned_count > 0 THEN 1 ELSE 0 END) AS cells_warned
FROM {tmp} t JOIN {org} o ON o.id = t.cell_id
JOIN ({depths}) d ON length(o.path) >= (d.depth + 1) * {step}
GROUP BY 1
"""

# Both directions: a stored row the computation lacks must be all zeros, a computed row the
# store lacks must be all zeros. Two LEFT JOINs (SQLite has no FULL JOIN before 3.39).
_ROLLUP_DIFFS = """
WITH computed AS ({computed})
SELECT c.org_id, s.id, {stored}, {computed_cols}
FROM computed c LEFT JOIN {stats} s ON s.org_id = c.org_id AND s.year = %(year)s AND s.quarter = %(quarter)s
WHERE {c_differs}
UNION ALL
SELECT s.org_id, s.id, {stored}, {zeros}
FROM {stats} s LEFT JOIN computed c ON c.org_id = s.org_id
WHERE s.year = %(year)s AND s.quarter = %(quarter)s AND c.org_id IS NULL AND ({s_nonzero})
ORDER BY 1
"""


def _rank_sql() -> tuple[str, str]:
    ranks = {g: len(GRADES) - i for i, g in enumerate(GRADES)}  # good 4 … poor 1, as GRADE_RANK
    to_rank = " ".join(f"WHEN '{g}' THEN {r}" for g, r in ranks.items())
    to_grade = " ".join(f"WHEN {r} THEN '{g}'" for g, r in ranks.items())
    return to_rank, to_grade


# The grade a finalised meeting counts with, as in `_compute`: the recorded (capped) grade of
# its minutes, else (minutes sealed before grades were recorded) the self-assessed grade.
_GRADE_SQL = "COALESCE(NULLIF(mi.recorded_grade, ''), cc.quality_grade)"


def _has_warnings_sql() -> str:
    """The minutes carry warnings: a non-empty JSON list, as in `_compute` (no minutes: NULL, not counted)."""
    if connection.vendor == "postgresql":
        return "(jsonb_typeof(mi.warnings) = 'array' AND jsonb_array_length(mi.warnings) > 0)"
    return "(json_type(mi.warnings) = 'array' AND json_array_length(mi.warnings) > 0)"


def _compute_summaries(cursor, *, year: int, quarter: int) -> int:
    cursor.execute(f"DROP TABLE IF EXISTS {_TMP}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_TMP} (cell_id integer PRIMARY KEY, cell_path varchar(255), "
        "finalized_count integer, scheduled_count integer, attendance_rate double precision, "
        "best_grade varchar(16), reports_count integer, warned_count integer)"
    )
    to_rank, to_grade = _rank_sql()
    cursor.execute(
        _COMPUTE_SUMMARIES.format(
            **_tables(),
            on_calendar=_quoted(sorted(ON_CALENDAR)),
            grade=_GRADE_SQL,
            has_warnings=_has_warnings_sql(),
            grade_to_rank=to_rank,
            rank_to_grade=to_grade,
        ),
        {
            "year": year,
            "quarter": quarter,
            "kind": MeetingKind.THEMATIC,
            "finalized": Stage.FINALIZED,
            "present": AttendanceStatus.PRESENT,
        },
    )
    cursor.execute(f"SELECT COUNT(*) FROM {_TMP}")  # noqa: S608
    return cursor.fetchone()[0]


def _summary_diffs(cursor, *, year: int, quarter: int) -> list[dict]:
    n = len(SUMMARY_FIELDS)
    cursor.execute(
        _SUMMARY_DIFFS.format(
            **_tables(),
            stored=", ".join(f"s.{k}" for k in SUMMARY_FIELDS),
            computed=", ".join(f"t.{k}" for k in SUMMARY_FIELDS),
            tolerance=RATE_TOLERANCE,
        ),
        {"year": year, "quarter": quarter},
    )
    return [
        {
            "cell_id": row[0],
            "id": row[1],
            "stored": dict(zip(SUMMARY_FIELDS, row[2 : 2 + n], strict=True)) if row[1] is not None else None,
            "computed": dict(zip(SUMMARY_FIELDS, row[2 + n :], strict=True)),
        }
        for row in cursor.fetchall()
    ]


def _rollup_diffs(cursor, *, year: int, quarter: int) -> list[dict]:
    cursor.execute(f"SELECT COALESCE(MAX(depth), -1) FROM {Organization._meta.db_table}")  # noqa: S608
    max_depth = cursor.fetchone()[0]
    if max_depth < 0:
        return []
    depths = " UNION ALL ".join(f"SELECT {d} AS depth" for d in range(max_depth + 1))
    grades = ",\n       ".join(
        f"SUM(CASE WHEN t.finalized_count > 0 AND t.best_grade = '{g}' THEN 1 ELSE 0 END) AS grade_{g}" for g in GRADES
    )
    computed = _COMPUTED_ROLLUPS.format(
        **_tables(), step=PATH_STEP, width=PATH_STEP - 1, ppm=PPM, grades=grades, depths=depths
    )
    cursor.execute(
        _ROLLUP_DIFFS.format(
            **_tables(),
            computed=computed,
            stored=", ".join(f"s.{k}" for k in STAT_FIELDS),
            computed_cols=", ".join(f"c.{k}" for k in STAT_FIELDS),
            zeros=", ".join("0" for _ in STAT_FIELDS),
            c_differs=" OR ".join(f"COALESCE(s.{k}, 0) <> c.{k}" for k in STAT_FIELDS),
            s_nonzero=" OR ".join(f"s.{k} <> 0" for k in STAT_FIELDS),
        ),
        {"year": year, "quarter": quarter},
    )
    n = len(STAT_FIELDS)
    return [
        {
            "org_id": row[0],
            "id": row[1],
            "stored": dict(zip(STAT_FIELDS, (v or 0 for v in row[2 : 2 + n]), strict=True)),
            "computed": dict(zip(STAT_FIELDS, row[2 + n :], strict=True)),
        }
        for row in cursor.fetchall()
    ]


def _changes(stored: dict | None, computed: dict) -> str:
    if stored is None:
        return "missing → " + ", ".join(f"{k}={v!r}" for k, v in computed.items() if v not in (0, "", None))
    return ", ".join(f"{k}: {stored[k]!r} → {computed[k]!r}" for k in computed if stored[k] != computed[k])


def _log_diffs(kind: str, key: str, diffs: list[dict], *, year: int, quarter: int, repair: bool) -> None:
    verb = "repaired" if repair else "differs"
    for diff in diffs[:LOG_LIMIT]:
        logger.warning(
            "compliance check Q%s/%s: %s %s=%s %s: %s",
            quarter,
            year,
            kind,
            key,
            diff[key],
            verb,
            _changes(diff["stored"], diff["computed"]),
        )
    if len(diffs) > LOG_LIMIT:
        logger.warning("compliance check Q%s/%s: %s more %s rows %s", quarter, year, len(diffs) - LOG_LIMIT, kind, verb)


def _repair_summaries(diffs: list[dict], *, year: int, quarter: int) -> None:
    existing = [ComplianceSummary(pk=d["id"], **d["computed"]) for d in diffs if d["id"] is not None]
    ComplianceSummary.objects.bulk_update(existing, SUMMARY_FIELDS, batch_size=1000)
    ComplianceSummary.objects.bulk_create(
        [
            ComplianceSummary(cell_id=d["cell_id"], year=year, quarter=quarter, **d["computed"])
            for d in diffs
            if d["id"] is None
        ],
        batch_size=1000,
    )


def _repair_rollups(diffs: list[dict], *, year: int, quarter: int) -> None:
    existing = [OrgQuarterStats(pk=d["id"], **d["computed"]) for d in diffs if d["id"] is not None]
    OrgQuarterStats.objects.bulk_update(existing, STAT_FIELDS, batch_size=1000)
    OrgQuarterStats.objects.bulk_create(
        [
            OrgQuarterStats(org_id=d["org_id"], year=year, quarter=quarter, **d["computed"])
            for d in diffs
            if d["id"] is None
        ],
        batch_size=1000,
    )


def _lock_figures(cursor) -> None:
    """Hold off every writer of the figures for this transaction, and wait for those in flight:
    a refresh committing between our reading and our writing would otherwise be undone. Reads
    (the dashboards) are not blocked; SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        tables = f"{ComplianceSummary._meta.db_table}, {OrgQuarterStats._meta.db_table}"
        # Writers queue behind a waiting LOCK: give up (the next night retries) rather than
        # stall the app behind a long transaction.
        cursor.execute("SET LOCAL lock_timeout = '10s'")
        cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


def compliance_check(*, year: int, quarter: int, repair: bool = True) -> dict:
    """Recompute one quarter's summaries and rollups from the meetings, compare with what is
    stored and, unless `repair` is false, write back the rows that differ, in one transaction.
    Every differing row is logged at WARNING, the outcome in one line at INFO."""
    result = CheckResult(year=year, quarter=quarter, repaired=repair)
    with transaction.atomic(), connection.cursor() as cursor:
        if repair:
            _lock_figures(cursor)
        result.cells = _compute_summaries(cursor, year=year, quarter=quarter)
        summaries = _summary_diffs(cursor, year=year, quarter=quarter)
        # Rollups are compared with the sums of the *computed* summaries, so a dry run reports
        # what a repair would write.
        rollups = _rollup_diffs(cursor, year=year, quarter=quarter)
        cursor.execute(f"DROP TABLE {_TMP}")
        _log_diffs("cell", "cell_id", summaries, year=year, quarter=quarter, repair=repair)
        _log_diffs("organisation", "org_id", rollups, year=year, quarter=quarter, repair=repair)
        if repair:
            _repair_summaries(summaries, year=year, quarter=quarter)
            _repair_rollups(rollups, year=year, quarter=quarter)
    result.summaries_repaired, result.rollups_repaired = len(summaries), len(rollups)
    logger.info(
        "compliance check Q%s/%s: %s cells, %s summaries and %s rollups %s",
        quarter,
        year,
        result.cells,
        len(summaries),
        len(rollups),
        "repaired" if repair else "differ (dry run)",
    )
    return result.as_dict()


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def compliance_check_recent(*, today, repair: bool = True) -> list[dict]:
    """The nightly job: the current quarter and the previous one (still open for late
    finalisations in its grace days), each in its own transaction."""
    year, quarter = current_quarter(today)
    periods = [previous_quarter(year, quarter), (year, quarter)]
    return [compliance_check(year=y, quarter=q, repair=repair) for y, q in periods]


__all__ = ["compliance_check", "compliance_check_recent"]
