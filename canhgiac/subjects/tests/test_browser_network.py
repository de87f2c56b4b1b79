"""The network view in Debian's chromium: the graph library loads from the app itself, draws the
server's positions under the strict Content-Security-Policy, on a phone and at a desk; a node
tapped tells what it is; the tables carry the same nodes."""

import pytest
from playwright.sync_api import expect

from canhgiac.core import policy
from canhgiac.core.tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOODS = [{"goods_category": "electronics", "description": "Loa nhái", "quantity": "3", "value_vnd": 1_000}]


def _ring():
    from canhgiac.cases import services as cases
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.subjects.models import Subject

    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
    boss = {"kind": "person", "name": "Hoàng Văn Trùm", "identifier": "066080000001", "role": "organiser"}
    for i in range(6):
        cases.create_case(
            None,
            {
                "lead_agency_code": "QLTT",
                "detected_on": f"2026-0{i + 1}-10",
                "unit_code": unit.code,
                "violation_type": "counterfeit",
                "summary": f"Vụ đường dây {i}",
                "goods": GOODS,
                "subjects": [
                    boss,
                    {
                        "kind": "person",
                        "name": f"Người giúp sức {i}",
                        "role": "seller",
                        "phone": "0912 000 111",
                    },
                ],
            },
        )
    return Subject.objects.get(identifier="066080000001")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_network_view_draws_the_subjects_network(browser, live_server, width):
    context, page = signed_in_page(
        browser, live_server, "can_bo_qltt", "QLTT", policy.OFFICER, locale="vi-VN", width=width
    )
    violations = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    try:
        boss = _ring()
        page.goto(f"{live_server.url}/subjects/{boss.pk}/network/?hops=2")
        canvas = page.get_by_test_id("network-canvas")
        expect(canvas).to_have_attribute("data-ready", "1")
        # 7 subjects, 6 cases, the shared phone
        expect(canvas).to_have_attribute("data-nodes", "14")
        expect(page.locator("#cg-network-status")).to_contain_text("14 nút")
        assert canvas.locator("canvas").count() >= 1
        box = canvas.bounding_box()
        assert box["width"] > 300 and box["height"] >= 300
        # a node is the boss's resolved entity
        assert boss.entity_id is not None
        page.evaluate(f"window.cgNetwork.getElementById('e:{boss.entity_id}').emit('tap')")
        expect(page.locator("#cg-network-info")).to_contain_text("Hoàng Văn Trùm")
        page.get_by_text("Các nút", exact=True).click()
        expect(page.get_by_test_id("network-nodes")).to_contain_text("Người giúp sức 5")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=f"test-results/subject-network-{width}.png", full_page=True)
        # the ranked list leads to the same subject, with its reasons
        page.goto(f"{live_server.url}/subjects/attention/")
        expect(page.get_by_test_id("attention-list")).to_contain_text(
            "Vai trò người tổ chức, cầm đầu trong 6 vụ"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=f"test-results/subject-attention-{width}.png", full_page=True)
        assert violations == [], violations
    finally:
        context.close()
