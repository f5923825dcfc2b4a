"""The admin site under its Vietnamese titles (Django's Vietnamese reads "Site quản trị hệ
thống." and "Trang web admin Django"). Installed by chibo.apps.AdminConfig."""

from django.contrib import admin


class ChiboAdminSite(admin.AdminSite):
    site_header = "Quản trị chibo"
    site_title = "Quản trị chibo"
    index_title = "Quản trị hệ thống"
