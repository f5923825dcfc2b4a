"""Minutes PDF benchmark: WeasyPrint (what chibo does at finalisation) vs converting an
equivalent DOCX to PDF with LibreOffice headless (what offices do today).

    python bench/bench_pdf.py [--runs 7] [--lo-runs 3]

Builds, in a throw-away SQLite database, the recorded meeting of a 40-member cell with 25
speeches (factories, no workflow), finalises it once with `minutes_create`, then times
`render_minutes_pdf` (median of --runs). In the same run it writes a DOCX with the same
content (python-docx) and times `libreoffice --headless --convert-to pdf` on it (median of
--lo-runs, after one untimed warm-up that creates the LibreOffice profile).
Targets: < 0.5 s per minutes PDF and at least 5x faster than LibreOffice.
Needs Debian's `libreoffice-writer-nogui` (or `libreoffice-writer`).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="chibo-bench-pdf-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from meetings.documents import render_minutes_pdf  # noqa: E402
from meetings.documents.minutes import minutes_context  # noqa: E402
from meetings.services.minutes import minutes_create  # noqa: E402

SENTENCES = [
    "Tôi thống nhất cao với nội dung đề dẫn do đồng chí chuẩn bị.",
    "Qua liên hệ bản thân, tôi thấy việc tự soi, tự sửa phải làm thường xuyên, không hình thức.",
    "Đề nghị chi ủy phân công cụ thể từng đảng viên theo dõi, nhắc nhở lẫn nhau trong công tác.",
    "Cơ quan cần cải tiến quy trình tiếp nhận hồ sơ, rút ngắn thời gian giải quyết cho người dân.",
    "Tôi xin nhận khuyết điểm về việc chậm nộp báo cáo quý trước và cam kết khắc phục ngay.",
    "Chi bộ nên tổ chức kiểm tra, giám sát việc thực hiện cam kết tu dưỡng, rèn luyện hằng năm.",
]


def speech_text(i: int) -> str:
    return " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(4))


def build_minutes():
    from tests import factories as f
    from tests.documents.builders import recorded_meeting

    committee = f.CommitteeFactory(name="Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh")
    cell = f.CellFactory(name="Chi bộ Văn phòng", parent=committee)
    meeting = recorded_meeting(cell, n_members=40, n_speeches=25)
    for speech in meeting.speeches.all():
        speech.content = speech_text(speech.position)
        speech.save(update_fields=["content"])
    started = time.perf_counter()
    with transaction.atomic():  # as meeting_finalize calls it: the seal locks the cell's chain
        minutes = minutes_create(meeting=meeting, actor=None)
    return minutes, time.perf_counter() - started


def write_docx(minutes, path: Path) -> None:
    """The same minutes as a Word document, laid out the way offices type them."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    c = minutes_context(
        minutes.snapshot, number_label=minutes.number_label, verification_code=minutes.verification_code
    )
    s = c["s"]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)

    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    for text, bold in (
        (s["superior_name"].upper(), False),
        (s["cell_name"].upper(), True),
        ("*", False),
        (f"Số {c['number_label']}", False),
    ):
        p = left.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = bold
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("ĐẢNG CỘNG SẢN VIỆT NAM").bold = True
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(c["date_line"]).italic = True

    def centered(text, bold=True):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = bold

    def heading(text):
        doc.add_paragraph().add_run(text).bold = True

    def para(text):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    centered("BIÊN BẢN")
    centered("SINH HOẠT CHUYÊN ĐỀ")
    centered(f"“{s['topic_title']}”")
    heading("I. THỜI GIAN, ĐỊA ĐIỂM")
    para(
        f"Vào lúc {c['start_clock']}, {c['long_date']}, tại {s['meeting_place']}, {s['cell_name']} tiến hành "
        f"sinh hoạt chuyên đề “{s['topic_title']}”."
    )
    heading("II. THÀNH PHẦN")
    n = s["counts"]
    for line in (
        "- Đại biểu: " + "; ".join(f"đồng chí {g['name']}, {g['title']}" for g in s["guests"]) + ".",
        f"- Chủ trì: đồng chí {s['chair']['name']}. Thư ký: đồng chí {s['clerk']['name']}.",
        f"- Tổng số đảng viên: {n['total']} (chính thức {n['full']}, dự bị {n['probationary']}); "
        f"miễn sinh hoạt {n['exempt']}; phải dự {n['expected']}; có mặt {n['present']}; "
        f"vắng có lý do {n['excused']}; vắng không lý do {n['unexcused']}.",
        *(
            f"- Vắng: đồng chí {a['name']} ({a['status_label']}{', ' + a['reason'] if a['reason'] else ''})."
            for a in s["absentees"]
        ),
    ):
        para(line)
    heading("III. NỘI DUNG")
    para(f"1. Mục đích, yêu cầu: {s['purpose']}")
    para(f"2. Đồng chí {s['lead']['name']} trình bày đề dẫn. {s['lead']['summary']}")
    para(f"3. Ý kiến phát biểu ({len(s['speeches'])} lượt ý kiến):")
    for sp in s["speeches"]:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.add_run(f"- Đồng chí {sp['speaker']}: ").bold = True
        p.add_run(sp["content"])
    para(f"4. Tiếp thu: {s['author_response']}")
    heading("IV. KẾT LUẬN")
    for key in ("preparation_evaluation", "quality_evaluation", "adopted", "orientation"):
        para(s["conclusion"][key])
    if s["resolution"]:
        heading("V. NGHỊ QUYẾT VÀ BIỂU QUYẾT")
        para(s["resolution"]["text"])
        para(f"Tán thành {s['resolution']['votes_for']}/{s['resolution']['eligible_voters']}.")
    heading("VI. XẾP LOẠI CHẤT LƯỢNG")
    para(f"Đạt loại {s['conclusion']['quality_grade_label']} ({s['conclusion']['quality_score']} điểm).")
    para(f"Buổi sinh hoạt kết thúc vào lúc {c['end_clock']} cùng ngày.")
    sig = doc.add_table(rows=3, cols=2)
    for col, (role, name) in enumerate(
        (("THƯ KÝ", s["clerk"]["name"]), (f"T/M CHI BỘ\n{s['signature_title']}", s["chair"]["name"]))
    ):
        sig.cell(0, col).paragraphs[0].add_run(role).bold = True
        sig.cell(1, col).paragraphs[0].add_run("\n\n\n")
        sig.cell(2, col).paragraphs[0].add_run(name).bold = True
    doc.save(path)


