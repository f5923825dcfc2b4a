import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from chibo.security.hashers import ChiboArgon2PasswordHasher
from meetings.models import UserSession
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_password_validators_speak_vietnamese():
    with pytest.raises(ValidationError) as err:
        validate_password("12345")
    text = " ".join(err.value.messages)
    assert "quá ngắn" in text
    assert "chữ số" in text


def test_argon2_is_the_password_hasher():
    import importlib

    base = importlib.import_module("chibo.settings")
    assert base.PASSWORD_HASHERS[0] == "chibo.security.hashers.ChiboArgon2PasswordHasher"
    encoded = ChiboArgon2PasswordHasher().encode("Mat-khau-2026", ChiboArgon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


# Stored by the hasher when it lived in meetings/hashers.py: Django keeps the algorithm's
# name in the hash, not the class's dotted path, so moving the class keeps it valid.
HASH_FROM_BEFORE_THE_MOVE = (
    "argon2$argon2id$v=19$m=19456,t=2,p=1$WnVBWms1SzBGTkU0YnV4ZWdMa2NoVg$1iZAFvBi8oKtM1bNqTo8LXpZmUHQrQ1hCyGODOqPu8c"
)


def test_a_stored_hash_still_logs_in_after_the_hasher_moved(client, settings, secretary):
    settings.PASSWORD_HASHERS = ["chibo.security.hashers.ChiboArgon2PasswordHasher"]
    user = secretary.user
    user.password = HASH_FROM_BEFORE_THE_MOVE
    user.save(update_fields=["password"])
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "Mat-khau-cu-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password == HASH_FROM_BEFORE_THE_MOVE  # same parameters: not even re-hashed


def test_older_argon2_hashes_are_upgraded_at_login(client, settings, secretary):
    settings.PASSWORD_HASHERS = ["chibo.security.hashers.ChiboArgon2PasswordHasher"]
    user = secretary.user
    user.password = Argon2PasswordHasher().encode("Mat-khau-2026", "saltsaltsalt")  # Django's defaults
    user.save(update_fields=["password"])
    assert "m=102400" in user.password
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "Mat-khau-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password


def test_login_is_locked_after_repeated_failures(client, settings, secretary):
    settings.AXES_ENABLED = True
    username = secretary.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": username, "password": "sai-mat-khau"})
    response = client.post(reverse("accounts:login"), {"username": username, "password": f.PASSWORD})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()


def test_admin_can_unlock_with_axes_reset(client, settings, secretary):
    from django.core.management import call_command

    settings.AXES_ENABLED = True
    username = secretary.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": username, "password": "sai"})
    call_command("axes_reset_username", username)
    response = client.post(reverse("accounts:login"), {"username": username, "password": f.PASSWORD})
    assert response.status_code == 302


def _login(client, user, agent):
    client.defaults["HTTP_USER_AGENT"] = agent
    assert (
        client.post(reverse("accounts:login"), {"username": user.username, "password": f.PASSWORD}).status_code == 302
    )
    return client


def test_user_sees_and_ends_other_sessions(client_factory, secretary):
    phone = _login(client_factory(), secretary.user, "Điện thoại")
    office = _login(client_factory(), secretary.user, "Máy văn phòng")
    assert UserSession.objects.filter(user=secretary.user).count() == 2
    body = office.get(reverse("accounts:session_list")).content.decode()
    assert "Điện thoại" in body and "Phiên hiện tại" in body
    other_key = phone.session.session_key
    office.post(reverse("accounts:session_end"), {"session_key": other_key})
    assert phone.get(reverse("home")).status_code == 302  # logged out
    assert office.get(reverse("home")).status_code == 200


def test_cannot_end_another_users_session(client_factory, secretary, member):
    victim = _login(client_factory(), member.user, "Nạn nhân")
    attacker = _login(client_factory(), secretary.user, "Kẻ khác")
    attacker.post(reverse("accounts:session_end"), {"session_key": victim.session.session_key})
    assert victim.get(reverse("home")).status_code == 200


def test_password_change_shows_sessions_and_invalidates_others(client_factory, secretary):
    phone = _login(client_factory(), secretary.user, "Điện thoại")
    office = _login(client_factory(), secretary.user, "Máy văn phòng")
    response = office.post(
        reverse("accounts:password_change"),
        {"old_password": f.PASSWORD, "new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"},
        follow=True,
    )
    assert "Mật khẩu đã được thay đổi" in response.content.decode()
    assert phone.get(reverse("home")).status_code == 302
    assert office.get(reverse("home")).status_code == 200


def test_logout_ends_the_session(client, secretary):
    _login(client, secretary.user, "Trình duyệt")
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=secretary.user).exists()


def test_every_page_has_a_strict_content_security_policy(client, secretary):
    client.force_login(secretary.user)
    header = client.get(reverse("home"))["Content-Security-Policy"]
    script_src = next(part for part in header.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in header


def test_templates_have_no_inline_scripts():
    import pathlib
    import re

    offenders = []
    for path in pathlib.Path("templates").rglob("*.html"):
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", path.read_text()):
            offenders.append(f"{path}: {match.group(0)}")
    assert offenders == []


def test_admin_offers_no_change_of_finalized_meeting(client):
    admin_user = f.UserFactory(is_superuser=True, is_staff=True)
    meeting = f.MeetingFactory(stage="finalized")
    client.force_login(admin_user)
    response = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.post(reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"}).status_code == 403
