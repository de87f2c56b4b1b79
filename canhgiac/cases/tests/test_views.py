import pytest

from canhgiac.cases import services
from canhgiac.cases.models import Case, Inspection
from canhgiac.core.models import Job

pytestmark = pytest.mark.django_db


def _form(units, **extra):
    data = {
        "lead_agency": "",
        "agency_ref": "QLTT-77",
        "detected_on": "2026-03-02",
        "unit": units[0].pk,
        "address": "Chợ trung tâm",
        "violation_type": "",
        "summary": "Bán sữa bột không rõ nguồn gốc",
        "status": "detected",
        "outcome": "",
        "fine_vnd": "0",
        "budget_revenue_vnd": "0",
        "defendants": "0",
        "visibility": "own",
        "goods-TOTAL_FORMS": "2",
        "goods-INITIAL_FORMS": "0",
        "goods-MIN_NUM_FORMS": "0",
        "goods-MAX_NUM_FORMS": "100",
        "goods-0-goods_category": "milk",
        "goods-0-description": "Sữa bột ngoại",
        "goods-0-quantity": "24",
        "goods-0-unit": "hộp",
        "goods-0-value_vnd": "9600000",
        "subjects-TOTAL_FORMS": "1",
        "subjects-INITIAL_FORMS": "0",
        "subjects-MIN_NUM_FORMS": "0",
        "subjects-MAX_NUM_FORMS": "100",
        "subjects-0-kind": "person",
        "subjects-0-name": "Võ Thị Hà",
        "subjects-0-identifier": "066199000123",
        "subjects-0-role": "seller",
    }
    data.update(extra)
    return data


def test_an_officer_records_a_case_with_goods_and_subjects_from_the_form(
    units, signed_in, officer_qltt, agency
):
    from canhgiac.directory.models import ViolationType

    client = signed_in(officer_qltt)
    assert client.get("/cases/new/").status_code == 200
    vt = ViolationType.objects.get(code="unknown_origin")
    response = client.post("/cases/new/", _form(units, lead_agency=agency("QLTT").pk, violation_type=vt.pk))
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["goods_fs"].errors,
        response.context["subjects_fs"].errors,
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert (case.goods.count(), case.subject_links.count(), case.goods_value_vnd) == (1, 1, 9_600_000)
    page = client.get(case.get_absolute_url()).content.decode()
    assert case.reference in page and "Võ Thị Hà" in page and "Sữa bột ngoại" in page


def test_the_form_shows_vietnamese_errors_naming_the_line(units, signed_in, officer_qltt, agency):
    from canhgiac.directory.models import ViolationType

    client = signed_in(officer_qltt)
    vt = ViolationType.objects.get(code="unknown_origin")
    response = client.post(
        "/cases/new/",
        _form(
            units,
            lead_agency=agency("QLTT").pk,
            violation_type=vt.pk,
            status="closed",
            **{"goods-0-value_vnd": "-3"},
        ),
    )
    assert response.status_code == 200 and Case.objects.count() == 0
    html = response.content.decode()
    assert "Trị giá (đồng): không được nhỏ hơn 0." in html
    response = client.post(
        "/cases/new/", _form(units, lead_agency=agency("QLTT").pk, violation_type=vt.pk, status="closed")
    )
    assert "Kết quả xử lý: bắt buộc khi vụ việc đã kết thúc." in response.content.decode()


def test_editing_a_case_keeps_its_lines_and_shows_history(make_case, signed_in, officer_qltt):
    case = make_case("QLTT", subjects=[{"kind": "person", "name": "Lê Văn Tám", "role": "owner"}])
    client = signed_in(officer_qltt)
    page = client.get(f"/cases/{case.pk}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: (value.pk if hasattr(value, "pk") else value)
        for name, value in form.initial.items()
        if not isinstance(value, list)
    }
    data.update(
        {
            "detected_on": "2026-03-10",
            "summary": "Đã sửa tóm tắt",
            "outcome": "administrative",
            "status": "closed",
            "fine_vnd": "3000000",
            "budget_revenue_vnd": "3000000",
            "defendants": "0",
            "decision_date": "",
        }
    )
    for prefix, fs in (("goods", page.context["goods_fs"]), ("subjects", page.context["subjects_fs"])):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(fs.initial)),
                f"{prefix}-INITIAL_FORMS": str(len(fs.initial)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "100",
            }
        )
        for i, row in enumerate(fs.initial):
            data.update({f"{prefix}-{i}-{k}": ("" if v is None else v) for k, v in row.items()})
    response = client.post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    assert (case.summary, case.outcome, case.goods.count(), case.subject_links.count()) == (
        "Đã sửa tóm tắt",
        "administrative",
        1,
        1,
    )
    history = client.get(case.get_absolute_url()).context["history"]
    assert {"Tạo vụ việc", "Sửa vụ việc"} <= {str(e["action"]) for e in history}
    update = next(e for e in history if str(e["action"]) == "Sửa vụ việc")
    assert "Tóm tắt vụ việc" in update["fields"] and "Kết quả xử lý" in update["fields"]


