import json

import pytest
from django.db import connection

from canhgiac.tips.models import Tip

pytestmark = pytest.mark.django_db
URL = "/api/v1/tips"


def post(client, payload, **headers):
    return client.post(URL, data=json.dumps(payload), content_type="application/json", **headers)


def test_it_accepts_a_tip_with_only_a_description(client):
    response = post(client, {"description": "Có người bán thuốc lá lậu ở chợ đầu mối."})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"code", "secret"}
    assert len(body["code"]) == 8 and body["code"].isalnum()
    tip = Tip.objects.get(code=body["code"])
    assert tip.channel == Tip.Channel.ONLINE and tip.anonymous and tip.status == Tip.Status.RECEIVED


def test_it_accepts_every_documented_field(client, ward):
    response = post(
        client,
        {
            "description": "Trang bán sữa bột ngoại không nhãn phụ tiếng Việt, giá rẻ bất thường.",
            "unit_code": ward.code,
            "goods_category": "milk",
            "violation_type": "unknown_origin",
            "location": "Chợ trung tâm",
            "online_url": "https://shop.example.vn/sua-ngoai",
            "anonymous": False,
            "reporter_name": "Nguyễn Văn A",
            "reporter_phone": "0912 345 678",
            "reporter_email": "a@example.vn",
        },
    )
    assert response.status_code == 201, response.json()
    tip = Tip.objects.get(code=response.json()["code"])
    assert (
        tip.unit == ward and tip.goods_category.code == "milk" and tip.violation_type.code == "unknown_origin"
    )
    assert not tip.anonymous and tip.has_contact


def test_the_secret_is_stored_only_as_a_hash(client):
    body = post(client, {"description": "Kho hàng điện tử nhập lậu ở cuối ngõ."}).json()
    tip = Tip.objects.get(code=body["code"])
    assert body["secret"] not in tip.secret_hash
    raw = body["secret"].replace("-", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tips_tip WHERE code = %s", [body["code"]])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert body["secret"] not in row and raw not in row


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "ngắn"}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"description": "Bán hàng giả ở chợ xã.", "unit_code": "99999"}, "unit_code"),
        ({"description": "Bán hàng giả ở chợ xã.", "goods_category": "spaceships"}, "goods_category"),
        ({"description": "Bán hàng giả ở chợ xã.", "violation_type": "nope"}, "violation_type"),
        ({"description": "Bán hàng giả ở chợ xã.", "online_url": "not a url at all"}, "online_url"),
        (
            {"description": "Bán hàng giả ở chợ xã.", "anonymous": False, "reporter_phone": "12ab"},
            "reporter_phone",
        ),
        (
            {"description": "Bán hàng giả ở chợ xã.", "anonymous": False, "reporter_email": "a@"},
            "reporter_email",
        ),
        (
            {"description": "Bán hàng giả ở chợ xã.", "anonymous": False, "reporter_name": "Chỉ có tên"},
            "reporter_phone",
        ),
        ({"description": "Bán hàng giả ở chợ xã.", "anonymous": "maybe"}, "anonymous"),
        ({"description": 12345}, "description"),
        ({"description": ["a", "b"]}, "description"),
    ],
)
def test_bad_input_is_rejected_naming_the_field(client, payload, field):
    response = post(client, payload)
    assert response.status_code in (400, 422), response.content
    body = response.json()
    assert body["detail"]
    assert field in [e["field"] for e in body["errors"]], body
    assert all(e["message"] for e in body["errors"])
    assert not Tip.objects.exists()


