"""GS1 Digital Link: `GET /api/v1/goods/digital-link?uri=URI` agrees with all 100 cases of GS1's
own syntax engine (../shared/conformance/digital-link/parse-dl-uri.tsv: 58 valid, 42 invalid)."""

from pathlib import Path
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parents[3]
# The CI clone has shared/ beside the repository; a worktree under /work/wt/ has it two levels up.
CANDIDATES = [REPO.parent / "shared", REPO.parent.parent / "shared"]
TSV = next(
    (c / "conformance/digital-link/parse-dl-uri.tsv" for c in CANDIDATES if (c / "conformance").is_dir()),
    CANDIDATES[0] / "conformance/digital-link/parse-dl-uri.tsv",
)


def _cases():
    cases = []
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        uri, verdict, expected = line.split("\t")
        cases.append((uri, verdict, expected))
    return cases


def test_the_conformance_file_is_there_whole():
    cases = _cases()
    assert len(cases) == 100
    assert sum(v == "valid" for _u, v, _e in cases) == 58


def test_every_conformance_case_answers_as_gs1s_syntax_engine(client):
    problems = []
    for uri, verdict, expected in _cases():
        response = client.get("/api/v1/goods/digital-link?uri=" + quote(uri, safe=""))
        if verdict == "valid":
            body = response.json()
            if response.status_code != 200 or body["element_string"] != expected:
                problems.append(f"{uri}: {response.status_code} {body}, expected {expected}")
                continue
            # the AIs list is the element string cut at its AIs, in order
            rebuilt = "".join(a["ai"] + a["value"] for a in body["ais"])
            if rebuilt != expected.replace("^", ""):
                problems.append(f"{uri}: ais {body['ais']} do not spell {expected}")
        elif response.status_code != 422 or not response.json()["detail"]:
            problems.append(f"{uri}: {response.status_code}, expected 422 with a reason")
    assert not problems, "\n".join(problems)


def test_an_invalid_uri_is_refused_with_a_vietnamese_reason(client):
    response = client.get(
        "/api/v1/goods/digital-link", {"uri": "https://example.com/01/09520123456788?10=ABC123"}
    )
    assert response.status_code == 422
    assert "AI (10)" in response.json()["detail"] and "đường dẫn" in response.json()["detail"]


def test_the_parser_gives_the_ais_in_order(client):
    response = client.get(
        "/api/v1/goods/digital-link",
        {"uri": "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426"},
    )
    assert response.json() == {
        "element_string": "^010952012345678810ABC1^2112345^17180426",
        "ais": [
            {"ai": "01", "value": "09520123456788"},
            {"ai": "10", "value": "ABC1"},
            {"ai": "21", "value": "12345"},
            {"ai": "17", "value": "180426"},
        ],
    }


@pytest.mark.parametrize("uri", ["", "x" * 3000])
def test_empty_or_overlong_uris_are_refused(client, uri):
    response = client.get("/api/v1/goods/digital-link", {"uri": uri})
    assert response.status_code == 422
