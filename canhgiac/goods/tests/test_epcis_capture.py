"""EPCIS capture and query on a constructed supply chain: a manufacturer (Hoa Mai) commissions a
lot of four items, packs them on a pallet (SSCC) and ships it to its authorised distributor (Sen),
which receives and unpacks the pallet, repackages two items into a gift box (a new, unregistered
GTIN) and ships to a shop, which sells it. Then: deduplication by event hash, error declarations,
each query parameter, pagination, and who may capture what (two provinces)."""

import datetime as dt
import json
from urllib.parse import unquote

import pytest
from django.core.management import call_command

from canhgiac.conftest import make_business
from canhgiac.directory.models import GoodsCategory
from canhgiac.goods.epcis import identifiers
from canhgiac.goods.models import EpcisEvent, Product
from canhgiac.goods.tests.epcis_support import document, object_event

pytestmark = pytest.mark.django_db

GTIN = "08934588012228"  # Hoa Mai's milk, registered
CP = "8934588"
ITEMS = [f"urn:epc:id:sgtin:{CP}.001222.{n}" for n in (1, 2, 3, 4)]
ITEMS_DL = [f"https://id.gs1.org/01/{GTIN}/21/{n}" for n in (1, 2, 3, 4)]
PALLET = f"urn:epc:id:sscc:{CP}.0000000001"
BOXES = [f"urn:epc:id:sgtin:{CP}.009999.{n}" for n in (1, 2)]  # gift box: GTIN not registered
FACTORY = f"urn:epc:id:sgln:{CP}.00001.0"
WAREHOUSE = "urn:epc:id:sgln:8934588.00002.0"
SHOP = "urn:epc:id:sgln:8934588.00003.0"
LOT = f"https://id.gs1.org/01/{GTIN}/10/L2026"


def _post(client, data, media="application/json"):
    return client.post("/api/v1/epcis/capture", data=json.dumps(data), content_type=media)


def _events(client, **params):
    response = client.get("/api/v1/epcis/events", params)
    assert response.status_code == 200, response.content
    return response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def _steps(events):
    return [e.get("bizStep") for e in events]


@pytest.fixture
def chain(business_user, coordinator_sct):
    milk = GoodsCategory.objects.get(code="milk")
    hoa_mai = business_user.business_memberships.get().business
    sen, sen_user = make_business("4000000014", "Công ty Sen", "sen_user")
    product = Product.objects.create(gtin=GTIN, name="Sữa Hoa Mai", category=milk, owner=hoa_mai)
    product.distributors.add(sen)
    return {
        "maker": business_user,
        "distributor": sen_user,
        "hoa_mai": hoa_mai,
        "sen": sen,
        "product": product,
    }


def _manufacture(client):
    commission = object_event(
        ITEMS,
        "commissioning",
        "2026-12-01T08:00:00+07:00",
        eventID="urn:uuid:00000000-0000-4000-8000-000000000001",
        disposition="active",
        readPoint={"id": FACTORY},
        bizLocation={"id": FACTORY},
        ilmd={"cbvmda:lotNumber": "L2026", "cbvmda:itemExpirationDate": "2027-06-01"},
    )
    pack = {
        "type": "AggregationEvent",
        "eventTime": "2026-12-01T09:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "parentID": PALLET,
        "childEPCs": ITEMS,
        "action": "ADD",
        "bizStep": "packing",
        "disposition": "in_progress",
        "readPoint": {"id": FACTORY},
    }
    ship = object_event(
        [PALLET],
        "shipping",
        "2026-12-01T10:00:00+07:00",
        disposition="in_transit",
        readPoint={"id": FACTORY},
        sourceList=[{"type": "owning_party", "source": f"urn:epc:id:pgln:{CP}.00001"}],
        destinationList=[{"type": "owning_party", "destination": f"urn:epc:id:pgln:{CP}.00002"}],
    )
    return _post(client, document(commission, pack, ship), "application/ld+json")


