"""Meeting pages: overview and scheduling, the step-by-step run page, finalisation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from meetings import workflow
from meetings.forms import (
    AddendumForm,
    ConclusionForm,
    GuestForm,
    ResolutionForm,
    ScheduleForm,
    SpeechForm,
    StepForm,
    TimesForm,
    local_time,
)
from meetings.models import AttendanceStatus, Contribution
from meetings.permissions import MANAGE, PREPARE, access_for, meeting_for_user, scope_q
from meetings.selectors.meetings import meeting_minutes, meeting_page, meetings_for_cells
from meetings.services import meetings as services
from meetings.views._common import apply_errors, error_messages, flash_errors, posted_id, refresh_version
from meetings.workflow import Stage, Step

STEP_TEXT_INITIAL = {
    Step.PROGRAMME: "programme",
    Step.PURPOSE: "purpose",
    Step.LEAD_PAPER: "lead_paper_summary",
    Step.RESPONSE: "author_response",
}


def _version(request):
    raw = request.POST.get("version")
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return -1  # never matches: treated as stale


def _is_stale(exc: ValidationError) -> bool:
    return getattr(exc, "code", None) == "stale" or any(
        getattr(e, "code", None) == "stale" for e in getattr(exc, "error_list", [])
    )


# --- list and overview --------------------------------------------------------------------


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
        "meetings/meeting_list.html",
        {"meetings": rows, "year": year, "can_prepare": bool(access.cell_id and access.can(PREPARE, access.cell_id))},
    )


def _detail_context(request, meeting_id, *, schedule_form=None, guest_form=None):
    page = meeting_page(meeting_id=meeting_id)
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
                "chair": meeting.chair_id or _default_chair(page),
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
        "notice_preview": services.notice_warning_for(meeting) if meeting.stage == Stage.SCHEDULED else "",
        "Stage": Stage,
    }


def _default_chair(page):
    return next((m.pk for m in page.members if m.position == "secretary"), None)


@login_required
def meeting_detail(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting.pk))


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
                version=_version(request),
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
            if _is_stale(exc):
                meeting.refresh_from_db()
                refresh_version(form, meeting.version)
        else:
            messages.success(request, "Đã lưu lịch họp.")
            return redirect("meeting_detail", pk=meeting.pk)
    context = _detail_context(request, meeting.pk, schedule_form=form)
    return render(request, "meetings/meeting_detail.html", context, status=200)


@login_required
@require_POST
def meeting_guest(request, pk):
    meeting = meeting_for_user(request.user, pk, level=PREPARE)
    back = request.POST.get("back") == "run"
    target = (
        reverse("meeting_run", args=[meeting.pk]) + "?buoc=opening"
        if back
        else reverse("meeting_detail", args=[meeting.pk])
    )
    if request.POST.get("action") == "remove":
        try:
            services.meeting_guest_remove(
                meeting=meeting,
                actor=request.user,
                version=_version(request),
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
                version=_version(request),
                name=form.cleaned_data["name"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm đại biểu {form.cleaned_data['name']}.")
            return redirect(target)
    if back:
        return render(
            request,
            "meetings/meeting_run.html",
            _run_context(request, meeting.pk, Step.OPENING, forms={"guest_form": form}),
        )
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting.pk, guest_form=form))


@login_required
@require_POST
def meeting_transition(request, pk):
    meeting = meeting_for_user(request.user, pk, level=PREPARE)
    target = request.POST.get("target", "")
    if target == Stage.FINALIZED:
        return redirect("meeting_finalize", pk=meeting.pk)
    try:
        meeting = services.meeting_transition(
            meeting=meeting,
            actor=request.user,
            target=target,
            version=_version(request),
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
            return redirect(reverse("meeting_run", args=[meeting.pk]))
    if request.POST.get("back") == "run":
        return redirect(reverse("meeting_run", args=[meeting.pk]))
    return redirect("meeting_detail", pk=meeting.pk)


# --- the run page -------------------------------------------------------------------------


def _run_context(request, meeting_id, step, *, forms=None, attendance_overrides=None, notice=None):
    forms = forms or {}
    page = meeting_page(meeting_id=meeting_id)
    meeting = page.meeting
    access = access_for(request.user)
    version = {"version": meeting.version}
    if step not in Step.values:
        step = page.next_step
    recorded = {row.step: row.record for row in page.steps}
    step_initial = {**version, "step": step, "note": getattr(recorded.get(step), "note", "")}
    if step in STEP_TEXT_INITIAL:
        step_initial["text"] = getattr(meeting, STEP_TEXT_INITIAL[step]) or _text_default(page, step)
    if step == Step.CLERK:
        step_initial["clerk"] = meeting.clerk_id
    # Build (and load the data of) only the forms the shown step renders.
    at_conclusion = step == Step.CONCLUSION
    conclusion = page.conclusion if at_conclusion else None
    conclusion_initial = dict(version)
    if conclusion:
        conclusion_initial.update(
            preparation_evaluation=conclusion.preparation_evaluation,
            quality_evaluation=conclusion.quality_evaluation,
            adopted=conclusion.adopted,
            orientation=conclusion.orientation,
            **{f"score_{k}": v for k, v in conclusion.criteria_scores.items()},
        )
    resolution = page.resolution if at_conclusion else None
    resolution_initial = dict(version)
    if resolution:
        resolution_initial.update(
            text=resolution.text,
            votes_for=resolution.votes_for,
            votes_against=resolution.votes_against,
            votes_abstain=resolution.votes_abstain,
        )
    editing = None
    edit_id = request.GET.get("sua") or request.POST.get("speech")
    if step == Step.DISCUSSION and edit_id and "speech_edit_form" not in forms:
        editing = next((s for s in page.speeches if str(s.pk) == str(edit_id)), None)
        if editing and request.method == "GET":
            forms["speech_edit_form"] = SpeechForm(
                cell_id=meeting.cell_id,
                initial={**version, "speaker": editing.speaker_id, "content": editing.content},
                prefix="edit",
            )
    elif "speech_edit_form" in forms:
        editing = next((s for s in page.speeches if str(s.pk) == str(edit_id)), None)
    rows = page.attendance_rows
    if attendance_overrides:
        for row in rows:
            override = attendance_overrides.get(row["member"].pk)
            if override:
                row.update(override)
    return {
        "page": page,
        "meeting": meeting,
        "step": step,
        "step_label": Step(step).label,
        "step_number": workflow.STEP_NUMBER[step],
        "prev_step": workflow.STEPS[workflow.STEP_NUMBER[step] - 2] if workflow.STEP_NUMBER[step] > 1 else None,
        "next_step_value": workflow.STEPS[workflow.STEP_NUMBER[step]] if workflow.STEP_NUMBER[step] < 9 else None,
        "current_record": recorded.get(step),
        "attendance_rows": rows,
        "statuses": AttendanceStatus,
        "can_prepare": access.can(PREPARE, meeting.cell_id),
        "can_manage": access.can(MANAGE, meeting.cell_id),
        "editable": page.record_editable and access.can(PREPARE, meeting.cell_id),
        "step_form": forms.get("step_form") or StepForm(cell_id=meeting.cell_id, initial=step_initial),
        "speech_form": forms.get("speech_form")
        or (SpeechForm(cell_id=meeting.cell_id, initial=version) if step == Step.DISCUSSION else None),
        "speech_edit_form": forms.get("speech_edit_form"),
        "editing": editing,
        "conclusion_form": forms.get("conclusion_form")
        or (
            ConclusionForm(criteria=services.quality_criteria(), initial=conclusion_initial) if at_conclusion else None
        ),
        "resolution_form": forms.get("resolution_form")
        or (ResolutionForm(initial=resolution_initial) if at_conclusion else None),
        "times_form": forms.get("times_form")
        or (
            TimesForm(
                initial={
                    **version,
                    "actual_start": local_time(meeting.actual_start) or meeting.start_time,
                    "actual_end": local_time(meeting.actual_end),
                }
            )
            if at_conclusion
            else None
        ),
        "guest_form": forms.get("guest_form") or (GuestForm(initial=version) if step == Step.OPENING else None),
        "notice": notice,
        "Stage": Stage,
        "Step": Step,
        "thresholds": _thresholds(),
    }


def _thresholds():
    from django.conf import settings

    return settings.CHIBO["GRADE_THRESHOLDS"]


def _text_default(page, step):
    meeting = page.meeting
    if step == Step.PROGRAMME:
        return (
            "1. Tuyên bố lý do, giới thiệu đại biểu; cử thư ký.\n2. Báo cáo tình hình đảng viên dự họp.\n"
            "3. Trình bày đề dẫn chuyên đề.\n4. Đảng viên phát biểu, thảo luận.\n"
            "5. Tiếp thu ý kiến; chủ trì kết luận, định hướng."
        )
    if step == Step.PURPOSE and meeting.topic_id:
        return meeting.topic.description
    return ""


@login_required
def meeting_run(request, pk):
    meeting = meeting_for_user(request.user, pk)
    step = request.GET.get("buoc") or ""
    context = _run_context(request, meeting.pk, step)
    if request.htmx and request.GET.get("panel"):
        return render(request, "meetings/partials/meeting_step_panel.html", context)
    return render(request, "meetings/meeting_run.html", context)


def _render_run(request, meeting_id, step, **kwargs):
    context = _run_context(request, meeting_id, step, **kwargs)
    template = "meetings/partials/meeting_step_panel.html" if request.htmx else "meetings/meeting_run.html"
    response = render(request, template, context)
    response["X-Meeting-Version"] = str(context["meeting"].version)
    return response


def _after(request, meeting, step, message=None):
    if request.htmx:
        return _render_run(request, meeting.pk, step, notice=message)
    if message:
        messages.success(request, message)
    return redirect(reverse("meeting_run", args=[meeting.pk]) + f"?buoc={step}")


@login_required
@require_POST
def meeting_run_action(request, pk):
    meeting = meeting_for_user(request.user, pk, level=PREPARE)
    action = request.POST.get("action", "")
    step = request.POST.get("step") or request.GET.get("buoc") or ""
    handler = RUN_ACTIONS.get(action)
    if handler is None:
        messages.error(request, "Thao tác không hợp lệ.")
        return redirect("meeting_run", pk=meeting.pk)
    return handler(request, meeting, step)


def _fail(request, meeting, step, exc, *, forms=None, attendance_overrides=None):
    """Re-show the page (or panel) with the user's input and the Vietnamese message."""
    forms = forms or {}
    stale = _is_stale(exc)
    if stale:
        meeting.refresh_from_db()
        for form in forms.values():
            refresh_version(form, meeting.version)
    has_form_errors = False
    for form in forms.values():
        apply_errors(form, exc)
        has_form_errors = True
    notice = None
    if not has_form_errors:
        notice = " ".join(error_messages(exc))
    return _render_run(
        request,
        meeting.pk,
        step,
        forms=forms,
        attendance_overrides=attendance_overrides,
        notice=("error", notice) if notice else None,
    )


