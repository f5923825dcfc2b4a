"""Finalising the minutes, and the numbered addenda that correct them afterwards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meetings.forms import AddendumForm, MinutesAdoptionForm, MinutesSignForm, ReservationFormSet, local_time
from meetings.models import SignerRole
from meetings.permissions import MANAGE, PREPARE, access_for, meeting_for_user
from meetings.selectors.meetings import meeting_minutes, meeting_page
from meetings.selectors.signatures import signer_roles, signing_state
from meetings.services import meeting_run as run_services
from meetings.services import meetings as services
from meetings.services.signing.minutes import signer_title, signing_enabled
from meetings.views._common import (
    apply_errors,
    flash_errors,
    is_stale,
    member_page_redirect,
    posted_version,
    refresh_version,
)
from meetings.workflow import RECORD_EDITABLE, Stage


@login_required
def meeting_finalize(request, pk):
    meeting = meeting_for_user(request.user, pk)
    access = access_for(request.user)
    # A plain member who is the clerk of sealed minutes signs them here (issue 18).
    signs_here = request.method != "POST" and _signs_minutes(request.user, meeting)
    if request.method != "POST" and not signs_here and (plain_member := member_page_redirect(request, meeting)):
        return plain_member
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
    return _finalize_page(request, meeting, access)


def _finalize_page(
    request, meeting, access, *, adoption_form=None, reservation_formset=None, sign_form=None, status=200
):
    page = meeting_page(meeting_id=meeting.pk)
    meeting = page.meeting
    if adoption_form is None:
        adoption_form = MinutesAdoptionForm(
            initial={
                "version": meeting.version,
                "read_back": bool(meeting.minutes_read_back_at),
                "read_back_time": local_time(meeting.minutes_read_back_at),
                "adoption": meeting.minutes_adoption,
            }
        )
    if reservation_formset is None:
        reservation_formset = ReservationFormSet(
            prefix="reservations",
            initial=[{"member": r.member_id, "text": r.text} for r in page.reservations],
            form_kwargs={"cell_id": meeting.cell_id},
        )
    return render(
        request,
        "meetings/meeting/finalize.html",
        {
            "page": page,
            "meeting": meeting,
            "problems": page.missing_steps,
            "warnings": page.warnings,
            "stage_ok": meeting.stage == Stage.HELD,
            "can_manage": access.can(MANAGE, meeting.cell_id),
            "can_prepare": access.can(PREPARE, meeting.cell_id),
            # Finalising is not undoable: the button leads to a confirmation that says what follows.
            "confirming": request.method == "GET" and bool(request.GET.get("xac-nhan")),
            "addendum_form": AddendumForm(),
            "adoption_form": adoption_form,
            "reservation_formset": reservation_formset,
            "adoption_editable": meeting.stage in RECORD_EDITABLE,
            "Stage": Stage,
            # Issue 18: who signed the sealed minutes, and the viewer's signing form.
            "signing": _signing_context(request, page.minutes, sign_form),
        },
        status=status,
    )


def _signs_minutes(user, meeting) -> bool:
    if not signing_enabled() or meeting.stage != Stage.FINALIZED:
        return False
    minutes = meeting_minutes(meeting_id=meeting.pk)
    return minutes is not None and bool(signer_roles(minutes=minutes, user=user))


def _signing_context(request, minutes, sign_form) -> dict | None:
    if minutes is None or not signing_enabled():
        return None
    state = signing_state(minutes=minutes, user=request.user)
    if sign_form is None and state.my_roles:
        sign_form = MinutesSignForm(initial={"role": state.my_roles[0]})
    return {
        "state": state,
        "form": sign_form if state.my_roles else None,
        "role": sign_form["role"].value() if sign_form is not None and state.my_roles else "",
        "titles": {r: signer_title(minutes.snapshot, r) for r in (SignerRole.CHAIR, SignerRole.CLERK)},
    }


@login_required
@require_POST
def meeting_minutes_adoption(request, pk):
    """The read-back and the cell's adoption, recorded just before finalising; a refusal
    re-shows the page with everything typed."""
    meeting = meeting_for_user(request.user, pk, level=MANAGE)
    form = MinutesAdoptionForm(request.POST)
    formset = ReservationFormSet(request.POST, prefix="reservations", form_kwargs={"cell_id": meeting.cell_id})
    if form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            run_services.meeting_minutes_adoption_save(
                meeting=meeting,
                actor=request.user,
                version=data.get("version"),
                read_back=data["read_back"],
                read_back_time=data["read_back_time"],
                adoption=data["adoption"],
                reservations=[
                    (row.get("member"), row.get("text", ""))
                    for row in formset.cleaned_data
                    if row.get("member") or (row.get("text") or "").strip()
                ],
            )
        except ValidationError as exc:
            if is_stale(exc):
                meeting.refresh_from_db()
                refresh_version(form, meeting.version)
            apply_errors(form, exc, field_map={"reservations": None})
        else:
            messages.success(request, "Đã ghi việc đọc lại biên bản và kết quả chi bộ thông qua.")
            return redirect("meetings:finalize", pk=meeting.pk)
    return _finalize_page(
        request, meeting, access_for(request.user), adoption_form=form, reservation_formset=formset, status=400
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
