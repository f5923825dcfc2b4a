import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

app = Celery("chibo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The queues and routes are in settings (CELERY_TASK_QUEUES, CELERY_TASK_ROUTES); this router
# is the part of the routes that needs the outbox rows.
DOCUMENTS_QUEUE = "documents"
EMAIL_QUEUE = "email"
# Outbox mail that carries documents, rendered or read at sending time: the topic's lead paper
# with the notice, the sealed minutes and the topic with the study copy and the report upward.
DOCUMENT_KINDS = ("notice", "study", "report")


def route_outbox_batch(name, args, kwargs, options, task=None, **kw):
    """A batch of outbox rows goes to the documents queue if one of its rows carries documents,
    else to the e-mail queue. An event's batch holds rows of one kind; a sweeper's batch may
    mix kinds, and one row with documents is enough. One indexed query per 100 rows."""
    if name != "meetings.tasks.send_notifications":
        return None
    from meetings.models import Notification

    ids = args[0] if args else kwargs.get("ids", [])
    if Notification.objects.filter(pk__in=ids, kind__in=DOCUMENT_KINDS).exists():
        return {"queue": DOCUMENTS_QUEUE}
    return {"queue": EMAIL_QUEUE}
