"""Creating a case in a real browser, on a phone-sized screen (run with `make test-browser`)."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from canhgiac.conftest import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("CANHGIAC_SCREENSHOTS", "var/screenshots"))


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 360, "height": 800})
    return page


def test_an_officer_creates_a_case_with_two_goods_lines_on_a_phone(live_server, phone, transactional_db):
    from canhgiac.accounts import services as accounts
    from canhgiac.cases.models import Case
    from canhgiac.directory.models import AdministrativeUnit, Agency

    call_command("setup", "--no-migrate", verbosity=0, stdout=open(os.devnull, "w"))
    accounts.create_user("officer_qltt", PASSWORD, memberships=[(Agency.objects.get(code="QLTT"), "officer")])
    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("name").first()

    page = phone
    page.goto(f"{live_server.url}/accounts/login/?next=/cases/")
    page.fill("#id_username", "officer_qltt")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")  # the sign-in form, not the portal menu\'s search
    page.wait_for_url("**/cases/")
    page.click("[data-testid=new-case]")
    page.wait_for_url("**/cases/new/")
    assert page.eval_on_selector("#id_lead_agency", "e => e.selectedOptions[0].text") == "QLTT"
    page.fill("#id_detected_on", "2026-03-02")
    page.select_option("#id_unit", str(unit.pk))
    page.select_option("#id_violation_type", label="Hàng giả")
    page.fill("#id_summary", "Cửa hàng bán mỹ phẩm giả nhãn hiệu qua Facebook")
    page.select_option("#id_goods-0-goods_category", "cosmetics")
    page.fill("#id_goods-0-description", "Kem dưỡng da giả")
    page.fill("#id_goods-0-quantity", "120")
    page.fill("#id_goods-0-value_vnd", "36000000")
    page.click("[data-add-row=goods]")
    page.select_option("#id_goods-1-goods_category", "functional_food")
    page.fill("#id_goods-1-description", "Viên uống trắng da")
    page.fill("#id_goods-1-value_vnd", "9000000")
    page.fill("#id_subjects-0-name", "Hồ Thị Lan")
    page.fill("#id_subjects-0-identifier", "066190001111")
    page.select_option("#id_subjects-0-role", "seller")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "cases_form_360.png"), full_page=True)
    page.click("[data-testid=save-case]")
    page.wait_for_selector("[data-testid=case-reference]")
    case = Case.objects.get()
    assert page.inner_text("[data-testid=case-reference]") == case.reference
    page.screenshot(path=str(SHOTS / "cases_detail_360.png"), full_page=True)
    assert case.goods.count() == 2 and case.goods_value_vnd == 45_000_000
    assert case.subject_links.get().subject.name == "Hồ Thị Lan"
    page.goto(f"{live_server.url}/cases/")
    assert case.reference in page.inner_text("[data-testid=case-table]")
    page.screenshot(path=str(SHOTS / "cases_list_360.png"), full_page=True)
    page.goto(f"{live_server.url}/cases/figures/?date_from=2026-01-01&date_to=2026-06-30")
    assert "45.000.000" in page.inner_text("[data-testid=figures]")
    page.screenshot(path=str(SHOTS / "cases_figures_360.png"), full_page=True)
