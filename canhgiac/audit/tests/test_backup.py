"""Backup, then restore into a fresh database: the chain verifies against its own anchors."""

import json
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db  # only to learn which database this run uses


def _canhgiac(env, *args, check=True):
    done = subprocess.run(
        [sys.executable, "-m", "canhgiac.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check and done.returncode != 0:
        raise AssertionError(f"canhgiac {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture
def database_urls(tmp_path):
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings_dict = connection.settings_dict
    base = f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}"
    names = [f"cg_backup_{uuid.uuid4().hex[:8]}_{n}" for n in ("src", "dst")]
    with psycopg.connect(f"{base}/postgres", password=settings_dict["PASSWORD"], autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    yield tuple(f"{base}/{name}" for name in names)
    with psycopg.connect(f"{base}/postgres", password=settings_dict["PASSWORD"], autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


RECORD = (
    "from canhgiac.audit import services\n"
    "for n in range({n}): services.record('test.backup', object_id=str(n), changes={{'n': n}})"
)


def test_a_backup_restored_into_a_fresh_database_passes_audit_verify(tmp_path, database_urls):
    source_url, restored_url = database_urls
    env = {**os.environ, "DATABASE_URL": source_url, "CANHGIAC_VAR_DIR": str(tmp_path / "var-source")}
    env["CANHGIAC_MEDIA_DIR"] = str(tmp_path / "media-source")
    _canhgiac(env, "migrate", "--verbosity=0")
    _canhgiac(env, "shell", "-c", RECORD.format(n=5))
    (tmp_path / "media-source" / "cases").mkdir(parents=True)
    (tmp_path / "media-source" / "cases" / "photo.jpg").write_bytes(b"\xff\xd8 evidence")
    out = _canhgiac(env, "backup", str(tmp_path / "backup")).stdout
    assert "Đã sao lưu" in out
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    backup_time = manifest["anchor"]["time"]

    # The original server goes on and anchors a longer chain after the backup.
    _canhgiac(env, "shell", "-c", RECORD.format(n=3))
    _canhgiac(env, "audit-anchor")

    restored = {**env, "DATABASE_URL": restored_url, "CANHGIAC_VAR_DIR": str(tmp_path / "var-restored")}
    restored["CANHGIAC_MEDIA_DIR"] = str(tmp_path / "media-restored")
    assert "Đã khôi phục" in _canhgiac(restored, "restore", str(tmp_path / "backup")).stdout
    assert (tmp_path / "media-restored" / "cases" / "photo.jpg").read_bytes() == b"\xff\xd8 evidence"
    verified = _canhgiac(restored, "audit-verify").stdout
    assert "toàn vẹn" in verified and f"({manifest['anchor']['count']} sự kiện)" in verified
    assert _canhgiac(restored, "restore", str(tmp_path / "backup"), check=False).returncode != 0

    # Judged by the original's later anchors, the restored chain is short — unless --until.
    later = (tmp_path / "var-source" / "audit" / "anchors.jsonl").read_text()
    (tmp_path / "var-restored" / "audit" / "anchors.jsonl").write_text(later)
    assert _canhgiac(restored, "audit-verify", check=False).returncode != 0
    assert "toàn vẹn" in _canhgiac(restored, "audit-verify", "--until", backup_time).stdout
