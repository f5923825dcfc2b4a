"""Signing sealed minutes: the chair and the clerk each add their signature, in either order;
each signature is a new insert-only `MinutesSignature` row holding the PDF after it."""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pyhanko.sign.general import SigningError as PyHankoSigningError

from meetings.documents.minutes import minutes_signature
from meetings.models import Minutes, MinutesSignature, SignerRole, SigningCertificate
from meetings.selectors.signatures import signer_roles, wanted_roles
from meetings.services.ledger import ledger_append
from meetings.services.minutes import minutes_pdf_bytes
from meetings.services.notifications import notifications_for_signed
from meetings.services.signing import pdf, trust
from meetings.services.signing.certificates import certificate_unlock

logger = logging.getLogger(__name__)

DISABLED = "Hệ thống chưa bật chức năng ký số (CHIBO_SIGNING_ENABLED)."


def signing_enabled() -> bool:
    return bool(settings.CHIBO.get("SIGNING_ENABLED"))


def signer_title(snapshot: dict, role: str) -> str:
    """The title printed above the field: "T/M CHI BỘ – BÍ THƯ", "CHỦ TRÌ" or "THƯ KÝ"."""
    if role == SignerRole.CLERK:
        return "THƯ KÝ"
    sig = minutes_signature(snapshot)
    return f"{sig['on_behalf']} – {sig['title']}" if sig["on_behalf"] else sig["title"]


def signer_name(snapshot: dict, role: str) -> str:
    return (snapshot.get("chair" if role == SignerRole.CHAIR else "clerk") or {}).get("name", "")


def minutes_sign(*, minutes: Minutes, user, role: str, password: str, signer: pdf.Signer | None = None):
    """Add `user`'s signature in `role` to the latest revision of the minutes. The user must be
    the member recorded in that role; the key is the user's stored PKCS#12 opened with
    `password` (or `signer`, for a key held elsewhere). A refusal raises ValidationError with
    the message to show; nothing is written then."""
    if not signing_enabled():
        raise ValidationError(DISABLED, code="disabled")
    if role not in signer_roles(minutes=minutes, user=user):
        raise PermissionDenied("Đồng chí không phải người ký biên bản này ở vai trò đó.")
    if signer is None:
        record = SigningCertificate.objects.filter(user=user).first()
        if record is None:
            raise ValidationError(
                "Đồng chí chưa tải lên chứng thư số (tệp PKCS#12) trong trang tài khoản.", code="no_certificate"
            )
        if record.not_after < timezone.now():
            raise ValidationError(
                "Chứng thư số của đồng chí đã hết hạn; đề nghị tải lên chứng thư mới.", code="expired"
            )
        signer = certificate_unlock(record, password)
    with transaction.atomic():
        # One signature at a time per minutes: the second signer builds on the first's file.
        Minutes.objects.select_for_update().filter(pk=minutes.pk).first()
        done = list(MinutesSignature.objects.filter(minutes=minutes).order_by("revision"))
        if any(s.role == role for s in done):
            raise ValidationError("Biên bản đã được ký ở vai trò này.", code="already_signed")
        base = minutes_pdf_bytes(minutes)
        now = timezone.now()
        request = pdf.SignRequest(
            role=role,
            signer_name=signer_name(minutes.snapshot, role),
            signer_title=signer_title(minutes.snapshot, role),
            signed_at=now,
            first=not done,
            reason=f"Ký biên bản số {minutes.number_label}",
            location=minutes.snapshot.get("place_name", ""),
        )
        signed, level = _sign(base, signer=signer, request=request)
        row = MinutesSignature(
            minutes=minutes,
            revision=len(done) + 1,
            role=role,
            pdf_sha256=hashlib.sha256(signed).hexdigest(),
            base_sha256=hashlib.sha256(base).hexdigest(),
            signed_by=user,
            signer_name=request.signer_name,
            signer_title=request.signer_title,
            signed_at=now,
            certificate_subject=signer.subject,
            certificate_serial=_serial(signer),
            certificate_issuer=_issuer(signer),
            level=level,
        )
        # The name never comes from user input.
        name = f"bien-ban-{minutes.cell_id}-{minutes.year}-{minutes.number:02d}-ky-{row.revision}"
        row.pdf.save(f"{name}-{secrets.token_hex(4)}.pdf", ContentFile(signed), save=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:  # the other signer was faster in the same role
            raise ValidationError("Biên bản đã được ký ở vai trò này.", code="already_signed") from exc
        # A signed revision is a sealed record: the next link of the cell's hash chain.
        ledger_append(cell=minutes.cell, kind="signature", obj=row, sha256=row.pdf_sha256)
        if wanted_roles(minutes) <= {s.role for s in done} | {role}:
            notifications_for_signed(minutes=minutes, signature=row)
    logger.info("Minutes %s signed as %s by user %s (%s)", minutes.pk, role, user.pk, level)
    return row


def _sign(base: bytes, *, signer: pdf.Signer, request: pdf.SignRequest) -> tuple[bytes, str]:
    context = None
    cert = signer.pyhanko_signer.signing_cert
    if cert is not None:
        context = trust.signing_context(cert.issuer)
    if context is not None:
        try:
            return pdf.sign_pdf(base, signer=signer, request=request, validation_context=context), "B-LT"
        except Exception as exc:  # any failure to validate for B-LT
            # E.g. the chain does not validate against the local roots: a B-B signature still holds.
            logger.warning("B-LT signing not possible (%s); signing B-B", exc)
    try:
        return pdf.sign_pdf(base, signer=signer, request=request), "B-B"
    except (PyHankoSigningError, ValueError) as exc:
        logger.error("Signing minutes failed: %s", exc)
        raise ValidationError(f"Không ký được biên bản: {exc}", code="signing_failed") from exc


def _serial(signer) -> str:
    cert = signer.pyhanko_signer.signing_cert
    return format(cert.serial_number, "X") if cert is not None else ""


def _issuer(signer) -> str:
    cert = signer.pyhanko_signer.signing_cert
    return cert.issuer.human_friendly[:500] if cert is not None else ""
