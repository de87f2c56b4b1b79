"""Bad input found by hand and by schemathesis answers a 4xx, never a server error."""

import pytest

from canhgiac.accounts import services as accounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, officer_qltt):
    _token, raw = accounts.issue_token(officer_qltt, "kiểm thử")
    return lambda method, path, **kw: getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {raw}", **kw)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/?q=ab%00cd",
        "/api/v1/directory/units?province=%00",
        "/api/v1/tips/stats?from=2026-01-01%00",
        "/api/v1/cases/summary?agency=QL%00TT",
    ],
)
def test_nul_bytes_in_query_parameters_are_refused(api, path):
    response = api("get", path)
    assert response.status_code == 400
    assert "ký tự NUL" in response.json()["detail"]


def test_nul_bytes_in_a_page_query_are_refused_in_vietnamese(client):
    response = client.get("/tips/follow/?code=%00")
    assert response.status_code == 400 and "ký tự NUL" in response.content.decode()


@pytest.mark.parametrize("page", [2**63, 2**64 + 5, 10**30])
def test_page_numbers_past_2_63_are_refused(api, page):
    response = api("get", f"/api/v1/cases/?page={page}")
    assert 400 <= response.status_code < 500


def test_a_year_of_730215049497_is_refused(api):
    response = api("get", "/api/v1/tips/stats?from=730215049497-01-01")
    assert response.status_code == 422
    response = api("get", "/api/v1/cases/summary?from=730215049497-01-01")
    assert 400 <= response.status_code < 500


def test_revoking_another_users_token_is_not_found(client, officer_qltt, officer_ca):
    token, _raw = accounts.issue_token(officer_qltt, "của người khác")
    client.force_login(officer_ca, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert not token.revoked


def test_an_api_address_that_matches_no_route_answers_json(client):
    response = client.get("/api/v1/cases/null,null")
    assert response.status_code == 404 and response.json()["detail"] == "Không tìm thấy."


def test_the_openapi_document_declares_the_4xx_answers(signed_in, officer_qltt):
    paths = signed_in(officer_qltt).get("/api/v1/openapi.json").json()["paths"]
    case = paths["/api/v1/cases/{case_id}"]["get"]["responses"]
    assert {"400", "401", "403", "404", "422"} <= set(case)
    assert "413" in paths["/api/v1/tips"]["post"]["responses"]
    assert "429" in paths["/api/v1/tips"]["post"]["responses"]
