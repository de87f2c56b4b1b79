"""An officer on a phone opens a lot's trace: the path from the factory through the pallet to the
distributor, its places by commune, the gaps, and no page wider than the screen; a consumer opens
the lot's public page (the look-up fields of Circular 02/2024) on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from canhgiac.core.tests.browser import signed_in_page
from canhgiac.goods.tests.epcis_support import document, object_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CP = "8934588"
GTIN = "08934588012228"
ITEMS = [f"urn:epc:id:sgtin:{CP}.001222.{n}" for n in (1, 2, 3)]
PALLET = f"urn:epc:id:sscc:{CP}.0000000001"
LOT = f"https://id.gs1.org/01/{GTIN}/10/L2026"
FACTORY = f"urn:epc:id:sgln:{CP}.00001.0"
WAREHOUSE = f"urn:epc:id:sgln:{CP}.00002.0"
SHOP = f"urn:epc:id:sgln:{CP}.00003.0"


def _chain():
    """Hoa Mai makes the lot and ships the pallet to Sen; Sen receives it; an item turns up in a
    shop no shipment went to. Each business in its own commune."""
    from canhgiac.conftest import make_business
    from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
    from canhgiac.goods.epcis import capture
    from canhgiac.goods.models import Product

    communes = list(AdministrativeUnit.objects.filter(parent__codename="dak_lak").order_by("code")[:3])
    made = []
    for n, (tax, name) in enumerate(
        (
            ("0100233488", "Công ty CP Sữa Hoa Mai"),
            ("4000000014", "Công ty Sen"),
            ("4000000021", "Cửa hàng B"),
        )
    ):
        business = make_business(tax, name)[0]
        business.unit, business.address = communes[n], f"{n + 1} Lê Duẩn"
        business.save()
        made.append(business)
    maker, distributor, shop = made
    Product.objects.create(
        gtin=GTIN,
        name="Sữa tươi Hoa Mai 180 ml",
        brand="Hoa Mai",
        category=GoodsCategory.objects.get(code="milk"),
        owner=maker,
    )
    capture.capture(
        None,
        document(
            object_event(
                ITEMS,
                "commissioning",
                ilmd={"cbvmda:lotNumber": "L2026", "cbvmda:itemExpirationDate": "2027-06-01"},
                bizLocation={"id": FACTORY},
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
        business=maker,
    )
    capture.capture(
        None,
        document(
            object_event([PALLET], "receiving", "2026-12-02T08:00:00+07:00", bizLocation={"id": WAREHOUSE}),
            object_event(ITEMS[:1], "shipping", "2026-12-03T08:00:00+07:00", readPoint={"id": WAREHOUSE}),
        ),
        business=distributor,
    )
    capture.capture(
        None,
        document(
            object_event(ITEMS[2:], "retail_selling", "2026-12-04T08:00:00+07:00", bizLocation={"id": SHOP})
        ),
        business=shop,
    )
    return communes


def test_an_officer_opens_a_lots_trace_on_a_phone(browser, live_server):
    from canhgiac.core import policy

    context, page = signed_in_page(
        browser, live_server, "can_bo_qltt", "QLTT", policy.OFFICER, locale="vi-VN"
    )
    communes = _chain()

    page.goto(live_server.url + "/goods/trace/")
    page.get_by_label("Mã GTIN, mã lô hoặc mã từng sản phẩm").fill(LOT)
    page.get_by_role("button", name="Truy xuất").click()
    steps = page.get_by_test_id("trace-steps")
    # the steps in Vietnamese (CBV commissioning, packing, shipping)
    expect(steps).to_contain_text("Gắn mã, đưa vào lưu thông")
    expect(steps).to_contain_text("Đóng gói")
    expect(steps).to_contain_text("Xuất hàng")
    gaps = page.get_by_test_id("trace-gaps")
    expect(gaps).to_contain_text("không có sự kiện nhận hàng")
    expect(gaps).to_contain_text("Không có sự kiện nào giữa Công ty Sen")
    places = page.get_by_test_id("trace-places")
    expect(places).to_contain_text("Đắk Lắk")
    for commune in communes:
        expect(places).to_contain_text(commune.name)
    expect(places).to_contain_text("Cửa hàng B")
    expect(page.get_by_test_id("trace-links")).to_contain_text("Trang công khai của mã")
    # no commune has coordinates yet: no map, the note says when it comes
    expect(page.get_by_test_id("trace-map-note")).to_contain_text("Bản đồ sẽ hiện khi tỉnh nạp tọa độ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # the province loads two of the three communes' points (made up here): the map, on a phone
    from decimal import Decimal

    for commune, (lat, lon) in zip(communes[:2], (("12.70", "108.00"), ("12.60", "108.20")), strict=True):
        commune.latitude, commune.longitude = Decimal(lat), Decimal(lon)
        commune.save()
    page.reload()
    figure = page.get_by_test_id("trace-map")
    expect(figure).to_be_visible()
    expect(figure.locator("circle")).to_have_count(2)
    expect(page.get_by_test_id("trace-map-unplaced")).to_contain_text(
        f"1 xã, phường chưa có tọa độ: {communes[2].name}"
    )
    assert figure.locator("svg").bounding_box()["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-results/goods-trace-lot-360.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="test-results/goods-trace-lot-1280.png", full_page=True)
    context.close()


def test_a_consumer_reads_a_lots_public_page(browser, live_server):
    from django.core.management import call_command

    call_command("setup", "--no-migrate", verbosity=0)
    _chain()
    for width in (360, 1280):
        context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/01/{GTIN}/10/L2026")
        lookup = page.get_by_test_id("consumer-lookup")
        expect(lookup).to_contain_text("Sữa tươi Hoa Mai 180 ml")
        expect(page.get_by_test_id("lookup-expiry")).to_have_text("01/06/2027")
        expect(page.get_by_test_id("lookup-after")).to_have_text("Công ty Sen (03/12/2026)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=f"test-results/goods-lot-public-{width}.png", full_page=True)
        context.close()
