"""The run page: the nine steps of the meeting, one panel each, and the actions that
record them (plain posts, or htmx that swaps the panel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meetings import workflow
from meetings.forms import (
    ConclusionForm,
    GuestForm,
    MeetingEndForm,
    ResolutionForm,
    SpeechForm,
    StepForm,
    TimesForm,
    local_time,
)
from meetings.models import AttendanceStatus, Contribution
from meetings.permissions import MANAGE, PREPARE, access_for, meeting_for_user
from meetings.rules.attendance import reason_missing
from meetings.rules.meetings import quality_criteria
from meetings.rules.steps import STEP_TEXT_FIELD
from meetings.selectors.meetings import attendance_member_names, meeting_page
from meetings.services import meeting_run as services
from meetings.views import action_reviews, actions
from meetings.views import meeting_run_close as close
from meetings.views._common import (
    apply_errors,
    error_messages,
    is_stale,
    member_page_redirect,
    posted_id,
    posted_version,
    refresh_version,
)
from meetings.views.meeting_mode import save_posted_modes
from meetings.workflow import Stage, Step


def run_context(request, meeting_id, step, *, forms=None, attendance_overrides=None, notice=None):
    forms = forms or {}
    page = meeting_page(meeting_id=meeting_id)
    meeting = page.meeting
    access = access_for(request.user)
    version = {"version": meeting.version}
    if step not in Step.values:
        step = page.next_step
    recorded = {row.step: row.record for row in page.steps}
    step_initial = {**version, "step": step, "note": getattr(recorded.get(step), "note", "")}
    if step in STEP_TEXT_FIELD:
        step_initial["text"] = page.step_text(step)
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
                meeting_id=meeting.pk,
                initial={
                    **version,
                    "speaker": editing.speaker_id,
                    "guest": editing.guest_id,
                    "content": editing.content,
                },
                prefix="edit",
            )
    elif "speech_edit_form" in forms:
        editing = next((s for s in page.speeches if str(s.pk) == str(edit_id)), None)
    end_form, end_explained = forms.get("end_form"), ""
    if meeting.stage == Stage.IN_PROGRESS and (end_form or request.GET.get("ket-thuc")):
        initial, end_explained = close.end_initial(meeting)
        end_form = end_form or MeetingEndForm(prefix="end", initial={**version, **initial})
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
        "prev_step": _neighbour(step, -1),
        "next_step_value": _neighbour(step, 1),
        "prev_step_label": _step_title(_neighbour(step, -1)),
        "next_step_label": _step_title(_neighbour(step, 1)),
        "current_record": recorded.get(step),
        "attendance_rows": rows,
        "statuses": AttendanceStatus,
        "can_prepare": access.can(PREPARE, meeting.cell_id),
        "can_manage": access.can(MANAGE, meeting.cell_id),
        "editable": page.record_editable and access.can(PREPARE, meeting.cell_id),
        "step_form": forms.get("step_form") or StepForm(cell_id=meeting.cell_id, initial=step_initial),
        "speech_form": forms.get("speech_form")
        or (
            SpeechForm(cell_id=meeting.cell_id, meeting_id=meeting.pk, initial=version)
            if step == Step.DISCUSSION
            else None
        ),
        "speech_edit_form": forms.get("speech_edit_form"),
        "editing": editing,
        "conclusion_form": forms.get("conclusion_form")
        or (ConclusionForm(criteria=quality_criteria(), initial=conclusion_initial) if at_conclusion else None),
        "resolution_form": forms.get("resolution_form")
        or (ResolutionForm(initial=resolution_initial) if at_conclusion else None),
        # The times are asked when the meeting is ended; step 9 lets them be corrected after.
        "times_form": forms.get("times_form")
        or (
            TimesForm(
                initial={
                    **version,
                    "actual_start": local_time(meeting.actual_start),
                    "actual_end": local_time(meeting.actual_end),
                }
            )
            if at_conclusion and meeting.stage == Stage.HELD
            else None
        ),
        "end_form": end_form,
        "end_explained": end_explained,
        "guest_form": forms.get("guest_form") or (GuestForm(initial=version) if step == Step.OPENING else None),
        "notice": notice,
        "Stage": Stage,
        "Step": Step,
        "thresholds": page.thresholds,
        "step9_errors": close.step9_errors(forms) if at_conclusion else [],
        **(actions.step9_action_context(request, meeting, forms) if at_conclusion else {}),
        # Read only by the full page (the card above the steps), never by a panel swap.
        "action_review": action_reviews.lazy_review_panel(
            meeting, editable=page.record_editable and access.can(PREPARE, meeting.cell_id)
        ),
    }


def _neighbour(step, offset):
    index = workflow.STEP_NUMBER[step] - 1 + offset
    return workflow.STEPS[index] if 0 <= index < len(workflow.STEPS) else None


def _step_title(step):
    """ "bước 4: Đề dẫn", how a button names where it leads."""
    return f"bước {workflow.STEP_NUMBER[step]}: {Step(step).label}" if step else ""


@login_required
def meeting_run(request, pk):
    meeting = meeting_for_user(request.user, pk)
    if plain_member := member_page_redirect(request, meeting):
        return plain_member
    step = request.GET.get("buoc") or ""
    context = run_context(request, meeting.pk, step)
    if request.htmx and request.GET.get("panel"):
        return render(request, "meetings/meeting/run/_step_panel.html", context)
    return render(request, "meetings/meeting/run.html", context)


def _render_run(request, meeting_id, step, **kwargs):
    context = run_context(request, meeting_id, step, **kwargs)
    template = "meetings/meeting/run/_step_panel.html" if request.htmx else "meetings/meeting/run.html"
    response = render(request, template, context)
    response["X-Meeting-Version"] = str(context["meeting"].version)
    return response


def _after(request, meeting, step, message=None):
    if request.htmx:
        return _render_run(request, meeting.pk, step, notice=message)
    if message:
        messages.success(request, message)
    return redirect(reverse("meetings:run", args=[meeting.pk]) + f"?buoc={step}")


@login_required
@require_POST
def meeting_run_action(request, pk):
    meeting = meeting_for_user(request.user, pk, level=PREPARE)
    action = request.POST.get("action", "")
    step = request.POST.get("step") or request.GET.get("buoc") or ""
    handler = RUN_ACTIONS.get(action)
    if handler is None:
        messages.error(request, "Thao tác không hợp lệ.")
        return redirect("meetings:run", pk=meeting.pk)
    return handler(request, meeting, step)


def _fail(request, meeting, step, exc, *, forms=None, attendance_overrides=None):
    """Re-show the page (or panel) with the user's input and the Vietnamese message."""
    forms = forms or {}
    stale = is_stale(exc)
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
        recorded = services.meeting_step_record(
            meeting=meeting,
            actor=request.user,
            step=step,
            version=posted_version(request),
            text=data["text"] if step in STEP_TEXT_FIELD else None,
            note=data["note"],
            clerk=data["clerk"],
        )
    except ValidationError as exc:
        return _fail(request, meeting, step, exc, forms={"step_form": form})
    following = workflow.STEPS[workflow.STEP_NUMBER[step]] if workflow.STEP_NUMBER[step] < 9 else step
    message = f"Đã ghi nhận bước {workflow.STEP_NUMBER[step]}: {Step(step).label}."
    if recorded.order_warning:
        message += f" Lưu ý: {recorded.order_warning}"
    return _after(request, meeting, following, message)


