"""The tips list is cards on a phone, not a sideways table, and the menu fits at a desk."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_the_tips_list_is_cards_on_a_phone(browser, live_server, locale):
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    from canhgiac.accounts import services as accounts
    from canhgiac.conftest import PASSWORD
    from canhgiac.core import policy
    from canhgiac.directory.models import Agency
    from canhgiac.tips import services

    for i in range(30):
        services.submit_public(
            {"description": f"Cửa hàng số {i} bán xăng pha tạp chất, bơm thiếu.", "goods_category": "fuel"}
        )
    accounts.create_user(
        "xu_ly_tin", PASSWORD, memberships=[(Agency.objects.get(code="QLTT"), policy.TIP_HANDLER)]
    )
    context = browser.new_context(locale=locale, viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("xu_ly_tin")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
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
