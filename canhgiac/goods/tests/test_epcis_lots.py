"""A lot's places by commune, the consumer look-up fields (Circular 02/2024/TT-BKHCN), the lead
"a lot sold in places it was never shipped to", and the province of events captured from the
command line. The chain: a manufacturer (Hoa Mai) makes lot L2026 and ships a pallet to its
distributor (Sen), which ships two items to shop A; items of the lot also turn up at shop B, which
no shipment reached. Each business is in its own commune of Đắk Lắk."""

import json

import pytest
from django.core.management import call_command

from canhgiac.conftest import make_business
from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
from canhgiac.goods.models import CodeCheck, EpcisEvent, Product
from canhgiac.goods.tests.epcis_support import document, object_event

pytestmark = pytest.mark.django_db

GTIN = "08934588012228"
CP = "8934588"
ITEMS = [f"urn:epc:id:sgtin:{CP}.001222.{n}" for n in (1, 2, 3, 4)]
PALLET = f"urn:epc:id:sscc:{CP}.0000000001"
FACTORY = f"urn:epc:id:sgln:{CP}.00001.0"
WAREHOUSE = f"urn:epc:id:sgln:{CP}.00002.0"
SHOP_A = f"urn:epc:id:sgln:{CP}.00003.0"
SHOP_B = f"urn:epc:id:sgln:{CP}.00004.0"
LOT = f"https://id.gs1.org/01/{GTIN}/10/L2026"


