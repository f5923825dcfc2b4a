"""Forms of the yearly plan."""

from django import forms

from meetings.forms.base import BoundedText, MemberChoiceField
from meetings.models import (
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TOPIC_TITLE_MAX_LENGTH,
    DirectedTopic,
    Member,
    TopicGroup,
)
from meetings.periods import quarter_of_month
from meetings.selectors.members import cell_members


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label="Năm kế hoạch", min_value=2000, max_value=2100)
    note = BoundedText(label="Ghi chú", required=False, max_length=NOTE_MAX_LENGTH, rows=2)


class PlanMeetingForm(forms.Form):
    quarter = forms.TypedChoiceField(label="Quý", coerce=int, choices=[(q, f"Quý {q}") for q in (1, 2, 3, 4)])
    planned_month = forms.TypedChoiceField(
        label="Tháng dự kiến",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "— chưa xác định —")] + [(m, f"Tháng {m}") for m in range(1, 13)],
    )
    directed_topic = forms.ModelChoiceField(
        label="Chuyên đề do cấp trên triển khai",
        required=False,
        queryset=DirectedTopic.objects.none(),
        empty_label="— chuyên đề riêng của chi bộ —",
        error_messages={"invalid_choice": "Chuyên đề đã chọn không do cấp ủy cấp trên của chi bộ triển khai."},
    )
    title = BoundedText(
        label="Tên chuyên đề (nếu là chuyên đề riêng)",
        required=False,
        max_length=TOPIC_TITLE_MAX_LENGTH,
        help_text="Để trống nếu chọn chuyên đề cấp trên.",
    )
    group = forms.ModelChoiceField(label="Nhóm chuyên đề", required=False, queryset=TopicGroup.objects.all())
    responsible = MemberChoiceField(label="Người phụ trách", required=False, queryset=Member.objects.none())
    description = BoundedText(label="Mục đích, yêu cầu", required=False, max_length=DESCRIPTION_MAX_LENGTH, rows=2)

    def __init__(self, *args, cell, year, directed_topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directed_topic"].queryset = directed_topics
        self.fields["directed_topic"].label_from_instance = lambda t: f"{t.title} — {t.committee.name}"
        self.fields["responsible"].queryset = cell_members(cell.pk)
        self.year = year

    def clean(self):
        data = super().clean()
        if not data.get("directed_topic") and not (data.get("title") or "").strip():
            self.add_error("title", "Nhập tên chuyên đề hoặc chọn chuyên đề cấp trên triển khai.")
        if not data.get("directed_topic") and not data.get("group"):
            self.add_error("group", "Chọn nhóm của chuyên đề riêng.")
        month, quarter = data.get("planned_month"), data.get("quarter")
        if month and quarter and quarter_of_month(month) != quarter:
            self.add_error("planned_month", f"Tháng {month} không thuộc quý {quarter}.")
        return data
