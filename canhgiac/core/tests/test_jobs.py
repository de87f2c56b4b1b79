"""Jobs: a job left running by a dead worker is failed when a worker starts; progress is visible."""

import socket
import subprocess
import sys

import pytest
from django.db import connection

from canhgiac.core import jobs
from canhgiac.core.models import Job

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_job_whose_worker_died_is_marked_failed_with_the_reason_and_its_upload_deleted(tmp_path):
    upload = tmp_path / "upload.csv"
    upload.write_text("case_ref\n")
    dead = jobs.create_job("cases.import", "Nhập tệp", upload=str(upload))
    Job.objects.filter(pk=dead.pk).update(
        status=Job.Status.RUNNING, worker=f"{socket.gethostname()}:{_dead_pid()}"
    )
    alive = jobs.create_job("cases.import", "Nhập tệp khác")
    jobs.start_job(alive.pk)  # this very process: alive
    queued = jobs.create_job("cases.import", "Chưa chạy")

    assert jobs.fail_orphaned_jobs() == 1

    dead.refresh_from_db()
    assert dead.status == Job.Status.FAILED and "đã dừng giữa chừng" in dead.message
    assert not upload.exists()
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING
    assert Job.objects.get(pk=queued.pk).status == Job.Status.QUEUED


def test_progress_outside_a_transaction_is_written_at_once():
    job = jobs.create_job("cases.import", "Nhập tệp")
    jobs.report_progress(job.pk, done=5, total=10, message="Đang kiểm tra tệp…")
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (5, 10, "Đang kiểm tra tệp…")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: a second connection")
@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_import_transaction_is_visible_to_others_on_postgresql(
    reference_data_restored_for_jobs,
):
    from django.db import connections, transaction

    job = Job.objects.create(kind="cases.import", title="Nhập tệp")
    seen = []
    with transaction.atomic():
        jobs.report_progress(
            job.pk, done=2000, total=100000, message="Đang ghi vụ việc…", in_transaction=True
        )
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute(f"SELECT done FROM {Job._meta.db_table} WHERE id = %s", [job.pk])
            seen.append(cursor.fetchone()[0])
        other.close()
    jobs.close_side_connection()
    assert seen == [2000]


@pytest.fixture
def reference_data_restored_for_jobs(django_db_blocker):
    yield
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("setup", "--no-migrate", verbosity=0, stdout=open("/dev/null", "w"))
