"""Exemplary topics: committee staff mark a finished topic (from the report page), a cell's
committee starts a new topic from one in its library."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from meetings.models import EXEMPLARY_REASON_MAX_LENGTH
from meetings.permissions import PREPARE, access_for, cell_for_user, require_committee_staff, topic_for_user
from meetings.selectors.library import exemplary_mark, library_topic
from meetings.services.topics_exemplary import (
    STAFF_ONLY,
    topic_create_from_exemplary,
    topic_mark_exemplary,
    topic_unmark_exemplary,
)
from meetings.views._common import flash_errors
from meetings.workflow import Stage


def exemplary_panel(user, *, meeting, cell) -> dict | None:
    """What the committee's report page shows about marking the topic; None when there is
    nothing to mark (no topic, not finalised) or the user gives no mark (not committee staff)."""
    if meeting.topic_id is None or meeting.stage != Stage.FINALIZED:
        return None
    access = access_for(user)
    committee_id = access.committee_id or (cell.parent_id if access.superuser else None)
    if committee_id is None:
        return None
    return {
        "topic_id": meeting.topic_id,
        "mark": exemplary_mark(topic_id=meeting.topic_id, committee_id=committee_id),
        "max_length": EXEMPLARY_REASON_MAX_LENGTH,
    }


def _back(request, topic):
    target = request.POST.get("next", "")
    # Only a path on this site: anything else (another host, or a bare word that redirect()
    # would try to resolve as a view name) falls back to the cell's page.
    local = target.startswith("/") and not target.startswith("//")
    if local and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("dashboard:cell", args=[topic.cell_id])


@login_required
@require_POST
def exemplary_mark_view(request, pk):
    require_committee_staff(request.user, STAFF_ONLY)
    topic = topic_for_user(request.user, pk)
    try:
        topic_mark_exemplary(topic=topic, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            f"Đã chọn “{topic.title}” là chuyên đề tiêu biểu; các chi bộ trực thuộc thấy chuyên đề trong thư viện.",
        )
    return redirect(_back(request, topic))


@login_required
@require_POST
def exemplary_unmark_view(request, pk):
    require_committee_staff(request.user, STAFF_ONLY)
    topic = topic_for_user(request.user, pk)
    try:
        topic_unmark_exemplary(topic=topic, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"Đã bỏ chọn “{topic.title}” khỏi chuyên đề tiêu biểu.")
    return redirect(_back(request, topic))


def _quarter(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw in ("1", "2", "3", "4") else None


@login_required
@require_POST
def library_use_view(request, pk):
    """Start a new topic of the user's own cell from a topic of its library."""
    access = access_for(request.user)
    if not access.cell_id:
        raise Http404
    cell = cell_for_user(request.user, access.cell_id, level=PREPARE)
    if library_topic(cell_id=cell.pk, pk=pk, cell_path=cell.path) is None:
        raise Http404
    try:
        topic = topic_create_from_exemplary(
            source_id=pk, cell=cell, actor=request.user, quarter=_quarter(request.POST.get("quarter", ""))
        )
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("library:detail", pk=pk)
    meeting = topic.meeting
    messages.success(
        request,
        f"Đã tạo chuyên đề “{topic.title}” trong kế hoạch quý {meeting.quarter}/{meeting.year} từ chuyên đề mẫu. "
        "Đồng chí chỉnh sửa đề dẫn cho phù hợp với chi bộ rồi nộp để chi ủy duyệt.",
    )
    return redirect("topics:detail", pk=topic.pk)
