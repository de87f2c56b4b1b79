"""A subject's network: links from cases, relations and shared contact keys; hops and filters;
records the viewer may not see shown only as "another agency holds a record"."""

import datetime as dt
import json

import pytest

from canhgiac.core import policy
from canhgiac.core.tests.conftest import lang_son, officer_qltt_lang_son  # noqa: F401  (two provinces)
from canhgiac.subjects.models import Relation, Subject
from canhgiac.subjects.network import keys, services

pytestmark = pytest.mark.django_db

ELECTRONICS = [
    {"goods_category": "electronics", "description": "Điện thoại nhái", "quantity": "3", "value_vnd": 1_000}
]


def person(name, role="owner", **extra):
    return {"kind": "person", "name": name, "role": role, **extra}


def rec(name, agency="QLTT"):
    return Subject.objects.get(
        name=name, recorded_by_agency__code=agency, recorded_by_agency__province__codename="dak_lak"
    )


def labels(net):
    return {n["label"] for n in net.nodes.values()}


@pytest.fixture
def ring(make_case):
    """QLTT's cases: A organises with B (March), B sells with C (June); D alone shares B's phone."""
    b = {"identifier": "066190000002"}
    make_case(
        "QLTT",
        detected_on="2026-03-10",
        goods=ELECTRONICS,
        subjects=[person("An Văn A", "organiser"), person("Bùi Thị B", "seller", phone="0912 345 678", **b)],
    )
    make_case(
        "QLTT",
        detected_on="2026-06-10",
        goods=ELECTRONICS,
        subjects=[person("Bùi Thị B", "seller", **b), person("Cao Văn C", "transporter")],
    )
    make_case(
        "QLTT",
        detected_on="2026-07-01",
        goods=ELECTRONICS,
        subjects=[person("Đỗ Văn D", "owner", phone="+84912345678")],
    )
    return {n: rec(n) for n in ("An Văn A", "Bùi Thị B", "Cao Văn C", "Đỗ Văn D")}


def test_phone_keys_fold_every_way_people_write_a_number():
    assert keys.phone_key("0912 345 678") == keys.phone_key("+84912345678") == keys.phone_key("0912.345.678")
    assert keys.phone_key("84912345678") == "+84912345678"
    assert keys.phone_key("12") == ""
    assert keys.address_key("12 Hẻm Kín, Buôn Ma Thuột") == keys.address_key("12 hem kin  buon ma thuot")
    assert keys.address_key("Buôn Ma Thuột") == ""  # a place, not a house: links nobody


def test_co_subjects_of_a_case_are_linked_through_the_case_with_their_roles(ring, officer_qltt):
    net = services.build(officer_qltt, ring["An Văn A"], hops=1)
    assert labels(net) >= {"An Văn A", "Bùi Thị B"}
    assert "Cao Văn C" not in labels(net)  # two hops away
    roles = {(net.nodes[e["source"]]["label"], e["label"]) for e in net.edges if e["type"] == "case"}
    assert ("An Văn A", "Người tổ chức, cầm đầu") in roles and ("Bùi Thị B", "Người bán") in roles


def test_two_hops_reach_the_co_subject_of_a_co_subject_and_the_shared_phone(ring, officer_qltt):
    net = services.build(officer_qltt, ring["An Văn A"], hops=2)
    assert {"Cao Văn C", "Đỗ Văn D"} <= labels(net)
    phone_hubs = [n for n in net.nodes.values() if n["kind"] == "key"]
    assert [n["label"] for n in phone_hubs] == ["+84912345678"]
    hops = {n["label"]: n["hop"] for n in net.nodes.values() if n["kind"] == "subject"}
    assert hops == {"An Văn A": 0, "Bùi Thị B": 1, "Cao Văn C": 2, "Đỗ Văn D": 2}


