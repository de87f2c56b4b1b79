"""The tips list is cards on a phone, not a sideways table, and the menu fits at a desk."""

import pytest

from canhgiac.core.tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_the_tips_list_is_cards_on_a_phone(browser, live_server, locale):
    from canhgiac.core import policy
    from canhgiac.tips import services

    context, page = signed_in_page(
        browser, live_server, "xu_ly_tin", "QLTT", policy.TIP_HANDLER, locale=locale
    )
    for i in range(30):
        services.submit_public(
            {"description": f"Cửa hàng số {i} bán xăng pha tạp chất, bơm thiếu.", "goods_category": "fuel"}
        )
    page.goto(live_server.url + "/tips/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # 30 cards of a few lines each, not a 12,500 px column of squeezed cells.
    assert page.evaluate("document.documentElement.scrollHeight") < 30 * 260
    assert page.locator("[data-testid=tip-table] thead").is_hidden()
    page.screenshot(path=f"test-results/tips-list-360-{locale}.png")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    assert page.locator("[data-testid=tip-table] thead").is_visible()
    for item in page.locator(".cg-modnav a").all():
        box = item.bounding_box()
        assert box["x"] + box["width"] <= 1280, item.inner_text()
    page.screenshot(path=f"test-results/tips-list-1280-{locale}.png")
    context.close()
