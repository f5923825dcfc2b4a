"""Digital signatures (issue 18): uploading a PKCS#12 file, signing minutes."""

from django import forms

from meetings.models import (
    SignerRole,
)

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
