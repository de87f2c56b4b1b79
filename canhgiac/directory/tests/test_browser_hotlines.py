"""A leader publishes the hotline at a desk; a citizen on a phone finds it and can call it, in a
Vietnamese and an English browser."""

import pytest
from playwright.sync_api import expect

from canhgiac.core.tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_a_leader_publishes_the_hotline_and_a_citizen_calls_it(browser, live_server, locale):
    from canhgiac.core import policy

    desk, page = signed_in_page(
        browser, live_server, "lanh_dao_qltt", "QLTT", policy.LEADER, locale=locale, width=1280, height=800
    )
    page.get_by_role("link", name="Đường dây nóng").first.click()
    page.get_by_label("Số đường dây nóng").fill("số sai")
    page.get_by_role("button", name="Công bố").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(page.get_by_label("Số đường dây nóng")).to_be_focused()
    page.get_by_label("Số đường dây nóng").fill("0262 3852 389")
    page.get_by_label("Thời gian tiếp nhận").fill("24/7")
    page.get_by_role("button", name="Công bố").click()
    expect(page.get_by_text("Đã công bố đường dây nóng")).to_be_visible()
    # At a desk the whole module bar shows, its last item not cut.
    last = page.locator(".cg-modnav li").last
    box = last.bounding_box()
    assert box["x"] + box["width"] <= 1280
    page.screenshot(path=f"test-results/hotline-form-1280-{locale}.png", full_page=True)
    desk.close()

    phone = browser.new_context(locale=locale, viewport={"width": 360, "height": 780})
    page = phone.new_page()
    page.goto(live_server.url + "/hotlines/")
    link = page.get_by_test_id("hotlines-by-field").get_by_role("link", name="0262 3852 389").first
    expect(link).to_have_attribute("href", "tel:02623852389")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=f"test-results/hotlines-360-{locale}.png", full_page=True)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="In danh sách")).to_be_hidden()
    phone.close()
