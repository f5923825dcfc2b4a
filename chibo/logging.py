"""Structured logging: request ids, a JSON formatter and context for failed tasks.

Imported by the LOGGING dict before the app registry is ready, so nothing here may import
models at module level. Standard library only (plus celery signals, connected from
`ChiboConfig.ready()`).
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

# "-" outside a request or a task, so plain-format lines always have the field.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("chibo_request_id", default="-")

# What a proxy may hand us (nginx $request_id is 32 hex chars); anything else is replaced,
# so a client cannot inject newlines or fake fields into the logs.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

# Attributes copied into the JSON line when a filter or a caller set them.
_CONTEXT_FIELDS = ("method", "path", "status_code", "user_id", "task_name", "task_id")


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(value: str | None) -> str | None:
    if value and _SANE_REQUEST_ID.match(value):
        return value
    return None


def current_request_id() -> str:
    return request_id_var.get()


class RequestContextFilter(logging.Filter):
    """Adds `request_id` to every record; for `django.request` records also the method,
    path and user id of the request they carry."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            # Django logs 4xx responses after the middleware chain has returned, when the
            # contextvar is already reset: the id stored on the request still holds.
            record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        if request is not None and hasattr(request, "method"):
            record.method = request.method
            record.path = request.path
            record.user_id = _user_id(request)
        return True


def _user_id(request):
    # request.user may be lazy and need the database, which may be what just failed.
    user = request.__dict__.get("user") if hasattr(request, "__dict__") else None
    if user is None:
        return None
    try:
        return user.pk if user.is_authenticated else None
    except Exception:
        return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, context, exception."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for field in _CONTEXT_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                data[field] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """Development format; adds request context after the message when a record has it."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        line = super().format(record)
        context = " ".join(
            f"{field}={getattr(record, field)}" for field in _CONTEXT_FIELDS if getattr(record, field, None) is not None
        )
        if context:
            head, sep, rest = line.partition("\n")
            line = f"{head} ({context}){sep}{rest}"
        return line


# --- Celery ---------------------------------------------------------------------------------

task_logger = logging.getLogger("meetings.tasks")
_HEADER = "chibo_request_id"
_task_tokens: dict[str, contextvars.Token] = {}


def _on_before_publish(sender=None, headers=None, **kwargs):
    # Carry the id of the web request that queued the task, so both ends share it in the logs.
    request_id = request_id_var.get()
    if headers is not None and request_id != "-":
        headers.setdefault(_HEADER, request_id)


def _on_task_prerun(sender=None, task_id=None, task=None, **kwargs):
    # Custom message headers land in request.headers (worker and eager apply alike).
    headers = getattr(getattr(task, "request", None), "headers", None) or {}
    inherited = clean_request_id(headers.get(_HEADER))
    if not inherited and request_id_var.get() != "-":
        inherited = request_id_var.get()  # eager task run inside a web request
    _task_tokens[task_id] = request_id_var.set(inherited or task_id or new_request_id())


def _on_task_postrun(sender=None, task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:
            # Token made in another context (should not happen); fall back to the default.
            request_id_var.set("-")


def _on_task_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, traceback=None, **extra):
    name = getattr(sender, "name", repr(sender))
    task_logger.error(
        "Tác vụ %s (%s) thất bại: %s",
        name,
        task_id,
        exception.__class__.__name__ if exception is not None else "?",
        exc_info=(type(exception), exception, traceback) if exception is not None else None,
        extra={"task_name": name, "task_id": task_id},
    )


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(_on_before_publish, dispatch_uid="chibo-log-publish", weak=False)
    signals.task_prerun.connect(_on_task_prerun, dispatch_uid="chibo-log-prerun", weak=False)
    signals.task_postrun.connect(_on_task_postrun, dispatch_uid="chibo-log-postrun", weak=False)
    signals.task_failure.connect(_on_task_failure, dispatch_uid="chibo-log-failure", weak=False)
