"""A citizen on a phone (360 px) checks a code, typed and from a QR image fed to the camera
input, sees "suspicious" and reports it as a tip."""

import io
import re

import pytest
import segno
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_checks_a_copied_code_typed_and_scanned_and_reports_it(
    page, live_server, tmp_path, settings
):
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from canhgiac.conftest import make_business
    from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
    from canhgiac.goods import codes, verify
    from canhgiac.goods.models import Product
    from canhgiac.tips.models import Tip

    business, _user = make_business("0100233488", "Công ty CP Dược phẩm Hoa Mai", "hoa_mai")
    product = Product.objects.create(
        gtin="08934588012228",
        name="Sữa bột Hoa Mai",
        category=GoodsCategory.objects.get(code="milk"),
        owner=business,
    )
    batch = codes.request_batch(None, product, "L2026-01", 2)
    codes.issue_batch(batch)
    (serial1, code1), (serial2, code2) = codes.read_codes(batch)
    a, b, c = AdministrativeUnit.objects.filter(parent=business.province).order_by("code")[:3]
    verify.forget_cached()
    for code in (code1, code2):  # the copies were already scanned in two other communes today
        verify.check(code, a.code)
        verify.check(code, b.code)

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("Kiểm tra hàng thật, hàng giả")).click()
    expect(page.get_by_role("heading", name="Kiểm tra hàng thật, hàng giả")).to_be_visible()

    # typed
    page.get_by_label("Mã cần kiểm tra").fill(code1)
    page.get_by_label("Nơi anh/chị đang kiểm tra (không bắt buộc)").select_option(c.code)
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    answer = page.get_by_test_id("answer")
    expect(answer).to_have_attribute("data-status", "suspicious")
    expect(answer).to_contain_text("Nghi vấn mã bị sao chép")
    expect(answer).to_contain_text("Sữa bột Hoa Mai")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # from a photo of the QR code, fed to the camera input (file input with capture)
    qr = tmp_path / "qr.png"
    segno.make(code2, error="m").save(str(qr), scale=6, border=4)
    page.goto(live_server.url + f"/goods/check/?unit_code={c.code}")
    page.get_by_label("Chụp hoặc chọn ảnh mã QR").set_input_files(str(qr))
    answer = page.get_by_test_id("answer")
    expect(answer).to_have_attribute("data-status", "suspicious")
    expect(answer).to_contain_text(serial2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-results/goods-check-360.png", full_page=True)

    # report it as a tip: the form comes pre-filled
    page.get_by_test_id("report-tip").click()
    description = page.get_by_label("Anh/chị đã thấy gì?")
    expect(description).to_have_value(re.compile("Nghi vấn mã bị sao chép"))
    page.get_by_label("Gửi ẩn danh (không để lại thông tin)").check()
    page.get_by_role("button", name="Gửi tin báo").click()
    expect(page.get_by_role("heading", name="Cảm ơn anh/chị đã gửi tin báo")).to_be_visible()
    tip = Tip.objects.get(code=page.get_by_test_id("tip-code").inner_text().strip())
    assert serial2 in tip.description and tip.unit_id == c.pk and tip.goods_category.code == "milk"
