"""Password reset by e-mail: "Quên mật khẩu?" → e-mail with a one-time link → new password."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mat-khau-moi-2026!"


def _link(message):
    found = re.search(r"https?://\S+/dat-lai-mat-khau/\S+/", message.body)
    assert found, message.body
    return found.group(0)


def _ask(client, email, **extra):
    return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def _set_password(client, link):
    path = link.split("testserver", 1)[-1] if "testserver" in link else re.sub(r"^https?://[^/]+", "", link)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    return form, client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )


def test_login_page_offers_password_reset_and_the_form_is_in_vietnamese(client):
    assert "Quên mật khẩu?" in client.get(reverse("accounts:login")).content.decode()
    html = client.get(reverse("accounts:password_reset")).content.decode()
    assert "Quên mật khẩu" in html and "Địa chỉ e-mail" in html


def test_reset_mail_is_sent_in_vietnamese_and_its_link_sets_a_new_password_once(client):
    member = f.MemberWithUserFactory(user__email="thanh@example.vn")
    response = _ask(client, "THANH@example.vn")
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["thanh@example.vn"]
    assert message.subject == "[chibo] Đặt lại mật khẩu đăng nhập"
    assert "Kính gửi đồng chí" in message.body and "chỉ dùng được một lần" in message.body
    link = _link(message)
    assert link.startswith("http://testserver/dat-lai-mat-khau/")

    form, done = _set_password(client, link)
    assert "Đặt mật khẩu mới" in form.content.decode()
    assert done.redirect_chain[-1][0] == reverse("accounts:password_reset_complete")
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    member.user.refresh_from_db()
    assert member.user.check_password(NEW_PASSWORD)

    # The same link a second time: refused in plain words, with a way to ask again.
    again = client.get(re.sub(r"^https?://[^/]+", "", link), follow=True).content.decode()
    assert "không còn dùng được" in again
    assert reverse("accounts:password_reset") in again


def test_the_members_address_finds_an_account_without_its_own(client):
    member = f.MemberWithUserFactory(user__email="", email="dv.hoa@example.vn")
    _ask(client, "dv.hoa@example.vn")
    assert [m.to for m in mail.outbox] == [["dv.hoa@example.vn"]]
    assert member.user.username in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    f.MemberWithUserFactory(user__email="co.that@example.vn")
    known = _ask(client, "co.that@example.vn", follow=True)
    unknown = _ask(client, "khong.co@example.vn", follow=True)
    assert known.redirect_chain == unknown.redirect_chain

    def page(r):
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", r.content.decode())

    assert page(known) == page(unknown)
    assert len(mail.outbox) == 1


def test_inactive_accounts_get_no_mail(client):
    f.MemberWithUserFactory(user__email="nghi@example.vn", user__is_active=False)
    _ask(client, "nghi@example.vn")
    assert mail.outbox == []


def test_a_wrong_address_is_refused_in_vietnamese_with_the_summary_focused(client):
    response = _ask(client, "khong-phai-email")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is-invalid" in html and "data-posted" in html
    assert mail.outbox == []


def test_link_uses_the_public_address_behind_the_proxy(client, settings):
    settings.SITE_URL = "https://chibo.example.vn"
    settings.ALLOWED_HOSTS = ["chibo.example.vn"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    f.MemberWithUserFactory(user__email="xa@example.vn")
    _ask(client, "xa@example.vn", HTTP_HOST="chibo.example.vn", HTTP_X_FORWARDED_PROTO="https")
    assert _link(mail.outbox[0]).startswith("https://chibo.example.vn/dat-lai-mat-khau/")


def test_a_host_not_allowed_gets_no_mail(client):
    f.MemberWithUserFactory(user__email="xa@example.vn")
    response = _ask(client, "xa@example.vn", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert mail.outbox == []


def test_reset_lifts_an_axes_lockout(client, settings):
    settings.AXES_ENABLED = True
    member = f.MemberWithUserFactory(user__email="khoa@example.vn")
    username = member.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": username, "password": "sai"})
    locked = client.post(reverse("accounts:login"), {"username": username, "password": f.PASSWORD})
    assert "Tài khoản tạm thời bị khóa" in locked.content.decode()
    assert reverse("accounts:password_reset") in locked.content.decode()

    # The reset pages themselves are not locked.
    _ask(client, "khoa@example.vn")
    _set_password(client, _link(mail.outbox[0]))
    assert not AccessAttempt.objects.filter(username=username).exists()
    response = client.post(reverse("accounts:login"), {"username": username, "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_wrong_login_error_is_plain_vietnamese(client):
    f.MemberWithUserFactory(user__username="nguyenvana")
    html = client.post(reverse("accounts:login"), {"username": "nguyenvana", "password": "sai"}).content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in html
    assert "alert-danger" in html


def test_a_form_posted_without_its_token_is_refused_on_a_vietnamese_page():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Thao tác chưa được thực hiện" in html and "chưa lưu gì" in html
    assert "data-error-summary" in html