def _with_form(request, meeting, step, form, name, save):
    """Validate `form`, then `save(cleaned_data)`, which returns the success message; invalid
    input or a refusal re-shows the panel with what was typed and the Vietnamese message."""
    if not form.is_valid():
        return _render_run(request, meeting.pk, step, forms={name: form})
    try:
        message = save(form.cleaned_data)
    except ValidationError as exc:
        return _fail(request, meeting, step, exc, forms={name: form})
    return _after(request, meeting, step, message)


def _action_step(request, meeting, step):
    form = StepForm(request.POST, cell_id=meeting.cell_id)
    if not form.is_valid():
        return _render_run(request, meeting.pk, step, forms={"step_form": form})
    data = form.cleaned_data
    step = data["step"]
    try:
        services.meeting_step_record(
            meeting=meeting,
            actor=request.user,
            step=step,
            version=_version(request),
            text=data["text"] if step in STEP_TEXT_INITIAL else None,
            note=data["note"],
            clerk=data["clerk"],
        )
    except ValidationError as exc:
        return _fail(request, meeting, step, exc, forms={"step_form": form})
    following = workflow.STEPS[workflow.STEP_NUMBER[step]] if workflow.STEP_NUMBER[step] < 9 else step
    return _after(request, meeting, following, f"Đã ghi nhận bước {workflow.STEP_NUMBER[step]}: {Step(step).label}.")


