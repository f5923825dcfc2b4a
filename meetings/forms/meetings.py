"""Forms of scheduling and running a meeting, the minutes' adoption and addenda."""

import datetime

from django import forms
from django.utils import timezone

from meetings.forms.base import BoundedText, DateInput, MemberChoiceField, TimeInput, VersionedForm
from meetings.models import (
    ADDENDUM_MAX_LENGTH,
    CONCLUSION_TEXT_MAX_LENGTH,
    MEETING_TEXT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    RESERVATION_MAX_LENGTH,
    RESOLUTION_MAX_LENGTH,
    SPEECH_MAX_LENGTH,
    CombinedOrder,
    Guest,
    Member,
    MinutesAdoption,
    User,
)
from meetings.models.meetings import MeetingMode
from meetings.rules.meeting_mode import MODE_INVALID, clean_room
from meetings.rules.meetings import CHAIR_IS_CLERK
from meetings.selectors.members import cell_members, follower_candidates


class ScheduleForm(VersionedForm):
    scheduled_date = forms.DateField(label="Ngày họp", widget=DateInput())
    start_time = forms.TimeField(label="Giờ bắt đầu", widget=TimeInput())
    place = BoundedText(label="Địa điểm", max_length=255, help_text="Khi họp trực tuyến: điểm cầu chính (nơi chủ trì).")
    # Meeting mode (issue 17, item 6); its HD 03-HD/TW conditions are warnings, not required here.
    mode = forms.ChoiceField(
        label="Hình thức sinh hoạt",
        choices=MeetingMode.choices,
        initial=MeetingMode.IN_PERSON,
        required=False,  # not posted (an older page): in person
        error_messages={"invalid_choice": MODE_INVALID},
    )
    online_room = BoundedText(
        label="Phòng họp trực tuyến (đường dẫn hoặc tên điểm cầu)",
        max_length=500,
        required=False,
        help_text="Chỉ khi họp trực tuyến hoặc kết hợp.",
    )
    online_reason = BoundedText(
        label="Lý do sinh hoạt trực tuyến",
        max_length=255,
        required=False,
        help_text="Ví dụ: dịch bệnh, thiên tai, địa bàn xa.",
    )
    online_not_secret = forms.BooleanField(label="Nội dung không thuộc bí mật nhà nước", required=False)
    chair = MemberChoiceField(label="Người chủ trì", required=False, queryset=Member.objects.none())
    clerk = MemberChoiceField(label="Thư ký ghi biên bản", required=False, queryset=Member.objects.none())
    combined_with_regular = forms.BooleanField(label="Kết hợp với sinh hoạt thường kỳ trong cùng buổi", required=False)
    combined_order = forms.ChoiceField(
        label="Thứ tự khi kết hợp", required=False, choices=[("", "—"), *CombinedOrder.choices]
    )

    def __init__(self, *args, cell_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = cell_members(cell_id)
        self.fields["clerk"].queryset = cell_members(cell_id)

    def clean(self):
        data = super().clean()
        if data.get("combined_with_regular") and not data.get("combined_order"):
            self.add_error("combined_order", "Khi kết hợp với sinh hoạt thường kỳ, hãy chọn thứ tự tiến hành.")
        if data.get("chair") and data.get("chair") == data.get("clerk"):
            self.add_error("clerk", CHAIR_IS_CLERK)
        data["mode"] = data.get("mode") or MeetingMode.IN_PERSON
        if data.get("online_room"):
            try:
                data["online_room"] = clean_room(data["online_room"])
            except forms.ValidationError as exc:
                self.add_error("online_room", exc)
        return data


class GuestForm(VersionedForm):
    name = BoundedText(label="Họ và tên đại biểu", max_length=120)
    title = BoundedText(label="Chức vụ, đơn vị", max_length=255, required=False)
    email = forms.EmailField(label="E-mail (để gửi giấy mời)", max_length=254, required=False)


class StepForm(VersionedForm):
    step = forms.CharField(widget=forms.HiddenInput)
    text = BoundedText(label="Nội dung", required=False, max_length=MEETING_TEXT_MAX_LENGTH, rows=4)
    note = BoundedText(label="Ghi chú", required=False, max_length=NOTE_MAX_LENGTH, rows=2)
    clerk = MemberChoiceField(label="Thư ký ghi biên bản", required=False, queryset=Member.objects.none())

    def __init__(self, *args, cell_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clerk"].queryset = cell_members(cell_id, expected_only=True)


class SpeechForm(VersionedForm):
    speaker = MemberChoiceField(label="Người phát biểu", required=False, queryset=Member.objects.none())
    guest = forms.ModelChoiceField(
        label="Hoặc đại biểu phát biểu", required=False, queryset=Guest.objects.none(), empty_label="(không)"
    )
    content = BoundedText(label="Nội dung phát biểu", max_length=SPEECH_MAX_LENGTH, rows=4)

    def __init__(self, *args, cell_id, meeting_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = cell_members(cell_id, expected_only=True)
        self.fields["guest"].queryset = Guest.objects.filter(meeting_id=meeting_id)

    def clean(self):
        data = super().clean()
        if bool(data.get("speaker")) == bool(data.get("guest")):
            self.add_error("speaker", "Chọn một đảng viên hoặc một đại biểu.")
        return data


class FollowerForm(forms.Form):
    follower = forms.ModelChoiceField(
        label="Cấp ủy viên phụ trách chi bộ",
        required=False,
        queryset=User.objects.none(),
        empty_label="(chưa phân công)",
    )

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follower"].queryset = follower_candidates(cell)


class ConclusionForm(VersionedForm):
    preparation_evaluation = BoundedText(label="Đánh giá việc chuẩn bị", max_length=CONCLUSION_TEXT_MAX_LENGTH, rows=3)
    quality_evaluation = BoundedText(
        label="Đánh giá chất lượng buổi sinh hoạt, ý nghĩa đối với chi bộ",
        max_length=CONCLUSION_TEXT_MAX_LENGTH,
        rows=3,
    )
    adopted = BoundedText(
        label="Những nội dung được thống nhất tiếp thu", max_length=CONCLUSION_TEXT_MAX_LENGTH, rows=3
    )
    orientation = BoundedText(
        label="Định hướng tư tưởng, giải pháp thực hiện",
        required=False,
        max_length=CONCLUSION_TEXT_MAX_LENGTH,
        rows=3,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for key, label, maximum in criteria:
            self.fields[f"score_{key}"] = forms.IntegerField(
                label=f"{label} (tối đa {maximum} điểm)",
                min_value=0,
                max_value=maximum,
                error_messages={
                    "max_value": f"Tối đa {maximum} điểm.",
                    "min_value": "Không được âm.",
                    "required": "Vui lòng chấm điểm tiêu chí này.",
                },
            )

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"score_{key}"] for key, _, _ in self.criteria}


class ResolutionForm(VersionedForm):
    text = BoundedText(label="Nội dung nghị quyết", max_length=RESOLUTION_MAX_LENGTH, rows=4)
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0)
    votes_against = forms.IntegerField(label="Số không tán thành", min_value=0, initial=0, required=False)
    votes_abstain = forms.IntegerField(label="Số không biểu quyết", min_value=0, initial=0, required=False)


class TimesForm(VersionedForm):
    actual_start = forms.TimeField(label="Giờ bắt đầu thực tế", widget=TimeInput())
    actual_end = forms.TimeField(label="Giờ kết thúc thực tế", required=False, widget=TimeInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("actual_start"), data.get("actual_end")
        if start and end and end <= start:
            self.add_error("actual_end", "Giờ kết thúc phải sau giờ bắt đầu.")
        return data


class MinutesAdoptionForm(VersionedForm):
    read_back = forms.BooleanField(label="Thư ký đã đọc lại biên bản cho chi bộ nghe", required=False)
    read_back_time = forms.TimeField(label="Giờ đọc lại biên bản", required=False, widget=TimeInput())
    adoption = forms.ChoiceField(
        label="Kết quả thông qua biên bản",
        choices=MinutesAdoption.choices,
        required=False,
        widget=forms.RadioSelect,
    )


class ReservationForm(forms.Form):
    member = MemberChoiceField(label="Đồng chí bảo lưu ý kiến", queryset=Member.objects.none(), required=False)
    text = BoundedText(label="Ý kiến bảo lưu (nguyên văn)", required=False, max_length=RESERVATION_MAX_LENGTH, rows=2)

    def __init__(self, *args, cell_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = cell_members(cell_id)


ReservationFormSet = forms.formset_factory(ReservationForm, extra=2, max_num=50, validate_max=True)


class AddendumForm(forms.Form):
    text = BoundedText(label="Nội dung đính chính, bổ sung", max_length=ADDENDUM_MAX_LENGTH, rows=4)


def local_time(value: datetime.datetime | None):
    return timezone.localtime(value).time().replace(second=0, microsecond=0) if value else None


class MeetingEndForm(VersionedForm):
    """The actual times, asked when the secretary ends the meeting."""

    actual_start = forms.TimeField(
        label="Giờ bắt đầu thực tế",
        widget=TimeInput(),
        error_messages={"required": "Vui lòng nhập giờ bắt đầu thực tế.", "invalid": "Nhập giờ dạng 14:30."},
    )
    actual_end = forms.TimeField(
        label="Giờ kết thúc thực tế",
        widget=TimeInput(),
        error_messages={"required": "Vui lòng nhập giờ kết thúc thực tế.", "invalid": "Nhập giờ dạng 14:30."},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("actual_start"), data.get("actual_end")
        if start and end and end <= start:
            self.add_error("actual_end", "Giờ kết thúc phải sau giờ bắt đầu.")
        return data
