"""`manage.py restore --input backups/chibo-…`: pg_restore into the target database and
unpack the media files, after checking the backup against its manifest. PostgreSQL only."""

import json
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from meetings.management.commands._backup_common import (
    DUMP_NAME,
    MANIFEST_NAME,
    MEDIA_NAME,
    database_config,
    pg_args,
    pg_env,
    sha256_file,
)


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu (của lệnh backup) vào cơ sở dữ liệu PostgreSQL và thư mục tệp."

    def add_arguments(self, parser):
        parser.add_argument(
            "--input", dest="source", required=True, help="Thư mục bản sao lưu, ví dụ backups/chibo-20260101-020000."
        )
        parser.add_argument("--database-url", default=None, help="CSDL đích. Mặc định: DATABASE_URL.")
        parser.add_argument("--media-root", default=None, help="Thư mục tệp đích. Mặc định: MEDIA_ROOT.")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="Không hỏi xác nhận.")

    def handle(self, *args, source, database_url, media_root, noinput, **options):
        source = Path(source)
        config = database_config(database_url)
        media_root = Path(media_root or settings.MEDIA_ROOT)
        if shutil.which("pg_restore") is None:
            raise CommandError("Không tìm thấy pg_restore. Cài gói postgresql-client.")
        manifest = self._checked_manifest(source)

        if not noinput:
            answer = input(
                f"Khôi phục sẽ XÓA và thay dữ liệu của CSDL {config['NAME']} và ghi tệp vào {media_root}.\n"
                "Gõ 'yes' để tiếp tục: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Đã hủy khôi phục.")

        connections.close_all()  # our own connection must not hold locks during --clean
        self._restore_database(config, source / DUMP_NAME)
        restored = self._restore_media(source / MEDIA_NAME, media_root, manifest.get("media", {}))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {source} vào CSDL {config['NAME']} ({restored} tệp vào {media_root}). "
                f"Bản sao lưu lúc {manifest.get('created_at')}."
            )
        )
        self._report_migrations(manifest.get("migrations", {}))

    def _checked_manifest(self, source: Path) -> dict:
        manifest_path = source / MANIFEST_NAME
        if not manifest_path.is_file():
            raise CommandError(f"Không thấy {MANIFEST_NAME} trong {source}: đây không phải bản sao lưu của chibo.")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise CommandError(f"{manifest_path} hỏng: {exc}") from exc
        for name in (DUMP_NAME, MEDIA_NAME):
            path = source / name
            if not path.is_file():
                raise CommandError(f"Bản sao lưu thiếu tệp {name}.")
            if sha256_file(path) != manifest.get("files", {}).get(name):
                raise CommandError(f"Tệp {name} không khớp mã băm trong manifest: bản sao lưu bị hỏng hoặc bị sửa.")
        return manifest

    def _restore_database(self, config, dump: Path):
        command = [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *pg_args(config),
            "--dbname",
            str(config["NAME"]),
            str(dump),
        ]
        proc = subprocess.run(command, env=pg_env(config), capture_output=True, text=True, check=False)  # noqa: S603
        if proc.returncode != 0:
            raise CommandError(f"pg_restore thất bại (CSDL không bị thay đổi): {proc.stderr.strip()}")

    def _restore_media(self, archive: Path, media_root: Path, expected: dict[str, str]) -> int:
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:gz") as tar:
            # "data" filter: no absolute paths, no "..", no links out, no device files.
            tar.extractall(media_root, filter="data")
        broken = [name for name, digest in expected.items() if sha256_file(media_root / name) != digest]
        if broken:
            raise CommandError(f"{len(broken)} tệp sau khi giải nén không khớp mã băm, ví dụ: {broken[0]}")
        return len(expected)

    def _report_migrations(self, backed_up: dict[str, list[str]]):
        in_backup = {(app, name) for app, names in backed_up.items() for name in names}
        in_code = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        newer_code = sorted(in_code - in_backup)
        unknown = sorted(in_backup - in_code)
        if newer_code:
            self.stdout.write(
                self.style.WARNING(
                    f"Mã nguồn có {len(newer_code)} migration mới hơn bản sao lưu: chạy `manage.py migrate`."
                )
            )
        if unknown:
            self.stdout.write(
                self.style.WARNING(
                    f"Bản sao lưu có {len(unknown)} migration mà mã nguồn không có "
                    f"(ví dụ {unknown[0][0]}.{unknown[0][1]}): "
                    "hãy dùng phiên bản mã nguồn lúc sao lưu."
                )
            )
