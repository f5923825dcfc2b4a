"""The hash chain of a cell's sealed records (issue 18, item 4).

Every sealed document of a cell (minutes, addendum, and any later sealed type) gets one
insert-only link here, appended by `meetings/services/ledger.py: ledger_append` inside the
sealing transaction. Each link holds the SHA-256 of the previous link of the same cell, so
removing, reordering or rewriting a sealed record or a link breaks the chain, even when the
database triggers were bypassed (`SET LOCAL pgtrigger.ignore`): `manage.py verify_integrity`
recomputes it.

Canonical serialisation (frozen: a change would be a new prefix, never an edit):

    record_hash = SHA-256 (hex, lower case) of the UTF-8 bytes of the nine lines
        chibo-ledger/1
        cell:<cell id>
        seq:<seq>
        kind:<kind>
        object:<object id>
        document:<SHA-256 of the stored file>
        content:<content_sha256>
        sealed_at:<UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ>
        prev:<record_hash of link seq-1 of the cell, or 64 zeros for seq 1>
    joined by "\\n" (no trailing newline).

    content_sha256 = SHA-256 of the record's sealed columns (`SealedType.content_fields`) as
        JSON: keys sorted, separators "," and ":", non-ASCII kept (UTF-8), date-times in UTC
        as above; so a row rewritten without touching its file is caught too.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

import pgtrigger
from django.apps import apps
from django.db import models
from django.db.models import Q

LEDGER_VERSION = "chibo-ledger/1"
GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class SealedType:
    """A kind of sealed record the chain covers: where its file, hash and cell are, and which
    columns are frozen with it (a column a later legitimate change may touch, such as a
    SET_NULL user, stays out)."""

    kind: str
    label: str
    model: str  # "app_label.ModelName"
    cell_lookup: str  # from the record to its cell id
    content_fields: tuple[str, ...]
    file_field: str = "pdf"
    sha_field: str = "pdf_sha256"

    def model_class(self):
        return apps.get_model(self.model)


# One entry per sealed type. A new sealed model (e.g. signed revisions) adds its entry here and
# calls `ledger_append` in the transaction that inserts it; every row of it must be chained.
SEALED_TYPES: dict[str, SealedType] = {
    t.kind: t
    for t in (
        SealedType(
            kind="minutes",
            label="biên bản",
            model="meetings.Minutes",
            cell_lookup="cell_id",
            content_fields=(
                "meeting_id",
                "cell_id",
                "year",
                "number",
                "snapshot",
                "warnings",
                "recorded_grade",
                "grade_reasons",
                "pdf",
                "pdf_sha256",
                "verification_code",
                "finalized_at",
            ),
        ),
        SealedType(
            kind="addendum",
            label="phụ lục đính chính",
            model="meetings.MinutesAddendum",
            cell_lookup="minutes__cell_id",
            content_fields=("minutes_id", "version", "text", "pdf", "pdf_sha256", "created_at"),
        ),
        # Each signed revision of minutes (issue 18, meetings/models/signatures.py).
        SealedType(
            kind="signature",
            label="biên bản đã ký số",
            model="meetings.MinutesSignature",
            cell_lookup="minutes__cell_id",
            content_fields=(
                "minutes_id",
                "revision",
                "role",
                "pdf",
                "pdf_sha256",
                "base_sha256",
                "signed_by_id",
                "signer_name",
                "signer_title",
                "signed_at",
                "certificate_subject",
                "certificate_serial",
                "certificate_issuer",
                "level",
            ),
        ),
    )
}


def sealed_type(kind: str) -> SealedType:
    try:
        return SEALED_TYPES[kind]
    except KeyError:
        raise ValueError(f"unknown sealed kind {kind!r}: add it to SEALED_TYPES (meetings/models/ledger.py)") from None


def utc_text(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json_default(value):
    if isinstance(value, datetime.datetime):
        return utc_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not part of a sealed record's content")


def content_digest(values: dict) -> str:
    """SHA-256 of a record's sealed columns, read back from the database."""
    text = json.dumps(
        values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default
    )
    return hashlib.sha256(text.encode()).hexdigest()


def record_digest(
    *,
    cell_id: int,
    seq: int,
    kind: str,
    object_id: int,
    document_sha256: str,
    content_sha256: str,
    sealed_at: datetime.datetime,
    prev_hash: str,
) -> str:
    lines = (
        LEDGER_VERSION,
        f"cell:{cell_id}",
        f"seq:{seq}",
        f"kind:{kind}",
        f"object:{object_id}",
        f"document:{document_sha256}",
        f"content:{content_sha256}",
        f"sealed_at:{utc_text(sealed_at)}",
        f"prev:{prev_hash}",
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def protect_ledger():
    # Links are only ever inserted; verify_integrity catches what bypasses these.
    return [
        pgtrigger.Protect(name="protect_ledger_update", operation=pgtrigger.Update),
        pgtrigger.Protect(name="protect_ledger_delete", operation=pgtrigger.Delete),
    ]


class SealedRecord(models.Model):
    """One link of a cell's hash chain: a sealed record, its hashes and the previous link's."""

    cell = models.ForeignKey(
        "meetings.Organization", verbose_name="chi bộ", on_delete=models.PROTECT, related_name="sealed_records"
    )
    seq = models.PositiveIntegerField("số thứ tự trong chuỗi")
    kind = models.CharField("loại hồ sơ", max_length=32)
    object_id = models.PositiveBigIntegerField("mã bản ghi")
    document_sha256 = models.CharField("SHA-256 của tệp", max_length=64)
    content_sha256 = models.CharField("SHA-256 của nội dung bản ghi", max_length=64)
    sealed_at = models.DateTimeField("niêm phong lúc")
    prev_hash = models.CharField("mã băm mắt xích trước", max_length=64)
    record_hash = models.CharField("mã băm mắt xích", max_length=64)

    class Meta:
        verbose_name = "mắt xích chuỗi hồ sơ niêm phong"
        verbose_name_plural = "chuỗi hồ sơ niêm phong"
        ordering = ["cell", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "seq"], name="ledger_seq_unique_per_cell"),
            models.UniqueConstraint(fields=["kind", "object_id"], name="ledger_one_link_per_record"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="ledger_seq_positive"),
        ]
        triggers = protect_ledger()

    def __str__(self):
        return f"Mắt xích {self.seq} – chi bộ {self.cell_id}"

    @property
    def kind_label(self) -> str:
        known = SEALED_TYPES.get(self.kind)
        return known.label if known else self.kind

    def compute_hash(self) -> str:
        return record_digest(
            cell_id=self.cell_id,
            seq=self.seq,
            kind=self.kind,
            object_id=self.object_id,
            document_sha256=self.document_sha256,
            content_sha256=self.content_sha256,
            sealed_at=self.sealed_at,
            prev_hash=self.prev_hash,
        )
