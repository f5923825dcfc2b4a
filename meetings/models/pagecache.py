"""Invalidation log of the rendered-page cache (meetings/pagecache.py), kept by PostgreSQL triggers.

Every write of a row shown on a cached page inserts a row naming the *scope* it
touches: ``c<cell id>`` for a cell's meetings, topics, members, replies…; ``g`` for what any
page may show (organisations, account names, directed topics); ``d<id>`` for the dashboard
of organisation ``id`` (summaries and secretaries of the cells below it, its rollups).
A scope's version is ``PageVersion.n`` plus the number of its ``PageBump`` rows visible to
the reader, read in one statement, so it changes exactly when a writing transaction commits:

- writers share no lock (each inserts rows of its own), so the triggers cannot deadlock or
  serialise a cell's writes; inside one transaction every write still changes the version;
- a reader that reads the version before the data never stores old data under a new
  version; a rolled-back write bumps nothing;
- ``pagecache_compact`` (celery beat) folds the log into ``PageVersion`` in one statement,
  which leaves every version unchanged.

Being triggers, they also see the admin, ``queryset.update()`` and raw SQL. On SQLite (the
embedded default) there are no triggers and the page cache is off.
"""

import pgtrigger
from django.db import models

from .organizations import PATH_STEP


class PageBump(models.Model):
    scope = models.CharField("phạm vi", max_length=24)

    class Meta:
        verbose_name = "dấu thay đổi trang"
        verbose_name_plural = "dấu thay đổi trang"
        indexes = [models.Index(fields=["scope"], name="pagebump_scope_idx")]

    def __str__(self):
        return self.scope


class PageVersion(models.Model):
    scope = models.CharField("phạm vi", max_length=24, primary_key=True)
    n = models.BigIntegerField("số lần thay đổi đã gộp", default=0)

    class Meta:
        verbose_name = "phiên bản trang"
        verbose_name_plural = "phiên bản trang"

    def __str__(self):
        return f"{self.scope}: {self.n}"


# A set-based rebuild switches the rollups' bumps off for its transaction (set_config …,
# true) and bumps the global scope once instead.
SKIP_SETTING = "chibo.pagebump_off"


def _insert(scope_sql: str) -> str:
    return f"INSERT INTO meetings_pagebump (scope) VALUES ({scope_sql});"  # noqa: S608 (constants only)


class ScopeBump(pgtrigger.Trigger):
    """Statement level: one fixed scope (``g`` or ``d``), whatever the rows."""

    when = pgtrigger.After
    level = pgtrigger.Statement
    operation = pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete

    def __init__(self, *, scope: str, **kwargs):
        self.scope = scope
        super().__init__(name=f"pagebump_{scope}", **kwargs)

    def get_func(self, model):
        return _insert(f"'{self.scope}'") + " RETURN NULL;"


class RowBump(pgtrigger.Trigger):
    """Row level: the scopes of the row before and after the change. ``scopes_sql`` selects
    scope names from the row ``{row}`` (``OLD`` or ``NEW``); an update that leaves ``column``
    alone bumps the new row's scopes only."""

    when = pgtrigger.After
    operation = pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete

    def __init__(self, *, name: str, column: str | None, scopes_sql: str, **kwargs):
        self.column, self.scopes_sql = column, scopes_sql
        super().__init__(name=name, **kwargs)

    def get_func(self, model):
        def bump(row):
            return f"INSERT INTO meetings_pagebump (scope) {self.scopes_sql.format(row=row)};"

        old_too = f"OLD.{self.column} IS DISTINCT FROM NEW.{self.column}" if self.column else "true"
        return (
            f"IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND {old_too}) THEN {bump('OLD')} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {bump('NEW')} END IF; "
            "RETURN NULL;"
        )


class CellBump(RowBump):
    """The scope of the row's cell; ``via`` = (the row's column that leads to the cell, the
    cell id as a query on ``{row}``)."""

    def __init__(self, *, via: tuple[str, str]):
        column, cell_sql = via
        super().__init__(
            name="pagebump_cell",
            column=column,
            scopes_sql=f"SELECT 'c' || c FROM ({cell_sql}) AS t(c) WHERE c IS NOT NULL",  # noqa: S608 (constants)
        )


