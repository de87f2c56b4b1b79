"""The public check's short way (goods.middleware.PublicCheckMiddleware): the same status, headers
and JSON, field by field, as the whole stack and ninja give; every check still logged; what it
does not answer (signed-in users, 422s, other methods) still goes the usual way."""

import pytest
from django.db import OperationalError

from canhgiac.goods import codes, middleware, verify
from canhgiac.goods.models import CodeCheck
from canhgiac.goods.tests.test_codes import issue, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/verify"


@pytest.fixture(autouse=True)
def _fresh_caches():
    verify.forget_cached()
    yield
    verify.forget_cached()
    middleware.enabled = True


def both_ways(client, params, **extra):
    """The answer of the whole stack, then of the short way (each checked to have gone its way)."""
    answers = []
    for short in (False, True):
        middleware.enabled = short
        response = client.get(URL, params, **extra)
        went_short = response.wsgi_request.resolver_match is None  # no URL resolving, no ninja
        assert went_short is short, (params, short)
        answers.append(response)
    middleware.enabled = True
    return answers


def same(full, short):
    assert short.status_code == full.status_code
    assert dict(short.headers) == dict(full.headers)
    a, b = full.json(), short.json()
    assert a.pop("checked_at") and b.pop("checked_at")
    assert b == a


def test_every_kind_of_answer_is_the_same_field_by_field_both_ways(world, client):  # noqa: F811
    _b, rows = issue(world, count=3)
    codes.mark_codes(world["user"], world["business"], [rows[2][0]], "sold", unit=world["communes"][0])
    unit = world["communes"][0].code
    texts = [
        rows[0][1],  # authentic
        rows[1][1][:-1] + ("A" if rows[1][1][-1] != "A" else "B"),  # forged
        rows[2][1],  # decommissioned, with when and where
        "8934588012228",  # registered
        "8934588012235",  # not registered
        "xin chào",  # unreadable
    ]
    seen = set()
    for text in texts:
        for params in (
            {"code": text, "unit_code": unit},
            {"code": text},
            {"code": text, "unit_code": "nope"},
        ):
            logged = CodeCheck.objects.count()
            full, short = both_ways(client, params)
            same(full, short)
            assert CodeCheck.objects.count() == logged + 2  # each way logged its check
            seen.add(short.json()["status"])
    assert seen == {"authentic", "forged", "decommissioned", "registered", "not_registered", "unreadable"}
    # the security headers are there, not only equal
    assert short["Content-Security-Policy"] and short["X-Frame-Options"] == "DENY"
    assert short["Content-Language"] == "vi" and short["Content-Length"] == str(len(short.content))


def test_the_language_cookie_is_followed_both_ways(world, client):  # noqa: F811
    client.cookies["django_language"] = "en"
    full, short = both_ways(client, {"code": "8934588012228"})
    same(full, short)
    assert short["Content-Language"] == "en"


def test_a_signed_in_user_goes_the_usual_way_and_gets_no_store(world, client):  # noqa: F811
    client.force_login(world["user"])
    response = client.get(URL, {"code": "8934588012228"})
    assert response.wsgi_request.resolver_match is not None
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_what_ninja_refuses_is_still_refused_by_ninja(world, client):  # noqa: F811
    for params in ({}, {"code": "  "}, {"code": "x" * (verify.MAX_CODE + 1)}, {"unit_code": "x"}):
        response = client.get(URL, params)
        assert response.status_code == 422, params
        assert response.wsgi_request.resolver_match is not None
        assert response.json()["errors"][0]["field"] == "code"
    # the longest code allowed goes the short way
    response = client.get(URL, {"code": "x" * verify.MAX_CODE})
    assert response.status_code == 200 and response.wsgi_request.resolver_match is None
    assert response.json()["status"] == "unreadable"
    # a lone surrogate in the query (never from a real URL) is left to ninja's parser
    assert middleware.PublicCheckMiddleware._params(_request("code=\udc80")) is None
    assert client.post(URL, {"code": "8934588012228"}).wsgi_request.resolver_match is not None


def _request(query):
    from django.test import RequestFactory

    request = RequestFactory().get(URL)
    request.GET = request.GET.copy()
    key, _eq, value = query.partition("=")
    request.GET[key] = value
    return request


def test_the_database_away_answers_the_apis_503_both_ways(world, client, monkeypatch):  # noqa: F811
    def down(*a, **kw):
        raise OperationalError("connection refused")

    monkeypatch.setattr(verify, "check", down)
    full, short = both_ways(client, {"code": "8934588012228"})
    assert full.status_code == short.status_code == 503
    assert short.json() == full.json() and "CHƯA" in short.json()["detail"]


def test_the_openapi_document_still_describes_the_check():
    from canhgiac.api import api

    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/verify"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"code", "unit_code"}
    assert "VerifyOut" in str(operation["responses"]["200"])
