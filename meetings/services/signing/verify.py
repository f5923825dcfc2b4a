"""Offline check of an uploaded PDF: which sealed record it is (or begins with), and each
signature's signer, time, trust against the installation's roots and what changed after it.

Every earlier revision of a signed PDF is a byte-for-byte prefix of it (incremental updates
end with %%EOF), so the sealed, unsigned minutes are found inside a signed file by hashing
the file up to each %%EOF. No network is used.
"""

import datetime
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field

from django.utils import timezone
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from meetings.models import MinutesAddendum, MinutesSignature, SignerRole
from meetings.services.minutes import minutes_check
from meetings.services.signing import trust
from meetings.services.signing.pdf import FIELD_NAMES

FIELD_ROLES = {name: role for role, name in FIELD_NAMES.items()}

logger = logging.getLogger(__name__)

_EOF = re.compile(rb"%%EOF(\r\n|\r|\n)?")
# A PDF with more revisions than this is not one chibo made; its prefixes are not all hashed.
MAX_REVISIONS = 50

MODIFICATION_LABELS = {
    ModificationLevel.NONE: "Không có thay đổi nào sau khi ký.",
    ModificationLevel.LTA_UPDATES: "Chỉ bổ sung dữ liệu kiểm tra dài hạn (không đổi nội dung).",
    ModificationLevel.FORM_FILLING: "Chỉ có thêm chữ ký (điền ô ký), nội dung không đổi.",
    ModificationLevel.ANNOTATIONS: "Có thêm ghi chú (annotation) sau khi ký.",
    ModificationLevel.OTHER: "Nội dung đã bị thay đổi sau khi ký.",
}


@dataclass
class SignatureReport:
    field: str
    signer: str
    issuer: str
    serial: str
    signing_time: datetime.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    revoked: bool
    expired: bool
    not_yet_valid: bool
    certifying: bool
    modification: str
    changed_after: bool
    covers_whole_file: bool
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.revoked and not self.changed_after

    @property
    def field_label(self) -> str:
        """The field as the reader knows it ("Chủ trì"), the raw name for a field chibo did not make."""
        role = FIELD_ROLES.get(self.field)
        return SignerRole(role).label if role else self.field


@dataclass
class FileReport:
    sha256: str
    # What the whole file is: "minutes", "addendum", "signed" (a stored signed revision) or "".
    exact: str = ""
    # The sealed minutes found as the file's first revision when the file itself is not stored.
    prefix_of: object | None = None
    minutes: object | None = None
    addendum: object | None = None
    signature_record: object | None = None
    signatures: list[SignatureReport] = field(default_factory=list)
    unreadable: bool = False

    @property
    def status(self) -> str:
        if self.exact:
            return "match"
        if self.prefix_of is not None:
            return "prefix"
        return "unknown_file"


def revision_prefixes(data: bytes) -> list[bytes]:
    """The file cut after each %%EOF marker (and its end-of-line), shortest first."""
    out = []
    for m in _EOF.finditer(data):
        out.append(data[: m.end()])
        if m.group(1) is not None:
            out.append(data[: m.start() + 5])
        if len(out) >= 2 * MAX_REVISIONS:
            break
    return out


def _find_records(report: FileReport, data: bytes, queryset) -> None:
    sha = report.sha256
    minutes = queryset.filter(pdf_sha256=sha).first()
    if minutes is not None:
        report.exact, report.minutes = "minutes", minutes
        return
    addendum = MinutesAddendum.objects.filter(minutes__in=queryset, pdf_sha256=sha).select_related("minutes").first()
    if addendum is not None:
        report.exact, report.addendum, report.minutes = "addendum", addendum, addendum.minutes
        return
    signed = MinutesSignature.objects.filter(minutes__in=queryset, pdf_sha256=sha).select_related("minutes").first()
    if signed is not None:
        report.exact, report.signature_record, report.minutes = "signed", signed, signed.minutes
        return
    hashes = {hashlib.sha256(p).hexdigest() for p in revision_prefixes(data) if len(p) < len(data)}
    if hashes:
        minutes = queryset.filter(pdf_sha256__in=hashes).first()
        if minutes is not None:
            report.prefix_of, report.minutes = minutes, minutes


def _name(cert) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except (AttributeError, ValueError):
        return ""


