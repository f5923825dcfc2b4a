"""Password reset by e-mail (Django's PasswordResetView and friends), for a login whose
address is on the account or on the party member it belongs to: most accounts are made for a
member, and the address the cell keeps is the member's."""

import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.db.models import Q


def _same_address(a: str, b: str) -> bool:
    # As Django's own form: compare after NFKC and casefold, so that a look-alike address
    # (dotless i, ligatures) never receives another person's link.
    return unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()


def _member_address(user) -> str:
    member = getattr(user, "member", None)
    return (member.email or "") if member is not None else ""


class ChiboPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="Địa chỉ e-mail",
        max_length=254,
        help_text="Địa chỉ e-mail của tài khoản hoặc của đảng viên mà chi bộ đang lưu.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        users = (
            get_user_model()
            ._default_manager.filter(Q(email__iexact=email) | Q(member__email__iexact=email), is_active=True)
            .select_related("member")
            .distinct()
        )
        for user in users:
            if not user.has_usable_password():
                continue
            if _same_address(email, user.email or "") or _same_address(email, _member_address(user)):
                yield user

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        # Django sends to the account's own address; when the match was on the member's
        # address (the account has none, or another), the link goes there instead.
        typed = self.cleaned_data["email"]
        user = context["user"]
        if not (to_email and _same_address(typed, to_email)):
            to_email = _member_address(user)
            context = {**context, "email": to_email}
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, **kwargs)


class ChiboSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
