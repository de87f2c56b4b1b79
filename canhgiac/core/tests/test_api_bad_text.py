"""NUL characters and invalid Unicode (lone surrogates) inside the body of every API write: a 422
naming the field, never a 500 (PostgreSQL refuses both in text). Every operation of the OpenAPI
document that takes a body is tried, so a new write endpoint is covered without a new test."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db

BAD = {
    "nul": "Hàng giả\x00 ở chợ",
    # "\ud800" in JSON text decodes to a lone surrogate, which no encoding can store
    "surrogate": "Hàng giả \ud800 ở chợ",
}


@pytest.fixture
def token_headers(officer_qltt):
    from canhgiac.accounts import services

    _token, raw = services.issue_token(officer_qltt, "kiểm thử")
    return {"Authorization": f"Bearer {raw}"}


def _write_operations(client, headers):
    paths = client.get("/api/v1/openapi.json", headers=headers).json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body:
                yield path, method, body["content"]


def _url(path):
    # Any object id: the body is read (and refused) before the endpoint looks the object up.
    return re.sub(r"\{[a-z_]+\}", "1", path.replace("{code}", "ABCDEFGH"))


def test_every_write_endpoint_is_found(client, token_headers):
    operations = list(_write_operations(client, token_headers))
    assert len(operations) >= 12
    assert any("multipart/form-data" in content for _p, _m, content in operations)


@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_string_in_a_json_body_is_a_422_naming_the_field(client, token_headers, kind):
    client.raise_request_exception = False
    tried = 0
    for path, method, content in _write_operations(client, token_headers):
        if "application/json" not in content:
            continue
        body = json.dumps({"summary": BAD[kind], "nested": {"goods": [{"description": BAD[kind]}]}})
        response = getattr(client, method)(
            _url(path), body, content_type="application/json", headers=token_headers
        )
        assert response.status_code == 422, (method, path, response.status_code, response.content[:300])
        fields = {e["field"] for e in response.json()["errors"]}
        assert fields == {"summary", "nested.goods.0.description"}, (method, path, fields)
        assert "ký tự NUL hoặc ký tự Unicode không hợp lệ" in response.json()["errors"][0]["message"]
        tried += 1
    assert tried >= 11


def test_a_bad_key_is_named_without_its_bad_characters(client, token_headers):
    response = client.post(
        "/api/v1/cases/",
        json.dumps({"sum\x00mary": "x"}),
        content_type="application/json",
        headers=token_headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "summary"


def test_the_public_tip_form_refuses_a_nul_without_an_account(client):
    response = client.post(
        "/api/v1/tips", json.dumps({"description": BAD["nul"] * 3}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "description"
    from canhgiac.tips.models import Tip

    assert not Tip.objects.exists()


# A multipart body is UTF-8 bytes that Django decodes with replacement: no surrogate survives it.
@pytest.mark.parametrize("kind", ["nul"])
def test_a_bad_string_in_a_form_field_is_a_422_naming_the_field(client, token_headers, kind):
    client.raise_request_exception = False
    tried = 0
    for path, method, content in _write_operations(client, token_headers):
        if "multipart/form-data" not in content:
            continue
        # only an operation that declares text fields reads them (a file-only upload has none)
        schema = content["multipart/form-data"]["schema"]
        text_fields = [
            name
            for name, prop in schema.get("properties", {}).items()
            if prop.get("type") == "string" and prop.get("format") != "binary"
        ]
        if "narrative" not in text_fields:
            continue
        tried += 1
        response = getattr(client, method)(
            _url(path),
            {"agency": "QLTT", "status": "in_progress", "narrative": BAD[kind]},
            headers=token_headers,
        )
        assert response.status_code == 422, (path, response.status_code, response.content[:300])
        assert [e["field"] for e in response.json()["errors"]] == ["narrative"]
    assert tried >= 1


def test_a_body_that_is_not_utf8_is_a_400_in_vietnamese(client, token_headers):
    response = client.post(
        "/api/v1/cases/", b'{"summary": "\xff\xfe"}', content_type="application/json", headers=token_headers
    )
    assert response.status_code == 400
    assert "không đọc được" in response.json()["detail"]


def test_a_well_formed_body_still_goes_through(client, token_headers):
    response = client.post(
        "/api/v1/tips",
        json.dumps({"description": "Cửa hàng bán mỹ phẩm giả, không có hóa đơn chứng từ."}),
        content_type="application/json",
    )
    assert response.status_code == 201
