"""The code-batch API for businesses' systems (issue 13): ask for a batch (202, issued in the
background), list and read batches, download `serial,code`, mark codes by code or serial."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from canhgiac.audit.models import AuditEvent
from canhgiac.conftest import make_business
from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
from canhgiac.goods import codes, verify
from canhgiac.goods.models import CodeBatch, Product, SerialCode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    verify.forget_cached()
    yield
    verify.forget_cached()


@pytest.fixture
def world(business_user):
    from canhgiac.accounts import services as accounts

    milk = GoodsCategory.objects.get(code="milk")
    hoa_mai = business_user.business_memberships.get().business
    product = Product.objects.create(gtin="08934588012228", name="Sữa Hoa Mai", category=milk, owner=hoa_mai)
    _token, raw = accounts.issue_token(business_user, "ERP")
    commune = AdministrativeUnit.objects.filter(parent=hoa_mai.province).order_by("code").first()
    return {
        "user": business_user,
        "business": hoa_mai,
        "product": product,
        "auth": {"HTTP_AUTHORIZATION": f"Bearer {raw}"},
        "commune": commune,
    }


def _issued(world, count=3, lot="API-1"):
    batch = codes.request_batch(world["user"], world["product"], lot, count)
    result = codes.issue_batch(batch)
    rows = result.path.read_text(encoding="utf-8").splitlines()[1:]
    return batch, [row.split(",", 1) for row in rows]


def _post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json", **auth)


def test_a_business_asks_for_a_batch_and_it_is_issued_in_the_background(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            "/api/v1/goods/code-batches",
            {"gtin": "8934588012228", "lot": "API-7", "count": 25},
            world["auth"],
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert response["Location"] == body["url"] and body["url"].startswith("/api/v1/jobs/")
    job = client.get(body["url"], **world["auth"])
    assert job.status_code == 200 and job.json()["status"] == "done"
    batch = client.get(body["batch_url"], **world["auth"]).json()
    assert batch["status"] == "issued" and batch["count"] == 25 and batch["lot"] == "API-7"
    assert batch["counts"]["active"] == 25 and batch["counts"]["sold"] == 0
    listed = client.get("/api/v1/goods/code-batches", **world["auth"]).json()
    assert [b["id"] for b in listed] == [body["id"]]
    csv_answer = client.get(batch["codes_url"], **world["auth"])
    assert csv_answer.status_code == 200
    lines = b"".join(csv_answer.streaming_content).decode().splitlines()
    assert lines[0] == "serial,code" and len(lines) == 26
    serial, code = lines[1].split(",", 1)
    assert serial in code and verify.check(code)["status"] == "authentic"
    assert AuditEvent.objects.filter(action="goods.codes_downloaded").count() == 1


def test_bad_batch_requests_name_the_field(world, client):
    bad_gtin = _post(
        client, "/api/v1/goods/code-batches", {"gtin": "8934588012229", "lot": "L", "count": 1}, world["auth"]
    )
    assert bad_gtin.status_code == 422 and bad_gtin.json()["errors"][0]["field"] == "gtin"
    bad_lot = _post(
        client,
        "/api/v1/goods/code-batches",
        {"gtin": "8934588012228", "lot": "Lô 1", "count": 0},
        world["auth"],
    )
    assert bad_lot.status_code == 422
    assert {e["field"] for e in bad_lot.json()["errors"]} == {"lot", "count"}
    assert not CodeBatch.objects.exists()


def test_another_business_sees_nothing_and_cannot_issue_or_mark(world, client):
    from canhgiac.accounts import services as accounts

    batch, rows = _issued(world)
    _sen, sen_user = make_business("4000000014", "Công ty Sen", "sen_user")
    _t, raw = accounts.issue_token(sen_user, "ERP")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/goods/code-batches", **auth).json() == []
    assert client.get(f"/api/v1/goods/code-batches/{batch.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/goods/code-batches/{batch.pk}/codes.csv", **auth).status_code == 404
    asked = _post(
        client, "/api/v1/goods/code-batches", {"gtin": "8934588012228", "lot": "X", "count": 1}, auth
    )
    assert asked.status_code == 404
    marked = _post(
        client, "/api/v1/goods/codes/mark", {"items": [{"serial": rows[0][0], "state": "sold"}]}, auth
    )
    assert marked.status_code == 422 and marked.json()["errors"][0]["index"] == 0
    assert SerialCode.objects.filter(status="active").count() == 3
    assert client.get("/api/v1/goods/code-batches").status_code == 401


def test_marking_by_code_or_serial_with_when_and_where(world, client):
    batch, rows = _issued(world)
    when = timezone.now() - dt.timedelta(hours=2)
    response = _post(
        client,
        "/api/v1/goods/codes/mark",
        {
            "items": [
                {
                    "code": rows[0][1],
                    "state": "sold",
                    "when": when.isoformat(),
                    "where": world["commune"].code,
                },
                {"serial": rows[1][0], "state": "destroyed"},
            ]
        },
        world["auth"],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"marked": 2}
    sold = SerialCode.objects.get(serial=rows[0][0])
    assert sold.status == "sold" and sold.status_unit == world["commune"]
    assert abs((sold.status_at - when).total_seconds()) < 1
    assert SerialCode.objects.get(serial=rows[1][0]).status == "destroyed"
    marked = AuditEvent.objects.filter(action="goods.serialcode.update").values_list("object_id", flat=True)
    assert set(marked) == {str(sold.pk), str(SerialCode.objects.get(serial=rows[1][0]).pk)}
    assert verify.check(rows[0][1])["status"] == "decommissioned"
    counts = client.get(f"/api/v1/goods/code-batches/{batch.pk}", **world["auth"]).json()["counts"]
    assert counts["sold"] == 1 and counts["destroyed"] == 1 and counts["active"] == 1


def test_marking_is_all_or_nothing_with_the_index_of_each_bad_item(world, client):
    _batch, rows = _issued(world)
    response = _post(
        client,
        "/api/v1/goods/codes/mark",
        {
            "items": [
                {"serial": rows[0][0], "state": "sold"},
                {"serial": rows[1][0], "state": "lost"},
                {"serial": "NOSUCHSERIAL", "state": "sold"},
                {"code": "not a code", "state": "sold"},
                {"serial": rows[2][0], "state": "sold", "where": "99999"},
                {"serial": rows[0][0], "state": "expired"},
            ]
        },
        world["auth"],
    )
    assert response.status_code == 422
    indexes = sorted({e["index"] for e in response.json()["errors"]})
    assert indexes == [1, 3, 4, 5]
    assert SerialCode.objects.exclude(status="active").count() == 0
    unknown = _post(
        client,
        "/api/v1/goods/codes/mark",
        {"items": [{"serial": "NOSUCHSERIAL", "state": "sold"}]},
        world["auth"],
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["index"] == 0
    assert _post(client, "/api/v1/goods/codes/mark", {"items": []}, world["auth"]).status_code == 422
