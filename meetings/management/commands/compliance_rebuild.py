"""Recompute every per-organisation rollup and cell count from the per-cell summaries.

The rollups are normally kept up to date by `compliance_refresh`; this is for data loaded in
bulk (`seed_scale`, an import, a restore) or to repair them.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from meetings.services.compliance import compliance_rebuild


class Command(BaseCommand):
    help = "Tính lại toàn bộ số liệu tổng hợp theo quý của các tổ chức từ số liệu của từng chi bộ."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Chỉ tính lại một năm (mặc định: mọi năm).")

    def handle(self, *args, year: int | None, **options):
        started = time.monotonic()
        result = compliance_rebuild(year=year)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE meetings_orgquarterstats")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tính lại {result['rows']:,} dòng tổng hợp ({result['levels']} cấp) "
                f"trong {time.monotonic() - started:.1f} s."
            )
        )
