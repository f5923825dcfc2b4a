"""Action items of a conclusion (issue 17): adding, progress, review at a later meeting."""

from django import forms

from meetings.forms.base import BoundedText, DateInput
from meetings.models import (
    Member,
)
from meetings.models.action_reviews import REVIEW_STATUSES
from meetings.models.actions import ActionOwnerKind, ActionStatus
from meetings.models.limits import ACTION_NOTE_MAX_LENGTH, ACTION_TEXT_MAX_LENGTH
from meetings.selectors.members import cell_members


class ActionItemForm(forms.Form):
    """One action item in step 9. The owner is one choice: the cell committee, the whole cell or
    one of the cell's members ("m<pk>")."""

    text = BoundedText(label="Nội dung công việc", max_length=ACTION_TEXT_MAX_LENGTH, rows=2)
    owner = forms.ChoiceField(label="Người thực hiện")
    due_on = forms.DateField(label="Hạn hoàn thành", widget=DateInput())

    def __init__(self, *args, cell_id=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        # `members` read once serves every form of the list.
        self.members = {f"m{m.pk}": m for m in (members if members is not None else cell_members(cell_id))}
        member_choices = [(key, f"{m.full_name} ({m.get_position_display()})") for key, m in self.members.items()]
        self.fields["owner"].choices = [
            ("", "— Chọn người thực hiện —"),
            (ActionOwnerKind.COMMITTEE.value, ActionOwnerKind.COMMITTEE.label),
            (ActionOwnerKind.CELL.value, ActionOwnerKind.CELL.label),
            ("Đảng viên", member_choices),
        ]
        self.fields["owner"].error_messages["required"] = "Vui lòng chọn người thực hiện."
        self.fields["owner"].error_messages["invalid_choice"] = "Người thực hiện đã chọn không thuộc chi bộ này."
        self.fields["text"].error_messages["required"] = "Vui lòng ghi nội dung công việc."
        self.fields["due_on"].error_messages["required"] = "Vui lòng chọn hạn hoàn thành."
        self.fields["due_on"].error_messages["invalid"] = "Ngày không hợp lệ."

    @staticmethod
    def owner_value(item) -> str:
        return f"m{item.owner_member_id}" if item.owner_kind == ActionOwnerKind.MEMBER else item.owner_kind

    def owner_parts(self) -> tuple[str, Member | None]:
        owner = self.cleaned_data["owner"]
        if owner in self.members:
            return ActionOwnerKind.MEMBER, self.members[owner]
        return owner, None


class ActionProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Tình trạng",
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)],
        error_messages={"required": "Vui lòng chọn tình trạng thực hiện."},
    )
    note = BoundedText(label="Ghi chú tiến độ", max_length=ACTION_NOTE_MAX_LENGTH, rows=3, required=False)


class ActionReviewForm(forms.Form):
    """One earlier action item's review at the next meeting (issue 17, item 2)."""

    status = forms.ChoiceField(
        label="Tình trạng",
        choices=[("", "— Chọn —"), *[(s.value, s.label) for s in REVIEW_STATUSES]],
        error_messages={
            "required": "Vui lòng chọn tình trạng thực hiện.",
            "invalid_choice": "Tình trạng không hợp lệ.",
        },
    )
    note = BoundedText(label="Ghi chú", max_length=ACTION_NOTE_MAX_LENGTH, rows=2, required=False)
