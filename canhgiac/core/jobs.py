"""Job progress records that background tasks update and pages poll.

Progress of a long write (an import runs in one transaction) must be seen while the transaction is
still open, so `report_progress` writes it outside: on PostgreSQL through a second connection of
its own (autocommit); on SQLite, which allows one writer at a time, it cannot be committed while the
import's transaction holds the write lock, so it is written only outside transactions (the checking
stage) and the page shows the writing stage as one step (docs/cases.md, "Imports").
"""

import datetime as dt
import logging
import os
import socket
import threading
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from canhgiac.core.models import Job

_side = threading.local()
log = logging.getLogger(__name__)


def create_job(kind: str, title: str, owner=None, total: int = 0, upload: str = "") -> Job:
    return Job.objects.create(kind=kind, title=title, owner=owner, total=total, upload=upload)


def _fields(done, total, message, status, result) -> dict:
    fields = {}
    if done is not None:
        fields["done"] = done
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message[:300]
    if status is not None:
        fields["status"] = status
    if result is not None:
        fields["result"] = result
    if fields:
        fields["updated_at"] = timezone.now()
    return fields


def update_job(
    job_id,
    *,
    done: int | None = None,
    total: int | None = None,
    message: str | None = None,
    status: str | None = None,
    result: dict | None = None,
) -> None:
    # A plain UPDATE (not save) so progress writes never clobber each other.
    fields = _fields(done, total, message, status, result)
    if fields:
        Job.objects.filter(pk=job_id).update(**fields)


def _side_connection():
    side = getattr(_side, "connection", None)
    if side is None:
        side = _side.connection = connections.create_connection(DEFAULT_DB_ALIAS)
    return side


def close_side_connection() -> None:
    side = getattr(_side, "connection", None)
    if side is not None:
        side.close()
        _side.connection = None


def report_progress(
    job_id, *, done: int, total: int, message: str | None = None, in_transaction: bool = False
) -> None:
    """Progress that pages can see at once. A caller reporting from inside its own open transaction
    (an import's writing stage) says so with `in_transaction`: the progress is then written outside
    it (a second connection on PostgreSQL; on SQLite, not at all — see the module docstring)."""
    if not in_transaction:
        update_job(job_id, done=done, total=total, message=message)
        return
    if connection.vendor != "postgresql":
        return  # SQLite: one writer; the import's transaction holds the lock (see module docstring)
    fields = _fields(done, total, message, None, None)
    side = _side_connection()
    with side.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, message = %s, updated_at = %s "
            "WHERE id = %s",
            [fields["done"], fields["total"], fields.get("message", ""), fields["updated_at"], job_id],
        )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def start_job(job_id, message: str = "") -> None:
    """Mark the job running in this process (so a later worker can tell when this one died)."""
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, worker=worker_name(), message=message[:300], updated_at=timezone.now()
    )


def finish_job(job_id, *, status: str, message: str, result: dict | None = None) -> None:
    """End the job (done or failed) and delete its uploaded file."""
    job = Job.objects.filter(pk=job_id).only("upload").first()
    update_job(job_id, status=status, message=message, result=result)
    if job is not None:
        delete_upload(job.upload)


def delete_upload(path: str) -> None:
    if path:
        Path(path).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_timeout() -> dt.timedelta:
    """How long a worker may go without a heartbeat before its running jobs are failed."""
    return dt.timedelta(seconds=settings.CANHGIAC_WORKER_TIMEOUT_SECONDS)


DEAD_PROCESS = _lazy(
    "Lỗi: tiến trình xử lý (%(worker)s) đã dừng giữa chừng; chưa ghi dữ liệu nào của công việc này. "
    "Vui lòng chạy lại."
)
SILENT_WORKER = _lazy(
    "Lỗi: tiến trình xử lý (%(worker)s) không còn hoạt động (không có tín hiệu từ %(since)s, quá "
    "%(seconds)s giây); chưa ghi dữ liệu nào của công việc này. Vui lòng chạy lại."
)


def _reason(job: Job, host: str, beats: dict, cutoff) -> tuple[str, bool] | None:
    """(why the job's worker is gone, whether judged by its heartbeat), or None while it may
    still be at work."""
    worker_host, _sep, pid = job.worker.rpartition(":")
    if worker_host == host and pid.isdigit():
        # On this host the process table answers at once (SQLite deployments are one host).
        if int(pid) == os.getpid() or _alive(int(pid)):
            return None
        return DEAD_PROCESS % {"worker": job.worker}, False
    last = beats.get(job.worker)
    if last is None:
        # A worker that never beat (an older version): judge by the job's own last progress.
        last = job.updated_at
    if last >= cutoff:
        return None
    since = timezone.localtime(last).strftime("%d/%m/%Y %H:%M:%S")
    seconds = settings.CANHGIAC_WORKER_TIMEOUT_SECONDS
    return SILENT_WORKER % {"worker": job.worker, "since": since, "seconds": seconds}, True


def fail_orphaned_jobs(now=None) -> int:
    """Mark failed, with the reason, each job left "running" by a worker that is gone, and delete
    its uploaded file; return how many. A worker is gone when its heartbeat row
    (core.health.beat, every CANHGIAC_HEARTBEAT_SECONDS) is older than
    CANHGIAC_WORKER_TIMEOUT_SECONDS, whatever host it ran on, or at once when it ran on this host
    and its process no longer exists. Run when a worker starts, by every worker's tick and by
    `run-periodic`; the conditional UPDATE lets several workers run it at once."""
    from canhgiac.core.models import WorkerHeartbeat

    now = now or timezone.now()
    cutoff = now - worker_timeout()
    host = socket.gethostname()
    running = list(Job.objects.filter(status=Job.Status.RUNNING).exclude(worker=""))
    if not running:
        return 0
    beats = dict(
        WorkerHeartbeat.objects.filter(name__in={j.worker for j in running}).values_list("name", "last_seen")
    )
    fresh = WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values("name")
    failed = 0
    for job in running:
        found = _reason(job, host, beats, cutoff)
        if found is None:
            continue
        reason, by_heartbeat = found
        still = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=job.worker)
        if by_heartbeat:
            still = still.exclude(worker__in=fresh)  # it beat again meanwhile: leave it
        if still.update(status=Job.Status.FAILED, message=str(reason)[:300], updated_at=timezone.now()):
            log.warning("job %s failed: %s", job.pk, reason)
            delete_upload(job.upload)
            failed += 1
    return failed


def fail_orphaned_jobs_hook(now=None) -> str | None:
    """Periodic/tick hook: a summary line only when something was failed."""
    failed = fail_orphaned_jobs(now)
    return f"{failed} công việc của tiến trình đã dừng được đánh dấu lỗi" if failed else None
