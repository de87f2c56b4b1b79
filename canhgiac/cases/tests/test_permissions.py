"""Another agency's unshared or sensitive case is invisible in lists, detail, API, export and figures."""

import datetime as dt

import pytest

from canhgiac.cases import services
from canhgiac.cases.models import Case
from canhgiac.core.policy import can, visible_to

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def qltt_cases(make_case):
    return {
        "own": make_case("QLTT", summary="Vụ riêng QLTT"),
        "shared_ca": make_case(
            "QLTT", summary="Vụ chia sẻ cho Công an", visibility="shared", shared_with=["CA"]
        ),
        "shared_syt": make_case(
            "QLTT", summary="Vụ chia sẻ cho Sở Y tế", visibility="shared", shared_with=["SYT"]
        ),
        "all": make_case("QLTT", summary="Vụ chia sẻ tất cả", visibility="all"),
        "sensitive": make_case("QLTT", summary="Vụ nhạy cảm", visibility="all", sensitive=True),
        "joined": make_case("QLTT", summary="Vụ Công an phối hợp", participating=["CA"]),
        "joined_sensitive": make_case(
            "QLTT", summary="Vụ phối hợp nhạy cảm", participating=["CA"], sensitive=True
        ),
    }


def _visible_keys(user, cases):
    seen = set(visible_to(user, Case.objects.all()).values_list("pk", flat=True))
    return {k for k, c in cases.items() if c.pk in seen}


def test_officer_sees_own_shared_and_joined_cases_but_not_unshared_or_sensitive(qltt_cases, officer_ca):
    assert _visible_keys(officer_ca, qltt_cases) == {"shared_ca", "all", "joined"}


def test_owning_agency_and_coordinator_see_everything_including_sensitive(
    qltt_cases, officer_qltt, coordinator_sct
):
    assert _visible_keys(officer_qltt, qltt_cases) == set(qltt_cases)
    assert _visible_keys(coordinator_sct, qltt_cases) == set(qltt_cases)


def test_commune_officer_sees_their_commune_agencys_cases(make_case, commune_officer, commune_agency):
    mine = make_case(commune_agency.code, unit_code=commune_agency.unit.code)
    other = make_case("QLTT", unit_code=commune_agency.unit.code)
    seen = set(visible_to(commune_officer, Case.objects.all()).values_list("pk", flat=True))
    assert mine.pk in seen and other.pk not in seen
    assert can(commune_officer, "change", mine) and not can(commune_officer, "change", other)


def test_user_without_agency_sees_nothing(qltt_cases, make_user):
    assert _visible_keys(make_user("nobody"), qltt_cases) == set()


def test_only_the_lead_agencys_officers_may_change_a_shared_case(
    qltt_cases, officer_ca, officer_qltt, viewer_syt
):
    assert not can(officer_ca, "change", qltt_cases["shared_ca"])
    assert can(officer_qltt, "change", qltt_cases["shared_ca"])
    assert not can(viewer_syt, "change", qltt_cases["shared_syt"])
    assert can(viewer_syt, "view", qltt_cases["shared_syt"])


def test_the_list_page_hides_other_agencys_unshared_and_sensitive_cases(qltt_cases, signed_in, officer_ca):
    html = signed_in(officer_ca).get("/cases/").content.decode()
    for key, case in qltt_cases.items():
        assert (case.reference in html) == (key in {"shared_ca", "all", "joined"}), key


def test_the_detail_page_of_an_invisible_case_is_not_found(qltt_cases, signed_in, officer_ca):
    client = signed_in(officer_ca)
    assert client.get(qltt_cases["own"].get_absolute_url()).status_code == 404
    assert client.get(qltt_cases["sensitive"].get_absolute_url()).status_code == 404
    assert client.get(qltt_cases["all"].get_absolute_url()).status_code == 200


def test_the_api_list_and_detail_hide_invisible_cases(qltt_cases, signed_in, officer_ca):
    client = signed_in(officer_ca)
    refs = {row["reference"] for row in client.get("/api/v1/cases/").json()["results"]}
    assert refs == {qltt_cases[k].reference for k in ("shared_ca", "all", "joined")}
    assert client.get(f"/api/v1/cases/{qltt_cases['sensitive'].pk}").status_code == 404
    assert (
        client.patch(
            f"/api/v1/cases/{qltt_cases['own'].pk}", {"summary": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/cases/{qltt_cases['all'].pk}", {"summary": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_the_export_contains_only_visible_cases_and_is_audited(qltt_cases, signed_in, officer_ca):
    from canhgiac.audit.models import AuditEvent

    response = signed_in(officer_ca).post("/cases/export.csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    for key, case in qltt_cases.items():
        assert (case.reference in body) == (key in {"shared_ca", "all", "joined"}), key
    event = AuditEvent.objects.filter(action="cases.export").latest("id")
    assert event.actor_label == "officer_ca" and event.changes["rows"] == 3


def test_the_xlsx_export_is_filtered_too(qltt_cases, signed_in, officer_ca, export_download):
    import io

    from openpyxl import load_workbook

    _job, _page, response = export_download(
        signed_in(officer_ca), "/cases/export.xlsx", {"q": "chia se tat ca"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert refs == [qltt_cases["all"].reference]


def test_figures_by_agency_count_only_what_the_user_sees(qltt_cases, officer_ca, coordinator_sct):
    assert services.summary(officer_ca, *YEAR, agency_code="QLTT")["totals"]["cases"] == 3
    assert services.summary(officer_ca, *YEAR)["totals"]["cases_by_agency"] == {"QLTT": 3}
    assert services.summary(coordinator_sct, *YEAR, agency_code="QLTT")["totals"]["cases"] == 7
    assert services.summary(None, *YEAR)["totals"]["cases"] == 7


def test_the_summary_api_counts_only_visible_cases(qltt_cases, signed_in, officer_ca):
    response = signed_in(officer_ca).get(
        "/api/v1/cases/summary", {"from": "2026-01-01", "to": "2026-12-31", "agency": "QLTT"}
    )
    assert response.json()["totals"]["cases"] == 3


def test_anonymous_visitors_get_nothing_from_the_api(qltt_cases, client):
    assert client.get("/api/v1/cases/").status_code == 401
    assert client.get("/cases/").status_code == 302
