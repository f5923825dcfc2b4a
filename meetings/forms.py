"""Input validation for the pages (crispy-forms, Bootstrap 5). Writes happen in services."""

import datetime

from django import forms
from django.utils import timezone

from meetings.models import (
    ADDENDUM_MAX_LENGTH,
    COMPLETED_TEXT_MAX_LENGTH,
    CONCLUSION_TEXT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    LEAD_PAPER_MAX_LENGTH,
    MEETING_TEXT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    RESERVATION_MAX_LENGTH,
    RESOLUTION_MAX_LENGTH,
    SPEECH_MAX_LENGTH,
    TOPIC_TITLE_MAX_LENGTH,
    CombinedOrder,
    DirectedTopic,
    Guest,
    Member,
    MemberStatus,
    MinutesAdoption,
    SignerRole,
    TopicGroup,
    User,
)
from meetings.models.action_reviews import REVIEW_STATUSES
from meetings.models.actions import ActionOwnerKind, ActionStatus
from meetings.models.limits import ACTION_NOTE_MAX_LENGTH, ACTION_TEXT_MAX_LENGTH, limit_text, too_long_message
from meetings.models.meetings import MeetingMode
from meetings.periods import quarter_of_month
from meetings.rules.meeting_mode import MODE_INVALID, clean_room
from meetings.rules.meetings import CHAIR_IS_CLERK
from meetings.selectors.members import cell_members, follower_candidates


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MemberChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "Đảng viên đã chọn không thuộc chi bộ này."}

    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.get_position_display()})"


class BoundedText(forms.CharField):
    """A free-text field with its limit stated under it and a Vietnamese refusal beyond it.
    Line breaks count as one character, as the browser's maxlength counts them."""

    def __init__(self, *, max_length: int, rows: int | None = None, help_text: str = "", **kwargs):
        if rows:
            kwargs["widget"] = forms.Textarea(attrs={"rows": rows})
        stated = limit_text(max_length)
        super().__init__(
            max_length=max_length,
            help_text=f"{help_text} {stated}" if help_text else stated,
            error_messages={"max_length": too_long_message(max_length) + " Đề nghị rút gọn."},
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class VersionedForm(forms.Form):
    """Carries the meeting version the user saw (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- plans --------------------------------------------------------------------------------


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


# --- topics -------------------------------------------------------------------------------


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


# --- meetings -----------------------------------------------------------------------------


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


class MinutesVerifyForm(forms.Form):
    """Check a minutes PDF: the printed verification code, the file, or both."""

    code = forms.CharField(
        label="Mã xác thực in trên biên bản",
        max_length=20,
        required=False,
        help_text="Ví dụ: ABCD-EFGH (in ở cuối biên bản và chân mỗi trang).",
    )
    file = forms.FileField(label="Tệp PDF biên bản cần đối chiếu", required=False)

    def clean_file(self):
        from meetings.uploads import validate_upload

        uploaded = self.cleaned_data.get("file")
        if uploaded:
            validate_upload(uploaded, kinds=("pdf",))
        return uploaded

    def clean(self):
        data = super().clean()
        if not data.get("code", "").strip() and not data.get("file") and not self.errors:
            raise forms.ValidationError("Hãy nhập mã xác thực hoặc chọn tệp PDF biên bản (hoặc cả hai).")
        uploaded = data.get("file")
        data["data"] = uploaded.read() if uploaded else None
        data["code"] = data.get("code", "").strip()
        return data


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


# --- ending the meeting (run page) ------------------------------------------------------------


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


# --- action items of a conclusion (issue 17) ----------------------------------------------


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


# --- digital signatures (issue 18): uploading a PKCS#12 file, signing minutes ---------------

PKCS12_MAX_BYTES = 64 * 1024


class CertificateUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp chứng thư số (PKCS#12: .p12 hoặc .pfx)",
        help_text="Tệp chứa khóa bí mật và chứng thư số do tổ chức chứng thực cấp (Ban Cơ yếu Chính phủ).",
    )
    password = forms.CharField(
        label="Mật khẩu của tệp",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Chỉ dùng để kiểm tra tệp; hệ thống không lưu mật khẩu này.",
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > PKCS12_MAX_BYTES:
            raise forms.ValidationError("Tệp chứng thư số quá lớn (tối đa 64 KB).")
        return uploaded

    def clean(self):
        data = super().clean()
        uploaded = data.get("file")
        data["data"] = uploaded.read() if uploaded else None
        return data


class MinutesSignForm(forms.Form):
    role = forms.ChoiceField(choices=SignerRole.choices, widget=forms.HiddenInput)
    password = forms.CharField(
        label="Mật khẩu chứng thư số",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Mật khẩu của tệp PKCS#12 đã tải lên; không được lưu lại.",
    )
