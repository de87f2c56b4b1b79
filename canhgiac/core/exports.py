"""Exports as background jobs: a file built by a task, downloadable only by the user who asked.

An app registers a builder once (`@exporter("cases.csv")`); a view calls
`start_export(user, "cases.csv", title, params)` and redirects to the job page (`core:job`), which
polls the job and shows a download link when the file is ready. The builder runs in the worker
(inline in tests) as the user who asked:

    builder(user, params: dict, out: BinaryIO, progress(done, total, message=None))
        -> (file name, content type)

It writes the file to `out` (in chunks if it is large) and may call `progress` as often as it
likes (`core.progress.Steps` turns named steps into it): progress is written to the job row at once,
outside any business transaction (the task runs none), so the page and `GET /api/v1/jobs/{id}`
show it as it moves; numbers alone at most twice a second, a new message (a new step) always.
Files live under $CANHGIAC_VAR_DIR/exports/<job id>/ (never under MEDIA_ROOT, which may be
served); the download (`download_path`) is the owner's only, audited, never cached; the
`core.exports_purge` periodic hook removes files `keep_hours()` after they were written
(CANHGIAC_EXPORT_KEEP_HOURS, default 24).
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

EXPORT_KEEP_HOURS = 24  # the default of settings.CANHGIAC_EXPORT_KEEP_HOURS
BUILDERS: dict[str, Callable] = {}


def exporter(kind: str):
    """Register `fn` as the builder of export jobs of `kind` (e.g. "cases.csv")."""

    def register(fn):
        BUILDERS[kind] = fn
        return fn

    return register


def export_root() -> Path:
    return Path(settings.VAR_DIR) / "exports"


def keep_hours() -> int:
    """How long a finished export's file is kept before the periodic purge deletes it."""
    return int(getattr(settings, "CANHGIAC_EXPORT_KEEP_HOURS", EXPORT_KEEP_HOURS))


def confirm_page(request, title, lines=(), form=None, back_url: str | None = None, button=None):
    """What a GET of an export's address answers: what would be exported and a button that starts
    it by POST (with the CSRF token). Starting an export makes a job, a file and an audit event,
    so a GET (a link prefetched, followed by a crawler or opened twice) never starts one."""
    from django.shortcuts import render

    return render(
        request,
        "core/export_confirm.html",
        {"title": title, "lines": lines, "form": form, "back_url": back_url, "button": button},
    )


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
    jobs.start_job(job_id, _("Đang tạo tệp…"))  # running, in this worker (a dead one is noticed)
    last = {"time": 0.0, "message": None}

    def progress(done: int, total: int, message: str | None = None) -> None:
        now = time.monotonic()
        new_step = message is not None and message != last["message"]
        if new_step or now - last["time"] >= 0.5 or done == total:  # numbers: two writes a second
            last["time"] = now
            if new_step:
                last["message"] = message
            jobs.update_job(job_id, done=done, total=total, message=message if new_step else None)

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


def download_path(user, job: Job) -> Path:
    """The file of `job` for `user` to download: the job's owner only (`policy.require(user,
    "download", job)`, not even an administrator), and every download is audited. Raises
    PermissionDenied for anyone else and Http404 when there is no file (not an export, not finished
    yet, or deleted after the retention)."""
    from django.http import Http404

    from canhgiac.audit import services as audit
    from canhgiac.core.policy import require

    require(user, "download", job)
    path = export_file(job)
    if path is None:
        raise Http404
    audit.record(
        "core.export_downloaded",
        actor=user,
        object_type="core.job",
        object_id=str(job.pk),
        object_repr=job.title,
        changes={"kind": job.kind, "file": path.name, "bytes": path.stat().st_size},
    )
    return path


def download_response(user, job: Job):
    """The HTTP answer serving an export's file (pages and API alike): an attachment, never
    cached (`private, no-store`)."""
    from django.http import FileResponse

    path = download_path(user, job)
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type=job.result.get("content_type")
    )
    response["Cache-Control"] = "private, no-store"
    return response


def purge(now) -> str | None:
    """Periodic hook: delete the export files written more than `keep_hours()` ago (and any
    leftover of an export whose worker died)."""
    root = export_root()
    if not root.is_dir():
        return None
    cutoff = now.timestamp() - keep_hours() * 3600
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return f"{removed} export(s) removed" if removed else None
