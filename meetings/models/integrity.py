"""Database-level immutability of finalised records (PostgreSQL triggers, django-pgtrigger).

The services refuse these changes too; the triggers make them impossible through the admin,
`queryset.update()` or raw SQL as well. Corrections are separate addendum records.
"""

import pgtrigger


def protect_finalized_meeting():
    return pgtrigger.Protect(
        name="protect_finalized_meeting",
        operation=pgtrigger.Update | pgtrigger.Delete,
        condition=pgtrigger.Q(old__stage="finalized"),
    )


class FinalizedMeetingChildGuard(pgtrigger.Trigger):
    """Refuses inserts, updates and deletes of rows that belong to a finalised meeting."""

    when = pgtrigger.Before
    operation = pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete

    def get_func(self, model):
        return _CHILD_GUARD_BODY


_CHILD_GUARD_BODY = """
    IF EXISTS (
        SELECT 1 FROM meetings_meeting
        WHERE stage = 'finalized'
          AND id IN (
              CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.meeting_id END,
              CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.meeting_id END)
    ) THEN
        RAISE EXCEPTION 'chibo: biên bản đã hoàn tất, không thể thay đổi hoặc xóa (%)', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
"""


def guard_children():
    return FinalizedMeetingChildGuard(name="protect_finalized_children")


def protect_sealed_minutes():
    # Minutes are written in two steps inside the finalisation transaction (row, then PDF
    # and hash); once the hash is set the row is sealed. Deleting is never allowed.
    return [
        pgtrigger.Protect(
            name="protect_sealed_minutes",
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition("OLD.pdf_sha256 <> ''"),
        ),
        pgtrigger.Protect(name="protect_minutes_delete", operation=pgtrigger.Delete),
    ]


def protect_sealed_addendum():
    # An addendum is inserted whole (text, PDF and hash in one row): nothing may change or
    # remove it afterwards; a further correction is a further addendum.
    return [
        pgtrigger.Protect(name="protect_sealed_addendum", operation=pgtrigger.Update),
        pgtrigger.Protect(name="protect_addendum_delete", operation=pgtrigger.Delete),
    ]
