"""An officer on a phone opens a lot's trace: the path from the factory through the pallet to the
distributor, with the repackaging, and no page wider than the screen."""

import pytest
from playwright.sync_api import expect

from canhgiac.core.tests.browser import signed_in_page
from canhgiac.goods.tests.epcis_support import document, object_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CP = "8934588"
ITEMS = [f"urn:epc:id:sgtin:{CP}.001222.{n}" for n in (1, 2, 3)]
PALLET = f"urn:epc:id:sscc:{CP}.0000000001"
LOT = "https://id.gs1.org/01/08934588012228/10/L2026"


def test_an_officer_opens_a_lots_trace_on_a_phone(browser, live_server):
    from canhgiac.accounts import services as accounts
    from canhgiac.conftest import PASSWORD
    from canhgiac.core import policy
    from canhgiac.goods.epcis import capture

    context, page = signed_in_page(
        browser, live_server, "can_bo_qltt", "QLTT", policy.OFFICER, locale="vi-VN"
    )
    from canhgiac.directory.models import Agency

    sct = Agency.objects.get(code="SCT")
    coordinator = accounts.create_user("dieu_phoi_sct", PASSWORD, memberships=[(sct, policy.COORDINATOR)])
    made = object_event(
        ITEMS,
        "commissioning",
        ilmd={"cbvmda:lotNumber": "L2026"},
        bizLocation={"id": f"urn:epc:id:sgln:{CP}.00001.0"},
    )
    packed = {
        "type": "AggregationEvent",
        "eventTime": "2026-12-01T09:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "parentID": PALLET,
        "childEPCs": ITEMS,
        "action": "ADD",
        "bizStep": "packing",
    }
    shipped = object_event([PALLET], "shipping", "2026-12-01T10:00:00+07:00")
    capture.capture(coordinator, document(made, packed, shipped))

    page.goto(live_server.url + "/goods/trace/")
    page.get_by_label("Mã GTIN, mã lô hoặc mã từng sản phẩm").fill(LOT)
    page.get_by_role("button", name="Truy xuất").click()
    steps = page.get_by_test_id("trace-steps")
    expect(steps).to_contain_text("commissioning")
    expect(steps).to_contain_text("packing")
    expect(steps).to_contain_text("shipping")
    expect(page.get_by_test_id("trace-gaps")).to_contain_text("không có sự kiện nhận hàng")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-results/goods-trace-lot-360.png", full_page=True)
    context.close()
