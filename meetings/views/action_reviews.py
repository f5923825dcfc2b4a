"""The review of earlier action items on the run page (issue 17, item 2): a card of its own
above the nine steps (the guide's steps stay as they are), one small form per item saved on its
own (htmx swaps only that row, so what is typed in the other rows stays)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meetings.forms import ActionReviewForm
from meetings.models import ActionItem
from meetings.permissions import PREPARE, meeting_for_user
from meetings.selectors.action_reviews import (
    ReviewRow,
    overdue_unreviewed,
    review_grace_days,
    review_row,
    review_rows,
    reviews_here,
)
from meetings.services.action_reviews import action_item_review
from meetings.views._common import apply_errors
from meetings.workflow import RECORD_EDITABLE, Stage, Step

ROW_TEMPLATE = "meetings/meeting/run/_action_review_row.html"
SHOWN_STAGES = {Stage.NOTICED, *RECORD_EDITABLE, Stage.FINALIZED}


def _prefix(item_id) -> str:
    return f"kd-{item_id}"


def _form(row: ReviewRow, data=None) -> ActionReviewForm:
    initial = {"status": row.status, "note": row.note}
    return ActionReviewForm(data, prefix=_prefix(row.item.pk), initial=initial)


def review_panel(meeting, *, editable: bool, bound: dict | None = None) -> dict:
    """The card's data (3 queries: items, this meeting's reviews, the overdue count). Passed to
    the run page as a callable, so only the full page reads it, not every htmx panel swap.
    `bound`: item id -> a refused form, re-shown with what was typed (posts without htmx)."""
    bound = bound or {}
    applies = reviews_here(meeting) and meeting.stage in SHOWN_STAGES
    rows = review_rows(meeting) if applies else []
    editable = editable and meeting.stage in RECORD_EDITABLE
    return {
        "applies": applies,
        "rows": [(row, (bound.get(row.item.pk) or _form(row)) if editable else None) for row in rows],
        "editable": editable,
        "overdue": overdue_unreviewed(meeting.cell_id).count(),
        "grace_days": review_grace_days(),
        "reviewed": sum(1 for row in rows if row.review),
    }


def lazy_review_panel(meeting, *, editable: bool):
    return functools.partial(review_panel, meeting, editable=editable)


@login_required
@require_POST
def action_review_save(request, pk, item_pk):
    """One item's review. Another cell's meeting, or an item outside this meeting's list, is a 404."""
    meeting = meeting_for_user(request.user, pk, level=PREPARE)
    row = review_row(meeting, item_pk)
    if row is None:
        raise Http404
    form = _form(row, request.POST)
    notice = None
    if form.is_valid():
        try:
            action_item_review(
                item=ActionItem(pk=row.item.pk),
                meeting=meeting,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            notice = "Đã lưu."
    back = reverse("meetings:run", args=[meeting.pk]) + f"#kiem-diem-{row.item.pk}"
    if not request.htmx:
        if notice:
            messages.success(request, f"Đã lưu kiểm điểm việc “{row.item.text[:80]}”.")
            return redirect(back)
        return _full_page_with_errors(request, meeting, row, form)
    if notice:
        row = review_row(meeting, item_pk) or row
        form = _form(row)
    return render(request, ROW_TEMPLATE, {"meeting": meeting, "row": row, "form": form, "notice": notice})


def _full_page_with_errors(request, meeting, row, form):
    """Without htmx: the whole run page at step 1, this row's form showing the typed input."""
    from meetings.views import meeting_run  # it imports this module for the card

    context = meeting_run.run_context(request, meeting.pk, Step.OPENING)
    editable = context["editable"]
    if not editable or meeting.stage not in RECORD_EDITABLE:  # no form to show it on: say it above
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    context["action_review"] = functools.partial(review_panel, meeting, editable=editable, bound={row.item.pk: form})
    return render(request, "meetings/meeting/run.html", context)
