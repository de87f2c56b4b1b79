"""The leaders' dashboard in a browser: every chart is drawn (ECharts from /static/) with its
table, at 360 px and 1280 px, without a Content-Security-Policy violation; printing hides the
charts and keeps the tables."""

import re

import pytest
from playwright.sync_api import expect

from canhgiac.core.tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.mark.parametrize("width", [360, 1280])
def test_the_charts_render_with_their_tables_on_a_phone_and_a_desk(browser, live_server, width):
    from django.utils import timezone

    from canhgiac.core import policy

    context, page = signed_in_page(
        browser, live_server, "dieu_phoi_sct", "SCT", policy.COORDINATOR, locale="vi-VN", width=width
    )
    from canhgiac.cases import services as cases
    from canhgiac.directory.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
    today = timezone.localdate()
    for day, agency in ((today, "QLTT"), (today, "CA"), (today.replace(year=today.year - 1), "QLTT")):
        cases.create_case(
            None,
            {
                "lead_agency_code": agency,
                "detected_on": day.isoformat(),
                "unit_code": unit.code,
                "violation_type": "counterfeit",
                "summary": "Vụ thử trình duyệt",
                "goods": [
                    {
                        "goods_category": "cosmetics",
                        "description": "Mỹ phẩm",
                        "quantity": "1",
                        "unit": "hộp",
                        "value_vnd": 2_500_000,
                    }
                ],
            },
        )
    page.add_init_script(CSP_WATCH)
    page.goto(live_server.url + "/app/")
    charts = page.locator(".cg-chart")
    assert charts.count() == 8
    for i in range(charts.count()):
        chart = charts.nth(i)
        expect(chart).to_have_attribute("data-drawn", "1")
        assert chart.locator("svg").count() >= 1
        box = chart.bounding_box()
        assert box["width"] > 200 and box["x"] + box["width"] <= width
        table = page.locator(".cg-chartbox").nth(i).locator("table")
        expect(table).to_be_visible()
    months = page.get_by_test_id("chart-cases").locator("table")
    expect(months).to_contain_text("Cùng kỳ")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("window.__csp") == []
    expect(page.get_by_test_id("targets")).to_contain_text("Tỷ lệ thụ lý")
    page.screenshot(path=f"test-results/dashboard-{width}.png", full_page=True)
    page.emulate_media(media="print")
    expect(charts.first).to_be_hidden()
    expect(page.get_by_test_id("chart-cases").locator("table")).to_be_visible()
    if width == 1280:  # the committee's one-page summary
        pdf = page.pdf(format="A4", print_background=False, path="test-results/dashboard-print.pdf")
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    context.close()
