"""Shared helpers of the backup and restore commands (PostgreSQL only)."""

import hashlib
import os
from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import CommandError

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


def database_config(database_url: str | None) -> dict:
    """The connection settings of `database_url`, or of the project's default database."""
    config = environ.Env.db_url_config(database_url) if database_url else dict(settings.DATABASES["default"])
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise CommandError(
            "Sao lưu/khôi phục chỉ hỗ trợ PostgreSQL (DATABASE_URL=postgres://…). "
            "Cơ sở dữ liệu SQLite dùng khi phát triển: hãy sao chép trực tiếp tệp db.sqlite3 khi ứng dụng đã dừng."
        )
    return config


def pg_args(config: dict) -> list[str]:
    args = []
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    return args


def pg_env(config: dict) -> dict:
    # Password through the environment, never on the command line (visible in `ps`).
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return env


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