def _action_undo(request, meeting, step):
    try:
        services.meeting_step_undo(meeting=meeting, actor=request.user, step=step, version=_version(request))
    except ValidationError as exc:
        return _fail(request, meeting, step, exc)
    return _after(request, meeting, step, "Đã bỏ ghi nhận bước này; bạn có thể sửa và ghi nhận lại.")


def _action_attendance(request, meeting, step):
    """All rows in one post (plain form) or on each change (htmx). A row still missing its
    reason is kept on screen with a message, the others are saved."""
    step = Step.ATTENDANCE
    entries, overrides, problems = {}, {}, []
    names = dict(services.expected_members(meeting).values_list("pk", "full_name"))
    for member_id in names:
        status = request.POST.get(f"status_{member_id}", "")
        reason = request.POST.get(f"reason_{member_id}", "")
        if not status:
            continue
        overrides[member_id] = {"status": status, "reason": reason, "source": "posted"}
        if status == AttendanceStatus.EXCUSED and not reason.strip():
            overrides[member_id]["error"] = "Vắng có lý do: vui lòng ghi lý do."
            problems.append(f"{names[member_id]}: vắng có lý do nhưng chưa ghi lý do.")
            continue
        entries[member_id] = (status, reason)
    if entries:
        try:
            services.meeting_attendance_set(
                meeting=meeting, actor=request.user, version=_version(request), entries=entries
            )
        except ValidationError as exc:
            return _fail(request, meeting, step, exc, attendance_overrides=overrides)
    if problems:
        exc = ValidationError(["Đã lưu các đảng viên khác. " + " ".join(problems)])
        meeting.refresh_from_db()
        return _render_run(
            request, meeting.pk, step, attendance_overrides=overrides, notice=("error", " ".join(exc.messages))
        )
    return _after(request, meeting, step, "Đã lưu điểm danh." if entries else None)


