"""Report exports through the API are background jobs: 202 with the job's id and status URL, the
status (`GET /api/v1/jobs/{id}`) and the file for the job's owner only, audited and never cached."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from canhgiac.audit.models import AuditEvent
from canhgiac.core.models import Job
from canhgiac.reporting import services

API = "/api/v1/reporting"


@pytest.fixture
def period(make_period, fixed_figures):
    return make_period(codes=("QLTT", "CA"), commune=False, deadline=services.today() - dt.timedelta(days=3))


@pytest.fixture
def api_export(settings, tmp_path, django_capture_on_commit_callbacks):
    """api_export(client, url, params) -> the 202 answer; the job runs inline (as tasks do in tests)."""
    settings.VAR_DIR = tmp_path

    def run(client, url, params=None):
        query = "&".join(f"{k}={v}" for k, v in (params or {}).items())
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{url}?{query}" if query else url)

    return run


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_period_export_answers_202_then_the_status_then_the_file(
    period, signed_in, coordinator_sct, api_export
):
    c = signed_in(coordinator_sct)
    r = api_export(c, f"{API}/periods/{period.pk}/export", {"format": "xlsx"})
    assert r.status_code == 202, r.content
    started = r.json()
    assert started["url"] == f"/api/v1/jobs/{started['id']}" and r["Location"] == started["url"]
    status = c.get(started["url"]).json()
    assert status["status"] == "done" and status["percent"] == 100
    assert status["kind"] == "export.reporting.xlsx" and status["filename"].endswith(".xlsx")
    assert status["download_url"] == started["url"] + "/download"
    assert status["expires_at"] is not None
    download = c.get(status["download_url"])
    assert download.status_code == 200 and "spreadsheetml" in download["Content-Type"]
    assert download["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(_body(download)))["Tổng hợp"]
    assert "Báo cáo tổng hợp" in sheet["A1"].value
    assert AuditEvent.objects.filter(action="reporting.exported", object_id=str(period.pk)).count() == 1
    event = AuditEvent.objects.get(action="core.export_downloaded")
    assert event.object_id == started["id"] and event.actor == coordinator_sct


def test_a_window_export_through_the_api_is_a_docx_job(signed_in, coordinator_sct, fixed_figures, api_export):
    c = signed_in(coordinator_sct)
    r = api_export(c, f"{API}/export", {"date_from": "2026-01-01", "date_to": "2026-03-31"})
    assert r.status_code == 202
    status = c.get(r.json()["url"]).json()
    assert status["status"] == "done"
    doc = Document(io.BytesIO(_body(c.get(status["download_url"]))))
    assert any("BÁO CÁO" in p.text for p in doc.paragraphs)


def test_bad_parameters_and_missing_rights_are_refused_at_once_without_a_job(
    period, signed_in, coordinator_sct, leader_qltt, client, api_export
):
    c = signed_in(coordinator_sct)
    r = api_export(c, f"{API}/periods/{period.pk}/export", {"format": "pdf"})
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "format", "message": "Chỉ xuất được DOCX hoặc XLSX."}
    ]
    r = api_export(c, f"{API}/export", {"date_from": "2026-03-31", "date_to": "2026-01-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "date_to"
    assert api_export(c, f"{API}/periods/999999/export").status_code == 404
    c.logout()
    assert api_export(signed_in(leader_qltt), f"{API}/periods/{period.pk}/export").status_code == 403
    assert (
        api_export(
            signed_in(leader_qltt), f"{API}/export", {"date_from": "2026-01-01", "date_to": "2026-03-31"}
        ).status_code
        == 403
    )
    client.logout()
    assert api_export(client, f"{API}/periods/{period.pk}/export").status_code == 401
    assert not Job.objects.exists()


def test_the_status_and_the_file_are_the_owners_only(
    period, signed_in, coordinator_sct, make_user, admin_user, client, api_export
):
    from canhgiac.core import policy

    started = api_export(signed_in(coordinator_sct), f"{API}/periods/{period.pk}/export").json()
    url = started["url"]
    colleague = make_user("coordinator_sct_2", "SCT", policy.COORDINATOR)
    for other in (colleague, admin_user):  # same agency, same rights; the province's administrator
        c = signed_in(other)
        assert c.get(url).status_code == 404
        assert c.get(url + "/download").status_code == 404
    client.logout()
    assert client.get(url).status_code == 401
    assert client.get(url + "/download").status_code == 401
    assert not AuditEvent.objects.filter(action="core.export_downloaded").exists()


def test_a_job_in_progress_has_no_download_yet(signed_in, officer_qltt):
    from canhgiac.core import jobs

    job = jobs.create_job("export.reporting.docx", "Báo cáo", owner=officer_qltt)
    jobs.start_job(job.pk)
    jobs.update_job(job.pk, done=3, total=12, message="Bước 1/4: đang tổng hợp số liệu…")
    c = signed_in(officer_qltt)
    status = c.get(f"/api/v1/jobs/{job.pk}").json()
    assert (status["status"], status["percent"], status["download_url"]) == ("running", 25, None)
    assert status["message"].startswith("Bước 1/4")
    assert c.get(f"/api/v1/jobs/{job.pk}/download").status_code == 404


def test_the_openapi_document_declares_the_202_and_the_4xx_answers(signed_in, officer_qltt):
    # the document is for signed-in staff (docs/security.md)
    schema = signed_in(officer_qltt).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (f"{API}/periods/{{pk}}/export", f"{API}/export"):
        answers = paths[path]["post"]["responses"]
        assert {"202", "401", "403", "404", "422"} <= set(answers)
        assert answers["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/JobStarted")
        assert "download_url" in answers["202"]["description"]
        fmt = next(p for p in paths[path]["post"]["parameters"] if p["name"] == "format")
        assert "`docx` hoặc `xlsx`" in fmt["description"]
    assert {"id", "status", "url"} <= set(schema["components"]["schemas"]["JobStarted"]["properties"])
    assert {"200", "401", "404"} <= set(paths["/api/v1/jobs/{job_id}"]["get"]["responses"])
    assert {"200", "401", "404"} <= set(paths["/api/v1/jobs/{job_id}/download"]["get"]["responses"])
