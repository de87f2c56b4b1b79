import datetime as dt
import json

import pytest

from canhgiac.reporting import services
from canhgiac.reporting.tests.conftest import NARRATIVE

API = "/api/v1/reporting"


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def period(make_period, fixed_figures):
    return make_period(codes=("QLTT", "CA"), commune=False)


def test_full_workflow_through_the_api(period, signed_in, officer_qltt, leader_qltt, coordinator_sct, client):
    c = signed_in(officer_qltt)
    r = post(c, f"{API}/periods/{period.pk}/submissions", {"agency": "QLTT"})
    assert r.status_code == 201, r.content
    sub = r.json()
    assert sub["prefill"]["cases"] == 10 and sub["prefill"]["commitments_signed"] is None
    values = {k: (v if v is not None else 0) for k, v in sub["prefill"].items()}
    r = c.put(
        f"{API}/submissions/{sub['id']}",
        json.dumps({"values": values, "breakdown": sub["breakdown"], "narrative": NARRATIVE}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["errors"] == []
    assert post(c, f"{API}/submissions/{sub['id']}/submit").json()["status"] == "submitted"
    assert post(c, f"{API}/submissions/{sub['id']}/approve").status_code == 403
    c.logout()
    c = signed_in(leader_qltt)
    assert post(c, f"{API}/submissions/{sub['id']}/approve").json()["status"] == "approved"
    c.logout()
    c = signed_in(coordinator_sct)
    r = post(c, f"{API}/submissions/{sub['id']}/return", {"comment": ""})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "comment"
    assert post(c, f"{API}/submissions/{sub['id']}/accept").json()["status"] == "accepted"
    board = c.get(f"{API}/periods/{period.pk}/board").json()
    assert board["totals"]["reported"] == 1 and board["totals"]["expected"] == 2
    figures = c.get(f"{API}/periods/{period.pk}/consolidated").json()
    assert {r["code"]: r["value"] for r in figures["reported"]}["cases"] == 10
    assert "same_period_last_year" in figures["reported"][0] and "change_pct" in figures["reported"][0]


def test_invalid_figures_get_field_errors_not_a_500(period, signed_in, officer_qltt):
    c = signed_in(officer_qltt)
    sub = post(c, f"{API}/periods/{period.pk}/submissions", {"agency": "QLTT"}).json()
    r = c.put(
        f"{API}/submissions/{sub['id']}",
        json.dumps({"values": {"cases": -1}}),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "values.cases", "message": "Số vụ việc phát hiện, xử lý: không được âm."}
    ]
    r = post(c, f"{API}/submissions/{sub['id']}/submit")
    assert r.status_code == 422 and any(e["field"] == "narrative.situation" for e in r.json()["errors"])


def test_other_agency_cannot_see_the_submission(period, signed_in, officer_qltt, officer_ca):
    c = signed_in(officer_qltt)
    sub = post(c, f"{API}/periods/{period.pk}/submissions", {"agency": "QLTT"}).json()
    c.logout()
    c = signed_in(officer_ca)
    assert c.get(f"{API}/submissions/{sub['id']}").status_code == 404
    assert post(c, f"{API}/periods/{period.pk}/submissions", {"agency": "QLTT"}).status_code == 403


def test_coordinator_creates_a_period_with_decree_09_defaults(signed_in, coordinator_sct, officer_qltt):
    c = signed_in(coordinator_sct)
    r = post(
        c, f"{API}/periods", {"kind": "quarterly", "year": 2027, "number": 1, "submitters": ["QLTT", "CA"]}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["name"], body["data_from"], body["data_to"]) == ("Quý I/2027", "2026-12-15", "2027-03-14")
    r = post(
        c,
        f"{API}/periods",
        {
            "kind": "monthly",
            "name": "x",
            "data_from": "2027-01-10",
            "data_to": "2027-01-01",
            "deadline": "2027-01-20",
            "office_deadline": "2027-01-25",
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "data_to"
    r = post(c, f"{API}/periods", {"kind": "quarterly", "year": 2027, "submitters": ["NOPE"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "submitters"
    c.logout()
    assert (
        post(signed_in(officer_qltt), f"{API}/periods", {"kind": "yearly", "year": 2027}).status_code == 403
    )


def test_window_figures_for_coordinators_only(signed_in, coordinator_sct, officer_qltt, fixed_figures):
    c = signed_in(coordinator_sct)
    r = c.get(f"{API}/consolidated", {"date_from": "2026-01-01", "date_to": "2026-06-30"})
    assert r.status_code == 200 and {x["code"]: x["value"] for x in r.json()["system"]}["cases"] == 15
    assert (
        c.get(f"{API}/consolidated", {"date_from": "2026-06-01", "date_to": "2026-01-01"}).status_code == 422
    )
    c.logout()
    assert (
        signed_in(officer_qltt)
        .get(f"{API}/consolidated", {"date_from": "2026-01-01", "date_to": "2026-06-30"})
        .status_code
        == 403
    )


def test_periods_list_is_scoped(make_period, signed_in, officer_ca, commune_officer, fixed_figures):
    make_period(codes=("QLTT",), commune=False, name="Chỉ QLTT")
    make_period(
        codes=("CA",), commune=True, name="CA và xã", deadline=services.today() + dt.timedelta(days=20)
    )
    names = {p["name"] for p in signed_in(officer_ca).get(f"{API}/periods").json()}
    assert names == {"CA và xã"}


def test_openapi_document_lists_the_reporting_endpoints(signed_in, officer_qltt):
    paths = signed_in(officer_qltt).get("/api/v1/openapi.json").json()["paths"]
    assert f"{API}/submissions/{{pk}}/accept" in paths and f"{API}/periods/{{pk}}/consolidated" in paths


def test_exceptions_through_the_api(make_period, signed_in, coordinator_sct, leader_qltt, fixed_figures):
    period = make_period(deadline=services.today() - dt.timedelta(days=30), expiry_days=5)
    c = signed_in(coordinator_sct)
    r = post(
        c,
        f"{API}/periods/{period.pk}/exceptions",
        {"agency": "QLTT", "until": str(services.today()), "reason": "Đổi cán bộ đầu mối."},
    )
    assert r.status_code == 201 and r.json()["agency"] == "QLTT"
    r = post(
        c, f"{API}/periods/{period.pk}/exceptions", {"agency": "QLTT", "until": "2020-01-01", "reason": ""}
    )
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"until", "reason"}
    c.logout()
    c = signed_in(leader_qltt)
    assert (
        post(
            c,
            f"{API}/periods/{period.pk}/exceptions",
            {"agency": "QLTT", "until": str(services.today()), "reason": "x"},
        ).status_code
        == 403
    )
