"""The demo's digital signatures (seed_demo): a demo CA kept under MEDIA_ROOT (git-ignored),
trusted by the installation's trust-roots folder, certificates for the chair and the clerk
of the latest finalised demo minutes, and those minutes signed by both. Idempotent: the CA
and the certificates are made once, a role already signed is left as it is."""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.conf import settings

from meetings.models import Member, Minutes, MinutesSignature, SignerRole, SigningCertificate, User
from meetings.services.signing import pki, trust
from meetings.services.signing.certificates import certificate_upload
from meetings.services.signing.minutes import minutes_sign, signing_enabled

DEMO_CA_NAME = "chibo Demo CA (không dùng thật)"
# Demo PKCS#12 files are protected by the demo's password (printed by seed_demo).
DEMO_LOGINS = {SignerRole.CHAIR: "chutri", SignerRole.CLERK: "thuky"}


def demo_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "signing-demo"


def demo_authority() -> pki.Authority:
    """The demo CA, made on the first run and read back afterwards."""
    folder = demo_dir()
    key_path, cert_path = folder / "demo-ca.key.pem", folder / "demo-ca.pem"
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return pki.Authority(key=key, certificate=x509.load_pem_x509_certificate(cert_path.read_bytes()))
    folder.mkdir(parents=True, exist_ok=True)
    authority = pki.authority_create(DEMO_CA_NAME)
    key_path.write_bytes(
        authority.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(authority.pem)
    return authority


def _trust(authority: pki.Authority) -> None:
    """The demo CA and an empty CRL of it in the trust-roots folder: the verification page trusts
    demo signatures, and signing embeds the CRL (PAdES B-LT)."""
    folder = trust.trust_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chibo-demo-ca.pem").write_bytes(authority.pem)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.certificate.subject)
        .last_update(now - datetime.timedelta(hours=1))
        .next_update(now + datetime.timedelta(days=30))
        .sign(authority.key, hashes.SHA256())
    )
    (folder / "chibo-demo-ca.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))


def _signer_user(member: Member, role: str, password: str) -> User:
    if member.user_id:
        return member.user
    user, created = User.objects.get_or_create(username=DEMO_LOGINS[role], defaults={"full_name": member.full_name})
    if created:
        user.set_password(password)
        user.save()
    Member.objects.filter(user=user).exclude(pk=member.pk).update(user=None)
    member.user = user
    member.save(update_fields=["user"])
    return user


def demo_signatures(*, password: str, log=print) -> Minutes | None:
    """Sign the latest finalised demo minutes as chair and clerk (demo password on both files)."""
    if not signing_enabled():
        log("Ký số: chưa bật (CHIBO_SIGNING_ENABLED), bỏ qua biên bản ký số mẫu.")
        return None
    minutes = Minutes.objects.exclude(pdf_sha256="").order_by("-finalized_at", "-pk").first()
    if minutes is None:
        return None
    authority = demo_authority()
    _trust(authority)
    for role, key in ((SignerRole.CHAIR, "chair"), (SignerRole.CLERK, "clerk")):
        person = minutes.snapshot.get(key) or {}
        member = Member.objects.filter(pk=person.get("id")).select_related("user").first()
        if member is None or MinutesSignature.objects.filter(minutes=minutes, role=role).exists():
            continue
        user = _signer_user(member, role, password)
        if not SigningCertificate.objects.filter(user=user).exists():
            data, _cert = pki.signer_create(authority, member.full_name, password=password)
            (demo_dir() / f"{user.username}.p12").write_bytes(data)
            certificate_upload(user=user, data=data, password=password)
        minutes_sign(minutes=minutes, user=user, role=role, password=password)
        log(f"Ký số: {member.full_name} ({user.username}) đã ký {minutes} với vai trò {SignerRole(role).label}.")
    return minutes
