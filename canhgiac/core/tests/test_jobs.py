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


def _running(title: str, worker: str, owner=None) -> Job:
    job = jobs.create_job("cases.import", title, owner=owner)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker=worker)
    return job


def _beat(name: str, seconds_ago: float) -> None:
    import datetime as dt

    from django.utils import timezone

    from canhgiac.core import health

    when = timezone.now() - dt.timedelta(seconds=seconds_ago)
    health.beat(name, when)
    from canhgiac.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(name=name).update(last_seen=when)


def test_a_job_of_a_worker_on_another_host_is_failed_once_its_heartbeat_is_stale(settings):
    settings.CANHGIAC_WORKER_TIMEOUT_SECONDS = 120
    _beat("other-host:4242", seconds_ago=300)
    _beat("third-host:77", seconds_ago=20)
    silent = _running("Nhập tệp", "other-host:4242")
    beating = _running("Nhập tệp khác", "third-host:77")

    assert jobs.fail_orphaned_jobs() == 1

    silent.refresh_from_db()
    assert silent.status == Job.Status.FAILED
    assert "other-host:4242" in silent.message and "không còn hoạt động" in silent.message
    assert "120 giây" in silent.message
    assert Job.objects.get(pk=beating.pk).status == Job.Status.RUNNING


def test_a_worker_that_never_beat_is_judged_by_its_jobs_last_progress(settings):
    import datetime as dt

    from django.utils import timezone

    settings.CANHGIAC_WORKER_TIMEOUT_SECONDS = 120
    old = _running("Nhập tệp cũ", "old-host:1")
    Job.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=10))
    recent = _running("Nhập tệp mới", "old-host:2")

    assert jobs.fail_orphaned_jobs() == 1
    assert Job.objects.get(pk=old.pk).status == Job.Status.FAILED
    assert Job.objects.get(pk=recent.pk).status == Job.Status.RUNNING


def test_a_live_process_on_this_host_keeps_its_job_even_without_a_fresh_heartbeat(settings):
    # SQLite: an import holding the write lock stops its own worker's heartbeat for a while
    settings.CANHGIAC_WORKER_TIMEOUT_SECONDS = 120
    mine = jobs.worker_name()
    _beat(mine, seconds_ago=3600)
    job = _running("Nhập tệp lớn", mine)
    assert jobs.fail_orphaned_jobs() == 0
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_every_worker_tick_fails_the_jobs_of_dead_workers_and_the_job_page_says_why(
    settings, signed_in, officer_qltt
):
    from django.urls import reverse

    from canhgiac.core.periodic import run_periodic, tick

    settings.CANHGIAC_WORKER_TIMEOUT_SECONDS = 60
    _beat("gone-host:9", seconds_ago=600)
    job = _running("Nhập 100.000 vụ việc", "gone-host:9", owner=officer_qltt)

    tick()

    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    page = signed_in(officer_qltt).get(reverse("core:job", args=[job.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "gone-host:9" in text and "không còn hoạt động" in text and "Vui lòng chạy lại" in text
    # run-periodic (cron on a host without a worker) runs the same check
    assert any(line.startswith("core.orphaned_jobs:") for line in run_periodic())


def test_the_worker_heartbeat_beats_apart_from_the_ticks(monkeypatch):
    import threading

    from django.utils import timezone

    from canhgiac.core import periodic
    from canhgiac.core.models import WorkerHeartbeat
    from canhgiac.core.periodic import run_heartbeat

    # the thread closes its connection after each beat; here that would be the test's own
    monkeypatch.setattr(periodic, "close_old_connections", lambda: None)

    stop = threading.Event()
    stop.set()  # one beat, then return
    run_heartbeat(stop, "this-host:123", timezone.now())
    assert WorkerHeartbeat.objects.filter(name="this-host:123").exists()
