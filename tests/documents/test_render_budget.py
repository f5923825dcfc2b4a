"""The time budget of a PDF rendering: WeasyPrint runs in a forked child killed at the
deadline; in a daemonic process (a Celery prefork worker) it runs in-process instead.

The slow renders replace the inner layout with a sleep: the mechanism under test is the limit."""

import multiprocessing
import os
import runpy
import time
from pathlib import Path

import pytest
from celery import shared_task

from meetings import documents
from meetings.documents import base
from tests import factories as f
from tests.documents.pdfutil import reader, text

pytestmark = pytest.mark.django_db

HTML = "<html><body><h1>Biên bản</h1><p>Đồng chí Nguyễn Văn An phát biểu.</p></body></html>"


def sleep_forever(html: str) -> bytes:
    time.sleep(60)
    return b""


@pytest.fixture
def budget(settings):
    def set_budget(seconds: float) -> None:
        settings.CHIBO = {**settings.CHIBO, "PDF_RENDER_SECONDS": seconds}

    return set_budget


def test_default_budget_is_well_below_the_gunicorn_timeout(settings):
    gunicorn = runpy.run_path(str(Path(settings.BASE_DIR, "deploy", "gunicorn.conf.py")))
    assert 0 < settings.CHIBO["PDF_RENDER_SECONDS"] <= gunicorn["timeout"] / 2


def test_render_within_the_budget_gives_the_same_pdf_as_in_process():
    data = base.write_pdf_within(base.printable(HTML), timeout=20)
    assert data.startswith(b"%PDF-")
    assert "Đồng chí Nguyễn Văn An phát biểu." in text(data)
    assert len(reader(data).pages) == len(reader(base._write_pdf(base.printable(HTML))).pages) == 1


def test_slow_render_stops_at_the_budget_with_a_vietnamese_message(monkeypatch):
    monkeypatch.setattr(base, "_write_pdf", sleep_forever)
    started = time.monotonic()
    with pytest.raises(documents.PdfRenderTimeout) as caught:
        base.write_pdf_within(HTML, timeout=0.5)
    assert time.monotonic() - started < 5
    assert caught.value.messages == [
        "Không tạo được tệp PDF trong 0,5 giây: văn bản quá dài hoặc máy chủ đang bận. "
        "Chưa có gì thay đổi; đồng chí vui lòng thử lại sau ít phút."
    ]
    # The child was killed and reaped, not left running.
    assert multiprocessing.active_children() == []


def test_document_renderers_use_the_budget_from_settings(monkeypatch, budget, cell):
    monkeypatch.setattr(base, "_write_pdf", sleep_forever)
    budget(0.3)
    topic = f.TopicFactory(cell=cell)
    with pytest.raises(documents.PdfRenderTimeout, match="0,3 giây"):
        documents.render_topic_pdf(topic)


def test_an_error_in_the_child_is_raised_in_the_caller(monkeypatch):
    def refused(html):
        raise base.DocumentFetchRefused("Chỉ dùng tệp tĩnh của ứng dụng: http://example.org/x.png")

    monkeypatch.setattr(base, "_write_pdf", refused)
    with pytest.raises(base.DocumentFetchRefused, match=r"example\.org"):
        base.write_pdf_within(HTML, timeout=20)


def test_a_child_that_dies_is_an_error_not_a_hang(monkeypatch):
    monkeypatch.setattr(base, "_write_pdf", lambda html: os._exit(3))
    with pytest.raises(RuntimeError, match="code 3"):
        base.write_pdf_within(HTML, timeout=20)


def _render_in_daemon(conn):
    conn.send(base.write_pdf_within(HTML, timeout=0.5))


def test_a_daemonic_process_renders_in_process(monkeypatch):
    """A Celery prefork worker is daemonic and may not start children: the layout runs in the
    worker itself (bounded by the task's time limits), where a child would raise."""
    monkeypatch.setattr(base, "_write_pdf", lambda html: str(os.getpid()).encode())
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_render_in_daemon, args=(send,), daemon=True)
    worker.start()
    try:
        assert receive.poll(10)
        assert receive.recv() == str(worker.pid).encode()
    finally:
        worker.join(5)
    assert worker.exitcode == 0


@shared_task
def render_topic_in_task(topic_id: int) -> int:
    from meetings.models import Topic

    return len(documents.render_topic_pdf(Topic.objects.get(pk=topic_id)))


def test_rendering_from_a_celery_task(cell):
    topic = f.TopicFactory(cell=cell)
    assert render_topic_in_task.apply(args=[topic.pk]).get() > 1000


def test_rendering_past_the_budget_in_a_celery_task_raises_the_timeout(monkeypatch, budget, cell):
    monkeypatch.setattr(base, "_write_pdf", sleep_forever)
    budget(0.3)
    topic = f.TopicFactory(cell=cell)
    with pytest.raises(documents.PdfRenderTimeout):
        render_topic_in_task.apply(args=[topic.pk], throw=True).get()
