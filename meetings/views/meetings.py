"""Meeting list and meeting page: scheduling, guests and stage transitions.
The run page is in views/meeting_run.py, finalisation in views/meeting_finalize.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meetings import workflow
from meetings.forms import GuestForm, ScheduleForm
from meetings.permissions import MANAGE, PREPARE, access_for, meeting_for_user, scope_q
from meetings.selectors.meetings import meeting_detail_queryset, meeting_page, meetings_for_cells
from meetings.services import meetings as services
from meetings.views._common import apply_errors, flash_errors, is_stale, posted_id, posted_version, refresh_version
from meetings.views.meeting_run import run_context
from meetings.workflow import Stage, Step


@login_required
def meeting_list(request):
    access = access_for(request.user)
    try:
        year = int(request.GET.get("nam") or 0) or None
    except ValueError:
        year = None
    rows = meetings_for_cells(cell_filter=scope_q(request.user), year=year)[:200]
    return render(
        request,
        "meetings/meeting/list.html",
        {"meetings": rows, "year": year, "can_prepare": bool(access.cell_id and access.can(PREPARE, access.cell_id))},
    )


def _detail_context(request, meeting_id, *, meeting=None, schedule_form=None, guest_form=None):
    page = meeting_page(meeting_id=meeting_id, meeting=meeting)
    meeting = page.meeting
    access = access_for(request.user)
    can_prepare = access.can(PREPARE, meeting.cell_id)
    # The forms are only shown to those who may prepare, while the schedule is editable.
    with_forms = can_prepare and page.schedule_editable
    if schedule_form is None and with_forms:
        schedule_form = ScheduleForm(
            cell_id=meeting.cell_id,
            initial={
                "version": meeting.version,
                "scheduled_date": meeting.scheduled_date,
                "start_time": meeting.start_time,
                "place": meeting.place,
                "chair": meeting.chair_id or page.default_chair,
                "clerk": meeting.clerk_id,
                "combined_with_regular": meeting.combined_with_regular,
                "combined_order": meeting.combined_order,
            },
        )
    return {
        "page": page,
        "meeting": meeting,
        "schedule_form": schedule_form,
        "guest_form": guest_form or (GuestForm(initial={"version": meeting.version}) if with_forms else None),
        "can_prepare": can_prepare,
        "can_manage": access.can(MANAGE, meeting.cell_id),
        "transitions": [(t, workflow.TRANSITION_LABELS.get(t, Stage(t).label)) for t in page.allowed_targets],
        "notice_preview": page.notice_preview,
        "Stage": Stage,
    }


@login_required
def meeting_detail(request, pk):
    meeting = meeting_for_user(request.user, pk, queryset=meeting_detail_queryset())
    return render(request, "meetings/meeting/detail.html", _detail_context(request, meeting.pk, meeting=meeting))


@login_required
@require_POST
def meeting_schedule(request, pk):
    meeting = meeting_for_user(request.user, pk, level=PREPARE)
    form = ScheduleForm(request.POST, cell_id=meeting.cell_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_schedule(
                meeting=meeting,
                actor=request.user,
                version=posted_version(request),
                scheduled_date=data["scheduled_date"],
                start_time=data["start_time"],
                place=data["place"],
                chair=data["chair"],
                clerk=data["clerk"],
                combined_with_regular=data["combined_with_regular"],
                combined_order=data["combined_order"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            if is_stale(exc):
                meeting.refresh_from_db()
                refresh_version(form, meeting.version)
        else:
            messages.success(request, "Đã lưu lịch họp.")
            return redirect("meetings:detail", pk=meeting.pk)
    context = _detail_context(request, meeting.pk, schedule_form=form)
    return render(request, "meetings/meeting/detail.html", context, status=200)


@login_required
@require_POST
def meeting_guest(request, pk):
    meeting = meeting_for_user(request.user, pk, level=PREPARE)
    back = request.POST.get("back") == "run"
    target = (
        reverse("meetings:run", args=[meeting.pk]) + "?buoc=opening"
        if back
        else reverse("meetings:detail", args=[meeting.pk])
    )
    if request.POST.get("action") == "remove":
        try:
            services.meeting_guest_remove(
                meeting=meeting,
                actor=request.user,
                version=posted_version(request),
                guest_id=posted_id(request, "guest"),
            )
        except (ValidationError, ValueError) as exc:
            flash_errors(request, exc if isinstance(exc, ValidationError) else ValidationError("Dữ liệu không hợp lệ."))
        return redirect(target)
    form = GuestForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_guest_add(
                meeting=meeting,
                actor=request.user,
                version=posted_version(request),
                name=form.cleaned_data["name"],
                title=form.cleaned_data["title"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm đại biểu {form.cleaned_data['name']}.")
            return redirect(target)
    if back:
        return render(
            request,
            "meetings/meeting/run.html",
            run_context(request, meeting.pk, Step.OPENING, forms={"guest_form": form}),
        )
    return render(request, "meetings/meeting/detail.html", _detail_context(request, meeting.pk, guest_form=form))


@login_required
@require_POST
def meeting_transition(request, pk):
    meeting = meeting_for_user(request.user, pk, level=PREPARE)
    target = request.POST.get("target", "")
    if target == Stage.FINALIZED:
        return redirect("meetings:finalize", pk=meeting.pk)
    try:
        meeting = services.meeting_transition(
            meeting=meeting,
            actor=request.user,
            target=target,
            version=posted_version(request),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        label = Stage(meeting.stage).label
        messages.success(request, f"Buổi sinh hoạt chuyển sang giai đoạn “{label}”.")
        if meeting.stage == Stage.NOTICED and meeting.notice_warning:
            messages.warning(request, meeting.notice_warning)
        if meeting.stage in (Stage.IN_PROGRESS, Stage.HELD):
            return redirect(reverse("meetings:run", args=[meeting.pk]))
    if request.POST.get("back") == "run":
        return redirect(reverse("meetings:run", args=[meeting.pk]))
    return redirect("meetings:detail", pk=meeting.pk)
