"""Export jobs (core.exports): the job page, the owner-only download, failures shown, old files purged."""

import datetime as dt
import io
import os

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from docx import Document

from canhgiac.core import exports
from canhgiac.core.models import Job

pytestmark = pytest.mark.django_db


def test_a_job_that_is_not_an_export_has_no_download(signed_in, officer_qltt):
    job = Job.objects.create(kind="cases.import", title="Nhập", owner=officer_qltt, status="done")
    assert signed_in(officer_qltt).get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_a_failing_export_is_marked_failed_with_its_reason(signed_in, officer_qltt, export_download):
    from canhgiac.plans.models import Plan

    missing = (Plan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    with pytest.raises(Plan.DoesNotExist):
        exports.run_export(
            str(Job.objects.create(kind="export.plans.xlsx", title="x").pk),
            "plans.xlsx",
            {"plan": missing},
            officer_qltt,
        )
    job = Job.objects.get(kind="export.plans.xlsx")
    assert job.status == "failed" and job.message.startswith("Lỗi: không còn quyền")
    assert not (exports.export_root() / str(job.pk)).exists()


def test_export_files_older_than_a_day_are_purged(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    old, new = exports.export_root() / "old", exports.export_root() / "new"
    for folder in (old, new):
        folder.mkdir(parents=True)
        (folder / "f.csv").write_text("x")
    stamp = (timezone.now() - dt.timedelta(hours=exports.EXPORT_KEEP_HOURS + 1)).timestamp()
    os.utime(old, (stamp, stamp))
    assert exports.purge(timezone.now()) == "1 export(s) removed"
    assert not old.exists() and new.exists()


def test_a_download_from_the_job_page_is_audited_private_and_never_cached(
    signed_in, coordinator_sct, export_download
):
    from canhgiac.audit.models import AuditEvent
    from canhgiac.plans.models import Plan

    plan = Plan.objects.get(code="dak_lak_2030")
    job, _page, download = export_download(
        signed_in(coordinator_sct), reverse("plans:export_xlsx", args=[plan.pk])
    )
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="core.export_downloaded")
    assert (event.object_type, event.object_id, event.actor) == ("core.job", str(job.pk), coordinator_sct)
    assert event.changes["file"] == job.result["filename"]


def test_the_periodic_hook_deletes_files_after_the_retention_and_the_job_page_says_so(
    signed_in, coordinator_sct, export_download, settings
):
    from canhgiac.core.registry import PERIODIC_HOOKS
    from canhgiac.plans.models import Plan

    # the hook as the worker and `canhgiac run-periodic` run it (not the command itself: it closes
    # the database connection at the end, which a test's transaction cannot survive on PostgreSQL)
    purge_hook = dict(PERIODIC_HOOKS)["core.exports_purge"]

    settings.CANHGIAC_EXPORT_KEEP_HOURS = 2
    plan = Plan.objects.get(code="dak_lak_2030")
    client = signed_in(coordinator_sct)
    job, page, download = export_download(client, reverse("plans:export_xlsx", args=[plan.pk]))
    assert download.status_code == 200 and "sau 2 giờ" in page.content.decode()
    folder = exports.export_root() / str(job.pk)
    young = (timezone.now() - dt.timedelta(hours=1, minutes=50)).timestamp()
    os.utime(folder, (young, young))
    assert purge_hook(timezone.now()) is None and folder.exists()  # 1 h 50 min old: kept
    old = (timezone.now() - dt.timedelta(hours=2, minutes=1)).timestamp()
    os.utime(folder, (old, old))
    assert purge_hook(timezone.now()) == "1 export(s) removed"
    assert not folder.exists()
    assert client.get(job.result["url"]).status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}").json()["download_url"] is None
    html = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "Tệp đã được xóa sau 2 giờ" in html and job.result["url"] not in html


def test_the_consolidated_report_docx_author_is_the_issuing_body(coordinator_sct):
    from canhgiac.reporting import services

    _name, _type, content = services.export_report(
        coordinator_sct, fmt="docx", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 31)
    )
    props = Document(io.BytesIO(content)).core_properties
    assert props.author != "python-docx" and "CÔNG THƯƠNG" in props.author.upper()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: a second connection reads")
@pytest.mark.django_db(transaction=True)
def test_export_progress_is_committed_as_it_goes_so_another_connection_sees_it(
    reference_data_restored_for_exports, make_user, monkeypatch, settings, tmp_path
):
    """What the job page (another request, another connection) reads while the worker builds."""
    from django.db import connections

    from canhgiac.core import jobs, policy
    from canhgiac.plans.models import Plan

    settings.VAR_DIR = tmp_path
    coordinator_sct = make_user("coordinator_sct", "SCT", policy.COORDINATOR)
    plan = Plan.objects.get(code="dak_lak_2030")
    job = jobs.create_job("export.plans.xlsx", "Tiến độ", owner=coordinator_sct)
    other = connections.create_connection("default")
    seen = []
    update = jobs.update_job

    def watch(job_id, **fields):
        update(job_id, **fields)
        with other.cursor() as cursor:
            cursor.execute(f"SELECT status, done, message FROM {Job._meta.db_table} WHERE id = %s", [job_id])
            seen.append(cursor.fetchone())

    monkeypatch.setattr(jobs, "update_job", watch)
    monkeypatch.setattr("canhgiac.core.exports.time.monotonic", iter(range(0, 100_000, 10)).__next__)
    try:
        exports.run_export(str(job.pk), "plans.xlsx", {"plan": plan.pk}, coordinator_sct)
    finally:
        other.close()
    running = [(done, message) for status, done, message in seen if status == "running"]
    assert any(0 < done < 100 and message.startswith("Bước 2/4") for done, message in running), running
    assert seen[-1][0] == "done"


@pytest.fixture
def reference_data_restored_for_exports(django_db_blocker):
    """A transactional test starts from the reference data (an earlier one may have flushed it)
    and leaves it loaded for the next tests."""
    from django.core.management import call_command

    def setup():
        with django_db_blocker.unblock():
            call_command("setup", "--no-migrate", verbosity=0, stdout=open("/dev/null", "w"))

    from canhgiac.directory.models import Agency

    with django_db_blocker.unblock():
        if not Agency.objects.filter(code="SCT").exists():
            setup()
    yield
    setup()


def test_an_administrator_follows_a_users_export_but_is_offered_no_file(
    signed_in, coordinator_sct, admin_user, export_download
):
    from canhgiac.plans.models import Plan

    plan = Plan.objects.get(code="dak_lak_2030")
    job, _page, _download = export_download(
        signed_in(coordinator_sct), reverse("plans:export_docx", args=[plan.pk])
    )
    admin = signed_in(admin_user)
    html = admin.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "Hoàn thành" in html and job.result["url"] not in html and "chỉ dành cho người đã yêu cầu" in html
    assert admin.get(job.result["url"]).status_code == 403


def test_the_audit_page_names_an_export_download_in_vietnamese():
    from canhgiac.audit.labels import action_label

    assert action_label("core.export_downloaded") == "Tải tệp đã xuất (hệ thống)"
