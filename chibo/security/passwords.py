"""Django's password validators with their messages in Vietnamese."""

from django.contrib.auth import password_validation as pv
from django.core.exceptions import ValidationError


class LengthValidator(pv.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.", code="password_too_short")

    def get_help_text(self):
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."


class SimilarityValidator(pv.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "Mật khẩu quá giống tên đăng nhập, họ tên hoặc e-mail của tài khoản.", code="password_too_similar"
            ) from None

    def get_help_text(self):
        return "Mật khẩu không được quá giống tên đăng nhập, họ tên hoặc e-mail."


class CommonValidator(pv.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("Mật khẩu này quá phổ biến, dễ bị đoán.", code="password_too_common") from None

    def get_help_text(self):
        return "Không dùng mật khẩu phổ biến, dễ đoán."


class NumericValidator(pv.NumericPasswordValidator):
    def validate(self, password, user=None):
        if password.isdigit():
            raise ValidationError("Mật khẩu không được chỉ gồm chữ số.", code="password_entirely_numeric")

    def get_help_text(self):
        return "Mật khẩu không được chỉ gồm chữ số."
