from django.apps import AppConfig


class ChiboConfig(AppConfig):
    """The platform around the domain app: logging, middleware, accounts, health."""

    name = "chibo"
    verbose_name = "chibo"

    def ready(self):
        from chibo.logging import connect_celery_signals
        from chibo.security import sessions  # noqa: F401 - connects the login/logout signal receivers

        connect_celery_signals()  # task failures logged with task name/id
