"""Tracks login sessions so a user can list and end their other sessions."""

import datetime

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from chibo.security.client_ip import client_ip
from meetings.models import UserSession

TOUCH_EVERY = datetime.timedelta(minutes=5)


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if not request.session.session_key:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
        },
    )


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


class SessionTrackingMiddleware:
    """Refreshes `last_seen_at` at most every few minutes (not a write per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None and session.session_key:
            now = timezone.now()
            last = session.get("_chibo_seen")
            if last is None or now.timestamp() - last > TOUCH_EVERY.total_seconds():
                session["_chibo_seen"] = now.timestamp()
                UserSession.objects.filter(session_key=session.session_key).update(last_seen_at=now)
        return response


def sessions_of(user):
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=live)


def session_end(*, user, session_key: str) -> int:
    """End one of the user's own sessions (never another user's)."""
    with transaction.atomic():
        owned = UserSession.objects.filter(user=user, session_key=session_key)
        if not owned.exists():
            return 0
        Session.objects.filter(session_key=session_key).delete()
        return owned.delete()[0]


def sessions_end_others(*, user, keep_key: str) -> int:
    keys = list(
        UserSession.objects.filter(user=user).exclude(session_key=keep_key).values_list("session_key", flat=True)
    )
    with transaction.atomic():
        Session.objects.filter(session_key__in=keys).delete()
        return UserSession.objects.filter(session_key__in=keys).delete()[0]
