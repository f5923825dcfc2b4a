"""Rendering time of the maximal minutes against the PDF time budget (issue 16, item 2).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_pdf_max.py \
        [--members 150] [--speeches 7] [--guests 10] [--absent 20] [--reservations 10] [--runs 3]

Creates its own PostgreSQL database `chibo_bench_pdf` (dropped first and at the end) on the
server of DATABASE_URL, migrates it and builds the recorded meeting of a large cell (150
members) with every free text the minutes print at its limit, read from the model fields
(`Model._meta.get_field(name).max_length`, so the figures follow the limits in
meetings/models/limits.py). Counts that have no limit in the app (guests, absentees,
reservations) take the worst case given on the command line; speeches are bounded together
(SPEECHES_TOTAL_MAX_LENGTH), so the default is as many speeches at their own limit as fit. It then finalises the minutes
once with `minutes_create` and times `render_minutes_pdf` (what the PDF budget bounds: a forked
WeasyPrint) over --runs, and prints the median against CHIBO["PDF_RENDER_SECONDS"] and
gunicorn's timeout, with the page count and the time per page.
"""

import argparse
import os
import resource
import runpy
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "chibo_bench_pdf"


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_pdf_max needs PostgreSQL: DATABASE_URL=postgres://…")
    return url


def with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin(url: str, *statements: str) -> None:
    conn = psycopg2.connect(with_db(url, "postgres"))
    conn.autocommit = True
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    conn.close()


SERVER = server_url()
admin(SERVER, f"DROP DATABASE IF EXISTS {DB_NAME}", f"CREATE DATABASE {DB_NAME}")
os.environ["DATABASE_URL"] = with_db(SERVER, DB_NAME)
MEDIA = Path(tempfile.mkdtemp(prefix="chibo-bench-pdf-max-"))
os.environ["MEDIA_ROOT"] = str(MEDIA)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from meetings import models as m  # noqa: E402
from meetings.models.limits import SPEECH_MAX_LENGTH, SPEECHES_TOTAL_MAX_LENGTH  # noqa: E402

SENTENCES = [
    "Tôi thống nhất cao với nội dung đề dẫn do đồng chí chuẩn bị, đề nghị bổ sung số liệu của quý.",
    "Qua liên hệ bản thân, tôi thấy việc tự soi, tự sửa phải làm thường xuyên, không hình thức.",
    "Đề nghị chi ủy phân công cụ thể từng đảng viên theo dõi, nhắc nhở lẫn nhau trong công tác.",
    "Cơ quan cần cải tiến quy trình tiếp nhận hồ sơ, rút ngắn thời gian giải quyết cho người dân.",
    "Tôi xin nhận khuyết điểm về việc chậm nộp báo cáo quý trước và cam kết khắc phục ngay.",
    "Chi bộ nên tổ chức kiểm tra, giám sát việc thực hiện cam kết tu dưỡng, rèn luyện hằng năm.",
]
# Limits that were not found (a field without max_length): reported, then filled with this.
UNBOUNDED: list[str] = []


def limit(model, name: str, *, fallback: int = 2_000) -> int:
    size = model._meta.get_field(name).max_length
    if size is None:
        UNBOUNDED.append(f"{model.__name__}.{name}")
        return fallback
    return size


def text(n: int, seed: int = 0, *, paragraphs: bool = True) -> str:
    """Exactly n characters of Vietnamese prose, a paragraph every five sentences."""
    parts, i = [], seed
    while sum(map(len, parts)) < n:
        sep = "\n" if paragraphs and i % 5 == 4 else " "
        parts.append(SENTENCES[i % len(SENTENCES)] + sep)
        i += 1
    return "".join(parts)[:n].rstrip() or "x"


def full(model, name: str, seed: int = 0, *, prefix: str = "", paragraphs: bool = True) -> str:
    size = limit(model, name)
    body = text(size - len(prefix), seed, paragraphs=paragraphs)
    return (prefix + body)[:size].ljust(size, ".")


