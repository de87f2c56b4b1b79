"""The consolidated figures are served from a snapshot a background task computes (snapshots.py):
the page and the API read it, a report's status change or the "recompute now" button refresh it,
a change during a refresh leaves it stale and queues another, and what is served is what the
report computed afresh says."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from canhgiac.core.models import Job
from canhgiac.core.tests.conftest import coordinator_lang_son, lang_son  # noqa: F401 (fixtures)
from canhgiac.reporting import consolidation, services, snapshots
from canhgiac.reporting.models import ConsolidatedSnapshot
from canhgiac.reporting.tests.conftest import fill
from canhgiac.reporting.tests.test_consolidation import _accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(make_period, agency, fixed_figures):
    period = make_period(codes=("QLTT", "CA"), commune=False)
    _accepted(period, agency("QLTT"), {"cases": 3}, {"cases": {"counterfeit": 3}}, period.deadline)
    return period


def _system(report):
    return {r.code: r.value for r in report.system}


def test_the_page_and_the_api_serve_what_a_fresh_consolidation_says(period, coordinator_sct, signed_in):
    client = signed_in(coordinator_sct)
    api = client.get(f"/api/v1/reporting/periods/{period.pk}/consolidated").json()
    from canhgiac.reporting.api import _report_json  # (imported before the URLs, it would unhook the API)

    fresh = _report_json(consolidation.consolidate_period(coordinator_sct, period))
    api.pop("computed_at")
    fresh.pop("computed_at")
    assert api == {k: v for k, v in fresh.items()} | {
        "date_from": str(fresh["date_from"]),
        "date_to": str(fresh["date_to"]),
    }
    # stored and read back: the same report
    report, _snapshot = snapshots.period_report(coordinator_sct, period)
    assert snapshots.to_data(report) | {"narrative": {}} == snapshots.to_data(
        consolidation.gather_period(None, period)
    ) | {"narrative": {}}
    page = client.get(reverse("reporting:consolidated", args=[period.pk])).content.decode()
    assert 'data-testid="snapshot-time"' in page and "Tính lại ngay" in page


def test_the_page_reads_the_snapshot_not_the_data_until_it_is_refreshed(
    period, coordinator_sct, signed_in, fixed_figures, django_capture_on_commit_callbacks
):
    client = signed_in(coordinator_sct)
    url = reverse("reporting:consolidated", args=[period.pk])
    client.get(url)  # the first view computes and stores it
    calls = len(fixed_figures["calls"])
    fixed_figures["table"]["QLTT"]["fines_vnd"] = 999_000_000  # the system's figures move
    for _i in range(3):
        client.get(url)
        client.get(f"/api/v1/reporting/periods/{period.pk}/consolidated")
    assert len(fixed_figures["calls"]) == calls  # no figure computed by those six requests
    report, _s = snapshots.period_report(coordinator_sct, period)
    assert _system(report)["fines_vnd"] == 120_000_000
    # "Tính lại ngay": a job of the user's own, with progress, that leads back to the report
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:consolidated_refresh", args=[period.pk]))
    job = Job.objects.get(kind="reporting.consolidate", owner=coordinator_sct)
    assert response["Location"] == reverse("core:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done" and job.result["url"] == url
    report, snapshot = snapshots.period_report(coordinator_sct, period)
    assert _system(report)["fines_vnd"] == 999_000_000 and not snapshot.stale


def test_accepting_a_report_refreshes_the_snapshot_in_the_background(
    make_period,
    agency,
    officer_qltt,
    leader_qltt,
    coordinator_sct,
    fixed_figures,
    django_capture_on_commit_callbacks,
):
    period = make_period(codes=("QLTT",), commune=False)
    report, _s = snapshots.period_report(coordinator_sct, period)
    assert report.accepted_count == 0
    sub = services.open_submission(officer_qltt, period, agency("QLTT"))
    fill(officer_qltt, sub)
    services.submit(officer_qltt, sub)
    assert not ConsolidatedSnapshot.objects.get(period=period).stale  # a draft sent to the leader: no change
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(leader_qltt, sub)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.accept(coordinator_sct, sub)
    snapshot = ConsolidatedSnapshot.objects.get(period=period)
    assert snapshot.stale and snapshot.job.status == "queued" and queued  # refresh after commit
    for callback in queued:
        callback()
    report, snapshot = snapshots.period_report(coordinator_sct, period)
    assert report.accepted_count == 1 and {r.code: r.value for r in report.reported}["cases"] == 10
    assert not snapshot.stale and snapshot.job is None
    assert report.board["totals"]["reported"] == 1


def test_a_change_during_a_refresh_leaves_it_stale_and_queues_another(
    period, coordinator_sct, monkeypatch, django_capture_on_commit_callbacks
):
    snapshots.period_report(coordinator_sct, period)
    real = snapshots._compute

    def compute_while_a_report_changes(snapshot, steps=None):
        data = real(snapshot, steps)
        snapshots.invalidate(period)  # a report accepted while the figures were being added up
        return data

    monkeypatch.setattr(snapshots, "_compute", compute_while_a_report_changes)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        snapshot = snapshots.refresh(snapshots.period_key(period.pk))
    assert snapshot.stale and snapshot.computed_at is not None
    assert snapshot.job is not None and snapshot.job.status == "queued" and queued
    monkeypatch.setattr(snapshots, "_compute", real)
    snapshot = snapshots.refresh(snapshot.key)
    assert not snapshot.stale


def test_the_saved_narrative_shows_at_once_over_the_snapshot(period, coordinator_sct, signed_in):
    client = signed_in(coordinator_sct)
    url = reverse("reporting:consolidated", args=[period.pk])
    client.get(url)
    consolidation.save_province_report(
        coordinator_sct, period, narrative={"situation": "Đã biên tập lại."}, number="7/BC-SCT"
    )
    page = client.get(url).content.decode()
    assert "Đã biên tập lại." in page and "7/BC-SCT" in page


def test_a_stale_snapshot_with_no_refresh_under_way_queues_one_when_read(period, coordinator_sct):
    _report, snapshot = snapshots.period_report(coordinator_sct, period)
    ConsolidatedSnapshot.objects.filter(pk=snapshot.pk).update(stale=True, job=None)
    _report, snapshot = snapshots.period_report(coordinator_sct, period)
    assert snapshot.job is not None and snapshot.job.status == "queued"
    jobs_before = Job.objects.count()
    snapshots.period_report(coordinator_sct, period)  # the queued one is reused
    assert Job.objects.count() == jobs_before


def test_the_periodic_hook_refreshes_old_snapshots_and_drops_old_windows(period, coordinator_sct, settings):
    settings.CANHGIAC_CONSOLIDATED_MAX_AGE_MINUTES = 30
    _report, snapshot = snapshots.period_report(coordinator_sct, period)
    snapshots.window_report(coordinator_sct, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert "0 kỳ" in snapshots.refresh_old()
    later = timezone.now() + dt.timedelta(days=2)
    summary = snapshots.refresh_old(later)
    assert summary.startswith("1 kỳ") and "1 cửa sổ" in summary
    assert not ConsolidatedSnapshot.objects.filter(period=None).exists()
    assert ConsolidatedSnapshot.objects.get(pk=snapshot.pk).job.status == "queued"


def test_the_window_api_is_kept_and_served_again(coordinator_sct, signed_in, fixed_figures):
    client = signed_in(coordinator_sct)
    url = "/api/v1/reporting/consolidated?date_from=2026-01-01&date_to=2026-03-31"
    first = client.get(url).json()
    calls = len(fixed_figures["calls"])
    assert client.get(url).json() == first and len(fixed_figures["calls"]) == calls
    assert {r["code"]: r["value"] for r in first["system"]}["fines_vnd"] == 120_000_000


def test_only_the_provinces_coordinators_read_or_refresh_it(
    period,
    signed_in,
    officer_qltt,
    coordinator_lang_son,  # noqa: F811
):
    for user in (officer_qltt, coordinator_lang_son):
        client = signed_in(user)
        assert client.get(reverse("reporting:consolidated", args=[period.pk])).status_code in (403, 404)
        assert client.post(reverse("reporting:consolidated_refresh", args=[period.pk])).status_code in (
            403,
            404,
        )
        assert client.get(f"/api/v1/reporting/periods/{period.pk}/consolidated").status_code in (403, 404)
    assert not Job.objects.filter(kind="reporting.consolidate").exists()
    assert not ConsolidatedSnapshot.objects.exists()


def test_the_refresh_is_post_only(period, signed_in, coordinator_sct):
    assert (
        signed_in(coordinator_sct)
        .get(reverse("reporting:consolidated_refresh", args=[period.pk]))
        .status_code
        == 405
    )


def test_exports_start_only_by_a_post_with_the_csrf_token(period, coordinator_sct, settings, tmp_path):
    from canhgiac.audit.models import AuditEvent

    settings.VAR_DIR = tmp_path
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_sct, backend="django.contrib.auth.backends.ModelBackend")
    urls = [
        reverse("reporting:export_period", args=[period.pk, "docx"]),
        reverse("reporting:export_window") + "?date_from=01/01/2026&date_to=31/03/2026&fmt=xlsx",
    ]
    events = AuditEvent.objects.count()
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200 and 'method="post"' in page.content.decode()
        assert "csrfmiddlewaretoken" in page.content.decode()
        assert client.post(url).status_code == 403  # no token: refused
    assert not Job.objects.exists() and AuditEvent.objects.count() == events