def _signature_report(embedded, moment: datetime.datetime) -> SignatureReport:
    status = validate_pdf_signature(embedded, signer_validation_context=trust.validation_context())
    cert = status.signing_cert
    signing_time = status.signer_reported_dt
    not_before, not_after = (
        cert["tbs_certificate"]["validity"]["not_before"].native,
        cert["tbs_certificate"]["validity"]["not_after"].native,
    )
    expired = not_after < moment
    trusted = status.trusted
    problem = ""
    if not trusted and expired and signing_time and not_before <= signing_time <= not_after:
        # Years later the certificate has expired: judge the chain at the time the signer states.
        at_signing = validate_pdf_signature(
            embedded, signer_validation_context=trust.validation_context(moment=signing_time), skip_diff=True
        )
        trusted = at_signing.trusted
        if trusted:
            problem = "Chứng thư số nay đã hết hạn; tại thời điểm ký chứng thư còn hiệu lực và tin cậy."
    if signing_time and not (not_before <= signing_time <= not_after):
        problem = "Thời điểm ký nằm ngoài thời hạn hiệu lực của chứng thư số."
    elif not trusted and not problem:
        problem = "Chứng thư số không được cấp bởi tổ chức chứng thực mà hệ thống tin cậy."
    level = status.modification_level
    coverage = status.coverage
    changed = level is None or level > ModificationLevel.FORM_FILLING or status.docmdp_ok is False
    return SignatureReport(
        field=embedded.field_name or "",
        signer=_name(cert),
        issuer=_name_issuer(cert),
        serial=format(cert.serial_number, "X"),
        signing_time=signing_time,
        intact=status.intact,
        valid=status.valid,
        trusted=trusted,
        revoked=status.revoked,
        expired=expired,
        not_yet_valid=not_before > moment,
        certifying=_is_certification(embedded),
        modification=MODIFICATION_LABELS.get(level, "Không xác định được phạm vi thay đổi."),
        changed_after=changed,
        covers_whole_file=coverage == SignatureCoverageLevel.ENTIRE_FILE,
        problem=problem,
    )


def _name_issuer(cert) -> str:
    try:
        return cert.issuer.native.get("common_name") or cert.issuer.human_friendly
    except (AttributeError, ValueError):
        return ""


def _is_certification(embedded) -> bool:
    """A certification signature names the DocMDP transform in its /Reference (ISO 32000-1,
    12.8.2.2); an approval signature's field lock uses /FieldMDP."""
    for ref in embedded.sig_object.get("/Reference", []):
        if ref.get_object().get("/TransformMethod") == "/DocMDP":
            return True
    return False


def pdf_verify(*, data: bytes, queryset) -> FileReport:
    """The verdict on an uploaded PDF among the minutes in `queryset` (those the user may see;
    others are reported like unknown ones)."""
    report = FileReport(sha256=hashlib.sha256(data).hexdigest())
    _find_records(report, data, queryset)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        logger.info("Uploaded PDF could not be read for signatures: %s", exc)
        report.unreadable = True
        return report
    moment = timezone.now()
    for sig in embedded:
        try:
            report.signatures.append(_signature_report(sig, moment))
        except Exception as exc:  # a malformed signature is reported, never a 500
            logger.info("Signature %s could not be validated: %s", sig.field_name, exc)
            report.signatures.append(
                SignatureReport(
                    field=sig.field_name or "",
                    signer="",
                    issuer="",
                    serial="",
                    signing_time=None,
                    intact=False,
                    valid=False,
                    trusted=False,
                    revoked=False,
                    expired=False,
                    not_yet_valid=False,
                    certifying=False,
                    modification="Không đọc được chữ ký này.",
                    changed_after=True,
                    covers_whole_file=False,
                    problem="Chữ ký hỏng hoặc không đúng định dạng.",
                )
            )
    return report


def document_check(*, queryset, code: str, data: bytes | None) -> dict:
    """The verification page's verdict: the sealed-record check of services/minutes.py, with
    signed files recognised (a stored signed revision, or a file whose first revision is the
    sealed minutes) and each signature's report."""
    result = minutes_check(queryset=queryset, code=code, data=data)
    if data is None:
        return result
    report = pdf_verify(data=data, queryset=queryset)
    result["report"] = report
    same = not code or result.get("minutes") == report.minutes
    # A file that only begins with the sealed minutes counts when all it adds are signatures
    # that hold; anything else appended is a changed file, as before signing existed.
    signed_only = bool(report.signatures) and all(
        sig.intact and sig.valid and not sig.changed_after for sig in report.signatures
    )
    recognised = report.exact == "signed" or (report.status == "prefix" and signed_only)
    if result["status"] in ("mismatch", "unknown_file") and recognised and same:
        result["status"] = "signed_match" if report.exact == "signed" else report.status
        result["minutes"] = report.minutes
        result["signature_record"] = report.signature_record
    return result
