"""Forms of a topic's preparation: title, lead author, lead paper, contributions."""

from django import forms

from meetings.forms.base import BoundedText, DateInput, MemberChoiceField
from meetings.models import (
    COMPLETED_TEXT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    LEAD_PAPER_MAX_LENGTH,
    TOPIC_TITLE_MAX_LENGTH,
    Member,
    TopicGroup,
)
from meetings.selectors.members import cell_members


class TopicEditForm(forms.Form):
    title = BoundedText(label="Tên chuyên đề", max_length=TOPIC_TITLE_MAX_LENGTH)
    group = forms.ModelChoiceField(label="Nhóm chuyên đề", queryset=TopicGroup.objects.all())
    description = BoundedText(label="Mục đích, yêu cầu", required=False, max_length=DESCRIPTION_MAX_LENGTH, rows=3)


class LeadAuthorForm(forms.Form):
    author = MemberChoiceField(label="Người chuẩn bị đề dẫn", queryset=Member.objects.none())
    due = forms.DateField(label="Hạn nộp đề dẫn", required=False, widget=DateInput())

    def __init__(self, *args, cell_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = cell_members(cell_id)


class LeadPaperForm(forms.Form):
    text = BoundedText(label="Nội dung đề dẫn", required=False, max_length=LEAD_PAPER_MAX_LENGTH, rows=8)
    file = forms.FileField(
        label="Tệp đề dẫn (PDF hoặc DOCX)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )


class CompletedTopicForm(forms.Form):
    text = BoundedText(
        label="Nội dung chuyên đề hoàn chỉnh (đã tiếp thu ý kiến tại buổi sinh hoạt)",
        required=False,
        max_length=COMPLETED_TEXT_MAX_LENGTH,
        rows=10,
    )
    file = forms.FileField(
        label="Tệp chuyên đề hoàn chỉnh (PDF hoặc DOCX)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )


class ContributionAssignForm(forms.Form):
    member = MemberChoiceField(label="Đảng viên", queryset=Member.objects.none())
    subject = BoundedText(label="Nội dung tham luận được phân công", max_length=TOPIC_TITLE_MAX_LENGTH)
    due_on = forms.DateField(label="Hạn nộp", required=False, widget=DateInput())

    def __init__(self, *args, cell_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = cell_members(cell_id)
