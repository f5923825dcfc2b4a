from django.contrib.auth import views as auth_views
from django.urls import path

from meetings.views import account, home
from meetings.views import archive as archive_views
from meetings.views import calendar as calendar_views
from meetings.views import dashboard as dashboard_views
from meetings.views import documents as document_views
from meetings.views import meeting_finalize as finalize_views
from meetings.views import meeting_run as run_views
from meetings.views import meetings as meeting_views
from meetings.views import members as member_views
from meetings.views import notifications as notification_views
from meetings.views import plans as plan_views
from meetings.views import portal as portal_views
from meetings.views import reports as report_views
from meetings.views import topics as topic_views

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", account.password_change_done, name="password_change_done"),
    path("phien-dang-nhap/", account.session_list, name="session_list"),
    path("phien-dang-nhap/ket-thuc/", account.session_end, name="session_end"),
    # Secretary's workflow: plan → topic → meeting → minutes (issue 3)
    path("ke-hoach/", plan_views.plan_index, name="plan_index"),
    path("ke-hoach/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/gui-cap-tren/", plan_views.plan_submit, name="plan_submit"),
    path("ke-hoach/<int:pk>/mo-lai/", plan_views.plan_reopen, name="plan_reopen"),
    path("chuyen-de/<int:pk>/", topic_views.topic_detail, name="topic_detail"),
    path("buoi-sinh-hoat/", meeting_views.meeting_list, name="meeting_list"),
    path("buoi-sinh-hoat/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("buoi-sinh-hoat/<int:pk>/lich-hop/", meeting_views.meeting_schedule, name="meeting_schedule"),
    path("buoi-sinh-hoat/<int:pk>/dai-bieu/", meeting_views.meeting_guest, name="meeting_guest"),
    path("buoi-sinh-hoat/<int:pk>/chuyen-giai-doan/", meeting_views.meeting_transition, name="meeting_transition"),
    path("buoi-sinh-hoat/<int:pk>/dien-bien/", run_views.meeting_run, name="meeting_run"),
    path("buoi-sinh-hoat/<int:pk>/dien-bien/ghi/", run_views.meeting_run_action, name="meeting_run_action"),
    path("buoi-sinh-hoat/<int:pk>/hoan-tat/", finalize_views.meeting_finalize, name="meeting_finalize"),
    path("buoi-sinh-hoat/<int:pk>/dinh-chinh/", finalize_views.meeting_addendum, name="meeting_addendum"),
]

# Members' portal, member list, dashboard, reports, calendar, archive (issue 6).
urlpatterns += [
    path("viec-cua-toi/", portal_views.my_tasks, name="my_tasks"),
    path("tham-luan/<int:pk>/nop/", portal_views.contribution_edit, name="contribution_edit"),
    path("tham-luan/<int:pk>/tep/", portal_views.contribution_file, name="contribution_file"),
    path("lich-hop/", portal_views.my_meetings, name="my_meetings"),
    path("lich-hop/<int:pk>/tra-loi/", portal_views.meeting_reply, name="meeting_reply"),
    path("thu-vien/", portal_views.library, name="library"),
    path("thu-vien/<int:pk>/", portal_views.library_detail, name="library_detail"),
    path("thu-vien/<int:pk>/pdf/", portal_views.library_pdf, name="library_pdf"),
    path("lich-ca-nhan/", calendar_views.calendar_settings, name="calendar_settings"),
    path("lich-ca-nhan/tao-moi/", calendar_views.calendar_regenerate, name="calendar_regenerate"),
    path("lich/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("dang-vien/", member_views.member_list, name="member_list"),
    path("dang-vien/them/", member_views.member_create_view, name="member_create"),
    path("dang-vien/<int:pk>/sua/", member_views.member_edit, name="member_edit"),
    path("dang-vien/xuat-excel/", member_views.member_export, name="member_export"),
    path("dang-vien/nhap-excel/", member_views.member_import, name="member_import"),
    path("dang-vien/nhap-excel/mau.xlsx", member_views.member_import_template, name="member_import_template"),
    path("dang-vien/nhap-excel/xac-nhan/", member_views.member_import_confirm, name="member_import_confirm"),
    path("tong-hop/", dashboard_views.dashboard_home, name="dashboard"),
    path("tong-hop/<int:pk>/", dashboard_views.dashboard_org, name="dashboard_org"),
    path("tong-hop/<int:pk>/xuat-excel/", dashboard_views.dashboard_export, name="dashboard_export"),
    path("tong-hop/chi-bo/<int:pk>/", dashboard_views.dashboard_cell, name="dashboard_cell"),
    path("bao-cao-nhan-duoc/", report_views.report_inbox, name="report_inbox"),
    path("bao-cao-nhan-duoc/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("bao-cao-nhan-duoc/<int:pk>/xem-xet/", report_views.report_review_view, name="report_review"),
    path("bao-cao/", report_views.cell_reports, name="cell_reports"),
    path("bao-cao/<int:pk>/bo-sung/", report_views.cell_report_correct, name="cell_report_correct"),
    path("luu-tru/chi-bo/<int:pk>/", archive_views.archive_cell, name="archive_cell"),
    path("luu-tru/to-chuc/<int:pk>/", archive_views.archive_org, name="archive_org"),
    # Official documents as PDF (issue 4)
    path("bien-ban/<int:pk>/pdf/", document_views.minutes_pdf, name="minutes_pdf"),
    path("bien-ban/xac-thuc/", document_views.minutes_verify, name="minutes_verify"),
    path("buoi-sinh-hoat/<int:pk>/bien-ban.pdf", document_views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("buoi-sinh-hoat/<int:pk>/thong-bao.pdf", document_views.meeting_notice_pdf, name="meeting_notice_pdf"),
    path(
        "buoi-sinh-hoat/<int:pk>/danh-sach-diem-danh.pdf",
        document_views.meeting_attendance_sheet_pdf,
        name="meeting_attendance_sheet_pdf",
    ),
    path("chuyen-de/<int:pk>/de-dan.pdf", document_views.topic_pdf, name="topic_pdf"),
    path("ke-hoach/<int:pk>/ke-hoach.pdf", document_views.plan_pdf, name="plan_pdf"),
]

# The secretary's outbox (issue 5).
urlpatterns += [
    path("thu-gui-di/", notification_views.notification_home, name="notification_home"),
    path("chi-bo/<int:cell_id>/thu-gui-di/", notification_views.notification_list, name="notification_list"),
    path(
        "chi-bo/<int:cell_id>/thu-gui-di/<int:pk>/gui-lai/",
        notification_views.notification_resend_view,
        name="notification_resend",
    ),
]