def _action_undo(request, meeting, step):
    try:
        services.meeting_step_undo(meeting=meeting, actor=request.user, step=step, version=posted_version(request))
    except ValidationError as exc:
        return _fail(request, meeting, step, exc)
    return _after(request, meeting, step, "Đã bỏ ghi nhận bước này; đồng chí có thể sửa và ghi nhận lại.")


def _action_attendance(request, meeting, step):
    """The whole table in one post ("Lưu điểm danh"), or one row as the secretary clicks it
    (htmx, `row` posted: see _attendance_row). A row still missing its reason is kept on
    screen with its message next to it; the others are saved."""
    step = Step.ATTENDANCE
    names = attendance_member_names(meeting=meeting)
    if request.htmx and request.POST.get("row"):
        return _attendance_row(request, meeting, names)
    entries, overrides, problems = {}, {}, []
    for member_id in names:
        status = request.POST.get(f"status_{member_id}", "")
        reason = request.POST.get(f"reason_{member_id}", "")
        if not status:
            continue
        overrides[member_id] = {"status": status, "reason": reason, "source": "posted"}
        if reason_missing(status, reason):
            overrides[member_id]["error"] = "Vắng có lý do: vui lòng ghi lý do."
            problems.append(f"{names[member_id]}: vắng có lý do nhưng chưa ghi lý do.")
            continue
        entries[member_id] = (status, reason)
    if entries:
        try:
            services.meeting_attendance_set(
                meeting=meeting, actor=request.user, version=posted_version(request), entries=entries
            )
        except ValidationError as exc:
            return _fail(request, meeting, step, exc, attendance_overrides=overrides)
        mode_error = save_posted_modes(request, meeting, {k: v[0] for k, v in entries.items()})
        problems.extend([mode_error] if mode_error else [])
    if problems:
        meeting.refresh_from_db()
        notice = ("error", "Đã lưu các đảng viên khác. " + " ".join(problems))
        return _render_run(request, meeting.pk, step, attendance_overrides=overrides, notice=notice)
    return _after(request, meeting, step, "Đã lưu điểm danh." if entries else None)


