import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.result import allow_join_result
from django.http import HttpResponse
from django.urls import path

from chibo import urls as project_urls
from chibo.celery import app as celery_app
from chibo.logging import (
    JsonFormatter,
    PlainFormatter,
    RequestContextFilter,
    _on_before_publish,
    current_request_id,
    request_id_var,
)
from tests import factories as f

BASE_DIR = Path(__file__).resolve().parent.parent


def _boom(request):
    raise RuntimeError("hỏng có chủ đích")


def _logs_something(request):
    logging.getLogger("meetings.views.test").warning("đang xử lý")
    return HttpResponse(current_request_id())


# Used as ROOT_URLCONF by the request tests: the project's URLs plus two test views.
urlpatterns = [path("test-boom/", _boom), path("test-log/", _logs_something), *project_urls.urlpatterns]


@celery_app.task(name="tests.failing_task")
def failing_task(value):
    raise ValueError(f"giá trị sai: {value}")


@celery_app.task(name="tests.logging_task")
def logging_task():
    logging.getLogger("meetings.tasks.test").info("tác vụ chạy")
    return current_request_id()


@pytest.fixture
def context_caplog(caplog):
    """caplog with the same filter the console handler has in settings.LOGGING."""
    context_filter = RequestContextFilter()
    caplog.handler.addFilter(context_filter)
    caplog.set_level(logging.INFO)
    yield caplog
    caplog.handler.removeFilter(context_filter)


@pytest.fixture
def test_urls(settings):
    settings.ROOT_URLCONF = __name__


# --- Request ids ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_request_without_id_gets_a_generated_one(client, test_urls):
    response = client.get("/test-log/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert int(request_id, 16) >= 0
    assert response.content.decode() == request_id


@pytest.mark.django_db
def test_request_id_from_proxy_is_kept_and_logged(client, test_urls, context_caplog):
    response = client.get("/test-log/", headers={"X-Request-ID": "7f3a9c0e1b2d4f6a8c0e1b2d4f6a8c0e"})
    assert response["X-Request-ID"] == "7f3a9c0e1b2d4f6a8c0e1b2d4f6a8c0e"
    record = next(r for r in context_caplog.records if r.name == "meetings.views.test")
    assert record.request_id == "7f3a9c0e1b2d4f6a8c0e1b2d4f6a8c0e"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    ["abc\ninjected=1", "x" * 500, "short", "có dấu tiếng Việt 123", '"}{"level":"CRITICAL'],
)
def test_insane_request_id_from_client_is_replaced(client, test_urls, hostile):
    response = client.get("/test-log/", headers={"X-Request-ID": hostile})
    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_request_id_does_not_leak_outside_the_request(client, test_urls):
    client.get("/test-log/", headers={"X-Request-ID": "req-outside-0001"})
    assert current_request_id() == "-"


@pytest.mark.django_db
def test_not_found_warning_carries_the_request_id(client, test_urls, context_caplog):
    response = client.get("/khong-co-trang-nay/", headers={"X-Request-ID": "req-404-00000001"})
    assert response.status_code == 404
    record = next(r for r in context_caplog.records if r.name == "django.request")
    assert record.levelno == logging.WARNING
    assert record.request_id == "req-404-00000001"
    assert record.path == "/khong-co-trang-nay/"


# --- Errors in requests ----------------------------------------------------------------------


@pytest.mark.django_db
def test_error_in_request_is_logged_with_method_path_user_and_request_id(client, test_urls, context_caplog):
    user = f.UserFactory()
    client.force_login(user)
    client.raise_request_exception = False
    response = client.post("/test-boom/?q=1", headers={"X-Request-ID": "req-boom-0001"})
    assert response.status_code == 500

    record = next(r for r in context_caplog.records if r.name == "django.request" and r.levelno == logging.ERROR)
    assert record.method == "POST"
    assert record.path == "/test-boom/"
    assert record.user_id == user.pk
    assert record.request_id == "req-boom-0001"

    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "ERROR"
    assert data["logger"] == "django.request"
    assert data["request_id"] == "req-boom-0001"
    assert data["method"] == "POST"
    assert data["path"] == "/test-boom/"
    assert data["user_id"] == user.pk
    assert data["status_code"] == 500
    assert "RuntimeError: hỏng có chủ đích" in data["exception"]
    assert data["time"].endswith("+00:00")