def libreoffice_binary() -> str:
    for name in ("libreoffice", "soffice"):
        if found := shutil.which(name):
            return found
    sys.exit("LibreOffice not found: apt-get install libreoffice-writer-nogui")


def convert_with_libreoffice(binary: str, docx: Path, outdir: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation=file://{WORK / 'lo-profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elapsed = time.perf_counter() - started
    if not (outdir / (docx.stem + ".pdf")).exists():
        sys.exit("LibreOffice produced no PDF")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--lo-runs", type=int, default=3)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    minutes, create_seconds = build_minutes()
    snapshot = minutes.snapshot
    print(
        f"meeting: {snapshot['counts']['total']} members ({snapshot['counts']['expected']} expected), "
        f"{len(snapshot['speeches'])} speeches"
    )
    print(f"minutes_create (snapshot + number + first render + store, cold process): {create_seconds:.3f} s")

    times, pages = [], 0
    for _ in range(args.runs):
        started = time.perf_counter()
        data = render_minutes_pdf(minutes)
        times.append(time.perf_counter() - started)
    from pypdf import PdfReader

    pages = len(PdfReader(str(Path(minutes.pdf.path))).pages)
    weasy = statistics.median(times)
    print(
        f"WeasyPrint render_minutes_pdf: median {weasy:.3f} s, best {min(times):.3f} s "
        f"over {args.runs} runs ({pages} pages, {len(data) // 1024} KiB)"
    )

    docx = WORK / "bien-ban.docx"
    write_docx(minutes, docx)
    binary = libreoffice_binary()
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    convert_with_libreoffice(binary, docx, WORK / "warmup")  # creates the profile; not timed
    lo_times = [convert_with_libreoffice(binary, docx, WORK / f"lo{i}") for i in range(args.lo_runs)]
    lo = statistics.median(lo_times)
    lo_pages = len(PdfReader(str(WORK / "lo0" / "bien-ban.pdf")).pages)
    print(
        f"LibreOffice headless DOCX → PDF ({version}): median {lo:.3f} s, best {min(lo_times):.3f} s "
        f"over {args.lo_runs} runs ({lo_pages} pages)"
    )
    ratio = lo / weasy
    print(f"ratio LibreOffice / WeasyPrint: {ratio:.1f}x")
    print(
        f"targets: < 0.5 s per PDF: {'met' if weasy < 0.5 else 'NOT met'}; "
        f">= 5x faster than LibreOffice: {'met' if ratio >= 5 else 'NOT met'}"
    )
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
