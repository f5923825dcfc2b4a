"""Forms of the cell's members, their import, and the cell's document register settings."""

from django import forms

from meetings.forms.base import DateInput
from meetings.models import (
    Member,
    MemberStatus,
)
from meetings.models.limits import limit_text, too_long_message


class MemberForm(forms.ModelForm):
    """The secretary's form for one member of the cell."""

    class Meta:
        model = Member
        fields = [
            "full_name",
            "date_of_birth",
            "gender",
            "card_number",
            "joined_on",
            "full_member_on",
            "phone",
            "email",
            "position",
            "status",
            "exempt_reason",
        ]
        widgets = {"date_of_birth": DateInput(), "joined_on": DateInput(), "full_member_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if isinstance(field, forms.CharField) and limit and not isinstance(field, forms.EmailField):
                field.help_text = " ".join(filter(None, [str(field.help_text or ""), limit_text(limit)]))
                field.error_messages["max_length"] = too_long_message(limit) + " Đề nghị rút gọn."

    def clean_card_number(self):
        return (self.cleaned_data.get("card_number") or "").strip() or None

    def clean(self):
        data = super().clean()
        reason = " ".join((data.get("exempt_reason") or "").split())
        if data.get("status") == MemberStatus.EXEMPT:
            if not reason:
                self.add_error("exempt_reason", "Đảng viên được miễn sinh hoạt: đề nghị ghi lý do miễn sinh hoạt.")
        else:
            reason = ""  # the reason belongs to the exemption only
        data["exempt_reason"] = reason
        return data


class MemberImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)", help_text="Dùng tệp mẫu; tối đa 2.000 dòng.")


class CellDocumentSettingsForm(forms.Form):
    """The cell's document data: the committee term's start and the first number of each kind
    of document in the current term (to continue the paper register)."""

    term_started_on = forms.DateField(
        label="Ngày bắt đầu nhiệm kỳ của chi ủy",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        help_text="Dạng ngày/tháng/năm, ví dụ 20/06/2025. Số văn bản đánh lại từ đầu mỗi nhiệm kỳ; "
        "để trống thì đánh số theo từng năm.",
        error_messages={"invalid": "Ngày không hợp lệ; đề nghị nhập theo dạng ngày/tháng/năm, ví dụ 20/06/2025."},
    )

    def __init__(self, *args, kinds, locked=(), **kwargs):
        """`kinds`: (code, label) of each kind of document; `locked`: the codes whose series
        already issued a number in the current term (their first number is fixed)."""
        super().__init__(*args, **kwargs)
        for code, label in kinds:
            self.fields[f"first_{code}"] = forms.IntegerField(
                label=f"Số bắt đầu của {label.lower()} ({code})",
                min_value=1,
                max_value=9999,
                required=code not in locked,
                disabled=code in locked,
                help_text="Đã cấp số trong nhiệm kỳ này; không thể đổi." if code in locked else "",
                error_messages={
                    "required": "Đề nghị nhập số bắt đầu (1 nếu bắt đầu từ số 01).",
                    "invalid": "Đề nghị nhập một số nguyên.",
                    "min_value": "Số bắt đầu phải từ 1 trở lên.",
                    "max_value": "Số bắt đầu không được quá 9999.",
                },
            )

    def first_numbers(self) -> dict:
        return {
            name.removeprefix("first_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("first_") and not self.fields[name].disabled
        }