def _action_speech_add(request, meeting, step):
    def save(data):
        services.speech_add(
            meeting=meeting,
            actor=request.user,
            version=_version(request),
            speaker=data["speaker"],
            content=data["content"],
        )
        return f"Đã ghi ý kiến của {data['speaker']}."

    form = SpeechForm(request.POST, cell_id=meeting.cell_id)
    return _with_form(request, meeting, Step.DISCUSSION, form, "speech_form", save)


def _action_speech_update(request, meeting, step):
    def save(data):
        services.speech_update(
            meeting=meeting,
            actor=request.user,
            version=_version(request),
            speech_id=posted_id(request, "speech"),
            speaker=data["speaker"],
            content=data["content"],
        )
        return "Đã sửa ý kiến phát biểu."

    form = SpeechForm(request.POST, cell_id=meeting.cell_id, prefix="edit")
    return _with_form(request, meeting, Step.DISCUSSION, form, "speech_edit_form", save)


def _speech_simple(fn, message, **extra):
    def handler(request, meeting, step):
        step = Step.DISCUSSION
        try:
            fn(
                meeting=meeting,
                actor=request.user,
                version=_version(request),
                speech_id=posted_id(request, "speech"),
                **extra,
            )
        except ValidationError as exc:
            return _fail(request, meeting, step, exc)
        return _after(request, meeting, step, message)

    return handler


def _action_present_contribution(request, meeting, step):
    step = Step.DISCUSSION
    contribution = get_object_or_404(Contribution, pk=posted_id(request, "contribution"), topic_id=meeting.topic_id)
    try:
        services.speech_add_contribution(
            meeting=meeting, actor=request.user, version=_version(request), contribution=contribution
        )
    except ValidationError as exc:
        return _fail(request, meeting, step, exc)
    return _after(request, meeting, step, f"Đã ghi nhận tham luận của {contribution.member} là ý kiến phát biểu.")


