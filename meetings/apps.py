from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Sinh hoạt chuyên đề"

    def ready(self):
        from meetings import sessions  # noqa: F401 - connects the login/logout signal receivers
        from meetings.logging import connect_celery_signals

        connect_celery_signals()  # task failures logged with task name/id
