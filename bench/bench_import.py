"""Member import benchmark: how fast a hostile workbook is refused, and what a legitimate
2,000-member import preview costs.

    python bench/bench_import.py [--runs 7] [--before REV]

Builds, in memory, crafted .xlsx files of a few MB (millions of rows, a ZIP bomb, a row of two
million cells) and times what the upload view does with each: `validate_upload` (size, type
by content) then `members_import_preview`, until the refusal. Then times the preview of a
2,000-member list written by openpyxl in the template's layout (a throw-away SQLite database
for the duplicate-card query). Medians of --runs. Target: every refusal under 1 s.
--before REV also times the preview of an older commit (`git show REV:meetings/services/
imports.py`; 1ac78ec is the last one that read the sheet with openpyxl) on the legitimate list
and, once, on the first crafted file (about 100 s there).
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="chibo-bench-import-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from meetings.services import imports  # noqa: E402
from meetings.uploads import validate_upload  # noqa: E402

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
        'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>'


def workbook(rows: bytes, *, stored=False) -> bytes:
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>{HEADER}'.encode()
    sheet += rows + b"</sheetData></worksheet>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def empty_rows(first: int, last: int) -> bytes:
    return "".join(f'<row r="{r}"/>' for r in range(first, last + 1)).encode()


def crafted() -> list[tuple[str, bytes]]:
    gaps = "".join(f'<row r="{r}"/>' for r in range(1000, 1_048_577, 1000)).encode()
    member = b'<row r="2"><c r="A2" t="inlineStr"><is><t>Nguy\xe1\xbb\x85n V\xc4\x83n An</t></is></c></row>'
    return [
        ("2,000,000 empty rows (explicit <row/>)", workbook(member + empty_rows(3, 2_000_000))),
        ("1,100,000 empty rows, under the 20 MB unpacked bound", workbook(member + empty_rows(3, 1_100_000))),
        ("rows numbered up to 1,048,000, one in 1,000 (gaps are empty rows)", workbook(member + gaps)),
        ("ZIP bomb: a 256 MB sheet", workbook(member + b" " * (256 * 1024 * 1024))),
        (
            "one row of 2,000,000 cells (stored)",
            workbook(b'<row r="2">' + b"<c/>" * 2_000_000 + b"</row>", stored=True),
        ),
    ]


def legitimate(n: int) -> bytes:
    from meetings.documents.spreadsheets import MEMBER_HEADERS, MEMBER_WIDTHS, workbook_bytes

    rows = [
        [
            i,
            f"Nguyễn Văn Thành {i}",
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}",
            "Nam" if i % 2 else "Nữ",
            f"01.{i:06d}",
            "03/02/2005",
            "03/02/2006",
            f"09{i:08d}",
            f"dv{i}@example.vn",
            "Đảng viên",
            "Đang sinh hoạt",
        ]
        for i in range(1, n + 1)
    ]
    return workbook_bytes(title="Danh sách đảng viên", headers=MEMBER_HEADERS, rows=rows, widths=MEMBER_WIDTHS)


def as_view(data: bytes, preview=imports.members_import_preview, cell=None):
    upload = SimpleUploadedFile("ds.xlsx", data)
    validate_upload(upload, kinds=("xlsx",))
    return preview(cell=cell, file=upload)


def timed(fn, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        try:
            result = fn()
        except ValidationError as exc:
            result = exc
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def old_preview(rev: str):
    source = subprocess.run(
        ["git", "show", f"{rev}:meetings/services/imports.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType("imports_before")
    exec(compile(source, "imports_before.py", "exec"), module.__dict__)  # noqa: S102 - our own file from git
    return module.members_import_preview


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", metavar="REV", default=None)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from tests import factories as f

    cell = f.CellFactory(name="Chi bộ Văn phòng")
    load = os.getloadavg()[0]
    print(f"Member import, {args.runs} runs, load average {load:.1f}; limits: {imports.MAX_SHEET_ROWS} rows, ")
    print(f"{imports.MAX_COLUMNS} columns, {imports.MAX_CELL_CHARS} characters a cell, ")
    print(f"{imports.MAX_UNCOMPRESSED_BYTES // 1048576} MB unpacked, ratio {imports.MAX_COMPRESSION_RATIO}x\n")
    print("| file | size | refused in (median / best) | message |\n|---|---:|---:|---|")
    files = crafted()
    worst = 0.0
    for label, data in files:
        median, best, result = timed(lambda data=data: as_view(data), args.runs)
        worst = max(worst, median)
        message = " ".join(result.messages) if isinstance(result, ValidationError) else f"ACCEPTED ({result!r:.40})"
        print(
            f"| {label} | {len(data) / 1048576:.1f} MB | {median * 1000:.1f} / {best * 1000:.1f} ms | {message[:70]}… |"
        )
    data = legitimate(imports.MAX_ROWS)
    median, best, result = timed(lambda: as_view(data, cell=cell), args.runs)
    print(
        f"| legitimate list, {imports.MAX_ROWS:,} members (preview built) | {len(data) / 1048576:.2f} MB | "
        f"{median * 1000:.1f} / {best * 1000:.1f} ms | {len(result)} rows, {sum(r.ok for r in result)} clean |"
    )
    print(f"\nslowest refusal: {worst * 1000:.1f} ms (target < 1000 ms): {'met' if worst < 1 else 'NOT MET'}")
    if args.before:
        before = old_preview(args.before)
        median, _best, result = timed(lambda: as_view(data, preview=before, cell=cell), args.runs)
        print(f"before ({args.before}), legitimate list: {median * 1000:.1f} ms ({len(result)} rows)")
        label, crafted_data = files[0]
        median, _best, result = timed(lambda: as_view(crafted_data, preview=before, cell=cell), 1)
        outcome = " ".join(result.messages) if isinstance(result, ValidationError) else f"accepted, {len(result)} rows"
        print(f"before ({args.before}), {label}: {median:.2f} s, {outcome[:80]}")


if __name__ == "__main__":
    main()
