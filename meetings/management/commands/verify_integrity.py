"""Recompute every cell's hash chain of sealed records, every stored file's SHA-256 and every
report's copy of the chain (meetings/services/integrity_check.py). Read-only. Exits with
status 1 when anything does not match; deploy/OPERATIONS.md says what to do then."""

import time

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Organization
from meetings.services.integrity_check import CHUNK_SIZE, integrity_check


class Command(BaseCommand):
    help = (
        "Kiểm tra toàn vẹn hồ sơ niêm phong: chuỗi băm của từng chi bộ, mã băm của tệp lưu trữ và bản sao "
        "đầu chuỗi trên các báo cáo gửi cấp ủy. Trả mã lỗi 1 khi phát hiện sai lệch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cell", type=int, default=None, help="Chỉ kiểm tra chi bộ có mã số này.")
        parser.add_argument(
            "--chunk-size", type=int, default=CHUNK_SIZE, help=f"Số dòng đọc mỗi lượt (mặc định {CHUNK_SIZE})."
        )

    def handle(self, *args, cell: int | None, chunk_size: int, **options):
        if cell is not None and not Organization.objects.filter(pk=cell).exists():
            raise CommandError(f"Không có chi bộ mã số {cell}.")
        if chunk_size < 1:
            raise CommandError("--chunk-size phải là số nguyên dương.")
        started = time.monotonic()
        scope = f"chi bộ mã {cell}" if cell is not None else "tất cả chi bộ"
        self.stdout.write(f"Kiểm tra toàn vẹn hồ sơ niêm phong ({scope})…")

        def show(line: str) -> None:
            self.stdout.write(self.style.ERROR(f"  ✗ {line}"))

        result = integrity_check(cell_id=cell, chunk_size=chunk_size, on_problem=show)
        self.stdout.write(
            f"Đã kiểm tra {result.cells:,} chi bộ có hồ sơ niêm phong, {result.links:,} mắt xích, "
            f"{result.files:,} tệp lưu trữ, {result.reports:,} báo cáo gửi cấp ủy"
            + (
                f" ({result.reports_unchained:,} báo cáo gửi trước khi có chuỗi băm, không đối chiếu)"
                if result.reports_unchained
                else ""
            )
            + f"; {time.monotonic() - started:.1f} s."
        )
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS("Không phát hiện sai lệch: chuỗi băm, tệp lưu trữ và báo cáo khớp nhau.")
            )
            return
        raise CommandError(
            f"Phát hiện {result.problems_count:,} sai lệch (liệt kê ở trên). Xem mục “Chuỗi băm hồ sơ niêm phong” "
            "trong deploy/OPERATIONS.md.",
            returncode=1,
        )
