from django.db import models


class UserSession(models.Model):
    """A login session of a user, so that they can see and end their other sessions."""

    user = models.ForeignKey(
        "meetings.User", verbose_name="tài khoản", on_delete=models.CASCADE, related_name="sessions"
    )
    session_key = models.CharField("mã phiên", max_length=40, unique=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    user_agent = models.CharField("trình duyệt", max_length=255, blank=True)
    created_at = models.DateTimeField("đăng nhập lúc", auto_now_add=True)
    last_seen_at = models.DateTimeField("hoạt động gần nhất", auto_now_add=True)

    class Meta:
        verbose_name = "phiên đăng nhập"
        verbose_name_plural = "phiên đăng nhập"
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.user} – {self.ip_address or '?'}"
