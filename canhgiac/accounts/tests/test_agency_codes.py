"""The API takes, wherever it asks for an agency, the code `GET /api/v1/accounts/me` shows."""

import pytest
from django.test import Client

from canhgiac.accounts import services as accounts
from canhgiac.core import policy

pytestmark = pytest.mark.django_db


def _api(user):
    _token, raw = accounts.issue_token(user, "kiểm thử")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _case(unit_code, agency_code):
    return {
        "lead_agency_code": agency_code,
        "detected_on": "2026-03-10",
        "unit_code": unit_code,
        "violation_type": "counterfeit",
        "summary": "Vụ ghi qua API",
    }


@pytest.mark.parametrize("codename", ["dak_lak", "lang_son"])
def test_the_code_me_shows_is_the_code_the_cases_api_takes(codename, settings, make_user):
    from canhgiac.directory import services as directory

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    province = (
        directory.setup_province("lang_son") if codename == "lang_son" else accounts.province_for("dak_lak")
    )
    agency = accounts.agency_for_code("QLTT", province)
    officer = make_user(f"officer_qltt_{codename}", agency.key, policy.OFFICER)
    client = _api(officer)
    memberships = client.get("/api/v1/accounts/me").json()["memberships"]
    assert memberships == [{"agency": agency.code, "province": codename, "role": "officer"}]
    unit = directory.units(codename).first()
    response = client.post(
        "/api/v1/cases/", _case(unit.code, memberships[0]["agency"]), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["lead_agency"] == agency.code
    # the short code is read within the user's own province
    response = client.post("/api/v1/cases/", _case(unit.code, "QLTT"), content_type="application/json")
    assert response.status_code == 201 and response.json()["lead_agency"] == agency.code


def test_an_unknown_code_is_a_422_naming_the_field(officer_qltt):
    from canhgiac.directory import services as directory

    unit = directory.units("dak_lak").first()
    response = _api(officer_qltt).post(
        "/api/v1/cases/", _case(unit.code, "KHONGCO"), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lead_agency_code"


def test_agency_for_code_reads_short_codes_and_communes(agency, commune_agency):
    dak_lak = accounts.province_for("dak_lak")
    assert accounts.agency_for_code(" qltt ", dak_lak) == agency("QLTT")
    assert accounts.agency_for_code(commune_agency.code.lower(), dak_lak) == commune_agency
    assert accounts.agency_for_code("QLTT") == agency("QLTT")  # one province loaded
    assert accounts.agency_for_code("", dak_lak) is None and accounts.agency_for_code("XYZ", dak_lak) is None
