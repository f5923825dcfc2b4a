"""Action items (issue 17, item 1): their rows in step 9 of the run page (actions listed in
meeting_run.RUN_ACTIONS) and the owner's progress page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from meetings.forms import ActionItemForm, ActionProgressForm
from meetings.models import ActionItem
from meetings.permissions import access_for
from meetings.selectors.actions import action_item_for_owner, meeting_action_items
from meetings.selectors.members import cell_members
from meetings.services import actions as services
from meetings.views._common import apply_errors, posted_id
from meetings.workflow import Step

NEW_PREFIX = "viec-moi"


def _edit_prefix(pk) -> str:
    return f"viec-{pk}"


def step9_action_context(request, meeting, forms) -> dict:
    """The step 9 panel's action items: the list, the add form and the one item being edited
    (?sua-viec=<pk>). The cell's members are read once for every form."""
    members = list(cell_members(meeting.cell_id))
    items = meeting_action_items(meeting.pk)
    edit_id = request.GET.get("sua-viec") or request.POST.get("item")
    editing = next((i for i in items if str(i.pk) == str(edit_id)), None)
    edit_form = forms.get("action_edit_form")
    if editing is not None and edit_form is None:
        edit_form = ActionItemForm(
            members=members,
            prefix=_edit_prefix(editing.pk),
            initial={"text": editing.text, "owner": ActionItemForm.owner_value(editing), "due_on": editing.due_on},
        )
    return {
        "action_items": items,
        "action_form": forms.get("action_form") or ActionItemForm(members=members, prefix=NEW_PREFIX),
        "action_editing": editing if edit_form is not None else None,
        "action_edit_form": edit_form,
    }


def _run():
    from meetings.views import meeting_run  # that module lists these actions

    return meeting_run


def _save(request, meeting, form, name, save):
    run = _run()
    if not form.is_valid():
        return run._render_run(request, meeting.pk, Step.CONCLUSION, forms={name: form})
    kind, member = form.owner_parts()
    data = form.cleaned_data
    try:
        message = save(text=data["text"], owner_kind=kind, owner_member=member, due_on=data["due_on"])
    except ValidationError as exc:
        apply_errors(form, exc, field_map={"owner_member": "owner", "owner_kind": "owner"})
        return run._render_run(request, meeting.pk, Step.CONCLUSION, forms={name: form})
    return run._after(request, meeting, Step.CONCLUSION, message)


def action_item_add(request, meeting, step):
    form = ActionItemForm(request.POST, cell_id=meeting.cell_id, prefix=NEW_PREFIX)

    def save(**data):
        item = services.action_item_add(meeting=meeting, actor=request.user, **data)
        return f"Đã thêm việc số {item.number}: {item.text[:80]}"

    return _save(request, meeting, form, "action_form", save)


def action_item_update(request, meeting, step):
    item = get_object_or_404(ActionItem, pk=posted_id(request, "item"), meeting=meeting)
    form = ActionItemForm(request.POST, cell_id=meeting.cell_id, prefix=_edit_prefix(item.pk))

    def save(**data):
        services.action_item_update(item=item, actor=request.user, **data)
        return f"Đã sửa việc số {item.number}."

    return _save(request, meeting, form, "action_edit_form", save)


def action_item_delete(request, meeting, step):
    run = _run()
    item = get_object_or_404(ActionItem, pk=posted_id(request, "item"), meeting=meeting)
    try:
        services.action_item_delete(item=item, actor=request.user)
    except ValidationError as exc:
        return run._fail(request, meeting, Step.CONCLUSION, exc)
    return run._after(request, meeting, Step.CONCLUSION, f"Đã bỏ việc số {item.number}.")


@login_required
def action_progress(request, pk):
    """The owner reports progress with a short note: the member who owns the item, or for the
    committee's and the whole cell's items the secretary or deputy; anyone else gets 404."""
    item = action_item_for_owner(access_for(request.user), pk)
    form = ActionProgressForm(initial={"status": item.status, "note": item.progress_note})
    if request.method == "POST":
        form = ActionProgressForm(request.POST)
        if form.is_valid():
            try:
                services.action_item_progress(
                    item=item,
                    actor=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Đã cập nhật tiến độ việc “{item.text[:80]}”.")
                return redirect("home")
    return render(request, "meetings/actions/progress.html", {"item": item, "form": form})
