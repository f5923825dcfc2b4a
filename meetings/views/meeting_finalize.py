"""Finalising the minutes, and the numbered addenda that correct them afterwards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meetings.forms import AddendumForm
from meetings.permissions import MANAGE, access_for, meeting_for_user
from meetings.selectors.meetings import meeting_minutes, meeting_page
from meetings.services import meetings as services
from meetings.views._common import flash_errors, posted_version
from meetings.workflow import Stage


@login_required
def meeting_finalize(request, pk):
    meeting = meeting_for_user(request.user, pk)
    access = access_for(request.user)
    if request.method == "POST":
        meeting = meeting_for_user(request.user, pk, level=MANAGE)
        try:
            minutes = services.meeting_finalize(meeting=meeting, actor=request.user, version=posted_version(request))
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request, f"Đã hoàn tất biên bản số {minutes.number_label}; báo cáo đã gửi cấp ủy cấp trên."
            )
            return redirect("meetings:detail", pk=meeting.pk)
    page = meeting_page(meeting_id=meeting.pk)
    return render(
        request,
        "meetings/meeting/finalize.html",
        {
            "page": page,
            "meeting": page.meeting,
            "problems": page.missing_steps,
            "warnings": page.warnings,
            "stage_ok": page.meeting.stage == Stage.HELD,
            "can_manage": access.can(MANAGE, meeting.cell_id),
            "addendum_form": AddendumForm(),
            "Stage": Stage,
        },
    )


@login_required
@require_POST
def meeting_addendum(request, pk):
    meeting = meeting_for_user(request.user, pk, level=MANAGE)
    minutes = meeting_minutes(meeting_id=meeting.pk)
    if minutes is None:
        raise Http404
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            addendum = services.minutes_addendum_create(
                minutes=minutes, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, f"Đã lập phụ lục đính chính số {addendum.version} và gửi báo cáo bổ sung.")
    else:
        messages.error(request, "Vui lòng ghi nội dung đính chính, bổ sung.")
    return redirect("meetings:detail", pk=meeting.pk)
