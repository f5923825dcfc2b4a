"""Invalidation log of the rendered-page cache (meetings/pagecache.py), kept by PostgreSQL triggers.

Every write of a row shown on a cached page inserts a row naming the *scope* it
touches: ``c<cell id>`` for a cell's meetings, topics, members, replies…; ``g`` for what any
page may show (organisations, account names, directed topics); ``d`` for the committees'
dashboards (summaries, rollups, members, organisations). A scope's version is
``PageVersion.n`` plus the number of its ``PageBump`` rows visible to the reader, read in
one statement, so it changes exactly when a writing transaction commits:

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


class CellBump(pgtrigger.Trigger):
    """Row level: the scope of the row's cell, before and after the change. ``cell_sql`` is
    the cell id as an expression of ``{row}`` (``OLD`` or ``NEW``)."""

    when = pgtrigger.After
    operation = pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete

    def __init__(self, *, via: tuple[str, str], **kwargs):
        self.column, self.cell_sql = via
        super().__init__(name="pagebump_cell", **kwargs)

    def get_func(self, model):
        def bump(row):
            return (
                "INSERT INTO meetings_pagebump (scope) "  # noqa: S608 (constants only)
                f"SELECT 'c' || c FROM ({self.cell_sql.format(row=row)}) AS t(c) WHERE c IS NOT NULL;"
            )

        return (
            # An update that keeps the row in its cell bumps once.
            f"IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.{self.column} IS DISTINCT FROM NEW.{self.column}) "
            f"THEN {bump('OLD')} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {bump('NEW')} END IF; "
            "RETURN NULL;"
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
        pgtrigger.Trigger(
            name="pagebump_g",
            when=pgtrigger.After,
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
            func=_insert("'g'") + " RETURN NULL;",
        )
    )(members.User)
    for model in (
        organizations.Organization,
        members.Member,
        minutes.ComplianceSummary,
        minutes.OrgQuarterStats,
        minutes.Report,
    ):
        pgtrigger.register(ScopeBump(scope="d"))(model)
