"""Export jobs (core.exports): the job page, the owner-only download, failures shown, old files purged."""

import datetime as dt
import io
import os

import pytest
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


def test_the_consolidated_report_docx_author_is_the_issuing_body(coordinator_sct):
    from canhgiac.reporting import services

    _name, _type, content = services.export_report(
        coordinator_sct, fmt="docx", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 31)
    )
    props = Document(io.BytesIO(content)).core_properties
    assert props.author != "python-docx" and "CÔNG THƯƠNG" in props.author.upper()
