"""Change history of plans, topics, meetings and minutes (django-pghistory).

pghistory records every change with database triggers, so bulk `update()`, the admin and
raw SQL are captured too, with the acting user and URL attached by the middleware. It needs
PostgreSQL; on the embedded SQLite default no history is kept and the middleware steps aside.
"""

from django.db import connection
from pghistory.middleware import HistoryMiddleware as _HistoryMiddleware


class HistoryMiddleware(_HistoryMiddleware):
    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)


def events_for(obj, *, limit=200):
    """History rows of one tracked object, newest first (empty on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    models_by_label = getattr(obj.__class__, "pgh_event_models", {})
    event_model = next(iter(models_by_label.values()), None)
    if event_model is None:
        return []
    return list(event_model.objects.filter(pgh_obj=obj).select_related("pgh_context").order_by("-pgh_id")[:limit])
