"""An officer on a phone saves a case without a subject; a mistake is summed up at the top and
focus goes to the field at fault; in a Vietnamese and an English browser."""

import pytest
from playwright.sync_api import expect

from canhgiac.core.tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_a_case_without_a_subject_saves_and_errors_are_summed_up_at_the_top(browser, live_server, locale):
    from canhgiac.cases.models import Case
    from canhgiac.core import policy

    context, page = signed_in_page(browser, live_server, "can_bo_qltt", "QLTT", policy.OFFICER, locale=locale)
    page.goto(live_server.url + "/cases/new/")
    page.locator("#id_unit").select_option(index=1)
    page.locator("#id_violation_type").select_option(index=1)
    page.locator("#id_summary").fill("Cửa hàng bán sữa bột không rõ nguồn gốc")
    page.locator("#id_goods-0-goods_category").select_option("milk")
    page.locator("#id_goods-0-description").fill("Sữa bột ngoại")
    # The subject row is left as it shows: its selects have a value, its text boxes are empty.
    page.locator("#id_subjects-0-identifier").fill("066199000123")
    page.get_by_test_id("save-case").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    assert summary.bounding_box()["y"] < 400
    expect(page.locator("#id_subjects-0-name")).to_be_focused()
    page.screenshot(path=f"test-results/case-form-errors-360-{locale}.png")
    page.locator("#id_subjects-0-identifier").fill("")
    page.get_by_test_id("save-case").click()
    expect(page.get_by_text("Đã lưu vụ việc")).to_be_visible()
    case = Case.objects.get()
    assert case.subject_links.count() == 0 and case.goods.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=f"test-results/case-detail-360-{locale}.png", full_page=True)
    context.close()
