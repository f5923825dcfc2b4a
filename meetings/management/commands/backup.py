"""`manage.py backup`: one folder under backups/ with the database dump, the media files
and a manifest (time, migration state, hashes). PostgreSQL only."""

import datetime
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from meetings.management.commands._backup_common import (
    DUMP_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_NAME,
    database_config,
    pg_args,
    pg_env,
    sha256_file,
)


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu PostgreSQL (pg_dump -Fc) và thư mục tệp (MEDIA_ROOT) vào một thư mục."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="Thư mục chứa bản sao lưu (mặc định: backups/).")
        parser.add_argument("--database-url", default=None, help="Mặc định: cơ sở dữ liệu của DATABASE_URL.")
        parser.add_argument("--media-root", default=None, help="Mặc định: MEDIA_ROOT.")

    def handle(self, *args, output, database_url, media_root, **options):
        config = database_config(database_url)
        if shutil.which("pg_dump") is None:
            raise CommandError("Không tìm thấy pg_dump. Cài gói postgresql-client.")
        media_root = Path(media_root or settings.MEDIA_ROOT)

        stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
        target = Path(output) / f"chibo-{stamp}"
        if target.exists():
            raise CommandError(f"Thư mục {target} đã tồn tại.")
        partial = target.with_name(target.name + ".partial")
        # Personal data: readable by the owner only.
        partial.mkdir(parents=True, mode=0o700)
        try:
            self._dump_database(config, partial / DUMP_NAME)
            media_files = self._archive_media(media_root, partial / MEDIA_NAME)
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds"),
                "django": django.get_version(),
                "database": {"name": config["NAME"], "host": config.get("HOST") or "", "engine": config["ENGINE"]},
                "migrations": self._migration_state(database_url, config),
                "files": {name: sha256_file(partial / name) for name in (DUMP_NAME, MEDIA_NAME)},
                "media": media_files,
            }
            (partial / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            for file in partial.iterdir():
                file.chmod(0o600)
            partial.rename(target)  # only a complete backup gets the final name
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        self.stdout.write(
            self.style.SUCCESS(f"Đã sao lưu vào {target} ({len(media_files)} tệp, CSDL {config['NAME']}).")
        )
        return None

    def _dump_database(self, config, path: Path):
        command = ["pg_dump", "--format=custom", "--file", str(path), *pg_args(config), str(config["NAME"])]
        proc = subprocess.run(command, env=pg_env(config), capture_output=True, text=True, check=False)  # noqa: S603
        if proc.returncode != 0:
            raise CommandError(f"pg_dump thất bại: {proc.stderr.strip()}")

    def _archive_media(self, media_root: Path, path: Path) -> dict[str, str]:
        hashes = {}
        with tarfile.open(path, "w:gz") as tar:
            if media_root.is_dir():
                for file in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
                    relative = file.relative_to(media_root).as_posix()
                    hashes[relative] = sha256_file(file)
                    tar.add(file, arcname=relative, recursive=False)
        return hashes

    def _migration_state(self, database_url, config) -> dict[str, list[str]]:
        if database_url:
            # Another database than the project's: read its django_migrations table directly.
            import psycopg2

            with (
                psycopg2.connect(
                    dbname=config["NAME"],
                    host=config.get("HOST") or None,
                    port=config.get("PORT") or None,
                    user=config.get("USER") or None,
                    password=config.get("PASSWORD") or None,
                ) as conn,
                conn.cursor() as cursor,
            ):
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
                rows = cursor.fetchall()
            conn.close()
        else:
            rows = (
                MigrationRecorder(connections["default"]).migration_qs.order_by("app", "id").values_list("app", "name")
            )
        state: dict[str, list[str]] = {}
        for app, name in rows:
            state.setdefault(app, []).append(name)
        return state
