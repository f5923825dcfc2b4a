"""The personal calendar feed: a secret token in the URL, regenerable by its owner."""

from django.db import transaction

from meetings.models import User
from meetings.models.members import new_calendar_token


def calendar_token_regenerate(*, user: User) -> str:
    """Issue a new secret; the old feed address stops working at once."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.calendar_token = new_calendar_token()
        user.save(update_fields=["calendar_token"])
    return user.calendar_token
