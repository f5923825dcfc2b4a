"""A year of minutes as one ZIP for the minutes book and audits: every minutes and topic PDF
plus a spreadsheet index."""

import tempfile
import zipfile

from meetings.documents.spreadsheets import workbook_bytes
from meetings.documents.topics import render_topic_pdf
from meetings.selectors.signatures import minutes_served_file

INDEX_HEADERS = [
    "Chi bộ",
    "Số biên bản",
    "Chuyên đề",
    "Ngày họp",
    "Loại",
    "Xếp loại",
    "Tệp biên bản",
    "Tệp chuyên đề",
    "SHA-256 biên bản",
    "Mã xác thực",
]


def build_archive(minutes_list):
    """A file object (rewound) holding the ZIP of these minutes, with their meetings loaded."""
    index = []
    spool = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - handed to FileResponse
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for minutes in minutes_list:
            meeting = minutes.meeting
            folder = f"{minutes.cell_id:06d}-{minutes.year}-{minutes.number:02d}"
            minutes_name = topic_name = ""
            if minutes.pdf:
                minutes_name = f"{folder}/bien-ban-{minutes.number:02d}.pdf"
                # The latest signed revision once the minutes are signed (issue 18).
                with minutes_served_file(minutes)[1].open("rb") as fh:
                    archive.writestr(minutes_name, fh.read())
            if meeting.topic_id:
                topic_name = f"{folder}/chuyen-de.pdf"
                archive.writestr(topic_name, render_topic_pdf(meeting.topic))
            # The recorded (capped) grade; minutes finalised before caps existed: the self grade.
            grade = minutes.recorded_grade or getattr(getattr(meeting, "conclusion", None), "quality_grade", "")
            index.append(
                [
                    minutes.cell.name,
                    minutes.number_label,
                    meeting.title,
                    meeting.scheduled_date,
                    meeting.get_kind_display(),
                    grade,
                    minutes_name,
                    topic_name,
                    minutes.pdf_sha256,
                    minutes.verification_code,
                ]
            )
        archive.writestr(
            "muc-luc.xlsx",
            workbook_bytes(
                title="Mục lục",
                headers=INDEX_HEADERS,
                rows=index,
                widths=[30, 14, 45, 12, 20, 10, 32, 32, 66, 12],
            ),
        )
    spool.seek(0)
    return spool
