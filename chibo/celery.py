import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

app = Celery("chibo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One beat process only (see README). The sweeper is the safety net that sends every due,
# unsent outbox row, so a lost trigger or a dead worker only delays mail.
app.conf.beat_schedule = {
    "notifications-sweep": {
        "task": "meetings.tasks.send_due",
        "schedule": float(os.environ.get("NOTIFICATIONS_SWEEP_SECONDS", "60")),
    },
    "notifications-reminders": {
        "task": "meetings.tasks.create_reminders",
        "schedule": crontab(hour=5, minute=30),
    },
    "notifications-quarter-watch": {
        "task": "meetings.tasks.quarter_watch",
        "schedule": crontab(hour=6, minute=0),
    },
}