def _attendance_row(request, meeting, names):
    """One row, saved as it is clicked. Its value is absolute ("this member is present"), so
    it is saved without the page's version: clicks on different rows, queued one after the
    other by the page, never make each other stale. An excused absence waits for its reason
    (the field opens; no error until "Lưu điểm danh"). The answer only refreshes the counts,
    so what the secretary is clicking is never redrawn under the mouse."""
    member_id = posted_id(request, "row")
    status = request.POST.get(f"status_{member_id}", "")
    reason = request.POST.get(f"reason_{member_id}", "")
    error = ""
    if member_id in names and status and not reason_missing(status, reason):
        try:
            services.meeting_attendance_set(
                meeting=meeting, actor=request.user, version=None, entries={member_id: (status, reason)}
            )
        except ValidationError as exc:
            error = " ".join(error_messages(exc))
        else:  # a hybrid meeting: how the present member attends (issue 17)
            error = save_posted_modes(request, meeting, {member_id: status})
    page = meeting_page(meeting_id=meeting.pk)
    response = render(
        request, "meetings/meeting/run/_attendance_saved.html", {"page": page, "meeting": page.meeting, "error": error}
    )
    response["X-Meeting-Version"] = str(page.meeting.version)
    return response


def _action_attendance_all(request, meeting, step):
    try:
        marked = services.meeting_attendance_all_present(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        return _fail(request, meeting, Step.ATTENDANCE, exc)
    message = (
        f"Đã ghi có mặt {marked} đồng chí; đồng chí sửa các trường hợp vắng."
        if marked
        else "Không còn đồng chí nào chưa điểm danh."
    )
    return _after(request, meeting, Step.ATTENDANCE, message)


def _action_speech_add(request, meeting, step):
    def save(data):
        services.speech_add(
            meeting=meeting,
            actor=request.user,
            version=posted_version(request),
            speaker=data["speaker"],
            guest=data["guest"],
            content=data["content"],
        )
        return f"Đã ghi ý kiến của {data['speaker'] or data['guest']}."

    form = SpeechForm(request.POST, cell_id=meeting.cell_id, meeting_id=meeting.pk)
    return _with_form(request, meeting, Step.DISCUSSION, form, "speech_form", save)


def _action_speech_update(request, meeting, step):
    def save(data):
        services.speech_update(
            meeting=meeting,
            actor=request.user,
            version=posted_version(request),
            speech_id=posted_id(request, "speech"),
            speaker=data["speaker"],
            guest=data["guest"],
            content=data["content"],
        )
        return "Đã sửa ý kiến phát biểu."

    form = SpeechForm(request.POST, cell_id=meeting.cell_id, meeting_id=meeting.pk, prefix="edit")
    return _with_form(request, meeting, Step.DISCUSSION, form, "speech_edit_form", save)


def _speech_simple(fn, message, **extra):
    def handler(request, meeting, step):
        step = Step.DISCUSSION
        try:
            fn(
                meeting=meeting,
                actor=request.user,
                version=posted_version(request),
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
            meeting=meeting, actor=request.user, version=posted_version(request), contribution=contribution
        )
    except ValidationError as exc:
        return _fail(request, meeting, step, exc)
    return _after(request, meeting, step, f"Đã ghi nhận tham luận của {contribution.member} là ý kiến phát biểu.")


def _action_resolution(request, meeting, step):
    def save(data):
        resolution = services.meeting_resolution_save(
            meeting=meeting,
            actor=request.user,
            version=posted_version(request),
            text=data["text"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"] or 0,
            votes_abstain=data["votes_abstain"] or 0,
        )
        validity = (
            "hợp lệ (quá một nửa tán thành)"
            if resolution.is_valid
            else "chưa hợp lệ (chưa quá một nửa số đảng viên chính thức được tính tán thành)"
        )
        return f"Đã ghi nghị quyết: tán thành {resolution.votes_for}/{resolution.eligible_voters}, {validity}."

    return _with_form(request, meeting, Step.CONCLUSION, ResolutionForm(request.POST), "resolution_form", save)


def _action_resolution_delete(request, meeting, step):
    try:
        services.meeting_resolution_delete(meeting=meeting, actor=request.user, version=posted_version(request))
    except ValidationError as exc:
        return _fail(request, meeting, Step.CONCLUSION, exc)
    return _after(request, meeting, Step.CONCLUSION, "Đã bỏ nghị quyết.")


def _action_times(request, meeting, step):
    def save(data):
        services.meeting_times_save(
            meeting=meeting,
            actor=request.user,
            version=posted_version(request),
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
    "attendance_all": _action_attendance_all,
    "end": close.action_end,
    "speech_add": _action_speech_add,
    "speech_update": _action_speech_update,
    "speech_delete": _speech_simple(services.speech_delete, "Đã xóa ý kiến phát biểu."),
    "speech_up": _speech_simple(services.speech_move, None, offset=-1),
    "speech_down": _speech_simple(services.speech_move, None, offset=1),
    "contribution_present": _action_present_contribution,
    "conclusion": close.action_conclusion,
    "resolution": _action_resolution,
    "resolution_delete": _action_resolution_delete,
    "times": _action_times,
    "action_item_add": actions.action_item_add,
    "action_item_update": actions.action_item_update,
    "action_item_delete": actions.action_item_delete,
}