def build(args):
    from meetings.services.minutes import minutes_create
    from tests import factories as f
    from tests.documents.builders import recorded_meeting

    Org = m.Organization
    committee = f.CommitteeFactory(name=full(Org, "name", paragraphs=False).upper())
    committee.place = full(Org, "place", paragraphs=False)
    committee.save()
    cell = f.CellFactory(name=full(Org, "name", 1, prefix="Chi bộ ", paragraphs=False), parent=committee)
    # recorded_meeting adds one exempt member to the n_members it is given.
    meeting = recorded_meeting(cell, n_members=args.members - 1, n_speeches=args.speeches)
    for i, member in enumerate(m.Member.objects.filter(cell=cell).order_by("id")):
        member.full_name = full(m.Member, "full_name", i, prefix=f"Nguyễn Văn {i + 1} ", paragraphs=False)
        member.save(update_fields=["full_name"])
    topic = meeting.topic
    topic.title = full(m.Topic, "title", paragraphs=False)
    topic.save(update_fields=["title"])
    meeting.place = full(m.Meeting, "place", paragraphs=False)
    for k, name in enumerate(("programme", "purpose", "lead_paper_summary", "author_response")):
        setattr(meeting, name, full(m.Meeting, name, k))
    meeting.minutes_read_back_at = meeting.actual_end
    meeting.minutes_adoption = m.MinutesAdoption.RESERVATIONS
    meeting.save()
    m.Guest.objects.filter(meeting=meeting).delete()
    for g in range(args.guests):
        m.Guest.objects.create(
            meeting=meeting,
            name=full(m.Guest, "name", g, prefix=f"Phan Đình {g + 1} ", paragraphs=False),
            title=full(m.Guest, "title", g, paragraphs=False),
        )
    attendances = list(m.Attendance.objects.filter(meeting=meeting).order_by("id"))
    for a, attendance in enumerate(attendances[-args.absent :] if args.absent else []):
        attendance.status = m.AttendanceStatus.EXCUSED
        attendance.reason = full(m.Attendance, "reason", a, paragraphs=False)
        attendance.save(update_fields=["status", "reason"])
    for s, speech in enumerate(m.Speech.objects.filter(meeting=meeting).order_by("position")):
        speech.content = full(m.Speech, "content", s)
        speech.save(update_fields=["content"])
    present = [a.member for a in attendances if a.status == m.AttendanceStatus.PRESENT]
    for r in range(min(args.reservations, len(present))):
        m.MinutesReservation.objects.create(
            meeting=meeting, member=present[r], text=full(m.MinutesReservation, "text", r)
        )
    conclusion = meeting.conclusion
    for k, name in enumerate(("preparation_evaluation", "quality_evaluation", "adopted", "orientation")):
        setattr(conclusion, name, full(m.Conclusion, name, k))
    conclusion.save()
    resolution = meeting.resolution
    resolution.text = full(m.Resolution, "text")
    resolution.save(update_fields=["text"])

    # Finalised once, with the budget lifted, so that the timing below is the true figure.
    budget = settings.CHIBO["PDF_RENDER_SECONDS"]
    settings.CHIBO["PDF_RENDER_SECONDS"] = 3600
    started = time.perf_counter()
    with transaction.atomic():
        minutes = minutes_create(meeting=meeting, actor=None)
    created = time.perf_counter() - started
    settings.CHIBO["PDF_RENDER_SECONDS"] = budget
    return minutes, created


def printed_chars(snapshot) -> int:
    """Characters of free text in the minutes (names, reasons and texts), for the per-page rate."""
    total = 0

    def walk(value):
        nonlocal total
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(snapshot)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=150, help="a large real cell (the demo's largest has 28)")
    parser.add_argument(
        "--speeches",
        type=int,
        default=SPEECHES_TOTAL_MAX_LENGTH // SPEECH_MAX_LENGTH,
        help="as many speeches at their own limit as the meeting's total allows",
    )
    parser.add_argument("--guests", type=int, default=10, help="no limit in the app: realistic worst case")
    parser.add_argument("--absent", type=int, default=20, help="absentees with a reason at its limit")
    parser.add_argument("--reservations", type=int, default=10, help="no limit in the app: realistic worst case")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from pypdf import PdfReader

    from meetings.documents import render_minutes_pdf
    from meetings.documents.base import _write_pdf, printable
    from meetings.documents.minutes import _context_of

    try:
        call_command("migrate", verbosity=0)
        minutes, created = build(args)
        snapshot = minutes.snapshot
        budget = settings.CHIBO["PDF_RENDER_SECONDS"]
        gunicorn = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["timeout"]
        print(
            f"maximal meeting: {snapshot['counts']['total']} members, {len(snapshot['speeches'])} speeches "
            f"x {limit(m.Speech, 'content'):,} chars, {len(snapshot['guests'])} guests, "
            f"{len(snapshot['absentees'])} absentees, {len(snapshot['adoption']['reservations'])} reservations; "
            f"{printed_chars(snapshot):,} characters of text in the snapshot"
        )
        if UNBOUNDED:
            print("fields without a max_length (filled with 2,000 chars): " + ", ".join(sorted(set(UNBOUNDED))))
        print(f"minutes_create (snapshot + number + render + store, budget lifted): {created:.2f} s")

        settings.CHIBO["PDF_RENDER_SECONDS"] = 3600  # measure, do not cut
        times, cpu = [], []
        for _ in range(args.runs):
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            started, own = time.perf_counter(), time.process_time()
            data = render_minutes_pdf(minutes)
            times.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            # CPU of the template here plus the forked layout: the figure machine load does not inflate.
            cpu.append(
                time.process_time() - own + after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
            )
        settings.CHIBO["PDF_RENDER_SECONDS"] = budget
        html = printable(render_to_string("documents/minutes.html", _context_of(minutes)))
        started = time.perf_counter()
        _write_pdf(html)
        in_process = time.perf_counter() - started
        pages = len(PdfReader(Path(minutes.pdf.path)).pages)
        median = statistics.median(times)
        print(
            f"render_minutes_pdf (forked, as under the budget): median {median:.2f} s, best {min(times):.2f} s "
            f"over {args.runs} runs; {pages} pages, {len(data) // 1024} KiB; {1000 * median / pages:.0f} ms/page"
        )
        print(f"CPU time per rendering (parent + child): median {statistics.median(cpu):.2f} s")
        print(f"same layout in-process (no fork): {in_process:.2f} s; load average {os.getloadavg()[0]:.1f}")
        verdict = "within" if median < budget else "OVER"
        print(
            f"budget CHIBO['PDF_RENDER_SECONDS'] = {budget:g} s: {verdict} ({100 * median / budget:.0f}% of it); "
            f"gunicorn timeout {gunicorn} s ({100 * median / gunicorn:.0f}% of it)"
        )
    finally:
        connections.close_all()
        admin(SERVER, f"DROP DATABASE IF EXISTS {DB_NAME}")
        shutil.rmtree(MEDIA, ignore_errors=True)


if __name__ == "__main__":
    main()
