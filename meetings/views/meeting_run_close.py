"""The run page's closing: step 9 as one form (conclusion, resolution, times) and ending
the meeting with its actual times. Its actions are listed in meeting_run.RUN_ACTIONS."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from meetings.forms import ConclusionForm, MeetingEndForm, ResolutionForm, TimesForm, local_time
from meetings.rules.meetings import quality_criteria
from meetings.selectors.meetings import meeting_page
from meetings.services import meeting_run as services
from meetings.views._common import apply_errors, error_messages, is_stale, posted_version, refresh_version
from meetings.workflow import Step


def _run():
    """The run page's renderers (imported late: that module lists these actions)."""
    from meetings.views import meeting_run

    return meeting_run


def end_initial(meeting, now=None):
    """Pre-filled actual times for ending the meeting, and how they were chosen (shown to the
    secretary): the recorded start, else the scheduled one; the recorded end, else now on the
    meeting day, else two hours after the start."""
    now = timezone.localtime(now)
    start = local_time(meeting.actual_start)
    start_how = "lúc đồng chí bấm “Bắt đầu sinh hoạt”"
    if start is None:
        start, start_how = meeting.start_time, "giờ họp đã lên lịch"
    end, end_how = local_time(meeting.actual_end), "giờ đã ghi"
    if end is None and start is not None:
        if meeting.scheduled_date == now.date() and now.time() > start:
            end, end_how = now.time().replace(second=0, microsecond=0), "bây giờ"
        else:
            later = datetime.datetime.combine(datetime.date.min, start) + datetime.timedelta(hours=2)
            end = later.time() if later.date() == datetime.date.min else datetime.time(23, 59)
            end_how = "2 giờ sau giờ bắt đầu (hôm nay không phải ngày họp)"
    explained = f"Điền sẵn: giờ bắt đầu là {start_how}; giờ kết thúc là {end_how}. Sửa lại nếu chưa đúng."
    return {"actual_start": start, "actual_end": end}, explained


# Where each part's general problem is shown in step 9.
STEP9_PARTS = (("conclusion_form", "Kết luận"), ("resolution_form", "Nghị quyết"), ("times_form", "Thời gian"))


def step9_errors(forms):
    """Every problem of the step 9 form, for the list at the top of the panel: (anchor of the
    field or None, label, message)."""
    rows = []
    for name, part in STEP9_PARTS:
        form = forms.get(name)
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            rows.append((None, part, message))
        for field in form:
            for message in field.errors:
                rows.append((field.id_for_label, f"{part} – {field.label}", message))
    return rows


def action_conclusion(request, meeting, step):
    """Step 9 as one form: the conclusion, the resolution (when one is written or already
    saved) and, once the meeting is held, the actual times, saved together; on any problem
    every part comes back as typed, with all the problems listed at the top."""
    step = Step.CONCLUSION
    forms = {"conclusion_form": ConclusionForm(request.POST, criteria=quality_criteria())}
    # A resolution is part of the save once anything of it is typed, or one is saved already
    # (blanking a saved one is refused: "Bỏ nghị quyết" removes it).
    has_resolution = request.POST.get("resolution_saved") == "1" or any(
        (request.POST.get(name) or "").strip() for name in ("text", "votes_for")
    )
    forms["resolution_form"] = (
        ResolutionForm(request.POST) if has_resolution else ResolutionForm(initial=request.POST.dict())
    )
    if "actual_start" in request.POST:
        forms["times_form"] = TimesForm(request.POST)
    checked = [forms["conclusion_form"], forms.get("times_form")]
    if has_resolution:
        checked.append(forms["resolution_form"])
    if not all(form.is_valid() for form in checked if form is not None):
        return _run()._render_run(request, meeting.pk, step, forms=forms)
    data = forms["conclusion_form"].cleaned_data
    resolution = None
    if has_resolution:
        r = forms["resolution_form"].cleaned_data
        resolution = {
            "text": r["text"],
            "votes_for": r["votes_for"],
            "votes_against": r["votes_against"] or 0,
            "votes_abstain": r["votes_abstain"] or 0,
        }
    times = None
    if "times_form" in forms:
        times = (forms["times_form"].cleaned_data["actual_start"], forms["times_form"].cleaned_data["actual_end"])
    try:
        services.meeting_conclusion_step_save(
            meeting=meeting,
            actor=request.user,
            version=posted_version(request),
            conclusion={
                "preparation_evaluation": data["preparation_evaluation"],
                "quality_evaluation": data["quality_evaluation"],
                "adopted": data["adopted"],
                "orientation": data["orientation"],
                "criteria_scores": forms["conclusion_form"].scores(),
            },
            resolution=resolution,
            times=times,
        )
    except ValidationError as exc:
        return _step9_fail(request, meeting, exc, forms)
    page = meeting_page(meeting_id=meeting.pk)
    conclusion = page.conclusion
    message = f"Đã lưu bước 9: {conclusion.quality_score} điểm, xếp loại {conclusion.get_quality_grade_display()}"
    if page.resolution:
        validity = "hợp lệ" if page.resolution.is_valid else "chưa hợp lệ"
        message += f"; nghị quyết {page.resolution.votes_for}/{page.resolution.eligible_voters} tán thành, {validity}"
    return _run()._after(request, meeting, step, message + ".")


def _step9_fail(request, meeting, exc, forms):
    """Put each problem next to its field (or on its part), keep everything typed."""
    if is_stale(exc) or not hasattr(exc, "error_dict"):
        if is_stale(exc):
            meeting.refresh_from_db()
            for form in forms.values():
                refresh_version(form, meeting.version)
        for message in error_messages(exc):
            forms["conclusion_form"].add_error(None, message)
        return _run()._render_run(request, meeting.pk, Step.CONCLUSION, forms=forms)
    parts = {"conclusion": "conclusion_form", "resolution": "resolution_form", "times": "times_form"}
    for name, problems in exc.error_dict.items():
        owner = parts.get(name) or next(
            (key for key, form in forms.items() if form.is_bound and name in form.fields), "conclusion_form"
        )
        form = forms.get(owner) or forms["conclusion_form"]
        for problem in problems:
            form.add_error(name if name in form.fields else None, " ".join(problem.messages))
    return _run()._render_run(request, meeting.pk, Step.CONCLUSION, forms=forms)


def action_end(request, meeting, step):
    """End the meeting with its actual times ("Kết thúc buổi sinh hoạt"), then on to the
    minutes; a refusal re-shows the small form with the times as typed."""
    form = MeetingEndForm(request.POST, prefix="end")
    if not form.is_valid():
        return _run()._render_run(request, meeting.pk, step, forms={"end_form": form})
    try:
        services.meeting_end(
            meeting=meeting,
            actor=request.user,
            version=posted_version(request),
            start=form.cleaned_data["actual_start"],
            end=form.cleaned_data["actual_end"],
        )
    except ValidationError as exc:
        if is_stale(exc):
            meeting.refresh_from_db()
            refresh_version(form, meeting.version)
        apply_errors(form, exc)
        return _run()._render_run(request, meeting.pk, step, forms={"end_form": form})
    start, end = form.cleaned_data["actual_start"], form.cleaned_data["actual_end"]
    messages.success(
        request,
        f"Đã kết thúc buổi sinh hoạt ({start:%H:%M} – {end:%H:%M}). "
        "Tiếp theo: ghi việc đọc lại, thông qua biên bản và hoàn tất biên bản.",
    )
    return redirect("meetings:finalize", pk=meeting.pk)
