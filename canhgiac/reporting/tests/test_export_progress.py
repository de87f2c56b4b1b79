"""Report exports show real progress while they run: the job row, as the job page reads it, moves
through gathering the figures (one unit per accepted report and per system figure), building the
tables, rendering and saving, before it is done."""

import datetime as dt

import pytest
from django.urls import reverse

from canhgiac.reporting.tests.test_consolidation import _accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def period_with_reports(make_period, agency, fixed_figures):
    period = make_period(codes=("QLTT", "CA"), commune=False, deadline=dt.date.today() - dt.timedelta(days=3))
    for code in ("QLTT", "CA"):
        _accepted(period, agency(code), {"cases": 3}, {"cases": {"counterfeit": 3}}, period.deadline)
    return period


def _steps(seen):
    return [message.split(":")[0] for _s, _d, _t, message in seen if message.startswith("Bước")]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_report_export_writes_each_step_and_its_progress_while_it_runs(
    fmt, period_with_reports, signed_in, coordinator_sct, export_download, job_rows_seen
):
    url = reverse("reporting:export_period", args=[period_with_reports.pk, fmt])
    job, _page, download = export_download(signed_in(coordinator_sct), url)
    assert job.status == "done" and download.status_code == 200
    running = [row for row in job_rows_seen if row[0] == "running"]
    # every step was shown, in order, while the job was running
    assert list(dict.fromkeys(_steps(running))) == ["Bước 1/4", "Bước 2/4", "Bước 3/4", "Bước 4/4"]
    gather = [row for row in running if row[3].startswith("Bước 1/4")]
    assert "2 báo cáo" in gather[0][3]
    # one write per accepted report and system figure: the bar moves inside the gathering step
    assert len({done for _s, done, _t, _m in gather}) > 5
    dones = [done for _s, done, _t, _m in running]
    assert dones == sorted(dones) and 0 < dones[len(dones) // 2] < 100
    assert {total for _s, _d, total, _m in running} == {100}
    assert job.percent == 100


def test_a_window_export_shows_its_steps_too(
    signed_in, coordinator_sct, fixed_figures, export_download, job_rows_seen
):
    job, _page, _download = export_download(
        signed_in(coordinator_sct),
        reverse("reporting:export_window"),
        {"date_from": "2026-01-01", "date_to": "2026-03-31", "fmt": "docx"},
    )
    assert job.status == "done"
    assert list(dict.fromkeys(_steps(job_rows_seen))) == ["Bước 1/4", "Bước 2/4", "Bước 3/4", "Bước 4/4"]


def test_the_command_line_export_still_finishes_before_it_returns(tmp_path, fixed_figures):
    from django.core.management import call_command
    from docx import Document

    out = tmp_path / "bao-cao.docx"
    call_command("report-export", "--from", "2026-01-01", "--to", "31/03/2026", "--out", str(out))
    assert any("BÁO CÁO" in p.text for p in Document(str(out)).paragraphs)
