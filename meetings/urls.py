"""The app's URLs, one namespace per area: `{% url 'meetings:run' pk %}`, `reverse("plans:detail", …)`."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from meetings.views import account, home
from meetings.views import action_reviews as action_review_views
from meetings.views import actions as action_views
from meetings.views import archive as archive_views
from meetings.views import calendar as calendar_views
from meetings.views import dashboard as dashboard_views
from meetings.views import documents as document_views
from meetings.views import exemplary as exemplary_views
from meetings.views import guide as guide_views
from meetings.views import meeting_finalize as finalize_views
from meetings.views import meeting_run as run_views
from meetings.views import meetings as meeting_views
from meetings.views import members as member_views
from meetings.views import notifications as notification_views
from meetings.views import plans as plan_views
from meetings.views import portal as portal_views
from meetings.views import register as register_views
from meetings.views import reports as report_views
from meetings.views import signing as signing_views
from meetings.views import topics as topic_views
from meetings.views import year_book as year_book_views

accounts = [
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path("doi-mat-khau/xong/", account.password_change_done, name="password_change_done"),
    path("phien-dang-nhap/", account.session_list, name="session_list"),
    path("phien-dang-nhap/ket-thuc/", account.session_end, name="session_end"),
    path("chu-ky-so/", signing_views.certificate_page, name="signing_certificate"),
    path("quen-mat-khau/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

# The in-app guide, one page per role.
guide = [
    path("huong-dan/", guide_views.guide_index, name="index"),
    path("huong-dan/bi-thu/", guide_views.guide_secretary, name="secretary"),
    path("huong-dan/dang-vien/", guide_views.guide_member, name="member"),
    path("huong-dan/cap-uy/", guide_views.guide_committee, name="committee"),
]

# The secretary's workflow: plan → topic → meeting → minutes.
plans = [
    path("ke-hoach/", plan_views.plan_index, name="index"),
    path("ke-hoach/<int:pk>/", plan_views.plan_detail, name="detail"),
    path("ke-hoach/<int:pk>/gui-cap-tren/", plan_views.plan_submit, name="submit"),
    path("ke-hoach/<int:pk>/mo-lai/", plan_views.plan_reopen, name="reopen"),
    path("ke-hoach/<int:pk>/ke-hoach.pdf", document_views.plan_pdf, name="pdf"),
]

topics = [
    path("chuyen-de/<int:pk>/", topic_views.topic_detail, name="detail"),
    path("chuyen-de/<int:pk>/de-dan.pdf", document_views.topic_pdf, name="pdf"),
    path("chuyen-de/<int:pk>/tep-de-dan", document_views.topic_lead_file, name="lead_file"),
    path("chuyen-de/<int:pk>/tep-hoan-chinh", document_views.topic_completed_file, name="completed_file"),
    path("chuyen-de/<int:pk>/tieu-bieu/", exemplary_views.exemplary_mark_view, name="exemplary_mark"),
    path("chuyen-de/<int:pk>/bo-tieu-bieu/", exemplary_views.exemplary_unmark_view, name="exemplary_unmark"),
]

meetings = [
    path("buoi-sinh-hoat/", meeting_views.meeting_list, name="list"),
    path("buoi-sinh-hoat/<int:pk>/", meeting_views.meeting_detail, name="detail"),
    path("buoi-sinh-hoat/<int:pk>/lich-hop/", meeting_views.meeting_schedule, name="schedule"),
    path("buoi-sinh-hoat/<int:pk>/dai-bieu/", meeting_views.meeting_guest, name="guest"),
    path("buoi-sinh-hoat/<int:pk>/chuyen-giai-doan/", meeting_views.meeting_transition, name="transition"),
    path("buoi-sinh-hoat/<int:pk>/dien-bien/", run_views.meeting_run, name="run"),
    path("buoi-sinh-hoat/<int:pk>/dien-bien/ghi/", run_views.meeting_run_action, name="run_action"),
    path(
        "buoi-sinh-hoat/<int:pk>/kiem-diem-viec/<int:item_pk>/",
        action_review_views.action_review_save,
        name="action_review",
    ),
    path("buoi-sinh-hoat/<int:pk>/hoan-tat/", finalize_views.meeting_finalize, name="finalize"),
    path(
        "buoi-sinh-hoat/<int:pk>/hoan-tat/thong-qua/",
        finalize_views.meeting_minutes_adoption,
        name="minutes_adoption",
    ),
    path("buoi-sinh-hoat/<int:pk>/dinh-chinh/", finalize_views.meeting_addendum, name="addendum"),
    path("buoi-sinh-hoat/<int:pk>/ky-so/", signing_views.meeting_minutes_sign, name="sign"),
    path("buoi-sinh-hoat/<int:pk>/bien-ban.pdf", document_views.meeting_minutes_pdf, name="minutes_pdf"),
    path("buoi-sinh-hoat/<int:pk>/thong-bao.pdf", document_views.meeting_notice_pdf, name="notice_pdf"),
    path(
        "buoi-sinh-hoat/<int:pk>/danh-sach-diem-danh.pdf",
        document_views.meeting_attendance_sheet_pdf,
        name="attendance_sheet_pdf",
    ),
]

minutes = [
    path("bien-ban/<int:pk>/pdf/", document_views.minutes_pdf, name="pdf"),
    path("bien-ban/xac-thuc/", document_views.minutes_verify, name="verify"),
    path("bien-ban/phu-luc/<int:pk>/pdf/", document_views.addendum_pdf, name="addendum_pdf"),
    # The cell's register of decisions (issue 17, item 5).
    path("chi-bo/<int:pk>/so-nghi-quyet/", register_views.register_page, name="register"),
    path("chi-bo/<int:pk>/so-nghi-quyet/xuat-excel/", register_views.register_export, name="register_export"),
]

# The member's own pages.
portal = [
    path("viec-cua-toi/", portal_views.my_tasks, name="tasks"),
    path("tham-luan/<int:pk>/nop/", portal_views.contribution_edit, name="contribution_edit"),
    path("tham-luan/<int:pk>/tep/", portal_views.contribution_file, name="contribution_file"),
    path("lich-hop/", portal_views.my_meetings, name="meetings"),
    path("lich-hop/<int:pk>/tra-loi/", portal_views.meeting_reply, name="meeting_reply"),
    path("viec-thuc-hien/<int:pk>/", action_views.action_progress, name="action_progress"),
]

library = [
    path("thu-vien/", portal_views.library, name="index"),
    path("thu-vien/<int:pk>/", portal_views.library_detail, name="detail"),
    path("thu-vien/<int:pk>/pdf/", portal_views.library_pdf, name="pdf"),
    path("thu-vien/<int:pk>/dung-lam-mau/", exemplary_views.library_use_view, name="use"),
]

calendar = [
    path("lich-ca-nhan/", calendar_views.calendar_settings, name="settings"),
    path("lich-ca-nhan/tao-moi/", calendar_views.calendar_regenerate, name="regenerate"),
    path("lich/<str:token>.ics", calendar_views.calendar_feed, name="feed"),
]

members = [
    path("dang-vien/", member_views.member_list, name="list"),
    path("dang-vien/them/", member_views.member_create_view, name="create"),
    path("chi-bo/<int:pk>/cap-uy-phu-trach/", member_views.cell_follower, name="follower"),
    path("chi-bo/<int:pk>/so-van-ban/", member_views.cell_document_settings, name="document_settings"),
    path("dang-vien/<int:pk>/sua/", member_views.member_edit, name="edit"),
    path("dang-vien/xuat-excel/", member_views.member_export, name="export"),
    path("dang-vien/nhap-excel/", member_views.member_import, name="import"),
    path("dang-vien/nhap-excel/mau.xlsx", member_views.member_import_template, name="import_template"),
    path("dang-vien/nhap-excel/xac-nhan/", member_views.member_import_confirm, name="import_confirm"),
]

# The superior committee's pages.
dashboard = [
    path("tong-hop/", dashboard_views.dashboard_home, name="home"),
    path("tong-hop/<int:pk>/", dashboard_views.dashboard_org, name="org"),
    path("tong-hop/<int:pk>/xuat-excel/", dashboard_views.dashboard_export, name="export"),
    path("tong-hop/chi-bo/<int:pk>/", dashboard_views.dashboard_cell, name="cell"),
    path("tong-hop/<int:pk>/thuc-hien-ket-luan/", dashboard_views.dashboard_actions, name="actions"),
    path(
        "tong-hop/<int:pk>/thuc-hien-ket-luan/xuat-excel/",
        dashboard_views.dashboard_actions_export,
        name="actions_export",
    ),
]

reports = [
    path("bao-cao-nhan-duoc/", report_views.report_inbox, name="inbox"),
    path("bao-cao-nhan-duoc/<int:pk>/", report_views.report_detail, name="detail"),
    path("bao-cao-nhan-duoc/<int:pk>/xem-xet/", report_views.report_review_view, name="review"),
    path("bao-cao/", report_views.cell_reports, name="cell_list"),
    path("bao-cao/<int:pk>/bo-sung/", report_views.cell_report_correct, name="cell_correct"),
]

archive = [
    path("luu-tru/chi-bo/<int:pk>/", archive_views.archive_cell, name="cell"),
    path("luu-tru/to-chuc/<int:pk>/", archive_views.archive_org, name="org"),
    path("luu-tru/chi-bo/<int:pk>/so-bien-ban.pdf", year_book_views.year_book_pdf, name="year_book"),
]

# The secretary's outbox.
notifications = [
    path("thu-gui-di/", notification_views.notification_home, name="home"),
    path("chi-bo/<int:cell_id>/thu-gui-di/", notification_views.notification_list, name="list"),
    path(
        "chi-bo/<int:cell_id>/thu-gui-di/<int:pk>/gui-lai/",
        notification_views.notification_resend_view,
        name="resend",
    ),
]

AREAS = {
    "accounts": accounts,
    "plans": plans,
    "topics": topics,
    "meetings": meetings,
    "minutes": minutes,
    "portal": portal,
    "library": library,
    "calendar": calendar,
    "members": members,
    "dashboard": dashboard,
    "reports": reports,
    "archive": archive,
    "notifications": notifications,
    "guide": guide,
}

urlpatterns = [
    path("", home.home, name="home"),
    *(path("", include((patterns, namespace))) for namespace, patterns in AREAS.items()),
]
