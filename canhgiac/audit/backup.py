"""Backup and restore of one installation: the database (PostgreSQL `pg_dump -Fc`, SQLite's
online backup), the uploaded files (media) and the audit anchors, with a manifest naming the
chain and its anchored head at backup time (docs/audit.md, "Backup and restore")."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

from canhgiac.audit import services

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_FILE = "database.sqlite3"


class BackupError(Exception):
    pass


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} thất bại: {done.stderr.strip()[:500]}")


def backup(target: Path) -> dict:
    """Anchor the chain (sealing first), then write database, media and anchors into `target`."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Thư mục sao lưu {target} đã có dữ liệu; hãy chọn thư mục trống.")
    target.mkdir(parents=True, exist_ok=True)
    anchor = services.write_anchor()
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        args, env = _pg_args(db)
        _run(["pg_dump", "--format=custom", "--file", str(target / PG_DUMP), *args], env)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / SQLITE_FILE) as dest:
            connection.connection.backup(dest)
        dest.close()
    else:
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, target / "media")
    if services.anchors_path().exists():
        shutil.copy2(services.anchors_path(), target / "anchors.jsonl")
    manifest = {"vendor": connection.vendor, "anchor": anchor}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _is_empty_database() -> bool:
    return not connection.introspection.table_names()


def restore(source: Path, *, force: bool = False) -> dict:
    """Restore `source` (made by backup) into the configured, empty database; copy media back and
    merge the backup's anchors into this server's anchor file. Returns the manifest."""
    source = Path(source)
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} không phải bản sao lưu (thiếu {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text())
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"Bản sao lưu của {manifest['vendor']} không khôi phục được vào {connection.vendor}."
        )
    if not force and not _is_empty_database():
        raise BackupError(
            "Cơ sở dữ liệu đích đã có bảng; khôi phục vào một cơ sở dữ liệu mới (hoặc --force)."
        )
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_args(db)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--clean",
                "--if-exists",
                "--exit-on-error",
                *args,
                str(source / PG_DUMP),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(source / SQLITE_FILE) as src:
            src.backup(connection.connection)
        src.close()
    connection.close()
    if (source / "media").exists():
        shutil.copytree(source / "media", Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    if (source / "anchors.jsonl").exists():
        _merge_anchors(source / "anchors.jsonl")
    return manifest


def _merge_anchors(path: Path) -> None:
    mine = services.anchors_path()
    known = set(mine.read_text(encoding="utf-8").splitlines()) if mine.exists() else set()
    new = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and line not in known
    ]
    if new:
        mine.parent.mkdir(parents=True, exist_ok=True)
        with mine.open("a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in new))