@pytest.mark.parametrize("raw", ["{not json", "[]", "null", '"text"'])
def test_malformed_bodies_never_cause_a_500(client, raw):
    response = client.post(URL, data=raw, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_the_rate_limit_answers_429_in_vietnamese(client, settings):
    settings.TIP_RATE_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert post(client, {"description": "Bán rượu giả không nhãn mác ở quán."}).status_code == 201
    response = post(client, {"description": "Bán rượu giả không nhãn mác ở quán."})
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.json()["detail"]
    assert Tip.objects.count() == 2
    # Another source is not limited.
    other = post(client, {"description": "Bán rượu giả không nhãn mác ở quán."}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 201


def test_the_tipster_follows_a_tip_with_code_and_secret(client):
    body = post(client, {"description": "Cơ sở sản xuất phân bón giả ở cánh đồng."}).json()
    response = client.get(f"{URL}/{body['code']}", HTTP_X_TIP_SECRET=body["secret"])
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == body["code"] and data["status"] == "received" and data["messages"] == []
    # Case, spaces and dashes do not matter.
    lower = client.get(
        f"{URL}/{body['code'].lower()}", HTTP_X_TIP_SECRET=body["secret"].replace("-", " ").lower()
    )
    assert lower.status_code == 200


def test_a_wrong_secret_and_an_unknown_code_both_answer_404(client):
    body = post(client, {"description": "Cơ sở sản xuất phân bón giả ở cánh đồng."}).json()
    wrong = client.get(f"{URL}/{body['code']}", HTTP_X_TIP_SECRET="AAAA-BBBB-CCCC-DDDD")
    unknown = client.get(f"{URL}/ZZZZZZZZ", HTTP_X_TIP_SECRET=body["secret"])
    missing = client.get(f"{URL}/{body['code']}")
    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.json() == unknown.json()


def test_the_tipster_exchanges_messages_and_never_sees_internal_notes(client, tip_handler_qltt):
    from canhgiac.tips import services

    body = post(
        client, {"description": "Bán hàng lậu qua biên giới, xe tải biển số lạ.", "goods_category": "fuel"}
    ).json()
    tip = Tip.objects.get(code=body["code"])
    sent = client.post(
        f"{URL}/{body['code']}/messages",
        data=json.dumps({"body": "Xe thường đến lúc 2 giờ sáng."}),
        content_type="application/json",
        HTTP_X_TIP_SECRET=body["secret"],
    )
    assert sent.status_code == 201
    services.staff_message(tip_handler_qltt, tip, "Cảm ơn, chúng tôi đang xác minh.")
    services.staff_message(tip_handler_qltt, tip, "Nghi là xe của ông B.", internal=True)
    data = client.get(f"{URL}/{body['code']}", HTTP_X_TIP_SECRET=body["secret"]).json()
    assert [m["body"] for m in data["messages"]] == [
        "Xe thường đến lúc 2 giờ sáng.",
        "Cảm ơn, chúng tôi đang xác minh.",
    ]
    assert "tip_handler" not in json.dumps(data) and "Hoàng" not in json.dumps(data)
    assert data["messages"][1]["sender"] == str(tip.lead_agency)


def test_stats_needs_an_account_and_returns_the_contract(client, signed_in, coordinator_sct):
    post(client, {"description": "Bán mỹ phẩm giả trên chợ mạng.", "goods_category": "cosmetics"})
    assert client.get(f"{URL}/stats").status_code == 401
    response = signed_in(coordinator_sct).get(f"{URL}/stats", {"from": "2020-01-01", "to": "2100-12-31"})
    assert response.status_code == 200
    data = response.json()
    assert data["received"] == 1 and data["acceptance_rate"] == 0.0
    assert set(data["by_agency"]) == {"SYT"} and set(data["by_channel"]) == {"online"}
    bad = signed_in(coordinator_sct).get(f"{URL}/stats", {"from": "31/12/2020"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "from"


def test_a_database_failure_answers_503_and_never_201(client, monkeypatch):
    from django.db import OperationalError

    from canhgiac.tips import services

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_save_new", down)
    response = post(client, {"description": "Cơ sở sang chiết gas trái phép ven quốc lộ."})
    assert response.status_code == 503
    assert "CHƯA được ghi nhận" in response.json()["detail"]
    assert not Tip.objects.exists()


def test_a_form_encoded_body_is_refused_cleanly(client):
    response = client.post(URL, {"description": "Bán hàng giả ở chợ xã, nhiều người mua."})
    assert 400 <= response.status_code < 500 and "detail" in response.json()
    assert not Tip.objects.exists()


def test_the_openapi_document_lists_the_tip_endpoints(signed_in, officer_qltt):
    paths = signed_in(officer_qltt).get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/tips",
        "/api/v1/tips/stats",
        "/api/v1/tips/{code}",
        "/api/v1/tips/{code}/messages",
    } <= set(paths)
    assert {p["name"] for p in paths["/api/v1/tips/stats"]["get"]["parameters"]} >= {"from", "to", "agency"}
