"""An officer on a phone reviews a flagged listing, requests a takedown and turns it into a case."""

import pytest
from playwright.sync_api import expect

from canhgiac.core.tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_reviews_a_flagged_listing_requests_a_takedown_and_makes_a_case(browser, live_server):
    from canhgiac.core import policy
    from canhgiac.online import services
    from canhgiac.online.models import Listing, Platform, Takedown

    context, page = signed_in_page(
        browser, live_server, "can_bo_qltt", "QLTT", policy.OFFICER, locale="vi-VN"
    )
    services.save_listing(
        None,
        {
            "agency": services.default_agency("QLTT"),
            "platform": Platform.objects.get(code="shopee"),
            "listing_ref": "SP-1",
            "title": "Giày Nike Air Force 1 rep 1:1",
            "shop_name": "Giày Sneaker Đắk Lắk",
            "description": "hang noi dia trung, khong hoa don",
            "url": "https://shopee.vn/p/1",
            "price_vnd": 450_000,
        },
    )
    services.save_listing(
        None,
        {
            "agency": services.default_agency("QLTT"),
            "platform": Platform.objects.get(code="tiki"),
            "listing_ref": "TK-1",
            "title": "Cà phê Buôn Ma Thuột 500g",
            "shop_name": "Đặc Sản Cao Nguyên",
        },
    )
    page.goto(live_server.url + "/online/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Giày Nike Air Force 1 rep 1:1").click()
    expect(page.locator("#reasons")).to_contain_text("rep 1:1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Ghi chú (số văn bản, kênh gửi)").fill("Công văn 15/QLTT-NV")
    page.locator("#request-takedown").click()
    expect(page.get_by_text("Đã ghi yêu cầu gỡ bỏ gửi nền tảng.")).to_be_visible()
    expect(page.get_by_text("Đã gửi").first).to_be_visible()
    page.locator("#to-case").click()
    page.get_by_label("Xã, phường").select_option(index=1)
    page.get_by_label("Hành vi vi phạm").select_option(label="Hàng giả")
    page.locator("#create-case").click()
    expect(page.get_by_text("Đã tạo vụ việc")).to_be_visible()
    listing = Listing.objects.get(listing_ref="SP-1")
    assert listing.case is not None and listing.case.online_url == "https://shopee.vn/p/1"
    assert Takedown.objects.get(listing=listing).due_at is not None
    page.screenshot(path="test-results/online-case-360.png", full_page=True)
    context.close()
