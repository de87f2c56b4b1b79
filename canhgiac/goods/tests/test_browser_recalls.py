"""On a phone (360 px): an officer names a registered product on a case's goods line by its GTIN
and sees its name looked up as typed; a Department of Health officer records a recall of a lot;
a citizen opening the product's Digital Link page sees the recall."""

import pytest
from playwright.sync_api import expect

from canhgiac.core.tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _product():
    from canhgiac.conftest import make_business
    from canhgiac.directory.models import GoodsCategory
    from canhgiac.goods.models import Product

    business, _user = make_business("4000000014", "Công ty Sen")
    return Product.objects.create(
        gtin="08934588012228",
        name="Sữa Sen 180ml",
        category=GoodsCategory.objects.get(code="milk"),
        owner=business,
    )


def test_the_case_form_looks_up_a_gtin_as_typed(browser, live_server):
    from canhgiac.core import policy

    context, page = signed_in_page(
        browser, live_server, "can_bo_qltt", "QLTT", policy.OFFICER, locale="vi-VN"
    )
    _product()
    page.goto(live_server.url + "/cases/new/")
    field = page.locator("#id_goods-0-product_gtin")
    field.fill("8934588012228")
    field.press("Tab")
    expect(page.locator("[data-gtin-note]")).to_contain_text("Sữa Sen 180ml")
    field.fill("96385074")
    field.press("Tab")
    expect(page.locator("[data-gtin-note]")).to_contain_text("chưa được đăng ký")
    field.fill("8934588012229")
    field.press("Tab")
    expect(page.locator("[data-gtin-note]")).to_contain_text("không hợp lệ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_a_recall_recorded_on_a_phone_shows_on_the_public_product_page(browser, live_server):
    from canhgiac.core import policy

    context, page = signed_in_page(browser, live_server, "can_bo_syt", "SYT", policy.OFFICER, locale="vi-VN")
    product = _product()
    page.goto(live_server.url + f"/goods/recalls/new/?gtin={product.gtin}")
    page.locator("#id_lot").fill("L2411A")
    page.locator("#id_reason").fill("Không đạt chỉ tiêu vi sinh")
    page.get_by_role("button", name="Ghi nhận thu hồi").click()
    expect(page.get_by_test_id("product-recalls")).to_contain_text("L2411A")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-results/goods-recall-360.png", full_page=True)
    public = context.browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    public.goto(live_server.url + f"/01/{product.gtin}/10/L2411A")
    expect(public.get_by_test_id("public-recalls")).to_contain_text("Không đạt chỉ tiêu vi sinh")
    assert public.evaluate("document.documentElement.scrollWidth") <= 360
    public.context.close()
    context.close()
