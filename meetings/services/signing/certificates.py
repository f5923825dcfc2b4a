"""A user's signing certificate: the PKCS#12 file uploaded once, kept encrypted with the
installation's key (Fernet, CHIBO["SIGNING_KEY"]); its password is typed at each signature
and never stored."""

import base64
import datetime
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from pyhanko.sign import signers

from meetings.models import SigningCertificate

PKCS12_MAX_BYTES = 64 * 1024
BAD_PKCS12_MESSAGE = "Mật khẩu của tệp chứng thư số không đúng, hoặc tệp không phải PKCS#12. Đề nghị đồng chí nhập lại."


def _fernet() -> Fernet:
    key = settings.CHIBO.get("SIGNING_KEY") or ""
    if not key:
        if not settings.DEBUG:
            raise ImproperlyConfigured("CHIBO_SIGNING_KEY must be set when signing is enabled (deploy/OPERATIONS.md).")
        # Development only: a key derived from SECRET_KEY, so a dev database stays readable.
        key = base64.urlsafe_b64encode(hashlib.sha256(b"chibo-signing:" + settings.SECRET_KEY.encode()).digest())
    return Fernet(key)


def _name(name: x509.Name) -> str:
    return name.rfc4514_string()[:500]


@dataclass(frozen=True)
class LoadedKey:
    """The key and chain of a PKCS#12 file, opened with its password (in memory only)."""

    pyhanko_signer: signers.SimpleSigner
    certificate: x509.Certificate

    @property
    def subject(self) -> str:
        return _name(self.certificate.subject)


def pkcs12_open(data: bytes, password: str) -> LoadedKey:
    """Open a PKCS#12 file; a wrong password or a file that is not PKCS#12 is a ValidationError
    with the message the user sees."""
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, (password or "").encode() or None)
    except (ValueError, TypeError) as exc:
        raise ValidationError(BAD_PKCS12_MESSAGE, code="wrong_password") from exc
    if key is None or cert is None:
        raise ValidationError("Tệp PKCS#12 không chứa khóa bí mật và chứng thư số của người ký.", code="no_key")
    try:
        passphrase = (password or "").encode() or None
        signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
    except ValueError as exc:
        raise ValidationError(BAD_PKCS12_MESSAGE, code="wrong_password") from exc
    return LoadedKey(pyhanko_signer=signer, certificate=cert)


def certificate_upload(*, user, data: bytes, password: str) -> SigningCertificate:
    """Check that the file opens with its password and holds a certificate valid now, then
    keep it encrypted (replacing the user's earlier one)."""
    if len(data) > PKCS12_MAX_BYTES:
        raise ValidationError("Tệp chứng thư số quá lớn (tối đa 64 KB).", code="too_large")
    loaded = pkcs12_open(data, password)
    cert = loaded.certificate
    now = datetime.datetime.now(datetime.UTC)
    if cert.not_valid_after_utc < now:
        raise ValidationError("Chứng thư số đã hết hạn; đề nghị đồng chí dùng chứng thư còn hiệu lực.", code="expired")
    values = {
        "pkcs12_encrypted": _fernet().encrypt(data),
        "subject": _name(cert.subject),
        "issuer": _name(cert.issuer),
        "serial": format(cert.serial_number, "X"),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
        "sha256_fingerprint": cert.fingerprint(hashes.SHA256()).hex(),
    }
    with transaction.atomic():
        record, _ = SigningCertificate.objects.update_or_create(user=user, defaults=values)
    return record


def certificate_delete(*, user) -> bool:
    with transaction.atomic():
        deleted, _ = SigningCertificate.objects.filter(user=user).delete()
    return bool(deleted)


def certificate_unlock(record: SigningCertificate, password: str) -> LoadedKey:
    """The stored file, decrypted with the installation's key and opened with the password."""
    try:
        data = _fernet().decrypt(bytes(record.pkcs12_encrypted))
    except InvalidToken as exc:
        raise ValidationError(
            "Không giải mã được chứng thư số đã lưu (khóa CHIBO_SIGNING_KEY của máy chủ đã thay đổi). "
            "Đề nghị đồng chí tải lên lại tệp chứng thư số.",
            code="key_changed",
        ) from exc
    return pkcs12_open(data, password)
