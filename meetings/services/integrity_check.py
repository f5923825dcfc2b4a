"""The integrity check behind `manage.py verify_integrity` and the daily beat job.

What it recomputes, for every cell (or one):
1. the hash chain (meetings/models/ledger.py): links numbered 1..n without gaps, each link's
   `prev_hash` equal to the previous link's hash, each `record_hash` recomputed;
2. each chained record: still there, in the same cell, its recorded SHA-256 and its sealed
   columns (`content_sha256`) as chained, and its stored file's bytes hashing to the same;
3. sealed records that are in no chain (inserted around the service, or their link deleted);
4. each report's copy: the document hash and the chain head it carried when it was sent
   still match the chain.
The links are read in (cell, seq) order in batches (`iterator(chunk_size=…)`), so memory stays
flat on national data; problems are handed to `on_problem` as they are found.

A failure proves that a sealed record, its file or the chain was changed outside chibo's
services (the database triggers bypassed, a file replaced on disk, a row deleted); it does not
say who did it: the database's logs and backups do.
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from meetings.models import SEALED_TYPES, Organization, Report, SealedRecord
from meetings.models.ledger import GENESIS_HASH, content_digest
from meetings.services.notifications.integrity_alert import notifications_for_integrity_alert

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1000
# Problems kept on the result (for the e-mail); all of them go to `on_problem`.
PROBLEMS_KEPT = 200
_READ_BLOCK = 1024 * 1024


@dataclass
class IntegrityResult:
    cells: int = 0
    links: int = 0
    files: int = 0
    reports: int = 0
    reports_unchained: int = 0  # sent before the chain existed: nothing to compare
    problems_count: int = 0
    problems: list[str] = field(default_factory=list)
    started_at: object = None
    finished_at: object = None

    @property
    def ok(self) -> bool:
        return self.problems_count == 0

    def as_dict(self) -> dict:
        return {
            "cells": self.cells,
            "links": self.links,
            "files": self.files,
            "reports": self.reports,
            "reports_unchained": self.reports_unchained,
            "problems_count": self.problems_count,
            "problems": list(self.problems),
        }


def _batches(items: Iterable, size: int) -> Iterator[list]:
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def file_sha256(storage, name: str) -> str:
    """SHA-256 of a stored file, read in blocks (raises OSError when it cannot be read)."""
    digest = hashlib.sha256()
    with storage.open(name, "rb") as fh:
        while block := fh.read(_READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class _Checker:
    def __init__(self, *, cell_id: int | None, chunk_size: int, on_problem: Callable[[str], None] | None):
        self.cell_id = cell_id
        self.chunk_size = chunk_size
        self.on_problem = on_problem
        self.result = IntegrityResult(started_at=timezone.now())
        self._cell_names: dict[int, str] = {}

    # --- reporting -----------------------------------------------------------------------

    def _cell(self, cell_id) -> str:
        if cell_id not in self._cell_names:
            name = Organization.objects.filter(pk=cell_id).values_list("name", flat=True).first()
            self._cell_names[cell_id] = f"{name} (mã {cell_id})" if name else f"chi bộ mã {cell_id}"
        return self._cell_names[cell_id]

    def problem(self, cell_id, text: str) -> None:
        line = f"{self._cell(cell_id)}: {text}"
        self.result.problems_count += 1
        if len(self.result.problems) < PROBLEMS_KEPT:
            self.result.problems.append(line)
        logger.error("Integrity: %s", line)
        if self.on_problem is not None:
            self.on_problem(line)

    @staticmethod
    def _record(kind: str, object_id) -> str:
        sealed = SEALED_TYPES.get(kind)
        return f"{sealed.label if sealed else f'loại “{kind}”'} mã {object_id}"

    # --- 1 and 2: the chains and the records they hold --------------------------------------

    def check_chains(self) -> None:
        links = SealedRecord.objects.order_by("cell_id", "seq")
        if self.cell_id is not None:
            links = links.filter(cell_id=self.cell_id)
        cell_id, expected_seq, prev_hash = None, 1, GENESIS_HASH
        for batch in _batches(links.iterator(chunk_size=self.chunk_size), self.chunk_size):
            records = self._records_of(batch)
            for link in batch:
                self.result.links += 1
                if link.cell_id != cell_id:
                    cell_id, expected_seq, prev_hash = link.cell_id, 1, GENESIS_HASH
                    self.result.cells += 1
                where = f"mắt xích số {link.seq} ({self._record(link.kind, link.object_id)})"
                if link.seq != expected_seq:
                    missing = (
                        f"số {expected_seq}"
                        if link.seq == expected_seq + 1
                        else f"từ số {expected_seq} đến {link.seq - 1}"
                    )
                    self.problem(cell_id, f"chuỗi thiếu mắt xích {missing} (mắt xích đã bị xóa).")
                elif link.prev_hash != prev_hash:
                    self.problem(cell_id, f"{where} không nối với mắt xích trước (thứ tự hoặc mắt xích đã bị sửa).")
                if link.record_hash != link.compute_hash():
                    self.problem(cell_id, f"{where}: mã băm của mắt xích không khớp nội dung (mắt xích đã bị sửa).")
                expected_seq, prev_hash = link.seq + 1, link.record_hash
                self._check_record(link, records.get((link.kind, link.object_id)), where)

    def _records_of(self, batch: list[SealedRecord]) -> dict:
        """The sealed rows the batch's links point to, one query per kind."""
        ids = defaultdict(list)
        for link in batch:
            ids[link.kind].append(link.object_id)
        out = {}
        for kind, object_ids in ids.items():
            sealed = SEALED_TYPES.get(kind)
            if sealed is None:
                continue
            columns = dict.fromkeys(("pk", *sealed.content_fields, sealed.sha_field, sealed.file_field))
            cell_key = "_cell_id"
            rows = (
                sealed.model_class()
                .objects.filter(pk__in=object_ids)
                .annotate(**{cell_key: F(sealed.cell_lookup)})
                .values(*columns, cell_key)
            )
            for row in rows:
                out[(kind, row["pk"])] = row
        return out

    def _check_record(self, link: SealedRecord, row: dict | None, where: str) -> None:
        sealed = SEALED_TYPES.get(link.kind)
        if sealed is None:
            self.problem(link.cell_id, f"{where}: loại hồ sơ không có trong danh mục SEALED_TYPES.")
            return
        if row is None:
            self.problem(link.cell_id, f"{where}: bản ghi không còn trong cơ sở dữ liệu (đã bị xóa).")
            return
        if row["_cell_id"] != link.cell_id:
            self.problem(link.cell_id, f"{where}: bản ghi nay thuộc chi bộ mã {row['_cell_id']}.")
        if row[sealed.sha_field] != link.document_sha256:
            self.problem(link.cell_id, f"{where}: SHA-256 ghi trên bản ghi khác SHA-256 trong chuỗi.")
        if content_digest({f: row[f] for f in sealed.content_fields}) != link.content_sha256:
            self.problem(link.cell_id, f"{where}: nội dung bản ghi đã bị sửa sau khi niêm phong.")
        self._check_file(link, sealed, row, where)

    def _check_file(self, link, sealed, row, where: str) -> None:
        name = row[sealed.file_field]
        if not name:
            self.problem(link.cell_id, f"{where}: bản ghi không còn tệp lưu trữ.")
            return
        storage = sealed.model_class()._meta.get_field(sealed.file_field).storage
        try:
            digest = file_sha256(storage, name)
        except OSError as exc:
            self.problem(link.cell_id, f"{where}: không đọc được tệp {name} ({exc.__class__.__name__}).")
            return
        self.result.files += 1
        if digest != link.document_sha256:
            self.problem(link.cell_id, f"{where}: tệp {name} đã bị thay đổi (SHA-256 không khớp).")

    # --- 3: sealed records outside every chain ------------------------------------------------

    def check_unchained(self) -> None:
        for kind, sealed in SEALED_TYPES.items():
            chained = SealedRecord.objects.filter(kind=kind).values("object_id")
            rows = sealed.model_class().objects.exclude(pk__in=chained)
            if self.cell_id is not None:
                rows = rows.filter(**{sealed.cell_lookup: self.cell_id})
            rows = rows.order_by("pk").values_list("pk", sealed.cell_lookup)
            for object_id, cell_id in rows.iterator(chunk_size=self.chunk_size):
                self.problem(
                    cell_id,
                    f"{self._record(kind, object_id)} không có trong chuỗi hồ sơ niêm phong "
                    "(ghi ngoài quy trình hoặc mắt xích đã bị xóa).",
                )

    # --- 4: the committee's copy on each report -------------------------------------------------

    def check_reports(self) -> None:
        reports = Report.objects.all()
        if self.cell_id is not None:
            reports = reports.filter(minutes__cell_id=self.cell_id)
        self.result.reports_unchained = reports.filter(chain_head="").count()
        head = SealedRecord.objects.filter(cell_id=OuterRef("minutes__cell_id"), seq=OuterRef("chain_seq"))
        minutes_link = SealedRecord.objects.filter(kind="minutes", object_id=OuterRef("minutes_id"))
        addendum_link = SealedRecord.objects.filter(kind="addendum", object_id=OuterRef("addendum_id"))
        rows = (
            reports.exclude(chain_head="")
            .annotate(
                cell_id=F("minutes__cell_id"),
                head_hash=Subquery(head.values("record_hash")[:1]),
                minutes_sha=Subquery(minutes_link.values("document_sha256")[:1]),
                minutes_seq=Subquery(minutes_link.values("seq")[:1]),
                addendum_sha=Subquery(addendum_link.values("document_sha256")[:1]),
                addendum_seq=Subquery(addendum_link.values("seq")[:1]),
            )
            .order_by("pk")
            .values(
                "pk",
                "version",
                "minutes_id",
                "addendum_id",
                "cell_id",
                "document_sha256",
                "chain_seq",
                "chain_head",
                "head_hash",
                "minutes_sha",
                "minutes_seq",
                "addendum_sha",
                "addendum_seq",
            )
        )
        for r in rows.iterator(chunk_size=self.chunk_size):
            self.result.reports += 1
            where = f"báo cáo mã {r['pk']} (phiên bản {r['version']}, biên bản mã {r['minutes_id']})"
            if r["head_hash"] is None:
                self.problem(r["cell_id"], f"{where}: chuỗi không còn mắt xích số {r['chain_seq']} đã gửi cấp ủy.")
            elif r["head_hash"] != r["chain_head"]:
                self.problem(
                    r["cell_id"],
                    f"{where}: mắt xích số {r['chain_seq']} khác mã băm đầu chuỗi cấp ủy đã nhận (chuỗi đã bị sửa).",
                )
            doc_sha, doc_seq = (
                (r["addendum_sha"], r["addendum_seq"]) if r["addendum_id"] else (r["minutes_sha"], r["minutes_seq"])
            )
            if doc_sha is None:
                self.problem(r["cell_id"], f"{where}: tài liệu gửi kèm không có trong chuỗi.")
            elif doc_sha != r["document_sha256"]:
                self.problem(r["cell_id"], f"{where}: SHA-256 cấp ủy đã nhận khác SHA-256 của tài liệu trong chuỗi.")
            elif doc_seq > r["chain_seq"]:
                self.problem(r["cell_id"], f"{where}: tài liệu nằm sau đầu chuỗi đã gửi (thứ tự chuỗi đã bị sửa).")

    def run(self) -> IntegrityResult:
        self.check_chains()
        self.check_unchained()
        self.check_reports()
        self.result.finished_at = timezone.now()
        return self.result


def integrity_check(
    *, cell_id: int | None = None, chunk_size: int = CHUNK_SIZE, on_problem: Callable[[str], None] | None = None
) -> IntegrityResult:
    """Recompute the chains, files and reports (of one cell, or all); read-only."""
    return _Checker(cell_id=cell_id, chunk_size=chunk_size, on_problem=on_problem).run()


def integrity_check_daily() -> dict:
    """The beat job: check everything; on any problem, mail the administrators (outbox)."""
    result = integrity_check()
    if result.ok:
        logger.info(
            "Integrity check passed: %s links, %s files, %s reports", result.links, result.files, result.reports
        )
    else:
        with transaction.atomic():
            notifications_for_integrity_alert(result=result.as_dict(), now=timezone.now())
    return result.as_dict()