def test_another_agency_cannot_open_the_edit_page(make_case, signed_in, officer_ca):
    case = make_case("QLTT", visibility="all")
    assert signed_in(officer_ca).get(f"/cases/{case.pk}/edit/").status_code == 403


def test_the_list_filters_by_folded_text_and_goods_category(make_case, signed_in, coordinator_sct):
    a = make_case(
        "QLTT",
        summary="Thuốc lá điếu nhập lậu ở Buôn Đôn",
        goods=[{"goods_category": "alcohol_tobacco", "description": "Thuốc lá", "value_vnd": 1}],
    )
    b = make_case("CA", summary="Mỹ phẩm giả")
    client = signed_in(coordinator_sct)
    html = client.get("/cases/", {"q": "BUON DON"}).content.decode()
    assert a.reference in html and b.reference not in html
    html = client.get("/cases/", {"goods_category": "cosmetics"}).content.decode()
    assert b.reference in html and a.reference not in html
    html = client.get("/cases/", {"agency": "CA", "detected_from": "01/03/2026"}).content.decode()
    assert b.reference in html and a.reference not in html


def test_the_upload_page_runs_the_import_as_a_job_and_shows_errors(
    units, signed_in, officer_qltt, csv_bytes, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = signed_in(officer_qltt)
    assert client.get("/cases/import/").status_code == 200
    row = {
        "case_ref": "Q-1",
        "agency_code": "QLTT",
        "detected_on": "2026-01-05",
        "unit_code": units[0].code,
        "violation_type": "counterfeit",
        "summary": "Vụ nhập từ tệp",
    }
    bad = SimpleUploadedFile("bad.csv", csv_bytes([dict(row, detected_on="hôm qua")]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cases/import/", {"file": bad})
    job = Job.objects.get()
    assert str(job.pk) in response["Location"]
    assert job.status == "failed" and job.result["errors"][0]["line"] == 2
    page = client.get(response["Location"]).content.decode()
    assert "detected_on" in page and "không phải ngày" in page
    good = SimpleUploadedFile("good.csv", csv_bytes([row]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cases/import/", {"file": good})
    job = Job.objects.order_by("-created_at").first()
    assert job.status == "done" and Case.objects.get().agency_ref == "Q-1"
    # the uploaded files are gone once the jobs ended, and the result page links onward
    assert not list((tmp_path / "imports").iterdir())
    assert job.upload and job.result["url"] == "/cases/"
    assert 'href="/cases/"' in client.get(f"/jobs/{job.pk}/").content.decode()


def test_the_import_template_can_be_downloaded_and_imports_as_it_is(signed_in, officer_qltt):
    from canhgiac.cases import imports

    response = signed_in(officer_qltt).get("/cases/import/template.csv")
    text = response.content.decode("utf-8").lstrip("\ufeff")
    assert text.startswith("case_ref,agency_code,detected_on")
    result = imports.import_cases(text.encode(), "mau.csv", user=officer_qltt)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 1


def test_the_import_page_offers_the_list_of_codes(signed_in, officer_qltt, units):
    client = signed_in(officer_qltt)
    assert "/cases/import/codes.csv" in client.get("/cases/import/").content.decode()
    rows = client.get("/cases/import/codes.csv").content.decode("utf-8").splitlines()
    assert f"unit_code,{units[0].code},{units[0].name}" in rows
    assert any(r.startswith("violation_type,counterfeit,") for r in rows)
    assert any(r.startswith("goods_category,cosmetics,") for r in rows)
    assert any(r.startswith("handling,administrative,") for r in rows)


def test_inspection_pages_warn_of_another_agencys_inspection(
    signed_in, officer_qltt, make_user, agency, units
):
    officer_syt = make_user("officer_syt", "SYT", "officer")
    import datetime as dt

    services.save_inspection(
        officer_syt,
        {
            "agency": agency("SYT"),
            "business_name": "Nhà thuốc An Khang",
            "business_tax_code": "6000000001",
            "planned_on": dt.date(2026, 2, 1),
            "status": "planned",
        },
    )
    client = signed_in(officer_qltt)
    response = client.post(
        "/cases/inspections/new/",
        {
            "agency": agency("QLTT").pk,
            "business_name": "Nhà thuốc An Khang",
            "business_tax_code": "6000000001",
            "planned_on": "2026-05-01",
            "status": "planned",
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cảnh báo trùng lặp" in html and agency("SYT").name in html
    assert Inspection.objects.count() == 2
    listing = client.get("/cases/inspections/").content.decode()
    assert listing.count("Nhà thuốc An Khang") == 1  # the other agency's inspection is not listed


def test_a_coordinator_publishes_a_warning_that_the_public_page_shows(
    make_case, signed_in, coordinator_sct, client
):
    case = make_case(
        "QLTT",
        outcome="administrative",
        subjects=[
            {"kind": "person", "name": "Đinh Văn Khoa", "identifier": "066111222333", "role": "seller"}
        ],
    )
    staff = signed_in(coordinator_sct)
    page = staff.get(f"/cases/warnings/new/?case={case.pk}")
    assert page.status_code == 200
    initial = page.context["form"].initial
    response = staff.post(
        f"/cases/warnings/new/?case={case.pk}",
        {"title": initial["title"], "body": initial["body"], "publish": "on"},
    )
    assert response.status_code == 302
    staff.logout()
    public = client.get("/cases/warnings/", follow=True)
    assert public.redirect_chain == [("/canh-bao/", 301)] and public.status_code == 200
    html = public.content.decode()
    assert initial["title"] in html and "Đinh Văn Khoa" not in html and "066111222333" not in html


def test_officers_cannot_manage_warnings(signed_in, officer_qltt):
    assert signed_in(officer_qltt).get("/cases/warnings/manage/").status_code == 403


def test_the_portal_links_to_the_public_warnings(client):
    assert "/canh-bao/" in client.get("/").content.decode()


def test_the_home_page_shows_real_case_figures(make_case, signed_in, officer_qltt):
    from django.utils import timezone

    today = timezone.localdate()
    make_case("QLTT", detected_on=today.replace(month=1, day=1))
    make_case("CA", detected_on=today.replace(month=1, day=1))  # not visible to QLTT
    from canhgiac.cases.cards import case_cards

    cards = case_cards(officer_qltt)
    assert cards[0].value == 1


def test_the_api_creates_and_updates_a_case_with_field_errors(units, signed_in, officer_qltt):
    client = signed_in(officer_qltt)
    payload = {
        "lead_agency_code": "QLTT",
        "detected_on": "2026-03-01",
        "unit_code": units[0].code,
        "violation_type": "counterfeit",
        "summary": "Qua API",
        "goods": [{"goods_category": "drugs", "description": "Thuốc giả", "value_vnd": 500000}],
    }
    response = client.post("/api/v1/cases/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    case_id = response.json()["id"]
    assert response.json()["goods_value_vnd"] == 500000
    response = client.patch(
        f"/api/v1/cases/{case_id}", {"outcome": "criminal", "defendants": 2}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["defendants"] == 2
    response = client.post(
        "/api/v1/cases/", dict(payload, unit_code="nope", summary=""), content_type="application/json"
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"unit_code", "summary"}
    listing = client.get("/api/v1/cases/", {"violation_type": "counterfeit", "page_size": 1}).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == case_id


def test_the_api_list_rejects_a_bad_filter(signed_in, officer_qltt):
    response = signed_in(officer_qltt).get("/api/v1/cases/", {"detected_from": "not-a-date"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "detected_from"


def test_the_list_pages_without_counting_the_whole_register(make_case, signed_in, coordinator_sct):
    cases = [make_case("QLTT") for _ in range(30)]
    client = signed_in(coordinator_sct)
    first = client.get("/cases/")
    html = first.content.decode()
    assert "30 vụ việc" in html and "Trang 1" in html and "page=2" in html
    assert sum(c.reference in html for c in cases) == 25
    second = client.get("/cases/", {"page": 2}).content.decode()
    assert sum(c.reference in second for c in cases) == 5 and "page=3" not in second


def test_the_figures_page_shows_the_users_figures_against_last_year(make_case, signed_in, officer_qltt):
    make_case("QLTT", detected_on="2026-02-01", fine_vnd=2_000_000, outcome="administrative")
    make_case("QLTT", detected_on="2025-02-01")
    make_case("CA", detected_on="2026-02-01")  # not visible to QLTT
    response = signed_in(officer_qltt).get(
        "/cases/figures/", {"date_from": "01/01/2026", "date_to": "2026-06-30"}
    )
    rows = {str(r["label"]): r for r in response.context["result"]["rows"]}
    assert (rows["Số vụ việc"]["now"], rows["Số vụ việc"]["last"], rows["Số vụ việc"]["change"]) == (
        1,
        1,
        0.0,
    )
    assert rows["Tiền phạt (đồng)"]["now"] == 2_000_000
    assert "2.000.000" in response.content.decode()
    bad = signed_in(officer_qltt).get("/cases/figures/", {"date_from": "2026-06-30", "date_to": "2026-01-01"})
    assert bad.context["result"] is None and "Đến ngày phải không trước" in bad.content.decode()


def test_the_api_accepts_a_numeric_quantity(units, signed_in, officer_qltt):
    payload = {
        "lead_agency_code": "QLTT",
        "detected_on": "2026-03-01",
        "unit_code": units[0].code,
        "violation_type": "smuggling",
        "summary": "Thuốc lá lậu",
        "goods": [
            {
                "goods_category": "alcohol_tobacco",
                "description": "Thuốc lá",
                "quantity": 1500.5,
                "unit": "bao",
                "value_vnd": 37500000,
            }
        ],
    }
    response = signed_in(officer_qltt).post("/api/v1/cases/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["goods"][0]["quantity"] == "1500.500"
