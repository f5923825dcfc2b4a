"""Compute the action items' figures (issue 17, item 3) of every cell and quarter that has
some, e.g. once after migration 0024_action_figures on a database with earlier meetings.

They are normally kept by the services that move them (progress, review, finalisation) and by
the daily `action_items_late` task; this fills them for data that predates them or was loaded
in bulk.
"""

import time

from django.core.management.base import BaseCommand

from meetings.services.compliance import compliance_refresh_actions_all


class Command(BaseCommand):
    help = "Tính số liệu thực hiện kết luận (việc đến hạn, đúng hạn, trễ hạn) của mọi chi bộ và quý có việc."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Chỉ tính một năm (mặc định: mọi năm).")

    def handle(self, *args, year: int | None, **options):
        started = time.monotonic()
        count = compliance_refresh_actions_all(year=year)
        self.stdout.write(
            self.style.SUCCESS(f"Đã tính lại {count:,} lượt chi bộ – quý trong {time.monotonic() - started:.1f} s.")
        )