def _post(client, data):
    response = client.post("/api/v1/epcis/capture", data=json.dumps(data), content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return response


@pytest.fixture
def chain(business_user):
    communes = list(AdministrativeUnit.objects.filter(parent__codename="dak_lak").order_by("code")[:4])
    hoa_mai = business_user.business_memberships.get().business
    hoa_mai.unit, hoa_mai.address = communes[0], "12 Lê Duẩn"
    hoa_mai.save()
    product = Product.objects.create(
        gtin=GTIN,
        name="Sữa Hoa Mai",
        brand="Hoa Mai",
        category=GoodsCategory.objects.get(code="milk"),
        owner=hoa_mai,
    )
    out = {"maker": business_user, "hoa_mai": hoa_mai, "product": product, "communes": communes}
    for key, tax, name, commune in (
        ("sen", "4000000014", "Công ty Sen", communes[1]),
        ("shop_a", "4000000021", "Cửa hàng A", communes[2]),
        ("shop_b", "4000000038", "Cửa hàng B", communes[3]),
    ):
        business, user = make_business(tax, name, f"user_{key}")
        business.unit = commune
        business.save()
        product.distributors.add(business)
        out[key], out[f"{key}_user"] = business, user
    return out


def _run_chain(signed_in, chain, officer):
    _post(
        signed_in(chain["maker"]),
        document(
            object_event(
                ITEMS,
                "commissioning",
                "2026-12-01T08:00:00+07:00",
                bizLocation={"id": FACTORY},
                ilmd={"cbvmda:lotNumber": "L2026", "cbvmda:itemExpirationDate": "2027-06-01"},
            ),
            {
                "type": "AggregationEvent",
                "eventTime": "2026-12-01T09:00:00+07:00",
                "eventTimeZoneOffset": "+07:00",
                "parentID": PALLET,
                "childEPCs": ITEMS,
                "action": "ADD",
                "bizStep": "packing",
                "bizLocation": {"id": FACTORY},
            },
            object_event(
                [PALLET],
                "shipping",
                "2026-12-01T10:00:00+07:00",
                readPoint={"id": FACTORY},
                destinationList=[{"type": "location", "destination": WAREHOUSE}],
            ),
        ),
    )
    _post(
        signed_in(chain["sen_user"]),
        document(
            object_event([PALLET], "receiving", "2026-12-02T08:00:00+07:00", bizLocation={"id": WAREHOUSE}),
            object_event(
                ITEMS[:2],
                "shipping",
                "2026-12-03T08:00:00+07:00",
                readPoint={"id": WAREHOUSE},
                destinationList=[{"type": "location", "destination": SHOP_A}],
            ),
        ),
    )
    # shop A sells what was shipped to it (it records no receiving: the shipment's destination counts)
    _post(
        signed_in(chain["shop_a_user"]),
        document(
            object_event(ITEMS[:1], "retail_selling", "2026-12-04T08:00:00+07:00", bizLocation={"id": SHOP_A})
        ),
    )
    # items of the lot turn up at shop B, where no shipment of the lot went
    _post(
        signed_in(chain["shop_b_user"]),
        document(
            object_event(
                ITEMS[2:3], "retail_selling", "2026-12-05T08:00:00+07:00", bizLocation={"id": SHOP_B}
            )
        ),
    )
    _post(
        signed_in(officer),
        document(
            object_event(ITEMS[3:], "inspecting", "2026-12-06T08:00:00+07:00", bizLocation={"id": SHOP_B})
        ),
    )


def _never_shipped(client):
    page = client.get("/goods/trace/leads/")
    assert page.status_code == 200
    return [lead.reason for lead in page.context["leads"] if lead.kind == "never_shipped"]


def test_a_lot_sold_where_it_was_never_shipped_is_a_lead_for_qltt(
    signed_in, chain, officer_qltt, officer_qltt_lang_son
):
    _run_chain(signed_in, chain, officer_qltt)
    reasons = _never_shipped(signed_in(officer_qltt))
    assert len(reasons) == 2, reasons
    assert reasons[0].startswith(
        "Kiểm tra lô L2026 (GTIN 08934588012228) lúc 06/12/2026 08:00 tại Cửa hàng B"
    )
    assert reasons[1].startswith("Bán lẻ lô L2026 (GTIN 08934588012228) lúc 05/12/2026 08:00 tại Cửa hàng B")
    assert chain["communes"][3].name in reasons[1]
    # the places it was delivered to are named: the warehouse (Sen) and shop A
    assert "Công ty Sen" in reasons[1] and "Cửa hàng A" in reasons[1]
    assert not any("tại Cửa hàng A" in r for r in reasons)
    page = signed_in(officer_qltt).get("/goods/trace/leads/")
    assert "Cửa hàng B" in page.content.decode()
    # a consumer's check of the lot in shop B's commune is a lead; one in shop A's commune is not
    for commune in (chain["communes"][3], chain["communes"][2]):
        CodeCheck.objects.create(
            checked_at="2026-12-06T10:00:00+07:00",
            unit=commune,
            province=commune.parent,
            status="registered",
            product=chain["product"],
            lot="L2026",
        )
    reasons = _never_shipped(signed_in(officer_qltt))
    checks = [r for r in reasons if r.startswith("Người dân kiểm tra")]
    assert len(checks) == 1 and chain["communes"][3].name in checks[0], reasons
    # another province's officer reads none of these
    assert _never_shipped(signed_in(officer_qltt_lang_son)) == []


def test_a_lot_with_no_recorded_delivery_gives_no_such_lead(signed_in, chain, officer_qltt):
    _post(
        signed_in(chain["shop_b_user"]),
        document(
            object_event(
                ITEMS[:1], "commissioning", ilmd={"cbvmda:lotNumber": "L2026"}, bizLocation={"id": FACTORY}
            ),
            object_event(
                ITEMS[:1], "retail_selling", "2026-12-05T08:00:00+07:00", bizLocation={"id": SHOP_B}
            ),
        ),
    )
    assert _never_shipped(signed_in(officer_qltt)) == []


def test_the_lot_view_groups_places_by_commune_and_names_the_gap(
    signed_in, chain, officer_qltt, coordinator_sct
):
    _run_chain(signed_in, chain, officer_qltt)
    page = signed_in(coordinator_sct).get("/goods/trace/", {"q": LOT})
    assert page.status_code == 200
    groups = page.context["places"]
    assert [g.province.codename for g in groups] == ["dak_lak"]
    rows = {row.unit.pk: row for row in groups[0].communes}
    communes = chain["communes"]
    factory = rows[communes[0].pk]
    assert factory.events == 3 and factory.steps == ["commissioning", "packing", "shipping"]
    assert factory.places == ["Công ty CP Dược phẩm Hoa Mai"]
    assert rows[communes[1].pk].steps == ["receiving", "shipping"]
    assert rows[communes[2].pk].events == 1
    shop_b = rows[communes[3].pk]
    assert shop_b.events == 2 and shop_b.steps == ["retail_selling", "inspecting"]
    assert shop_b.first.day == 5 and shop_b.last.day == 6
    html = page.content.decode()
    assert 'data-testid="trace-places"' in html and "05/12/2026" in html
    gaps = page.context["trace"].gaps
    assert any(g.startswith("Không có sự kiện nào giữa Cửa hàng A") and "Cửa hàng B" in g for g in gaps), gaps
    assert not any("và Cửa hàng A" in g for g in gaps)
    # links to the public page of the lot, its check, and the checks figures
    links = page.context["links"]
    assert links["public"] == f"/01/{GTIN}/10/L2026" and links["checks"] == 0
    assert f'href="/01/{GTIN}/10/L2026"' in html


def test_the_public_page_of_a_lot_gives_the_consumer_look_up_fields(client, signed_in, chain, officer_qltt):
    _run_chain(signed_in, chain, officer_qltt)
    client.logout()
    page = client.get(f"/01/{GTIN}/10/L2026")
    assert page.status_code == 200
    html = page.content.decode()
    lookup = page.context["lookup"]
    assert lookup.lot == "L2026" and lookup.brand == "Hoa Mai"
    assert lookup.producer_address == f"12 Lê Duẩn, {chain['communes'][0].name}, Đắk Lắk"
    assert 'data-testid="lookup-expiry">01/06/2027<' in html
    assert 'data-testid="lookup-produced">01/12/2026 — Công ty CP Dược phẩm Hoa Mai' in html
    assert 'data-testid="lookup-after">Công ty Sen (03/12/2026)<' in html
    # no person is named: only businesses
    assert chain["sen_user"].username not in html and chain["maker"].username not in html
    # the expiry in the link (AI 17) wins; an item names its lot's data
    page = client.get(f"/01/{GTIN}/10/L2026/21/1", {"17": "270100"})
    assert 'data-testid="lookup-expiry">31/01/2027<' in page.content.decode()
    # a serial without its lot (as EPCIS writes an SGTIN): the lot comes from the commissioning
    page = client.get(f"/01/{GTIN}/21/1")
    assert page.status_code == 200 and page.context["lookup"].lot == "L2026"
    assert 'data-testid="lookup-expiry">01/06/2027<' in page.content.decode()
    # the GTIN alone: the lot's fields say plainly there are none
    html = client.get(f"/01/{GTIN}").content.decode()
    assert 'data-testid="lookup-lot">Chưa có dữ liệu<' in html
    assert 'data-testid="lookup-expiry">Chưa có dữ liệu<' in html
    # a lot with no events: the registry's fields, the rest unknown
    html = client.get(f"/01/{GTIN}/10/OTHER").content.decode()
    assert 'data-testid="lookup-lot">OTHER<' in html
    assert 'data-testid="lookup-produced">Chưa có dữ liệu<' in html
    assert "chưa gửi dữ liệu truy xuất" in html


def test_the_resolver_answers_the_consumer_look_up_fields_in_json(client, signed_in, chain, officer_qltt):
    """A phone app asks the same path for JSON: the look-up fields under `lookup` (ISO dates), next
    to the resolver's element string and AIs."""
    _run_chain(signed_in, chain, officer_qltt)
    client.logout()
    json_only = {"HTTP_ACCEPT": "application/json"}
    body = client.get(f"/01/{GTIN}/10/L2026", **json_only).json()
    assert body["element_string"] == f"^01{GTIN}10L2026"
    lookup = body["lookup"]
    assert lookup["name"] == chain["product"].name
    assert lookup["lot"] == "L2026" and lookup["brand"] == "Hoa Mai" and lookup["serial"] == ""
    assert lookup["producer"] == "Công ty CP Dược phẩm Hoa Mai"
    assert lookup["producer_address"] == f"12 Lê Duẩn, {chain['communes'][0].name}, Đắk Lắk"
    assert lookup["expiry"] == "2027-06-01" and lookup["produced"] == "2026-12-01"
    assert lookup["one_step_before"] == "Công ty CP Dược phẩm Hoa Mai"
    assert lookup["one_step_after"] == {"business": "Công ty Sen", "date": "2026-12-03"}
    assert lookup["has_events"] is True
    # the link's expiry (AI 17) wins, as on the page
    body = client.get(f"/01/{GTIN}/10/L2026/21/1", {"17": "270100"}, **json_only).json()
    assert body["lookup"]["expiry"] == "2027-01-31" and body["lookup"]["serial"] == "1"
    # a GTIN alone: the registry's fields, no lot and no step before
    lookup = client.get(f"/01/{GTIN}", **json_only).json()["lookup"]
    assert lookup["lot"] == "" and lookup["expiry"] is None and lookup["one_step_before"] == ""
    assert lookup["has_events"] is False and lookup["one_step_after"] is None
    # a lot with no events
    lookup = client.get(f"/01/{GTIN}/10/OTHER", **json_only).json()["lookup"]
    assert lookup["lot"] == "OTHER" and lookup["produced"] is None and lookup["has_events"] is False
    # not in the registry: 404 and no look-up
    missing = client.get("/01/12312312312333", **json_only)
    assert missing.status_code == 404 and missing.json()["lookup"] is None


def test_the_public_check_of_a_lot_code_gives_the_same_fields(client, signed_in, chain, officer_qltt):
    _run_chain(signed_in, chain, officer_qltt)
    client.logout()
    page = client.get("/goods/check/", {"code": f"https://id.gs1.org/01/{GTIN}/10/L2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="consumer-lookup"' in html
    assert 'data-testid="lookup-expiry">01/06/2027<' in html
    assert 'data-testid="lookup-before">Công ty CP Dược phẩm Hoa Mai<' in html
    # a GTIN alone names no lot: no look-up block on the check
    assert 'data-testid="consumer-lookup"' not in client.get("/goods/check/", {"code": GTIN}).content.decode()


def test_the_command_gives_events_a_province_in_two_provinces(
    tmp_path, capsys, chain, signed_in, officer_qltt, officer_qltt_lang_son
):
    def seen(user):
        response = signed_in(user).get("/api/v1/epcis/events")
        return len(response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"])

    path = tmp_path / "events.jsonld"
    path.write_text(json.dumps(document(object_event(ITEMS[:1], "commissioning"))), encoding="utf-8")
    # no --business, no --province: the province of the registered product's owner (Đắk Lắk)
    call_command("epcis-capture", str(path))
    assert EpcisEvent.objects.get().province.codename == "dak_lak"
    assert seen(officer_qltt) == 1 and seen(officer_qltt_lang_son) == 0
    # --province: that province's staff read them (by code or codename)
    lang_son = AdministrativeUnit.objects.get(codename="lang_son", parent=None)
    path.write_text(json.dumps(document(object_event(ITEMS[1:2], "commissioning"))), encoding="utf-8")
    call_command("epcis-capture", str(path), "--province", lang_son.code)
    lines = tmp_path / "events.jsonl"
    lines.write_text(json.dumps(document(object_event(ITEMS[2:3], "shipping"))) + "\n", encoding="utf-8")
    call_command("epcis-capture", str(lines), "--bulk", "--province", "lang_son")
    assert seen(officer_qltt) == 1 and seen(officer_qltt_lang_son) == 2
    # an unregistered product and no option: no province (only national administrators read it)
    path.write_text(
        json.dumps(document(object_event([f"urn:epc:id:sgtin:{CP}.009999.1"], "commissioning"))),
        encoding="utf-8",
    )
    call_command("epcis-capture", str(path))
    assert EpcisEvent.objects.filter(province=None).count() == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có tỉnh"):
        call_command("epcis-capture", str(path), "--province", "99999")
