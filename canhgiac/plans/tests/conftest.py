import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture
def plan(db):
    from canhgiac.plans.models import Plan

    return Plan.objects.get(code="dak_lak_2030")


@pytest.fixture
def task(plan):
    return lambda code: plan.tasks.get(code=code)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pdf():
    return lambda name="bao-cao.pdf": SimpleUploadedFile(
        name, b"%PDF-1.4 minh chung\n", content_type="application/pdf"
    )


@pytest.fixture
def report(pdf):
    """report(user, task, agency, due, on=..., done=True, evidence_date=None) -> Update"""
    from canhgiac.plans import services

    def make(user, task, agency, due: dt.date, *, on: dt.date, done=True, evidence_date=None, percent=None):
        cp = task.checkpoints.get(due_date=due)
        return services.post_update(
            user,
            checkpoint=cp,
            agency=agency,
            status="done" if done else "in_progress",
            narrative="Đã hoàn thành báo cáo rà soát." if done else "Đang triển khai.",
            percent=percent,
            evidence_file=pdf() if done else None,
            evidence_number="15/BC-SYT" if evidence_date else "",
            evidence_date=evidence_date,
            on=on,
        )

    return make
