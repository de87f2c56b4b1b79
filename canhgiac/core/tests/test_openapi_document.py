"""The OpenAPI document is valid JSON for every reader: no key appears twice in an object (an
endpoint's own answers and the declared 4xx answers share one key per status code)."""

import json

import pytest


def _duplicate_keys(text: str) -> list[str]:
    found = []

    def hook(pairs):
        keys = [k for k, _ in pairs]
        found.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    json.loads(text, object_pairs_hook=hook)
    return found


@pytest.mark.django_db
def test_the_openapi_document_has_no_duplicate_keys(signed_in, officer_qltt):
    response = signed_in(officer_qltt).get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert _duplicate_keys(response.content.decode()) == []
    responses = response.json()["paths"]["/api/v1/cases/"]["post"]["responses"]
    assert "422" in responses and "201" in responses
