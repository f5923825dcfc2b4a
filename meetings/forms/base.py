"""Widgets, fields and the base form the page forms share."""

from django import forms

from meetings.models.limits import limit_text, too_long_message


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
