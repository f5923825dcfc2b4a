"""Appending sealed records to their cell's hash chain (meetings/models/ledger.py).

`ledger_append` runs inside the transaction that seals the record, after the row and its
file hash are written: if the seal rolls back, so does the link. The cell's row is locked
(FOR NO KEY UPDATE: inserts that reference the cell are not blocked) so two seals of the
same cell at once take consecutive links instead of forking the chain.
"""

import re

from django.db import transaction
from django.utils import timezone

from meetings.models import Organization, SealedRecord
from meetings.models.ledger import GENESIS_HASH, content_digest, sealed_type

_SHA256 = re.compile(r"[0-9a-f]{64}")


def ledger_lock(*, cell) -> None:
    """Lock the cell's chain until the caller's transaction ends. Taken again by
    `ledger_append`; a sealing service that also numbers the document takes it first, so
    the chain and the register are always locked in the same order (services/numbering.py
    locks the cell before its series too)."""
    list(Organization.objects.select_for_update(no_key=True).filter(pk=cell.pk).values_list("pk", flat=True))


def ledger_head(*, cell_id: int) -> SealedRecord | None:
    """The cell's last link (None for a cell with no sealed record yet)."""
    return SealedRecord.objects.filter(cell_id=cell_id).order_by("-seq").first()


def ledger_link(*, kind: str, object_id: int) -> SealedRecord | None:
    return SealedRecord.objects.filter(kind=kind, object_id=object_id).first()


def ledger_append(*, cell, kind: str, obj, sha256: str) -> SealedRecord:
    """Chain the sealed record `obj` (already saved with its file and `sha256`) to the cell's
    last link. The record's sealed columns are read back from the database, so the link
    hashes exactly what is stored."""
    sealed = sealed_type(kind)
    model = sealed.model_class()
    if not isinstance(obj, model) or obj.pk is None:
        raise ValueError(f"ledger_append: a saved {sealed.model} is expected for kind {kind!r}")
    if not _SHA256.fullmatch(sha256 or ""):
        raise ValueError("ledger_append: sha256 must be 64 lower-case hex digits")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_append must run inside the sealing transaction")
    ledger_lock(cell=cell)
    columns = dict.fromkeys((*sealed.content_fields, sealed.sha_field, sealed.cell_lookup))
    stored = model.objects.filter(pk=obj.pk).values(*columns).get()
    if stored[sealed.sha_field] != sha256:
        raise ValueError(f"ledger_append: {sealed.model} {obj.pk} is stored with another SHA-256")
    if stored[sealed.cell_lookup] != cell.pk:
        raise ValueError(f"ledger_append: {sealed.model} {obj.pk} does not belong to cell {cell.pk}")
    last = SealedRecord.objects.filter(cell_id=cell.pk).order_by("-seq").values("seq", "record_hash").first()
    link = SealedRecord(
        cell_id=cell.pk,
        seq=last["seq"] + 1 if last else 1,
        kind=kind,
        object_id=obj.pk,
        document_sha256=sha256,
        content_sha256=content_digest({f: stored[f] for f in sealed.content_fields}),
        sealed_at=timezone.now(),
        prev_hash=last["record_hash"] if last else GENESIS_HASH,
    )
    link.record_hash = link.compute_hash()
    link.save(force_insert=True)
    return link
