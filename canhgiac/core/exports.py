"""Exports as background jobs: a file built by a task, downloadable only by the user who asked.

An app registers a builder once (`@exporter("cases.csv")`); a view calls
`start_export(user, "cases.csv", title, params)` and redirects to the job page (`core:job`), which
polls the job and shows a download link when the file is ready. The builder runs in the worker
(inline in tests) as the user who asked:

    builder(user, params: dict, out: BinaryIO, progress(done, total)) -> (file name, content type)

It writes the file to `out` (in chunks if it is large) and may call `progress` as often as it
likes: progress is written outside any business transaction, so the page shows it as it moves.
Files live under $CANHGIAC_VAR_DIR/exports/<job id>/ (never under MEDIA_ROOT, which may be
served) and are removed by the `core.exports_purge` periodic hook after EXPORT_KEEP_HOURS.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from canhgiac.core import jobs
from canhgiac.core.models import Job

EXPORT_KEEP_HOURS = 24
BUILDERS: dict[str, Callable] = {}


def exporter(kind: str):
    """Register `fn` as the builder of export jobs of `kind` (e.g. "cases.csv")."""

    def register(fn):
        BUILDERS[kind] = fn
        return fn

    return register


def export_root() -> Path:
    return Path(settings.VAR_DIR) / "exports"


def start_export(user, kind: str, title: str, params: dict) -> Job:
    """Create the job and enqueue its task once the job row is committed; params must be JSON."""
    from canhgiac.core.tasks import run_export_task

    job = jobs.create_job(f"export.{kind}", str(title)[:200], owner=user)
    job_id, user_id = str(job.pk), user.pk
    transaction.on_commit(lambda: run_export_task.enqueue(job_id, kind, params, user_id))
    return job


def run_export(job_id: str, kind: str, params: dict, user) -> Path:
    """Build the file of one export job (called by the task)."""
    from importlib import import_module

    # Builders register when their app's exports module is imported ("cases.csv" → canhgiac.cases.exports).
    import_module(f"canhgiac.{kind.split('.')[0]}.exports")
    builder = BUILDERS[kind]
    folder = export_root() / job_id
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / "building.part"
    jobs.update_job(job_id, status=Job.Status.RUNNING, message=_("Đang tạo tệp…"))
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or done == total:  # at most two progress writes a second
            last[0] = now
            jobs.update_job(job_id, done=done, total=total)

    try:
        with partial.open("wb") as out:
            filename, content_type = builder(user, params, out, progress)
    except Exception as exc:  # report it on the job page, never leave the job "running"
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, ObjectDoesNotExist | PermissionDenied):
            reason = _("không còn quyền xem dữ liệu này, hoặc dữ liệu đã bị xóa.")
        else:
            reason = str(exc)
        jobs.update_job(job_id, status=Job.Status.FAILED, message=_("Lỗi: %(e)s") % {"e": reason})
        raise
    path = folder / Path(filename).name
    partial.rename(path)
    jobs.update_job(
        job_id,
        status=Job.Status.DONE,
        message=_("Tệp đã sẵn sàng (%(size)s KB).")
        % {"size": f"{max(1, path.stat().st_size // 1024):,}".replace(",", ".")},
        result={
            "url": reverse("core:job_download", args=[job_id]),
            "url_label": _("Tải tệp %(name)s") % {"name": path.name},
            "filename": path.name,
            "content_type": content_type,
        },
    )
    return path


def export_file(job: Job) -> Path | None:
    """The finished file of an export job, or None (not an export, not finished, or purged)."""
    name = (job.result or {}).get("filename")
    if not job.kind.startswith("export.") or job.status != Job.Status.DONE or not name:
        return None
    path = export_root() / str(job.pk) / Path(name).name
    return path if path.is_file() else None


def purge(now) -> str | None:
    """Periodic hook: delete export files older than EXPORT_KEEP_HOURS."""
    root = export_root()
    if not root.is_dir():
        return None
    cutoff = now.timestamp() - EXPORT_KEEP_HOURS * 3600
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return f"{removed} export(s) removed" if removed else None