def test_link_type_and_date_filters(ring, officer_qltt):
    only_cases = services.build(officer_qltt, ring["Bùi Thị B"], hops=1, types=["case"])
    assert "Đỗ Văn D" not in labels(only_cases)
    only_phone = services.build(officer_qltt, ring["Bùi Thị B"], hops=1, types=["phone"])
    assert labels(only_phone) == {"Bùi Thị B", "Đỗ Văn D", "+84912345678"}
    spring = services.build(
        officer_qltt, ring["Bùi Thị B"], hops=1, types=["case"], date_to=dt.date(2026, 4, 30)
    )
    assert "An Văn A" in labels(spring) and "Cao Văn C" not in labels(spring)


def test_a_relation_links_two_subjects_within_its_dates(ring, officer_qltt):
    services.add_relation(
        officer_qltt,
        {
            "subject": ring["Cao Văn C"].pk,
            "other": ring["Đỗ Văn D"].pk,
            "kind": "family",
            "detail": "anh em ruột",
            "source": "document",
            "source_ref": "BB 12/2026",
            "start_date": "01/01/2020",
        },
    )
    net = services.build(officer_qltt, ring["Cao Văn C"], hops=1, types=["family"])
    assert labels(net) == {"Cao Văn C", "Đỗ Văn D"}
    assert net.edges[0]["label"] == "Gia đình, họ hàng: anh em ruột"
    before = services.build(
        officer_qltt, ring["Cao Văn C"], hops=1, types=["family"], date_to=dt.date(2019, 1, 1)
    )
    assert labels(before) == {"Cao Văn C"}


def test_a_record_the_viewer_may_not_see_is_only_another_agency_holding_one(make_case, officer_ca, agency):
    """CA's subject shares a phone with the organiser of a sensitive QLTT case: CA sees that QLTT
    holds a record (and how to reach QLTT), never the name, nor what that record links to."""
    make_case(
        "QLTT",
        sensitive=True,
        visibility="all",
        goods=ELECTRONICS,
        subjects=[
            person("Trần Thị Bí Mật", "organiser", phone="0905.111.222", address="12 Hẻm Kín, Buôn Ma Thuột"),
            person("Lê Văn Đồng Bọn", "accomplice"),
        ],
    )
    make_case("CA", goods=ELECTRONICS, subjects=[person("Tran Thi B", "seller", phone="0905111222")])
    mine = rec("Tran Thi B", "CA")
    net = services.build(officer_ca, mine, hops=3)
    text = json.dumps(services.with_layout(net), ensure_ascii=False)
    assert "Bí Mật" not in text and "Đồng Bọn" not in text and "Hẻm Kín" not in text
    hidden = [n for n in net.nodes.values() if n["kind"] == "hidden"]
    assert len(hidden) == 1 and hidden[0]["label"] == "Một cơ quan khác có hồ sơ"
    assert hidden[0]["agency"] == "QLTT" and hidden[0]["agency_name"] == agency("QLTT").name
    assert not [n for n in net.nodes.values() if n["kind"] == "case" and n["hop"] > 1]  # not expanded
    # QLTT itself sees its own record by name
    assert policy.can(officer_ca, "view", rec("Trần Thị Bí Mật")) is False


def _two_agencies_same_person(make_case, ca_visibility):
    ident = {"identifier": "066190000777"}
    make_case(
        "QLTT",
        goods=ELECTRONICS,
        subjects=[person("Bùi Thị Bảy", "organiser", **ident), person("An Văn Tám", "seller")],
    )
    make_case(
        "CA",
        goods=ELECTRONICS,
        **ca_visibility,
        subjects=[person("BUI THI BAY", "owner", **ident), person("Cao Văn Chín (CA)", "transporter")],
    )
    mine, theirs = rec("Bùi Thị Bảy"), rec("BUI THI BAY", "CA")
    assert mine.entity_id is not None and mine.entity_id == theirs.entity_id
    return mine, theirs


