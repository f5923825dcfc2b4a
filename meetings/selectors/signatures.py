"""Reads about the digital signatures of sealed minutes (issue 18)."""

from dataclasses import dataclass

from meetings.models import Member, Minutes, MinutesSignature, SignerRole, SigningCertificate


def minutes_signatures(minutes_id: int) -> list[MinutesSignature]:
    return list(MinutesSignature.objects.filter(minutes_id=minutes_id).order_by("revision"))


def latest_signature(minutes_id: int) -> MinutesSignature | None:
    return MinutesSignature.objects.filter(minutes_id=minutes_id).order_by("-revision").first()


def minutes_served_file(minutes: Minutes):
    """The file every download, e-mail and report serves: the latest signed revision when the
    minutes have been signed, else the sealed PDF. Returns (record, field): the record carries
    the SHA-256 the file is checked against."""
    latest = latest_signature(minutes.pk)
    record = latest if latest is not None else minutes
    return record, record.pdf


def signer_roles(*, minutes: Minutes, user) -> list[str]:
    """The roles in which `user` signs these minutes: the member frozen as chair and/or clerk
    in the snapshot (chair and clerk are different people, so at most one in practice)."""
    member_id = Member.objects.filter(user=user).values_list("pk", flat=True).first() if user.is_authenticated else None
    if member_id is None:
        return []
    snapshot = minutes.snapshot or {}
    return [
        role
        for role, key in ((SignerRole.CHAIR, "chair"), (SignerRole.CLERK, "clerk"))
        if (snapshot.get(key) or {}).get("id") == member_id
    ]


@dataclass(frozen=True)
class SigningState:
    """What the finalise page shows about signatures: who signed, who may sign now."""

    signatures: list[MinutesSignature]
    my_roles: list[str]  # roles the viewer holds and has not yet signed
    certificate: SigningCertificate | None
    complete: bool

    @property
    def signed_roles(self) -> set[str]:
        return {s.role for s in self.signatures}


def wanted_roles(minutes: Minutes) -> set[str]:
    """The roles whose signatures complete these minutes: the chair and the clerk recorded."""
    snapshot = minutes.snapshot or {}
    return {r for r, k in ((SignerRole.CHAIR, "chair"), (SignerRole.CLERK, "clerk")) if snapshot.get(k)}


def signing_state(*, minutes: Minutes, user) -> SigningState:
    signatures = minutes_signatures(minutes.pk)
    done = {s.role for s in signatures}
    mine = [r for r in signer_roles(minutes=minutes, user=user) if r not in done]
    certificate = SigningCertificate.objects.filter(user=user).first() if mine else None
    wanted = wanted_roles(minutes)
    return SigningState(
        signatures=signatures, my_roles=mine, certificate=certificate, complete=bool(wanted) and wanted <= done
    )


def user_certificate(user) -> SigningCertificate | None:
    return SigningCertificate.objects.filter(user=user).first()
