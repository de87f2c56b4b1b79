"""/api/v1/committee through HTTP: communes without a committee, bulletins and read receipts, a
meeting's conclusions entered and issued as plan tasks; errors are 422 naming the field, the other
province finds nothing."""

import pytest

from canhgiac.committee import services
from canhgiac.committee.models import Receipt
from canhgiac.conftest import find_agency
from canhgiac.directory.models import AdministrativeUnit
from canhgiac.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def dak_lak_meeting(coordinator_sct):
    province = AdministrativeUnit.objects.get(codename="dak_lak", parent=None)
    return services.create_meeting(
        coordinator_sct,
        province,
        {
            "committee": services.provincial_committee(province).pk,
            "held_on": "12/05/2026",
            "title": "Họp quý II",
            "chair": "Chủ tịch UBND tỉnh",
        },
    )


def test_conclusions_posted_and_issued_through_the_api_become_plan_tasks(
    signed_in, coordinator_sct, dak_lak_meeting
):
    client = signed_in(coordinator_sct)
    base = f"/api/v1/committee/meetings/{dak_lak_meeting.pk}"
    response = client.post(
        f"{base}/conclusions",
        {"text": "Kiểm tra mỹ phẩm", "lead": ["QLTT"], "coordinating": ["CA"], "due": "30/06/2026"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["lead"] == ["QLTT"] and response.json()["due"] == "2026-06-30"
    bad = client.post(
        f"{base}/conclusions",
        {"text": "x", "lead": ["KHONGCO"], "due": "30/06/2026"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "lead"
    bad = client.post(
        f"{base}/conclusions",
        {"text": "x", "lead": ["QLTT"], "due": "30/02/2026"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "due"
    response = client.post(f"{base}/issue")
    assert response.status_code == 200
    body = response.json()
    plan = Plan.objects.get(pk=body["plan_id"])
    assert [(t["action"], t["due_date"], t["lead"]) for t in body["tasks"]] == [
        ("Kiểm tra mỹ phẩm", "2026-06-30", ["QLTT"])
    ]
    assert plan.tasks.get().coordinating_agencies.get() == find_agency("CA")
    meeting = client.get(base).json()
    assert meeting["plan_id"] == plan.pk and meeting["conclusions"][0]["task_id"] == body["tasks"][0]["id"]


def test_an_officer_may_read_a_meeting_but_not_add_to_it_and_lang_son_finds_nothing(
    signed_in, officer_qltt, coordinator_lang_son, dak_lak_meeting
):
    base = f"/api/v1/committee/meetings/{dak_lak_meeting.pk}"
    client = signed_in(officer_qltt)
    assert client.get(base).status_code == 200
    payload = {"text": "x", "lead": ["QLTT"], "due": "30/06/2026"}
    assert client.post(f"{base}/conclusions", payload, content_type="application/json").status_code == 403
    assert client.post(f"{base}/issue").status_code == 403
    client = signed_in(coordinator_lang_son)
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/issue").status_code == 404


def test_bulletins_and_read_receipts_through_the_api(signed_in, coordinator_sct, officer_qltt, viewer_syt):
    province = AdministrativeUnit.objects.get(codename="dak_lak", parent=None)
    bulletin = services.send_bulletin(
        coordinator_sct,
        province,
        {
            "title": "Thủ đoạn mới",
            "body": "x",
            "issued_on": "01/06/2026",
            "sender": find_agency("SCT").pk,
            "recipients": [find_agency("QLTT").pk],
        },
    )
    client = signed_in(officer_qltt)
    [row] = client.get("/api/v1/committee/bulletins").json()
    assert row["unread_by_me"] and (row["read"], row["sent_to"]) == (0, 1)
    assert client.post(f"/api/v1/committee/bulletins/{bulletin.pk}/read").json() == {"marked": 1}
    assert Receipt.objects.get().read_by == officer_qltt
    assert signed_in(viewer_syt).get("/api/v1/committee/bulletins").json() == []
    assert signed_in(viewer_syt).post(f"/api/v1/committee/bulletins/{bulletin.pk}/read").status_code == 404


def test_communes_without_a_committee_by_api(signed_in, coordinator_sct, client):
    province = AdministrativeUnit.objects.get(codename="dak_lak", parent=None)
    unit = province.children.order_by("code").first()
    before = signed_in(coordinator_sct).get("/api/v1/committee/communes-without-committee").json()
    assert unit.code in {u["code"] for u in before}
    committee = services.save_committee(coordinator_sct, province, {"unit": unit.pk})
    services.add_decision(
        coordinator_sct, committee, {"kind": "establish", "number": "1", "signed_on": "01/01/2026"}
    )
    after = signed_in(coordinator_sct).get("/api/v1/committee/communes-without-committee").json()
    assert len(after) == len(before) - 1 and unit.code not in {u["code"] for u in after}
    assert (
        signed_in(coordinator_sct).get("/api/v1/committee/communes-without-committee?province=XX").status_code
        == 404
    )
    client.logout()
    assert client.get("/api/v1/committee/bulletins").status_code == 401
