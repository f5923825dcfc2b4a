"""`manage.py verify_integrity` and the daily beat job (issue 18, item 4): tampering that
bypasses the database triggers (`SET LOCAL pgtrigger.ignore`), a file changed on disk, a
deleted or reordered link and a consistently rewritten chain are each caught, named, and exit
non-zero; the administrators get one e-mail on a failure and none on success."""

import hashlib
import io
import json
from pathlib import Path

import pgtrigger
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, connection, transaction

from meetings import models as m
from meetings import tasks
from meetings.models.ledger import content_digest
from tests import factories as f
from tests.services.test_ledger import sealed_addendum, sealed_minutes

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def verify(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_integrity", *args, stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def pgid(uri: str) -> str:
    [(model, trigger)] = pgtrigger.registered(uri)
    return trigger.get_pgid(model)


def tamper(sql: str, params, *triggers: str) -> None:
    """Run `sql` the way someone with database access would: in a transaction that sets
    pgtrigger.ignore for the protecting triggers."""
    ignored = "{" + ",".join(pgid(t) for t in triggers) + "}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [ignored])
        cursor.execute(sql, params)


@pytest.fixture
def chain(cell, other_cell):
    """Two cells' sealed minutes, one with an addendum, each reported to the committee."""
    first = sealed_minutes(cell, number=1)
    addendum = sealed_addendum(first)
    second = sealed_minutes(cell, number=2)
    other = sealed_minutes(other_cell, number=1)
    return {"first": first, "addendum": addendum, "second": second, "other": other}


def test_untouched_records_pass(chain):
    code, out = verify()
    assert code == 0, out
    assert "Đã kiểm tra 2 chi bộ có hồ sơ niêm phong, 4 mắt xích, 4 tệp lưu trữ, 4 báo cáo" in out
    assert "Không phát hiện sai lệch" in out


def test_the_triggers_refuse_the_change_that_tampering_bypasses(chain):
    refused = pytest.raises((IntegrityError, InternalError), match="Cannot update")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_minutes SET number = 9 WHERE id = %s", [chain["first"].pk])


def test_minutes_rewritten_with_pgtrigger_ignore_are_caught_and_named(chain):
    minutes = chain["first"]
    snapshot = {**minutes.snapshot, "topic_title": "Chuyên đề đã bị sửa"}
    tamper(
        "UPDATE meetings_minutes SET snapshot = %s WHERE id = %s",
        [json.dumps(snapshot), minutes.pk],
        "meetings.Minutes:protect_sealed_minutes",
    )
    minutes.refresh_from_db()
    assert minutes.snapshot["topic_title"] == "Chuyên đề đã bị sửa"  # the database let it through
    code, out = verify()
    assert code == 1
    assert f"mắt xích số 1 (biên bản mã {minutes.pk}): nội dung bản ghi đã bị sửa sau khi niêm phong" in out
    assert "Chi bộ Văn phòng" in out
    assert "Phát hiện 1 sai lệch" in out


def test_a_replaced_file_with_its_hash_rewritten_is_caught(chain, settings):
    """The PDF replaced and the row's hash rewritten to match: the chain still holds the old one."""
    minutes = chain["second"]
    forged = b"%PDF-1.4 forged"
    Path(settings.MEDIA_ROOT, minutes.pdf.name).write_bytes(forged)
    tamper(
        "UPDATE meetings_minutes SET pdf_sha256 = %s WHERE id = %s",
        [hashlib.sha256(forged).hexdigest(), minutes.pk],
        "meetings.Minutes:protect_sealed_minutes",
    )
    code, out = verify()
    assert code == 1
    where = f"mắt xích số 3 (biên bản mã {minutes.pk})"
    assert f"{where}: SHA-256 ghi trên bản ghi khác SHA-256 trong chuỗi" in out
    assert f"{where}: tệp {minutes.pdf.name} đã bị thay đổi" in out


def test_a_file_whose_bytes_changed_on_disk_is_caught(chain, settings):
    addendum = chain["addendum"]
    path = Path(settings.MEDIA_ROOT, addendum.pdf.name)
    path.write_bytes(path.read_bytes().replace(b"1", b"2"))
    code, out = verify()
    assert code == 1
    assert f"mắt xích số 2 (phụ lục đính chính mã {addendum.pk}): tệp {addendum.pdf.name} đã bị thay đổi" in out


def test_a_missing_file_is_caught(chain, settings):
    minutes = chain["other"]
    Path(settings.MEDIA_ROOT, minutes.pdf.name).unlink()
    code, out = verify()
    assert code == 1
    assert f"(biên bản mã {minutes.pk}): không đọc được tệp {minutes.pdf.name}" in out


def test_a_deleted_link_is_caught(chain):
    link = m.SealedRecord.objects.get(kind="addendum", object_id=chain["addendum"].pk)
    tamper("DELETE FROM meetings_sealedrecord WHERE id = %s", [link.pk], "meetings.SealedRecord:protect_ledger_delete")
    code, out = verify()
    assert code == 1
    assert "chuỗi thiếu mắt xích số 2 (mắt xích đã bị xóa)" in out
    assert f"phụ lục đính chính mã {chain['addendum'].pk} không có trong chuỗi hồ sơ niêm phong" in out
    assert "chuỗi không còn mắt xích số 2 đã gửi cấp ủy" in out  # the addendum's report held it


def test_the_last_link_deleted_is_caught(chain):
    """The chain 1..2 left looks whole; the record outside it and the committee's copy of
    link 3 give it away."""
    minutes = chain["second"]
    link = m.SealedRecord.objects.get(kind="minutes", object_id=minutes.pk)
    tamper("DELETE FROM meetings_sealedrecord WHERE id = %s", [link.pk], "meetings.SealedRecord:protect_ledger_delete")
    code, out = verify()
    assert code == 1
    assert "chuỗi thiếu" not in out
    assert f"biên bản mã {minutes.pk} không có trong chuỗi hồ sơ niêm phong" in out
    assert "chuỗi không còn mắt xích số 3 đã gửi cấp ủy" in out
    assert "tài liệu gửi kèm không có trong chuỗi" in out


def test_reordered_links_are_caught(chain):
    first, second = m.SealedRecord.objects.filter(cell=chain["first"].cell, seq__in=[1, 2]).order_by("seq")
    swap = "UPDATE meetings_sealedrecord SET seq = %s WHERE id = %s"
    ignore = "meetings.SealedRecord:protect_ledger_update"
    tamper(swap, [99, first.pk], ignore)
    tamper(swap, [1, second.pk], ignore)
    tamper(swap, [2, first.pk], ignore)
    code, out = verify()
    assert code == 1
    assert "mắt xích số 1 (phụ lục đính chính" in out and "không nối với mắt xích trước" in out
    assert "mã băm của mắt xích không khớp nội dung" in out


def test_a_consistently_rewritten_chain_is_caught_by_the_reports(chain):
    """Someone rewrites a record and recomputes every later link: each link checks out, but
    the heads the committee received no longer match."""
    minutes = chain["first"]
    snapshot = {**minutes.snapshot, "topic_title": "Chuyên đề đã bị sửa"}
    tamper(
        "UPDATE meetings_minutes SET snapshot = %s WHERE id = %s",
        [json.dumps(snapshot), minutes.pk],
        "meetings.Minutes:protect_sealed_minutes",
    )
    prev = "0" * 64
    for link in m.SealedRecord.objects.filter(cell=minutes.cell).order_by("seq"):
        if link.object_id == minutes.pk and link.kind == "minutes":
            link.content_sha256 = content_digest(
                m.Minutes.objects.filter(pk=minutes.pk).values(*m.SEALED_TYPES["minutes"].content_fields).get()
            )
        link.prev_hash = prev
        link.record_hash = prev = link.compute_hash()
        tamper(
            "UPDATE meetings_sealedrecord SET content_sha256 = %s, prev_hash = %s, record_hash = %s WHERE id = %s",
            [link.content_sha256, link.prev_hash, link.record_hash, link.pk],
            "meetings.SealedRecord:protect_ledger_update",
        )
    code, out = verify()
    assert code == 1
    assert "nội dung bản ghi đã bị sửa" not in out  # the rewrite is self-consistent …
    assert "khác mã băm đầu chuỗi cấp ủy đã nhận (chuỗi đã bị sửa)" in out  # … but not with the committee


def test_one_cell_can_be_checked_alone(chain, other_cell):
    tamper(
        "UPDATE meetings_minutes SET warnings = '[\"x\"]' WHERE id = %s",
        [chain["other"].pk],
        "meetings.Minutes:protect_sealed_minutes",
    )
    code, out = verify("--cell", str(chain["first"].cell_id))
    assert code == 0, out
    assert "1 chi bộ có hồ sơ niêm phong, 3 mắt xích" in out
    code, out = verify("--cell", str(other_cell.pk))
    assert code == 1 and f"biên bản mã {chain['other'].pk}" in out


def test_an_unknown_cell_is_refused_in_vietnamese(db):
    with pytest.raises(CommandError, match="Không có chi bộ mã số 987654"):
        call_command("verify_integrity", "--cell", "987654", stdout=io.StringIO())


def test_small_batches_give_the_same_verdict(chain):
    tamper(
        "UPDATE meetings_minutesaddendum SET text = 'Sửa' WHERE id = %s",
        [chain["addendum"].pk],
        "meetings.MinutesAddendum:protect_sealed_addendum",
    )
    code_big, out_big = verify()
    code_small, out_small = verify("--chunk-size", "1")
    assert code_big == code_small == 1
    problems = [line for line in out_big.splitlines() if "✗" in line]
    assert problems and problems == [line for line in out_small.splitlines() if "✗" in line]


# --- the daily job ------------------------------------------------------------------------------------


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Võ Văn Quản Trị", "quantri@example.vn")]
    f.UserFactory(is_superuser=True, email="sieuquantri@example.vn", full_name="Đỗ Thị Siêu")
    f.UserFactory(is_superuser=True, email="QUANTRI@example.vn")  # the same address once
    f.UserFactory(is_superuser=True, is_active=False, email="cu@example.vn")


def test_daily_job_is_silent_when_everything_matches(chain, admins, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.integrity_check.delay().get()
    assert result["problems_count"] == 0
    assert not m.Notification.objects.filter(kind=m.NotificationKind.INTEGRITY_ALERT).exists()
    assert mail.outbox == []


def test_daily_job_mails_the_administrators_once_a_day_on_failure(chain, admins, django_capture_on_commit_callbacks):
    addendum = chain["addendum"]
    tamper(
        "UPDATE meetings_minutesaddendum SET text = 'Sửa' WHERE id = %s",
        [addendum.pk],
        "meetings.MinutesAddendum:protect_sealed_addendum",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.integrity_check.delay().get()
    assert result["problems_count"] == 1
    assert sorted(msg.to[0] for msg in mail.outbox) == [
        "Võ Văn Quản Trị <quantri@example.vn>",
        "Đỗ Thị Siêu <sieuquantri@example.vn>",
    ]
    msg = mail.outbox[0]
    assert msg.subject.startswith("Cảnh báo toàn vẹn hồ sơ niêm phong: 1 sai lệch")
    assert f"phụ lục đính chính mã {addendum.pk}): nội dung bản ghi đã bị sửa" in msg.body
    assert "manage.py verify_integrity" in msg.body
    assert msg.body.startswith("Kính gửi đồng chí Võ Văn Quản Trị,") or msg.body.startswith(
        "Kính gửi đồng chí Đỗ Thị Siêu,"
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.integrity_check.delay().get()
    assert len(mail.outbox) == 2  # the same day: no second alert


def test_the_daily_job_is_scheduled():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "meetings.tasks.integrity_check" in schedule


def test_seed_demo_data_passes(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    code, out = verify()
    assert code == 0, out
    # Signed revisions (issue 18: the demo signs its latest minutes) are sealed records too.
    sealed = m.Minutes.objects.count() + m.MinutesAddendum.objects.count() + m.MinutesSignature.objects.count()
    assert sealed > 0 and m.SealedRecord.objects.count() == sealed
    assert not m.Report.objects.filter(chain_head="").exists()
