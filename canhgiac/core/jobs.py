"""Job progress records that background tasks update and pages poll.

Progress of a long write (an import runs in one transaction) must be seen while the transaction is
still open, so `report_progress` writes it outside: on PostgreSQL through a second connection of
its own (autocommit); on SQLite, which allows one writer at a time, it cannot be committed while the
import's transaction holds the write lock, so it is written only outside transactions (the checking
stage) and the page shows the writing stage as one step (docs/cases.md, "Imports").
"""

import os
import socket
import threading
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core.models import Job

_side = threading.local()


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


def fail_orphaned_jobs() -> int:
    """Called when a worker starts: a job left "running" by a worker process of this host that no
    longer exists is marked failed with the reason, and its uploaded file is deleted. (Jobs of other
    hosts' workers are left to those hosts' workers.) Returns how many were failed."""
    host = socket.gethostname()
    failed = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING, worker__startswith=host + ":"):
        pid = job.worker.rpartition(":")[2]
        if pid.isdigit() and (int(pid) == os.getpid() or _alive(int(pid))):
            continue
        message = _(
            "Lỗi: tiến trình xử lý (%(worker)s) đã dừng giữa chừng; chưa ghi dữ liệu nào của công việc "
            "này. Vui lòng chạy lại."
        ) % {"worker": job.worker}
        if Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, message=message[:300], updated_at=timezone.now()
        ):
            delete_upload(job.upload)
            failed += 1
    return failed
