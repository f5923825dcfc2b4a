import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_backup_refuses_sqlite_with_a_vietnamese_message(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with pytest.raises(CommandError, match="chỉ hỗ trợ PostgreSQL"):
        call_command("backup", output=str(tmp_path / "b"), database_url=url)
    assert not (tmp_path / "b").exists()


def test_restore_refuses_sqlite_target(tmp_path):
    with pytest.raises(CommandError, match="chỉ hỗ trợ PostgreSQL"):
        call_command("restore", source=str(tmp_path), database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", noinput=True)


def test_restore_refuses_a_folder_without_manifest(tmp_path):
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", source=str(tmp_path), database_url="postgres://u@127.0.0.1:1/x", noinput=True)
