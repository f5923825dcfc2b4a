"""The installation's trust roots: a folder of CA certificates (PEM or DER, CHIBO["TRUST_ROOTS_DIR"])
and any CRLs placed beside them. Nothing is fetched from the network, at signing or at
verification time (deploy/OPERATIONS.md lists Vietnam's national root CAs to put there)."""

import datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko_certvalidator import ValidationContext

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def trust_dir() -> Path:
    return Path(str(settings.CHIBO["TRUST_ROOTS_DIR"]))


def _blobs(path: Path, kind: str) -> list[bytes]:
    data = path.read_bytes()
    if pem.detect(data):
        return [der for name, _headers, der in pem.unarmor(data, multiple=True) if kind in name]
    return [data]


def trust_roots() -> list[asn1_x509.Certificate]:
    folder = trust_dir()
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in CERT_SUFFIXES and path.is_file():
            for der in _blobs(path, "CERTIFICATE"):
                try:
                    out.append(asn1_x509.Certificate.load(der))
                except ValueError:
                    continue  # not a certificate: ignored, the others still count
    return out


def local_crls() -> list[asn1_crl.CertificateList]:
    folder = trust_dir()
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.crl")):
        for der in _blobs(path, "CRL"):
            try:
                out.append(asn1_crl.CertificateList.load(der))
            except ValueError:
                continue
    return out


def validation_context(*, moment: datetime.datetime | None = None, crls=None) -> ValidationContext:
    """Offline: the configured roots, the local CRLs, no fetching. Revocation is checked when
    data is present (embedded in the PDF or local) and not required otherwise."""
    return ValidationContext(
        trust_roots=trust_roots(),
        crls=local_crls() if crls is None else crls,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=moment,
    )


def signing_context(issuer: asn1_x509.Name) -> ValidationContext | None:
    """A context for embedding revocation data (PAdES B-LT) when a local CRL of the signer's
    issuer is at hand; None for a B-B signature."""
    crls = [c for c in local_crls() if c.issuer == issuer]
    if not crls:
        return None
    return validation_context(crls=crls)
