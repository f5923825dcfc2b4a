"""Small helpers shared by the workflow views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from meetings.permissions import PREPARE, access_for


def posted_id(request, name: str) -> int:
    """An id from a form field; anything but a plain positive integer gives 0, which matches
    no row (a hostile value must become "not found", never a 500)."""
    raw = (request.POST.get(name) or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else 0


def error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def flash_errors(request, exc: ValidationError) -> None:
    """A refused action's Vietnamese messages, shown on the page the user is sent back to."""
    for message in error_messages(exc):
        messages.error(request, message)


def apply_errors(form, exc: ValidationError, *, field_map: dict | None = None) -> None:
    """Put a service's ValidationError on the bound form so the user's input is re-shown."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = field_map.get(name, name)
            for error in errors:
                message = " ".join(error.messages)
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def refresh_version(form, version: int) -> None:
    """After a conflict the user's input stays; the form now carries the current version so
    that saving again is a deliberate choice after seeing the other person's changes."""
    if form.is_bound and "version" in form.fields:
        data = form.data.copy()
        data["version"] = str(version)
        form.data = data


def posted_version(request) -> int | None:
    """The meeting version the user's form was built from; None when the form has none."""
    raw = request.POST.get("version")
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return -1  # never matches: treated as stale


def is_stale(exc: ValidationError) -> bool:
    """The refusal is a conflict with someone else's save (code "stale")."""
    return getattr(exc, "code", None) == "stale" or any(
        getattr(e, "code", None) == "stale" for e in getattr(exc, "error_list", [])
    )


def member_page_redirect(request, meeting):
    """A plain member of the cell reads a meeting on their own page (reply, papers, outcome),
    not on the secretary's pages; the committee's staff keep the read-only pages."""
    access = access_for(request.user)
    if (
        access.member_id
        and access.cell_id == meeting.cell_id
        and not access.is_staff_of_committee
        and not access.can(PREPARE, meeting.cell_id)
    ):
        return redirect(reverse("portal:meetings") + f"?buoi={meeting.pk}")
    return None
