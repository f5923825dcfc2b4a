import pghistory.models


class HistoryEvent(pghistory.models.Events):
    """pghistory's list of recorded changes, under a Vietnamese name in the admin
    (settings.PGHISTORY_ADMIN_MODEL points here)."""

    class Meta:
        proxy = True
        verbose_name = "thay đổi dữ liệu"
        verbose_name_plural = "lịch sử thay đổi dữ liệu"
