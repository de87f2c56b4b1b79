"""Money and dates typed the Vietnamese way in a real browser, whatever the browser's language
(issue 11, item 1). Run with `make test-browser`."""

import os

import pytest
from django.core.management import call_command

from canhgiac.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_a_fine_typed_with_points_is_stored_in_full_and_shown_vietnamese_style(live_server, browser, locale):
    from canhgiac.accounts import services as accounts
    from canhgiac.cases.models import Case
    from canhgiac.directory.models import AdministrativeUnit, Agency

    call_command("setup", "--no-migrate", verbosity=0, stdout=open(os.devnull, "w"))
    accounts.create_user("officer_qltt", PASSWORD, memberships=[(Agency.objects.get(code="QLTT"), "officer")])
    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("name").first()
    context = browser.new_context(locale=locale, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/cases/new/")
    page.fill("#id_username", "officer_qltt")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")  # the sign-in form, not the portal menu\'s search
    page.wait_for_url("**/cases/new/")
    assert page.get_attribute("#id_detected_on", "type") == "text"
    page.fill("#id_detected_on", "")
    page.type("#id_detected_on", "02/03/2026")
    page.select_option("#id_unit", str(unit.pk))
    page.select_option("#id_violation_type", label="Hàng giả")
    page.fill("#id_summary", "Bán mỹ phẩm giả")
    page.select_option("#id_goods-0-goods_category", "cosmetics")
    page.fill("#id_goods-0-description", "Kem dưỡng da giả")
    page.type("#id_goods-0-quantity", "1200,5")
    assert page.input_value("#id_goods-0-quantity") == "1.200,5"
    page.type("#id_goods-0-value_vnd", "36000000")
    assert page.input_value("#id_goods-0-value_vnd") == "36.000.000"
    page.click("text=Xử lý: trạng thái, quyết định, tiền phạt, thu nộp ngân sách")
    page.fill("#id_fine_vnd", "")
    page.type("#id_fine_vnd", "500")
    assert "thấp bất thường" in page.inner_text("#id_fine_vnd-cg-warn")
    page.fill("#id_fine_vnd", "")
    page.type("#id_fine_vnd", "25.000.000")
    assert page.input_value("#id_fine_vnd") == "25.000.000"
    assert page.inner_text("#id_fine_vnd-cg-warn") == ""
    page.fill("#id_subjects-0-name", "Hồ Thị Lan")
    page.select_option("#id_subjects-0-role", "seller")
    page.click("[data-testid=save-case]")
    page.wait_for_selector("[data-testid=case-reference]")
    case = Case.objects.get()
    assert case.fine_vnd == 25_000_000 and str(case.goods.get().quantity) == "1200.500"
    assert case.detected_on.isoformat() == "2026-03-02"
    assert page.inner_text("[data-testid=fine]") == "25.000.000 đ"
    page.goto(f"{live_server.url}/cases/{case.pk}/edit/")
    assert page.input_value("#id_fine_vnd") == "25.000.000"
    assert page.input_value("#id_detected_on") == "02/03/2026"
    context.close()
