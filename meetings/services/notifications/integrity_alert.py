"""The administrators' alert when the daily integrity check (services/integrity_check.py)
finds a problem: one outbox row per administrator and day (the key), so a rerun the same day
sends nothing twice and a failed delivery is retried like every other message."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from meetings.models import Notification, User
from meetings.services.notifications.events import _row, _store
from meetings.services.notifications.outbox import K

# Problems quoted in the e-mail; the rest are counted (the command prints them all).
PROBLEMS_MAILED = 20


def integrity_alert_recipients() -> list[tuple[str, str, int | None]]:
    """settings.ADMINS and the active superusers with an address, each address once."""
    out, seen = [], set()
    for name, email in getattr(settings, "ADMINS", []) or []:
        if email and email.lower() not in seen:
            seen.add(email.lower())
            out.append((email, name, None))
    users = User.objects.filter(is_superuser=True, is_active=True).exclude(email="").order_by("pk")
    for user in users.only("pk", "email", "full_name", "username"):
        if user.email.lower() not in seen:
            seen.add(user.email.lower())
            out.append((user.email, user.full_name or user.username, user.pk))
    return out


def notifications_for_integrity_alert(*, result: dict, now: datetime.datetime) -> int:
    """Outbox rows telling the administrators what the check found. Returns the new rows."""
    day = timezone.localdate(now)
    context = {
        "date": day.isoformat(),
        "date_label": day.strftime("%d/%m/%Y"),
        "problems_count": result["problems_count"],
        "problems": result["problems"][:PROBLEMS_MAILED],
        "cells": result["cells"],
        "links": result["links"],
        "files": result["files"],
        "reports": result["reports"],
    }
    rows: list[Notification] = [
        _row(
            key=f"integrity:{day.isoformat()}:{email.lower()}",
            kind=K.INTEGRITY_ALERT,
            email=email,
            name=name,
            user_id=user_id,
            due_at=now,
            context=dict(context),
        )
        for email, name, user_id in integrity_alert_recipients()
    ]
    return _store(rows)