def test_a_node_is_the_resolved_entity_with_its_records_folded_in(make_case, coordinator_sct):
    """Two agencies' records of one person are one node; both records' cases link to it."""
    mine, theirs = _two_agencies_same_person(make_case, {})
    net = services.build(coordinator_sct, mine, hops=1)
    subjects = [n for n in net.nodes.values() if n["kind"] == "subject"]
    node = net.nodes[net.center]
    assert net.center == f"e:{mine.entity_id}" and node["entity"] == mine.entity_id
    assert {r["id"] for r in node["records"]} == {mine.pk, theirs.pk} and node["holders"] == []
    assert node["url"] == f"/subjects/entities/{mine.entity_id}/"
    assert {n["label"] for n in subjects} == {"Bùi Thị Bảy", "An Văn Tám", "Cao Văn Chín (CA)"}
    cases = {e["target"] for e in net.edges if e["source"] == net.center and e["type"] == "case"}
    assert len(cases) == 2  # one link per case, from the one node
    # the same network whichever record it is opened from
    other = services.build(coordinator_sct, theirs, hops=1)
    assert other.center == net.center and set(other.nodes) == set(net.nodes)


def test_an_entity_node_names_only_the_agency_of_records_the_viewer_may_not_see(make_case, officer_qltt):
    mine, _theirs = _two_agencies_same_person(make_case, {"sensitive": True})
    net = services.build(officer_qltt, mine, hops=3)
    node = net.nodes[net.center]
    assert [r["id"] for r in node["records"]] == [mine.pk] and node["holders"] == ["CA"]
    text = json.dumps(services.with_layout(net), ensure_ascii=False)
    assert "BUI THI BAY" not in text and "Cao Văn Chín" not in text  # not drawn, not followed


def test_the_network_of_a_subject_of_the_other_province_is_not_found(ring, officer_qltt_lang_son, signed_in):  # noqa: F811
    client = signed_in(officer_qltt_lang_son)
    assert client.get(f"/subjects/{ring['An Văn A'].pk}/network/").status_code == 404
    assert client.get(f"/api/v1/subjects/{ring['An Văn A'].pk}/network").status_code == 404


def test_the_api_gives_positions_for_every_node_and_refuses_unknown_link_types(ring, officer_qltt, signed_in):
    client = signed_in(officer_qltt)
    data = client.get(f"/api/v1/subjects/{ring['An Văn A'].pk}/network?hops=3").json()
    assert data["center"] == f"e:{ring['An Văn A'].entity_id}"
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    bad = client.get(f"/api/v1/subjects/{ring['An Văn A'].pk}/network?types=cousin")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "types"
    assert client.get(f"/api/v1/subjects/{ring['An Văn A'].pk}/network?hops=9").status_code == 422


def test_the_page_shows_the_same_nodes_as_tables_and_is_audited(ring, officer_qltt, signed_in):
    from canhgiac.audit.models import AuditEvent

    page = signed_in(officer_qltt).get(
        f"/subjects/{ring['An Văn A'].pk}/network/?hops=2&date_from=01/01/2026"
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Cao Văn C" in body and 'data-testid="network-nodes"' in body
    assert "<script>" not in body and ' style="' not in body.split("<main", 1)[1]
    assert AuditEvent.objects.filter(
        action="subjects.network_viewed", object_id=str(ring["An Văn A"].pk)
    ).exists()
    # the drawing asks the API for the same filters, in the API's date form
    data_url = page.context["data_url"]
    assert "date_from=2026-01-01" in data_url and "hops=2" in data_url
    assert signed_in(officer_qltt).get(data_url).status_code == 200
    bad = signed_in(officer_qltt).get(f"/subjects/{ring['An Văn A'].pk}/network/?date_from=31/02/2026")
    assert bad.status_code == 200 and "không phải ngày hợp lệ" in bad.content.decode()


def test_link_keys_follow_the_record_when_it_changes(ring):
    d = ring["Đỗ Văn D"]
    d.phone = "0987 000 111"
    d.save()
    assert set(d.link_keys.values_list("kind", "value")) == {("phone", "+84987000111")}


def test_relations_cannot_point_to_themselves(ring, officer_qltt):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        services.add_relation(
            officer_qltt,
            {
                "subject": ring["Cao Văn C"].pk,
                "other": ring["Cao Văn C"].pk,
                "kind": "family",
                "source": "import",
            },
        )
    assert "other" in err.value.message_dict
    assert not Relation.objects.exists()
