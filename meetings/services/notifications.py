"""The outbox. Owned by the background-jobs work (issue 5).

Every function here writes Notification rows in the caller's transaction; sending is done
by Celery tasks (enqueued on commit) and the periodic sweeper. The workflow services call
these hooks; their signatures are the contract.
"""


def notifications_for_notice(*, meeting, actor=None) -> int:
    """Meeting notice to every expected member with an e-mail address, plus the meeting
    reminders and the reply reminders for the meeting."""
    return 0


def notifications_for_schedule_change(*, meeting) -> int:
    """The meeting moved or was cancelled: pending reminders follow it (re-timed or cancelled)."""
    return 0


def notifications_for_deadlines(*, topic) -> int:
    """(Re)create the reminders before the lead-paper and contribution deadlines of a topic."""
    return 0


def notifications_for_finalized(*, meeting, minutes, report=None) -> int:
    """Study copy to the members and the report to the superior committee's e-mail address."""
    return 0


def notifications_for_report_answer(*, report) -> int:
    """Tell the cell's secretary that the committee accepted or returned its report."""
    return 0