def _action_conclusion(request, meeting, step):
    form = ConclusionForm(request.POST, criteria=services.quality_criteria())

    def save(data):
        conclusion = services.meeting_conclusion_save(
            meeting=meeting,
            actor=request.user,
            version=_version(request),
            preparation_evaluation=data["preparation_evaluation"],
            quality_evaluation=data["quality_evaluation"],
            adopted=data["adopted"],
            orientation=data["orientation"],
            criteria_scores=form.scores(),
        )
        services.meeting_step_record(meeting=meeting, actor=request.user, step=Step.CONCLUSION)
        return f"Đã ghi kết luận: {conclusion.quality_score} điểm, xếp loại {conclusion.get_quality_grade_display()}."

    return _with_form(request, meeting, Step.CONCLUSION, form, "conclusion_form", save)


def _action_resolution(request, meeting, step):
    def save(data):
        resolution = services.meeting_resolution_save(
            meeting=meeting,
            actor=request.user,
            version=_version(request),
            text=data["text"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"] or 0,
            votes_abstain=data["votes_abstain"] or 0,
        )
        validity = "hợp lệ" if resolution.is_valid else "CHƯA hợp lệ (chưa quá nửa số đảng viên phải dự tán thành)"
        return f"Đã ghi nghị quyết: {validity}."

    return _with_form(request, meeting, Step.CONCLUSION, ResolutionForm(request.POST), "resolution_form", save)


def _action_resolution_delete(request, meeting, step):
    try:
        services.meeting_resolution_delete(meeting=meeting, actor=request.user, version=_version(request))
    except ValidationError as exc:
        return _fail(request, meeting, Step.CONCLUSION, exc)
    return _after(request, meeting, Step.CONCLUSION, "Đã bỏ nghị quyết.")


def _action_times(request, meeting, step):
    def save(data):
        services.meeting_times_save(
            meeting=meeting,
            actor=request.user,
            version=_version(request),
            start=data["actual_start"],
            end=data["actual_end"],
        )
        return "Đã lưu thời gian sinh hoạt thực tế."

    step = step if step in Step.values else Step.CONCLUSION
    return _with_form(request, meeting, step, TimesForm(request.POST), "times_form", save)


RUN_ACTIONS = {
    "step": _action_step,
    "undo_step": _action_undo,
    "attendance": _action_attendance,
    "speech_add": _action_speech_add,
    "speech_update": _action_speech_update,
    "speech_delete": _speech_simple(services.speech_delete, "Đã xóa ý kiến phát biểu."),
    "speech_up": _speech_simple(services.speech_move, None, offset=-1),
    "speech_down": _speech_simple(services.speech_move, None, offset=1),
    "contribution_present": _action_present_contribution,
    "conclusion": _action_conclusion,
    "resolution": _action_resolution,
    "resolution_delete": _action_resolution_delete,
    "times": _action_times,
}


# --- finalisation -------------------------------------------------------------------------


@login_required
def meeting_finalize(request, pk):
    meeting = meeting_for_user(request.user, pk)
    access = access_for(request.user)
    if request.method == "POST":
        meeting = meeting_for_user(request.user, pk, level=MANAGE)
        try:
            minutes = services.meeting_finalize(meeting=meeting, actor=request.user, version=_version(request))
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request, f"Đã hoàn tất biên bản số {minutes.number_label}; báo cáo đã gửi cấp ủy cấp trên."
            )
            return redirect("meeting_detail", pk=meeting.pk)
    page = meeting_page(meeting_id=meeting.pk)
    finalized = page.meeting.stage == Stage.FINALIZED
    return render(
        request,
        "meetings/meeting_finalize.html",
        {
            "page": page,
            "meeting": page.meeting,
            "problems": [] if finalized else services.meeting_missing_steps(page.meeting),
            "warnings": page.minutes.warnings if finalized else services.meeting_warnings(page.meeting, page.counts),
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
    return redirect("meeting_detail", pk=meeting.pk)


__all__ = ["timezone"]
