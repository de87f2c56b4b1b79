"""A commune officer records a phone tip on a phone and gets its receipt to read out and print,
in a Vietnamese and an English browser (the UI is Vietnamese whatever the browser says)."""

import re

import pytest
from playwright.sync_api import expect

from canhgiac.core.tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_a_commune_officer_records_a_phone_tip_and_gets_a_printable_receipt(browser, live_server, locale):
    from canhgiac.core import policy
    from canhgiac.tips import services
    from canhgiac.tips.models import Tip

    context, page = signed_in_page(
        browser, live_server, "can_bo_xa", "commune", policy.OFFICER, locale=locale
    )
    page.goto(live_server.url + "/tips/new/")
    page.get_by_label("Kênh tiếp nhận").select_option("hotline")
    page.locator("#id_description").fill("Người dân gọi báo cây xăng đầu xã bán xăng pha tạp chất.")
    page.get_by_label("Nhóm hàng").select_option("fuel")
    page.get_by_role("button", name="Lưu tin báo").click()

    expect(page.get_by_role("heading", name="Biên nhận tin báo")).to_be_visible()
    code = page.get_by_test_id("tip-code").inner_text().strip()
    secret = page.get_by_test_id("tip-secret").inner_text().strip()
    tip = Tip.objects.get(code=code)
    assert services.find_for_tipster(code, secret) == tip and tip.created_by.username == "can_bo_xa"
    expect(page.get_by_test_id("tip-agency")).to_contain_text(tip.lead_agency.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=f"test-results/tips-receipt-360-{locale}.png", full_page=True)
    # The print view hides the menus and the buttons.
    page.emulate_media(media="print")
    expect(page.get_by_test_id("print")).to_be_hidden()
    expect(page.locator(".cg-topbar")).to_be_hidden()
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + f"/tips/{tip.pk}/receipt/")
    expect(page.get_by_test_id("tip-code")).to_have_text(code)
    expect(page.get_by_text(re.compile("Đã hiện một lần"))).to_be_visible()
    page.screenshot(path=f"test-results/tips-receipt-1280-{locale}.png", full_page=True)
    context.close()
