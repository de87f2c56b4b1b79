"""Case exports: in the import's columns (a file goes round), large ones as jobs with progress,
the file downloadable by the user who asked only."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from canhgiac.cases import exports, imports
from canhgiac.cases.models import Case
from canhgiac.core import jobs as core_jobs
from canhgiac.core.models import Job

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def rich_case(make_case, units):
    return make_case(
        "QLTT",
        agency_ref="QLTT-XK-1",
        summary="Vụ có hai dòng hàng, đã xử phạt",
        status="closed",
        outcome="administrative",
        decision_no="12/QĐ-XPHC",
        fine_vnd=25_000_000,
        budget_revenue_vnd=30_000_000,
        goods=[
            {
                "goods_category": "cosmetics",
                "description": "Son môi giả",
                "quantity": "1,5",
                "unit": "kg",
                "value_vnd": 2_000_000,
            },
            {
                "goods_category": "cosmetics",
                "description": "Kem dưỡng",
                "quantity": "10",
                "unit": "hộp",
                "value_vnd": 500_000,
            },
        ],
    )


def test_the_csv_export_has_the_import_columns_and_goes_round(rich_case, signed_in, officer_qltt):
    response = signed_in(officer_qltt).post("/cases/export.csv")
    assert response.streaming and "no-store" in response["Cache-Control"]
    data = _body(response)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(exports.PLAIN_COLUMNS)  # the import's columns but subject_id
    cols = exports.PLAIN_COLUMNS
    mine = [r for r in rows[1:] if r[0] == "QLTT-XK-1"]
    assert [r[cols.index("goods_description")] for r in mine] == ["Son môi giả", "Kem dưỡng"]
    assert mine[0][cols.index("quantity")] == "1,5"
    assert mine[0][cols.index("handling")] == "administrative"
    # back in: the same case, nothing changed
    result = imports.import_cases(data, "vu-viec.csv", user=officer_qltt)
    assert result.ok, result.errors
    assert (result.unchanged, result.created, result.updated) == (result.cases, 0, 0)
    # edited and back in: the change is applied to the same case
    edited = data.decode("utf-8-sig").replace("Son môi giả", "Son môi giả nhãn Dior")
    result = imports.import_cases(edited.encode(), "vu-viec.csv", user=officer_qltt)
    assert result.ok and result.updated == 1
    assert rich_case.goods.order_by("id").first().description == "Son môi giả nhãn Dior"
    assert Case.objects.filter(agency_ref="QLTT-XK-1").count() == 1


def test_the_xlsx_export_is_a_job_with_real_dates_and_goes_round(
    rich_case, signed_in, officer_qltt, export_download
):
    job, page, download = export_download(signed_in(officer_qltt), "/cases/export.xlsx")
    assert job.status == Job.Status.DONE and job.owner == officer_qltt and job.done == job.total == 1
    html = page.content.decode()
    assert "Hoàn thành" in html and job.result["url"] in html and "Tải tệp" in html
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert "spreadsheetml" in download["Content-Type"]
    data = _body(download)
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    assert header == list(exports.PLAIN_COLUMNS)
    detected = sheet.cell(row=2, column=header.index("detected_on") + 1)
    assert detected.value.date() == dt.date(2026, 3, 10) and detected.number_format == "DD/MM/YYYY"
    result = imports.import_cases(data, "vu-viec.xlsx", user=officer_qltt)
    assert result.ok and result.unchanged == 1, result.errors


def test_a_large_csv_is_written_by_a_job_in_chunks_with_progress(
    make_case, signed_in, officer_qltt, export_download, monkeypatch
):
    for _i in range(7):
        make_case("QLTT")
    monkeypatch.setattr("canhgiac.cases.views.CSV_STREAM_ROWS", 3)
    monkeypatch.setattr(exports, "CHUNK", 2)
    seen = []
    update = core_jobs.update_job

    def watch(job_id, **fields):  # the real update, then what a polling page would read
        update(job_id, **fields)
        job = Job.objects.get(pk=job_id)
        seen.append((job.status, job.done, job.total))

    monkeypatch.setattr(core_jobs, "update_job", watch)
    monkeypatch.setattr("canhgiac.core.exports.time.monotonic", iter(range(0, 1000, 10)).__next__)
    job, _page, download = export_download(signed_in(officer_qltt), "/cases/export.csv")
    assert any(s == "running" and 0 < d < t == 7 for s, d, t in seen), seen
    assert job.status == "done" and job.done == job.total == 7
    rows = list(csv.reader(io.StringIO(_body(download).decode("utf-8-sig"))))
    assert len(rows) == 8 and rows[0] == list(exports.PLAIN_COLUMNS)


def test_only_the_user_who_asked_can_download_the_file(
    rich_case, signed_in, officer_qltt, leader_qltt, admin_user, client, export_download
):
    job, _page, download = export_download(signed_in(officer_qltt), "/cases/export.xlsx")
    assert download.status_code == 200
    url = job.result["url"]
    assert signed_in(leader_qltt).get(url).status_code == 403  # same agency, not the owner
    assert signed_in(admin_user).get(url).status_code == 403  # not even an administrator
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_a_user_without_the_export_right_cannot_start_an_export(signed_in, viewer_syt, make_user):
    outsider = make_user("khach")
    assert signed_in(outsider).get("/cases/export.xlsx").status_code == 403
    assert not Job.objects.exists()


# --- identification numbers: out by default, "kèm số định danh" for those who answer for the case


PERSON = {"kind": "person", "name": "Trần Văn Bình", "identifier": "066090001234", "role": "seller"}
COMPANY = {
    "kind": "organisation",
    "name": "Công ty TNHH Mỹ Phẩm Sao",
    "identifier": "6001234567",
    "role": "owner",
}


@pytest.fixture
def case_with_subjects(make_case):
    return make_case("QLTT", agency_ref="QLTT-DD-1", subjects=[PERSON, COMPANY])


def _csv(response):
    return list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))


def test_the_default_export_leaves_identification_numbers_out(case_with_subjects, signed_in, leader_qltt):
    from canhgiac.audit.models import AuditEvent

    response = signed_in(leader_qltt).post("/cases/export.csv")
    data = _body(response).decode("utf-8-sig")
    assert "subject_id" not in data.splitlines()[0]
    assert PERSON["identifier"] not in data and COMPANY["identifier"] not in data
    assert "Trần Văn Bình" in data  # the names stay
    event = AuditEvent.objects.get(action="cases.export")
    assert event.changes["identifiers"] is False
    assert not AuditEvent.objects.filter(action="cases.case.identifiers_exported").exists()


def test_a_leader_exports_with_numbers_audited_and_the_file_goes_round(
    case_with_subjects, signed_in, leader_qltt, export_download
):
    from canhgiac.audit.models import AuditEvent

    client = signed_in(leader_qltt)
    page = client.get("/cases/").content.decode()
    assert 'data-testid="export-csv-ids"' in page
    rows = _csv(client.post("/cases/export.csv?identifiers=1"))
    assert rows[0] == list(imports.COLUMNS)
    ids = {r[imports.COLUMNS.index("subject_id")] for r in rows[1:] if r[0] == "QLTT-DD-1"}
    assert ids == {PERSON["identifier"], COMPANY["identifier"]}
    event = AuditEvent.objects.get(action="cases.case.identifiers_exported")
    assert event.object_id == str(case_with_subjects.pk) and event.actor == leader_qltt
    assert AuditEvent.objects.get(action="cases.export").changes["identifiers"] is True
    # Round trip: the file goes back in and changes nothing (subjects matched on their numbers).
    data = "\n".join(",".join(f'"{v}"' for v in r) for r in rows).encode()
    result = imports.import_cases(data, "vu-viec.csv", user=leader_qltt)
    assert result.ok, result.errors
    assert (result.unchanged, result.created, result.updated) == (result.cases, 0, 0)
    # The XLSX job too, and it is audited the same way.
    job, _page, download = export_download(client, "/cases/export.xlsx", {"identifiers": "1"})
    xlsx = _body(download)
    sheet = load_workbook(io.BytesIO(xlsx)).active
    header = [c.value for c in sheet[1]]
    assert "subject_id" in header and "kèm số định danh" in job.title
    assert AuditEvent.objects.filter(action="cases.case.identifiers_exported").count() == 2
    result = imports.import_cases(xlsx, "vu-viec.xlsx", user=leader_qltt)
    assert result.ok and result.unchanged == result.cases, result.errors


def test_officers_may_not_export_numbers_and_other_agencies_get_none(
    case_with_subjects, signed_in, officer_qltt, make_user
):
    from canhgiac.audit.models import AuditEvent
    from canhgiac.core import policy

    client = signed_in(officer_qltt)
    assert 'data-testid="export-csv-ids"' not in client.get("/cases/").content.decode()
    assert client.post("/cases/export.csv?identifiers=1").status_code == 403
    assert client.get("/cases/export.xlsx", {"identifiers": "1"}).status_code == 403
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="cases.case.identifiers").exists()
    # A leader of another agency that sees the case (shared with all) gets the row, not the numbers.
    Case.objects.filter(pk=case_with_subjects.pk).update(sensitive=False, visibility=Case.Visibility.ALL)
    leader_ca = make_user("leader_ca", "CA", policy.LEADER)
    rows = _csv(signed_in(leader_ca).post("/cases/export.csv?identifiers=1"))
    mine = [r for r in rows[1:] if r[0] == "QLTT-DD-1"]
    assert mine and {r[imports.COLUMNS.index("subject_id")] for r in mine} == {""}
    assert not AuditEvent.objects.filter(action="cases.case.identifiers_exported").exists()