def _distribute(client):
    receive = object_event(
        [PALLET],
        "receiving",
        "2026-12-02T08:00:00+07:00",
        disposition="in_progress",
        bizLocation={"id": WAREHOUSE},
    )
    unpack = {
        "type": "AggregationEvent",
        "eventTime": "2026-12-02T09:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "parentID": PALLET,
        "childEPCs": ITEMS_DL,  # the same items, written as Digital Links
        "action": "DELETE",
        "bizStep": "unpacking",
        "bizLocation": {"id": WAREHOUSE},
    }
    repack = {
        "type": "TransformationEvent",
        "eventTime": "2026-12-02T10:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "inputEPCList": ITEMS[:2],
        "outputEPCList": BOXES,
        "bizStep": "repackaging",
        "bizLocation": {"id": WAREHOUSE},
    }
    ship = object_event(BOXES, "shipping", "2026-12-03T08:00:00+07:00", readPoint={"id": WAREHOUSE})
    return _post(client, document(receive, unpack, repack, ship))


def test_the_supply_chain_is_captured_and_traced(signed_in, chain, coordinator_sct):
    response = _manufacture(signed_in(chain["maker"]))
    assert response.status_code == 201, response.content
    assert response.json()["stored"] == 3 and response.json()["unregistered"] == 0
    response = _distribute(signed_in(chain["distributor"]))
    assert response.status_code == 201, response.content
    # the gift box's GTIN is not in the registry: accepted, and marked
    assert response.json()["unregistered"] == 2
    assert EpcisEvent.objects.filter(biz_step__endswith="repackaging", unregistered=True).exists()
    shop = object_event(BOXES[:1], "retail_selling", "2026-12-04T08:00:00+07:00", bizLocation={"id": SHOP})
    assert _post(signed_in(coordinator_sct), document(shop)).status_code == 201

    client = signed_in(coordinator_sct)
    # one item, by URN or Digital Link: made, packed, unpacked, repackaged (input)
    item = _events(client, MATCH_anyEPC=ITEMS[0])
    assert _steps(item) == ["commissioning", "packing", "unpacking", "repackaging"]
    assert _steps(_events(client, MATCH_anyEPC=ITEMS_DL[0])) == _steps(item)
    # the pallet: what it contained, where it went
    assert _steps(_events(client, MATCH_parentID=PALLET)) == ["packing", "unpacking"]
    assert _steps(_events(client, MATCH_epc=PALLET)) == ["shipping", "receiving"]
    assert _steps(_events(client, MATCH_anyEPC=PALLET)) == ["packing", "shipping", "receiving", "unpacking"]
    # what the box was made from, and what became of the items
    assert _steps(_events(client, MATCH_outputEPC=BOXES[0])) == ["repackaging"]
    assert _steps(_events(client, MATCH_inputEPC=ITEMS[1])) == ["repackaging"]
    assert _steps(_events(client, MATCH_inputEPC=ITEMS[3])) == []
    assert _steps(_events(client, MATCH_anyEPC=BOXES[0])) == ["repackaging", "shipping", "retail_selling"]
    # an EPC pattern: every serial of the GTIN
    assert len(_events(client, MATCH_epc=f"urn:epc:idpat:sgtin:{CP}.001222.*")) == 3
    # the path of one item through its own URL
    response = client.get("/api/v1/epcis/epcs/" + ITEMS[0].replace(":", "%3A") + "/events")
    assert _steps(response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == _steps(item)
    # the lot: its items were commissioned with lot L2026 (ILMD)
    from canhgiac.goods.models import EpcisEpc

    assert EpcisEpc.objects.filter(lot=LOT).values("epc").distinct().count() == 4


def test_each_query_parameter_narrows_the_events(signed_in, chain, coordinator_sct):
    _manufacture(signed_in(chain["maker"]))
    _distribute(signed_in(chain["distributor"]))
    client = signed_in(coordinator_sct)
    assert len(_events(client)) == 7
    assert _steps(_events(client, eventType="AggregationEvent")) == ["packing", "unpacking"]
    assert len(_events(client, eventType="AggregationEvent|TransformationEvent")) == 3
    assert _steps(
        _events(client, GE_eventTime="2026-12-02T02:00:00Z", LT_eventTime="2026-12-02T03:00:00Z")
    ) == ["unpacking"]
    assert len(_events(client, GE_recordTime="2000-01-01T00:00:00Z")) == 7
    assert _events(client, GE_recordTime="2100-01-01T00:00:00Z") == []
    assert _steps(_events(client, EQ_bizStep="shipping")) == ["shipping", "shipping"]
    assert _steps(_events(client, EQ_bizStep="https://ref.gs1.org/cbv/BizStep-receiving")) == ["receiving"]
    assert _steps(_events(client, EQ_disposition="in_transit")) == ["shipping"]
    assert _steps(_events(client, EQ_readPoint=FACTORY)) == ["commissioning", "packing", "shipping"]
    dl_warehouse = identifiers.canonical(WAREHOUSE)
    assert dl_warehouse.startswith("https://id.gs1.org/414/893458800002")
    assert _steps(_events(client, EQ_bizLocation=dl_warehouse)) == ["receiving", "unpacking", "repackaging"]
    assert _steps(_events(client, EQ_eventID="urn:uuid:00000000-0000-4000-8000-000000000001")) == [
        "commissioning"
    ]
    assert _events(client, EXISTS_errorDeclaration="true") == []
    assert _steps(_events(client, MATCH_epcClass=f"urn:epc:class:lgtin:{CP}.001222.L2026")) == []
    # bad parameters: 422 naming the parameter
    for params in (
        {"GE_eventTime": "yesterday"},
        {"EQ_bizStep": "teleporting"},
        {"perPage": "0"},
        {"nextPageToken": "@@@"},
        {"MATCH_epc": "https://id.gs1.org/01/08934588012229/21/1"},
        {"eventType": "PartyEvent"},
        {"unknownParameter": "1"},
        {"nextPageToken": "djE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk"},
        {"perPage": "١٢"},
    ):
        response = client.get("/api/v1/epcis/events", params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["field"] == next(iter(params))
    # a NUL in the query string is refused before the view (400), never a 500
    assert client.get("/api/v1/epcis/events", {"EQ_eventID": "a\x00b"}).status_code in (400, 422)


def test_quantities_are_matched_by_class(signed_in, coordinator_sct):
    event = object_event(
        [], "receiving", quantityList=[{"epcClass": f"urn:epc:class:lgtin:{CP}.001222.L7", "quantity": 12}]
    )
    assert _post(signed_in(coordinator_sct), document(event)).status_code == 201
    client = signed_in(coordinator_sct)
    assert len(_events(client, MATCH_epcClass=f"urn:epc:class:lgtin:{CP}.001222.L7")) == 1
    assert len(_events(client, MATCH_epcClass=f"https://id.gs1.org/01/{GTIN}")) == 1  # every lot of the GTIN
    assert _events(client, MATCH_epcClass=f"urn:epc:class:lgtin:{CP}.001222.L8") == []
    assert _events(client, MATCH_anyEPC=f"urn:epc:class:lgtin:{CP}.001222.L7") == []


def test_pages_follow_the_link_header_until_the_last_has_none(signed_in, coordinator_sct):
    client = signed_in(coordinator_sct)
    events = [object_event([f"urn:epc:id:sgtin:{CP}.001222.{n}"], "shipping") for n in range(7)]
    assert _post(client, document(*events)).status_code == 201
    url, seen, pages = "/api/v1/epcis/events?perPage=3&EQ_bizStep=shipping", [], 0
    while url:
        response = client.get(url)
        pages += 1
        seen += response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        link = response.headers.get("Link")
        if link:
            assert link.endswith('>; rel="next"') and "EQ_bizStep=shipping" in link
            url = unquote(link[1 : link.index(">")]).replace("http://testserver", "")
        else:
            url = None
    assert pages == 3
    assert [e["epcList"][0] for e in seen] == [e["epcList"][0] for e in events]


def test_a_document_sent_twice_stores_each_event_once(signed_in, chain):
    client = signed_in(chain["maker"])
    assert _manufacture(client).status_code == 201
    again = _manufacture(client)
    assert again.status_code == 200
    assert again.json()["stored"] == 0 and again.json()["duplicates"] == 3
    assert EpcisEvent.objects.count() == 3
    # the same events spelt differently (Digital Links, another time zone) are the same events
    event = object_event(
        [f"https://example.vn/01/{GTIN}/21/{n}" for n in (1, 2, 3, 4)],
        "commissioning",
        "2026-12-01T01:00:00.000Z",
        disposition="https://ref.gs1.org/cbv/Disp-active",
        readPoint={"id": identifiers.canonical(FACTORY)},
        bizLocation={"id": identifiers.canonical(FACTORY)},
        ilmd={"cbvmda:lotNumber": "L2026", "cbvmda:itemExpirationDate": "2027-06-01"},
    )
    event["eventTimeZoneOffset"] = "+07:00"
    response = _post(client, document(event))
    assert response.status_code == 200 and response.json()["duplicates"] == 1


def test_an_error_declaration_marks_the_event_and_names_its_correction(signed_in, coordinator_sct):
    client = signed_in(coordinator_sct)
    wrong = object_event(ITEMS[:1], "shipping", "2026-12-05T08:00:00+07:00", bizLocation={"id": SHOP})
    assert _post(client, document(wrong)).status_code == 201
    corrective = object_event(
        ITEMS[:1],
        "shipping",
        "2026-12-05T08:00:00+07:00",
        bizLocation={"id": WAREHOUSE},
        eventID="urn:uuid:fix-1",
    )
    declared = dict(
        wrong,
        errorDeclaration={
            "declarationTime": "2026-12-06T08:00:00+07:00",
            "reason": "incorrect_data",
            "correctiveEventIDs": ["urn:uuid:fix-1"],
        },
    )
    response = _post(client, document(declared, corrective))
    assert response.status_code == 201
    assert response.json()["error_declarations"] == 1 and response.json()["stored"] == 1
    flagged = _events(client, EXISTS_errorDeclaration="true")
    assert len(flagged) == 1 and flagged[0]["errorDeclaration"]["correctiveEventIDs"] == ["urn:uuid:fix-1"]
    assert EpcisEvent.objects.get(error_declared=True).corrective_ids == ["urn:uuid:fix-1"]
    assert len(_events(client, MATCH_epc=ITEMS[0])) == 2
    # declaring it again changes nothing
    response = _post(client, document(declared))
    assert response.status_code == 200 and response.json()["duplicates"] == 1


def test_a_refused_document_stores_none_of_its_events(signed_in, coordinator_sct):
    client = signed_in(coordinator_sct)
    good = object_event(ITEMS[:1], "shipping")
    bad = object_event([f"https://id.gs1.org/01/{GTIN[:-1]}9/21/5"], "shipping", eventID="urn:uuid:bad")
    response = _post(client, document(good, bad))
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["event"] == 1 and error["eventID"] == "urn:uuid:bad" and error["field"] == "epcList[0]"
    assert "số kiểm tra" in error["message"]
    assert EpcisEvent.objects.count() == 0
    assert client.post("/api/v1/epcis/capture", data="{", content_type="application/json").status_code == 400
    assert client.post("/api/v1/epcis/capture", data="{}", content_type="text/plain").status_code == 415
    deep = "[" * 100_000 + "]" * 100_000
    assert client.post("/api/v1/epcis/capture", data=deep, content_type="application/json").status_code == 400
    assert (
        client.post("/api/v1/epcis/capture", data="[1, 2]", content_type="application/json").status_code
        == 422
    )


def test_a_single_event_may_be_sent_alone(signed_in, coordinator_sct):
    event = dict(
        object_event(ITEMS[:1], "shipping"),
        **{"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]},
    )
    response = _post(signed_in(coordinator_sct), event, "application/ld+json")
    assert response.status_code == 201 and response.json()["stored"] == 1


# --- who may capture what ---------------------------------------------------------------------


def test_a_business_captures_only_its_own_and_unregistered_products(signed_in, chain):
    other_maker, other_user = make_business("4000000021", "Công ty Khác", "other_user")
    response = _post(signed_in(other_user), document(object_event(ITEMS[:1], "shipping")))
    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert error["event"] == 0 and GTIN in error["message"]
    # the authorised distributor may; anyone may about an unregistered product
    sen_client = signed_in(chain["distributor"])
    assert _post(sen_client, document(object_event(ITEMS[:1], "receiving"))).status_code == 201
    response = _post(signed_in(other_user), document(object_event(BOXES, "shipping")))
    assert response.status_code == 201 and response.json()["unregistered"] == 1
    assert EpcisEvent.objects.get(biz_step__endswith="shipping").business_id == other_maker.pk


def test_officers_capture_inspection_events_only(signed_in, officer_qltt):
    client = signed_in(officer_qltt)
    assert _post(client, document(object_event(ITEMS[:1], "inspecting"))).status_code == 201
    response = _post(client, document(object_event(ITEMS[:1], "shipping")))
    assert response.status_code == 403 and response.json()["errors"][0]["field"] == "bizStep"


def test_the_standing_office_captures_for_anyone_and_others_may_not(
    signed_in, analyst_sct, viewer_syt, tip_handler_qltt, client
):
    assert _post(signed_in(analyst_sct), document(object_event(ITEMS[:1], "shipping"))).status_code == 201
    assert _post(signed_in(viewer_syt), document(object_event(ITEMS[:1], "inspecting"))).status_code == 403
    assert (
        _post(signed_in(tip_handler_qltt), document(object_event(ITEMS[:1], "inspecting"))).status_code == 403
    )
    client.logout()
    assert _post(client, document(object_event(ITEMS[:1], "shipping"))).status_code == 401


def test_events_are_read_in_their_own_province_only(
    signed_in, coordinator_sct, coordinator_lang_son, officer_qltt, officer_qltt_lang_son, business_user
):
    assert _post(signed_in(coordinator_sct), document(object_event(ITEMS[:1], "shipping"))).status_code == 201
    assert (
        _post(signed_in(coordinator_lang_son), document(object_event(BOXES[:1], "shipping"))).status_code
        == 201
    )
    assert [e["epcList"] for e in _events(signed_in(officer_qltt))] == [ITEMS[:1]]
    assert [e["epcList"] for e in _events(signed_in(officer_qltt_lang_son))] == [BOXES[:1]]
    # a business reads only what was captured for it
    assert _events(signed_in(business_user)) == []


def test_the_command_captures_a_file_and_again_stores_nothing(tmp_path, capsys):
    path = tmp_path / "events.jsonld"
    path.write_text(json.dumps(document(object_event(ITEMS, "commissioning"))), encoding="utf-8")
    call_command("epcis-capture", str(path))
    assert "1 lưu mới" in capsys.readouterr().out
    call_command("epcis-capture", str(path))
    assert "0 lưu mới, 1 đã có" in capsys.readouterr().out
    lines = tmp_path / "events.jsonl"
    lines.write_text(
        "\n".join(
            json.dumps(document(object_event([f"urn:epc:id:sgtin:{CP}.001222.{n}"], "shipping")))
            for n in range(5)
        ),
        encoding="utf-8",
    )
    call_command("epcis-capture", str(lines), "--bulk")
    assert "5 lưu mới" in capsys.readouterr().out
    assert EpcisEvent.objects.count() == 6
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(document(object_event(ITEMS, "teleporting"))) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("epcis-capture", str(bad), "--bulk")
    assert "Dòng 1" in capsys.readouterr().err
    assert EpcisEvent.objects.count() == 6


# --- the trace page ---------------------------------------------------------------------------


def test_the_trace_of_a_lot_an_item_and_a_pallet_shows_path_packing_making_and_gaps(
    signed_in, chain, coordinator_sct, officer_qltt_lang_son, business_user
):
    _manufacture(signed_in(chain["maker"]))
    _distribute(signed_in(chain["distributor"]))
    client = signed_in(coordinator_sct)
    page = client.get("/goods/trace/", {"q": LOT})
    assert page.status_code == 200
    steps = [s.step for s in page.context["trace"].steps]
    assert steps == ["commissioning", "packing", "shipping", "receiving", "unpacking", "repackaging"]
    # read in Vietnamese on the page, with the disposition
    assert "Xuất hàng (đang vận chuyển)" in page.content.decode()
    assert page.context["product"] == chain["product"]
    # one item: its own events and its pallet's (shipping, receiving "via" the pallet)
    item = client.get("/goods/trace/", {"q": ITEMS[0]}).context["trace"]
    assert [s.step for s in item.steps] == [
        "commissioning",
        "packing",
        "shipping",
        "receiving",
        "unpacking",
        "repackaging",
    ]
    assert [s.via != "" for s in item.steps] == [False, False, True, True, False, False]
    assert item.parents == [identifiers.canonical(PALLET)]
    assert item.outputs == [identifiers.canonical(b) for b in BOXES]
    pallet = client.get("/goods/trace/", {"q": PALLET}).context["trace"]
    assert pallet.children == sorted(ITEMS_DL)
    # the gift boxes were shipped and never received: a gap
    box = client.get("/goods/trace/", {"q": BOXES[0]}).context["trace"]
    assert box.inputs == sorted(ITEMS_DL[:2]) and len(box.gaps) == 1
    assert "không có sự kiện nhận hàng" in box.gaps[0]
    # a wrong code: a message, never a 500
    assert client.get("/goods/trace/", {"q": "08934588012229"}).context["error"]
    # the other province sees none of it; businesses do not open the page
    other = signed_in(officer_qltt_lang_son).get("/goods/trace/", {"q": LOT})
    assert other.status_code == 200 and other.context["trace"].steps == []
    assert signed_in(business_user).get("/goods/trace/", {"q": LOT}).status_code in (302, 403)


def test_leads_name_goods_met_where_never_received_and_events_after_a_recall(
    signed_in, chain, coordinator_sct, officer_qltt, officer_qltt_lang_son
):
    _manufacture(signed_in(chain["maker"]))
    _distribute(signed_in(chain["distributor"]))
    client = signed_in(coordinator_sct)
    # the shop sells a gift box it never recorded receiving; the officer inspects it there
    sold = object_event(BOXES[:1], "retail_selling", "2026-12-04T08:00:00+07:00", bizLocation={"id": SHOP})
    assert _post(client, document(sold)).status_code == 201
    inspected = object_event(BOXES[1:], "inspecting", "2026-12-04T09:00:00+07:00", bizLocation={"id": SHOP})
    assert _post(signed_in(officer_qltt), document(inspected)).status_code == 201
    # received at the warehouse before: no lead for an inspection there
    at_warehouse = object_event(
        [PALLET], "inspecting", "2026-12-02T08:30:00+07:00", bizLocation={"id": WAREHOUSE}
    )
    assert _post(signed_in(officer_qltt), document(at_warehouse)).status_code == 201
    page = signed_in(officer_qltt).get("/goods/trace/leads/")
    assert page.status_code == 200
    reasons = [lead.reason for lead in page.context["leads"]]
    assert len(reasons) == 2, reasons
    assert reasons[0].startswith("Kiểm tra") and reasons[1].startswith("Bán lẻ")
    assert all(identifiers.canonical(SHOP) in r for r in reasons)
    # a recall: events after it are leads too
    from canhgiac.goods.recalls import record_recall

    record_recall(None, chain["product"], reason="Sữa nhiễm khuẩn", issued_on=dt.date(2026, 12, 3))
    late = object_event(
        ITEMS[2:3], "retail_selling", "2026-12-05T08:00:00+07:00", bizLocation={"id": WAREHOUSE}
    )
    assert _post(signed_in(coordinator_sct), document(late)).status_code == 201
    reasons = [lead.reason for lead in signed_in(officer_qltt).get("/goods/trace/leads/").context["leads"]]
    assert any("đã bị thu hồi từ ngày 03/12/2026" in r for r in reasons)
    # another province's officer sees none of them
    assert signed_in(officer_qltt_lang_son).get("/goods/trace/leads/").context["leads"] == []


def _after_recall_leads(client) -> dict[str, str]:
    return {
        lead.subject: lead.reason
        for lead in client.get("/goods/trace/leads/").context["leads"]
        if lead.kind == "after_recall"
    }


def test_leads_after_a_recall_date_from_the_recall_and_its_lot(
    signed_in, chain, coordinator_sct, officer_qltt, officer_qltt_lang_son
):
    """The recall's day (Recall.issued_on) and lot decide, not the product's last change."""
    from canhgiac.goods.recalls import lift_recall, record_recall

    _manufacture(signed_in(chain["maker"]))
    _distribute(signed_in(chain["distributor"]))
    client = signed_in(officer_qltt)
    assert _after_recall_leads(client) == {}
    # a product marked recalled by hand, with no recall recorded: no recall date, no lead
    Product.objects.filter(pk=chain["product"].pk).update(status=Product.Status.RECALLED)
    assert _after_recall_leads(client) == {}
    Product.objects.filter(pk=chain["product"].pk).update(status=Product.Status.ON_SALE)
    # a whole-product recall on 02/12: the events of 02/12 (unpacking, repackaging) are leads,
    # those of 01/12 (commissioning, packing) are not, and the gift box's are not
    whole = record_recall(None, chain["product"], reason="Sữa nhiễm khuẩn", issued_on=dt.date(2026, 12, 2))
    found = _after_recall_leads(client)
    assert found and set(found) <= set(ITEMS_DL)
    events = {
        lead.event.biz_step.rsplit("-", 1)[-1]
        for lead in client.get("/goods/trace/leads/").context["leads"]
        if lead.kind == "after_recall"
    }
    assert events == {"unpacking", "repackaging"}
    assert all("02/12/2026" in r for r in found.values())
    lift_recall(None, whole, reason="Đã kiểm nghiệm lại")
    assert _after_recall_leads(client) == {}
    # a recall of lot L2026 on 03/12: a later event naming the lot is a lead, items without
    # their lot in the identifier are not
    record_recall(None, chain["product"], lot="L2026", reason="Lô lỗi bao bì", issued_on=dt.date(2026, 12, 3))
    assert _after_recall_leads(client) == {}
    counted = object_event(
        [],
        "inspecting",
        "2026-12-04T08:00:00+07:00",
        bizLocation={"id": WAREHOUSE},
        quantityList=[{"epcClass": LOT, "quantity": 10}],
    )
    early = object_event(
        [],
        "inspecting",
        "2026-12-02T23:00:00+07:00",
        bizLocation={"id": WAREHOUSE},
        quantityList=[{"epcClass": LOT, "quantity": 5}],
    )
    assert _post(signed_in(coordinator_sct), document(counted, early)).status_code == 201
    found = _after_recall_leads(client)
    assert list(found) == [LOT]
    leads = [
        lead for lead in client.get("/goods/trace/leads/").context["leads"] if lead.kind == "after_recall"
    ]
    assert len(leads) == 1  # the inspection of 02/12 at 23:00 came before the recall's day
    assert "lô L2026" in found[LOT] and "03/12/2026" in found[LOT] and "04/12/2026" in found[LOT]
    # the other province sees none
    assert _after_recall_leads(signed_in(officer_qltt_lang_son)) == {}


def test_a_document_over_the_memory_bound_answers_413(signed_in, coordinator_sct, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    events = [object_event([f"urn:epc:id:sgtin:{CP}.001222.{n}"], "shipping") for n in range(20)]
    response = _post(signed_in(coordinator_sct), document(*events))
    assert response.status_code == 413
    assert EpcisEvent.objects.count() == 0


def test_a_user_of_two_businesses_stores_events_for_the_products_owner(signed_in, chain):
    from canhgiac.goods.models import BusinessMember

    user = chain["distributor"]
    BusinessMember.objects.create(
        user=user, business=chain["hoa_mai"]
    )  # Sen's user now also acts for Hoa Mai
    assert _post(signed_in(user), document(object_event(ITEMS[:1], "shipping"))).status_code == 201
    assert EpcisEvent.objects.get().business_id == chain["hoa_mai"].pk
    assert len(_events(signed_in(chain["maker"]))) == 1
