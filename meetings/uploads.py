"""Upload checks: size, and type by content (never by the name the browser sends)."""

import io
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

KIND_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx"}


def sniff_kind(head: bytes, data_for_zip) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data_for_zip) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def validate_upload(uploaded, *, kinds=("pdf", "docx")) -> str:
    """Return the detected kind or raise a Vietnamese ValidationError."""
    limit = settings.CHIBO["UPLOAD_MAX_BYTES"]
    allowed = " hoặc ".join(KIND_LABELS[k] for k in kinds)
    if uploaded.size > limit:
        raise ValidationError(
            f"Tệp quá lớn ({uploaded.size / 1048576:.1f} MB). Dung lượng tối đa là {limit // 1048576} MB."
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    kind = sniff_kind(data[:8], io.BytesIO(data))
    if kind not in kinds:
        raise ValidationError(f"Tệp không đúng định dạng. Chỉ chấp nhận tệp {allowed}.")
    return kind


def safe_name(kind: str) -> str:
    """Stored names never come from the user: a random name with the detected extension."""
    return f"{uuid.uuid4().hex}{EXTENSIONS[kind]}"