@pytest.mark.django_db
def test_error_of_anonymous_request_has_no_user_id(client, test_urls, context_caplog):
    client.raise_request_exception = False
    client.get("/test-boom/")
    record = next(r for r in context_caplog.records if r.name == "django.request" and r.levelno == logging.ERROR)
    assert record.user_id is None
    assert "user_id" not in json.loads(JsonFormatter().format(record))


def test_plain_formatter_shows_request_id_and_context():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Lỗi máy chủ: %s", ("/x/",), None)
    record.request_id = "req-plain-0001"
    record.method = "GET"
    record.path = "/x/"
    line = PlainFormatter().format(record)
    assert "ERROR django.request [req-plain-0001] Lỗi máy chủ: /x/ (method=GET path=/x/)" in line


# --- Errors in Celery tasks ----------------------------------------------------------------


def eager_value(result):
    # Celery keeps one process-wide "joining would block" flag that eager apply_async sets and
    # restores; the concurrency tests dispatch eager tasks from several threads at once, which can
    # leave it set for the rest of the run. Reading an EagerResult never blocks, so allow it.
    with allow_join_result():
        return result.get()


def test_task_failure_is_logged_with_task_name_and_id(context_caplog):
    # throw=False is how a worker runs it (eager propagation re-raises to the caller instead,
    # where django.request logs it).
    result = failing_task.apply(args=["42"], task_id="task-fail-0001", throw=False)
    assert result.failed()
    record = next(r for r in context_caplog.records if r.name == "meetings.tasks")
    assert record.levelno == logging.ERROR
    assert record.task_name == "tests.failing_task"
    assert record.task_id == "task-fail-0001"
    data = json.loads(JsonFormatter().format(record))
    assert data["task_name"] == "tests.failing_task"
    assert data["task_id"] == "task-fail-0001"
    assert "ValueError: giá trị sai: 42" in data["exception"]


def test_task_logs_carry_the_task_id_as_request_id(context_caplog):
    result = logging_task.apply(task_id="task-run-00000001")
    assert eager_value(result) == "task-run-00000001"
    record = next(r for r in context_caplog.records if r.name == "meetings.tasks.test")
    assert record.request_id == "task-run-00000001"
    assert current_request_id() == "-"


def test_task_queued_by_a_request_inherits_its_request_id():
    headers = {}
    token = request_id_var.set("req-parent-0001")
    try:
        _on_before_publish(headers=headers)  # what celery calls when a request queues a task
    finally:
        request_id_var.reset(token)
    assert headers == {"chibo_request_id": "req-parent-0001"}
    result = logging_task.apply(task_id="task-run-00000002", headers=headers)
    assert eager_value(result) == "req-parent-0001"


def test_eager_task_inside_a_request_keeps_the_request_id():
    token = request_id_var.set("req-eager-0001")
    try:
        assert eager_value(logging_task.apply(task_id="task-run-00000003")) == "req-eager-0001"
    finally:
        request_id_var.reset(token)


# --- Settings: LOG_FORMAT=json ----------------------------------------------------------------


def test_log_format_json_writes_one_json_object_per_line(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "LOG_FORMAT", "DEBUG", "LOG_LEVEL"}
    }
    env.update({"LOG_FORMAT": "json", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    code = (
        "import logging\n"
        "log = logging.getLogger('meetings.check')\n"
        "log.warning('xin chào %s', 'thế giới')\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('phép chia')\n"
    )
    proc = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # Every line is JSON (other apps log at startup too); keep ours.
    lines = [json.loads(line) for line in proc.stderr.strip().splitlines()]
    lines = [d for d in lines if d["logger"] == "meetings.check"]
    assert [(d["level"], d["logger"], d["message"]) for d in lines] == [
        ("WARNING", "meetings.check", "xin chào thế giới"),
        ("ERROR", "meetings.check", "phép chia"),
    ]
    assert all(d["request_id"] == "-" for d in lines)
    assert "ZeroDivisionError" in lines[1]["exception"]
