"""Digital signatures (issue 18): the user's signing certificate (account area) and signing
sealed minutes from the finalise page. Every fetch is scoped: outside the cell, 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from meetings.forms import CertificateUploadForm, MinutesSignForm
from meetings.permissions import access_for, meeting_for_user
from meetings.selectors.meetings import meeting_minutes
from meetings.selectors.signatures import signer_roles, user_certificate
from meetings.services.signing import certificates
from meetings.services.signing.minutes import minutes_sign, signing_enabled
from meetings.views._common import apply_errors
from meetings.views.meeting_finalize import _finalize_page


@login_required
@require_http_methods(["GET", "POST"])
def certificate_page(request):
    form = CertificateUploadForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            if certificates.certificate_delete(user=request.user):
                messages.success(request, "Đã xóa chứng thư số khỏi hệ thống.")
            return redirect("accounts:signing_certificate")
        form = CertificateUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = certificates.certificate_upload(
                    user=request.user, data=form.cleaned_data["data"], password=form.cleaned_data["password"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Đã lưu chứng thư số của {record.subject}.")
                return redirect("accounts:signing_certificate")
        status = 400
    return render(
        request,
        "meetings/signing/certificate.html",
        {"form": form, "certificate": user_certificate(request.user), "enabled": signing_enabled()},
        status=status,
    )


@login_required
@require_POST
def meeting_minutes_sign(request, pk):
    meeting = meeting_for_user(request.user, pk)
    minutes = meeting_minutes(meeting_id=meeting.pk)
    if minutes is None:
        raise Http404
    if not signer_roles(minutes=minutes, user=request.user):
        # A reader of the cell who is neither the chair nor the clerk of these minutes.
        raise PermissionDenied
    form = MinutesSignForm(request.POST)
    if form.is_valid():
        try:
            row = minutes_sign(
                minutes=minutes,
                user=request.user,
                role=form.cleaned_data["role"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Đã ký số biên bản số {minutes.number_label} ({row.signer_title}).")
            return redirect("meetings:finalize", pk=meeting.pk)
    # The refusal is shown on the signing form, where the user typed.
    return _finalize_page(request, meeting, access_for(request.user), sign_form=form, status=400)
