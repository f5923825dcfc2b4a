"""The admin and the sections of the third-party apps in it, under names in the wording of a
party office (their own names are English or an awkward translation: "Axes", "Pghistory",
"Xác thực và ủy quyền", "Site quản trị hệ thống."). Listed in INSTALLED_APPS in place of the
apps themselves; labels, models and behaviour are unchanged. A module of its own, because
Django would take any of these imported classes for chibo's own AppConfig."""

from axes.apps import AppConfig as BaseAxesConfig
from django.contrib.admin.apps import AdminConfig as BaseAdminConfig
from django.contrib.auth.apps import AuthConfig as BaseAuthConfig
from pghistory.apps import PGHistoryConfig as BasePGHistoryConfig


class AdminConfig(BaseAdminConfig):
    default_site = "chibo.admin_site.ChiboAdminSite"


class AuthConfig(BaseAuthConfig):
    verbose_name = "Phân quyền"


class AxesConfig(BaseAxesConfig):
    verbose_name = "Theo dõi đăng nhập"


class PGHistoryConfig(BasePGHistoryConfig):
    verbose_name = "Lịch sử thay đổi dữ liệu"