class DashboardBump(RowBump):
    """The dashboard scope (``d<id>``) of every organisation on the path of the row's cell,
    the cell included: a cell's change moves the figures of all its superiors and of no one
    else. ``path_sql`` selects that path from ``{row}``; the ids are its fixed-width segments."""

    def __init__(self, *, column: str | None, path_sql: str):
        super().__init__(
            name="pagebump_dashboard",
            column=column,
            scopes_sql=(
                f"SELECT 'd' || substr(p, g * {PATH_STEP} + 1, {PATH_STEP - 1})::bigint "  # noqa: S608 (constants)
                f"FROM ({path_sql}) AS t(p), generate_series(0, length(p) / {PATH_STEP} - 1) AS g "
                "WHERE p IS NOT NULL"
            ),
        )


# (the row's column that leads to the cell, the cell id as a query on that row)
DIRECT = ("cell_id", "SELECT {row}.cell_id")
VIA_MEETING = ("meeting_id", "SELECT cell_id FROM meetings_meeting WHERE id = {row}.meeting_id")
VIA_TOPIC = ("topic_id", "SELECT cell_id FROM meetings_topic WHERE id = {row}.topic_id")
VIA_MINUTES = ("minutes_id", "SELECT cell_id FROM meetings_minutes WHERE id = {row}.minutes_id")
VIA_MEMBER = ("member_id", "SELECT cell_id FROM meetings_member WHERE id = {row}.member_id")


def register_page_triggers():
    from . import meetings, members, minutes, organizations, topics

    cell_tables = {
        meetings.Meeting: DIRECT,
        topics.Plan: DIRECT,
        topics.Topic: DIRECT,
        topics.Activity: DIRECT,
        members.Member: DIRECT,
        minutes.Minutes: DIRECT,
        meetings.MeetingStep: VIA_MEETING,
        meetings.Guest: VIA_MEETING,
        meetings.Attendance: VIA_MEETING,
        meetings.AttendanceReply: VIA_MEETING,
        meetings.Speech: VIA_MEETING,
        meetings.Conclusion: VIA_MEETING,
        meetings.Resolution: VIA_MEETING,
        topics.Contribution: VIA_TOPIC,
        minutes.MinutesAddendum: VIA_MINUTES,
        minutes.Report: VIA_MINUTES,
        members.MembershipHistory: VIA_MEMBER,
    }
    for model, via in cell_tables.items():
        pgtrigger.register(CellBump(via=via))(model)
    for model in (organizations.Organization, topics.DirectedTopic, topics.TopicGroup):
        pgtrigger.register(ScopeBump(scope="g"))(model)
    # An account's name and rights show on pages; its last login and password do not.
    pgtrigger.register(
        ScopeBump(
            scope="g",
            level=pgtrigger.Row,
            operation=pgtrigger.Update,
            condition=pgtrigger.AnyChange(
                "username",
                "full_name",
                "first_name",
                "last_name",
                "email",
                "is_active",
                "is_staff",
                "is_superuser",
                "committee",
            ),
        )
    )(members.User)
    # Dashboards: a cell's summary, its secretary (name and contact are listed) and the
    # committees' rollup rows. Names of organisations are in the global scope.
    pgtrigger.register(DashboardBump(column="cell_path", path_sql="SELECT {row}.cell_path"))(minutes.ComplianceSummary)
    pgtrigger.register(
        DashboardBump(
            column=None,
            path_sql=(
                "SELECT path FROM meetings_organization WHERE id = {row}.cell_id AND {row}.position = 'secretary'"
            ),
        )
    )(members.Member)
    # Rollup rows: statement level, so a set-based rebuild (a million rows, bumps switched off
    # for its transaction) pays once per statement rather than once per row.
    for operation, tables in (
        (pgtrigger.Insert, pgtrigger.Referencing(new="changed")),
        (pgtrigger.Update, pgtrigger.Referencing(new="changed")),
        (pgtrigger.Delete, pgtrigger.Referencing(old="changed")),
    ):
        pgtrigger.register(
            pgtrigger.Trigger(
                name=f"pagebump_dashboard_{str(operation).lower()}",
                when=pgtrigger.After,
                level=pgtrigger.Statement,
                operation=operation,
                referencing=tables,
                func=(
                    f"IF current_setting('{SKIP_SETTING}', true) = 'on' THEN RETURN NULL; END IF; "  # noqa: S608
                    "INSERT INTO meetings_pagebump (scope) SELECT DISTINCT 'd' || org_id FROM changed; RETURN NULL;"
                ),
            )
        )(minutes.OrgQuarterStats)
