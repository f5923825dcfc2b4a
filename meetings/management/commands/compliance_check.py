"""Check (and repair) a quarter's compliance figures against the meetings.

The nightly beat job does the same for the current and the previous quarter; this is for an
operator who wants to look now, or at an older quarter (`--dry-run` only reports).
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.services.compliance_check import compliance_check, compliance_check_recent


class Command(BaseCommand):
    help = (
        "Đối chiếu số liệu tổng hợp theo quý với các buổi sinh hoạt và sửa những dòng sai lệch "
        "(mặc định: quý hiện tại và quý trước)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Năm cần đối chiếu (cùng với --quarter).")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], default=None, help="Quý cần đối chiếu.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ báo cáo sai lệch, không sửa.")

    def handle(self, *args, year: int | None, quarter: int | None, dry_run: bool, **options):
        started = time.monotonic()
        repair = not dry_run
        if year is not None and quarter is not None:
            results = [compliance_check(year=year, quarter=quarter, repair=repair)]
        elif year is None and quarter is None:
            results = compliance_check_recent(today=timezone.localdate(), repair=repair)
        else:
            self.stderr.write(self.style.ERROR("Cần cả --year và --quarter, hoặc không có cả hai."))
            return
        verb = "đã sửa" if repair else "sai lệch (chưa sửa)"
        for r in results:
            self.stdout.write(
                f"Quý {r['quarter']}/{r['year']}: {r['cells']:,} chi bộ; {r['summaries_repaired']} dòng chi bộ "
                f"và {r['rollups_repaired']} dòng tổng hợp {verb}."
            )
        self.stdout.write(self.style.SUCCESS(f"Xong trong {time.monotonic() - started:.1f} s."))
