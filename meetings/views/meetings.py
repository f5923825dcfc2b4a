"""Meeting list and meeting page: scheduling, guests and stage transitions.
The run page is in views/meeting_run.py, finalisation in views/meeting_finalize.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from meetings import workflow
from meetings.forms import GuestForm, ScheduleForm
from meetings.permissions import MANAGE, PREPARE, access_for, meeting_for_user, scope_q
from meetings.rules.meeting_mode import is_remote
from meetings.rules.meetings import transition_problems
from meetings.selectors.meeting_changes import change_notice_recipients, notice_went_out
from meetings.selectors.meetings import meeting_detail_queryset, meeting_page, meetings_for_cells
from meetings.services import meetings as services
from meetings.views._common import (
    apply_errors,
    flash_errors,
    is_stale,
    member_page_redirect,
    posted_id,
    posted_version,
    refresh_version,
)
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
    can_prepare = bool(access.cell_id and access.can(PREPARE, access.cell_id))
    return render(
        request,
        "meetings/meeting/list.html",
        {
            "meetings": rows,
            "year": year,
            "can_prepare": can_prepare,
            # A plain member opens each meeting on their own page of it (reply, documents).
            "member_page": bool(access.member_id and not access.is_staff_of_committee and not can_prepare),
        },
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
                "mode": meeting.mode,
                "online_room": meeting.online_room,
                "online_reason": meeting.online_reason,
                "online_not_secret": meeting.online_not_secret,
            },
        )
    return {
        "page": page,
        "meeting": meeting,
        "schedule_form": schedule_form,
        "guest_form": guest_form or (GuestForm(initial={"version": meeting.version}) if with_forms else None),
        "can_prepare": can_prepare,
        "can_manage": access.can(MANAGE, meeting.cell_id),
        "next_step": _next_step(meeting, page.allowed_targets) if can_prepare else None,
        "schedule_next": SCHEDULE_THEN if with_forms else (),
        "notice_preview": page.notice_preview,
        "Stage": Stage,
    }


# What the stage's work is, said on the meeting page above its button.
STAGE_WORK = {
    Stage.PLANNED: "Bắt đầu chuẩn bị: phân công người chuẩn bị đề dẫn, tham luận.",
    Stage.PREPARING: "Nhập ngày, giờ, địa điểm họp rồi lên lịch họp.",
    Stage.SCHEDULED: "Gửi thông báo triệu tập cùng chuyên đề, đề dẫn và phân công tham luận đến đảng viên.",
    Stage.NOTICED: "Đến ngày họp, bắt đầu buổi sinh hoạt và ghi diễn biến.",
    Stage.IN_PROGRESS: "Ghi diễn biến buổi sinh hoạt, xong thì kết thúc buổi sinh hoạt.",
    Stage.HELD: "Kiểm tra biên bản rồi hoàn tất.",
}


def _missing(meeting, target: str) -> list[dict]:
    """What still keeps the meeting from its next stage, each with where to do it."""
    items = []
    for text in transition_problems(meeting, target):
        url = link = ""
        if "Đề dẫn" in text and meeting.topic_id:
            url, link = reverse("topics:detail", args=[meeting.topic_id]) + "#de-dan", "mở chuyên đề"
        elif "địa điểm" in text or ("ngày họp" in text.lower() and "Chưa đến" not in text):
            url, link = "#lich-hop", "nhập lịch họp"
        items.append({"text": text.rstrip("."), "url": url, "link": link})
    return items


def _next_step(meeting, targets: list[str]) -> dict:
    """One primary button for the next stage, the other moves as secondary ones (moving back
    says so), cancelling apart (it always confirms)."""
    forward = workflow.next_stage(meeting.stage)
    primary = forward if forward in targets else None
    others = [
        {"target": t, "label": workflow.transition_label(meeting.stage, t)}
        for t in targets
        if t not in (primary, Stage.CANCELLED)
    ]
    return {
        "work": STAGE_WORK.get(meeting.stage, ""),
        "primary": primary,
        "primary_label": workflow.transition_label(meeting.stage, primary) if primary else "",
        "missing": _missing(meeting, primary) if primary and primary != Stage.FINALIZED else [],
        "others": others,
        "can_cancel": Stage.CANCELLED in targets,
    }


NOTE_WHAT = {
    "moved": "thông báo thay đổi (kèm tệp lịch .ics mới)",
    Stage.CANCELLED: "thông báo hủy (kèm tệp lịch .ics hủy sự kiện)",
    "postponed": "thông báo tạm hoãn (kèm tệp lịch .ics hủy sự kiện)",
}


def _outbox_note(meeting, count: int, what: str = "moved") -> str:
    """The flash after a change that e-mailed people: how many and where to see them."""
    # The sent tab lists the newest first (the "all" tab leads with reminders still to come).
    url = reverse("notifications:list", args=[meeting.cell_id]) + "?loc=da-gui"
    return format_html(
        ' Đã đưa {} {} vào hàng gửi thư — <a href="{}" class="alert-link">xem thư gửi đi</a>.',
        count,
        NOTE_WHAT.get(what, NOTE_WHAT["postponed"]),
        url,
    )


@login_required
def meeting_detail(request, pk):
    meeting = meeting_for_user(request.user, pk, queryset=meeting_detail_queryset())
    return member_page_redirect(request, meeting) or render(
        request, "meetings/meeting/detail.html", _detail_context(request, meeting.pk, meeting=meeting)
    )


def _audience(meeting) -> dict:
    """How many will get the change notice, and who they are, for the confirmation."""
    people = change_notice_recipients(meeting)
    guests = sum(1 for r in people if "guest_id" in r.ids)
    follower = sum(1 for r in people if "follower_id" in r.ids)
    parts = [f"{len(people) - guests - follower} đảng viên"]
    parts += ["cấp ủy viên phụ trách"] if follower else []
    parts += [f"{guests} đại biểu"] if guests else []
    return {"recipients": len(people), "who": ", ".join(parts)}


def _schedule_change(meeting, data) -> dict | None:
    """What a schedule save would announce: None when no one is told (no notice yet, or
    nothing printed on the notice changes)."""
    place = (data["place"] or "").strip()
    moved = services.notice_details_changed(
        meeting,
        scheduled_date=data["scheduled_date"],
        start_time=data["start_time"],
        place=place,
        mode=data["mode"],
        online_room=" ".join((data["online_room"] or "").split()) if is_remote(data["mode"]) else "",
    )
    if not moved or meeting.stage not in (Stage.SCHEDULED, Stage.NOTICED) or not notice_went_out(meeting):
        return None
    return {
        **_audience(meeting),
        "old": meeting,
        "new": {"date": data["scheduled_date"], "time": data["start_time"], "place": place},
    }


# The moves the schedule form's own button may make after saving (the page's primary button
# submits the schedule form then, so a date typed but not yet saved is kept).
SCHEDULE_THEN = (Stage.SCHEDULED, Stage.NOTICED)


def _schedule_unchanged(meeting, data) -> bool:
    return (
        meeting.scheduled_date == data["scheduled_date"]
        and meeting.start_time == data["start_time"]
        and (meeting.place or "").strip() == (data["place"] or "").strip()
        and meeting.chair_id == getattr(data["chair"], "pk", None)
        and meeting.clerk_id == getattr(data["clerk"], "pk", None)
        and meeting.combined_with_regular == bool(data["combined_with_regular"])
        and (meeting.combined_order or "") == (data["combined_order"] if data["combined_with_regular"] else "")
        and meeting.mode == data["mode"]
        and (meeting.online_room, meeting.online_reason, meeting.online_not_secret)
        == (data["online_room"], data["online_reason"], data["online_not_secret"])
    )


def _focus_first_error(form) -> None:
    """The page opens on the first field to correct (autofocus scrolls it into view)."""
    for name in form.fields:
        if name in form.errors:
            form.fields[name].widget.attrs["autofocus"] = True
            return


@login_required
@require_POST
def meeting_schedule(request, pk):
    """Save the schedule. After the notice, a new date, time or place is announced to
    everyone who had it: the typed values go through a confirmation page first, and nothing
    is saved before the second, explicit confirm. "Lên lịch họp" on the form saves and moves on."""
    meeting = meeting_for_user(request.user, pk, level=PREPARE)
    form = ScheduleForm(request.POST, cell_id=meeting.cell_id)
    then = request.POST.get("next", "")
    then = then if workflow.next_stage(meeting.stage) == then and then in SCHEDULE_THEN else ""
    if form.is_valid() and request.POST.get("edit") != "1":
        data = form.cleaned_data
        if then and _schedule_unchanged(meeting, data):
            return _transition(request, meeting, then, version=posted_version(request))
        change = _schedule_change(meeting, data)
        if change is not None and request.POST.get("confirm") != "1":
            return render(
                request,
                "meetings/meeting/confirm_change.html",
                {"meeting": meeting, "form": form, "change": change, "kind": "move"},
            )
        try:
            meeting = services.meeting_schedule(
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
                mode=data["mode"],
                online_room=data["online_room"],
                online_reason=data["online_reason"],
                online_not_secret=data["online_not_secret"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            if is_stale(exc):
                meeting.refresh_from_db()
                refresh_version(form, meeting.version)
        else:
            note = _outbox_note(meeting, meeting.change_notices) if change is not None else ""
            messages.success(request, format_html("Đã lưu lịch họp.{}", note))
            if then:
                return _transition(request, meeting, then, version=meeting.version)
            return redirect("meetings:detail", pk=meeting.pk)
    _focus_first_error(form)
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
    if target == Stage.HELD and meeting.stage == Stage.IN_PROGRESS:
        # Ending asks for the actual start and end first (the run page's end form).
        return redirect(reverse("meetings:run", args=[meeting.pk]) + "?buoc=conclusion&ket-thuc=1#ket-thuc")
    if target == Stage.CANCELLED:
        # Cancelling always confirms, with its reason, and says who will be told.
        reason = " ".join(request.POST.get("reason", "").split())
        if request.POST.get("confirm") != "1" or not reason:
            told = notice_went_out(meeting)
            return render(
                request,
                "meetings/meeting/confirm_change.html",
                {
                    "meeting": meeting,
                    "kind": "cancel",
                    "reason": reason,
                    "reason_error": request.POST.get("confirm") == "1" and not reason,
                    "change": {**(_audience(meeting) if told else {"recipients": 0}), "told": told},
                    "back": request.POST.get("back", ""),
                },
            )
    if _withdraws_notice(meeting, target) and request.POST.get("confirm") != "1":
        # Moving back off the calendar after the notice tells everyone it is postponed.
        return render(
            request,
            "meetings/meeting/confirm_change.html",
            {
                "meeting": meeting,
                "kind": "postpone",
                "target": target,
                "label": workflow.transition_label(meeting.stage, target),
                "change": _audience(meeting),
            },
        )
    return _transition(request, meeting, target, version=posted_version(request))


def _withdraws_notice(meeting, target: str) -> bool:
    return (
        target in Stage.values
        and target != Stage.CANCELLED
        and meeting.stage in (Stage.SCHEDULED, Stage.NOTICED)
        and target not in workflow.ON_CALENDAR
        and notice_went_out(meeting)
    )


def _transition(request, meeting, target: str, *, version):
    try:
        meeting = services.meeting_transition(
            meeting=meeting,
            actor=request.user,
            target=target,
            version=version,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        label = Stage(meeting.stage).label
        count = getattr(meeting, "change_notices", 0)  # only a cancel or postponement announces
        note = _outbox_note(meeting, count, meeting.stage) if count else ""
        messages.success(request, format_html("Buổi sinh hoạt chuyển sang giai đoạn “{}”.{}", label, note))
        if meeting.stage == Stage.NOTICED and meeting.notice_warning:
            messages.warning(request, meeting.notice_warning)
        if meeting.stage in (Stage.IN_PROGRESS, Stage.HELD):
            return redirect(reverse("meetings:run", args=[meeting.pk]))
    if request.POST.get("back") == "run":
        return redirect(reverse("meetings:run", args=[meeting.pk]))
    return redirect("meetings:detail", pk=meeting.pk)
