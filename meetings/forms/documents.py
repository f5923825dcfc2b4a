"""Verifying a minutes PDF."""

from django import forms


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
