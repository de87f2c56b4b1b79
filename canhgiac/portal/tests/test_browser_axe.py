"""The public portal on a phone with no account: every page passes axe-core (vendored from npm
in tests/vendor/, injected by Playwright) with no serious or critical violation, fits 360 px, and
shows the menu; at a desk too."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
PAGES = [
    "/",
    "/hotlines/",
    "/canh-bao/",
    "/so-lieu/",
    "/hang-hoa/",
    "/huong-dan/",
    "/huong-dan/nguoi-tieu-dung/",
    "/huong-dan/doanh-nghiep/",
    "/huong-dan/so-tay/",
    "/tim-kiem/?q=m%E1%BB%B9+ph%E1%BA%A9m",
    "/tips/report/",
    "/tips/follow/",
    # the menu's "Kiểm tra sản phẩm" and "Cam kết" (goods and online apps)
    "/goods/check/",
    "/goods/lookup/",
    "/online/commitments/public/",
]


def _world():
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    from canhgiac.accounts import services as accounts
    from canhgiac.cases import services as cases
    from canhgiac.conftest import PASSWORD
    from canhgiac.core import policy
    from canhgiac.directory.models import Agency
    from canhgiac.portal import statistics

    coordinator = accounts.create_user(
        "dieu_phoi_axe", PASSWORD, memberships=[(Agency.objects.get(code="SCT"), policy.COORDINATOR)]
    )
    cases.save_warning(
        coordinator,
        {"title": "Thủ đoạn bán mỹ phẩm giả qua livestream", "body": "Giá rẻ bất thường, không hóa đơn."},
        publish=True,
    )
    statistics.refresh()


@pytest.mark.parametrize("width", [360, 1280])
def test_portal_pages_pass_axe_with_no_serious_or_critical_violation(browser, live_server, width):
    _world()
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    found = {}
    for url in PAGES:
        page.goto(live_server.url + url)
        assert page.locator(".cg-portalnav").get_by_role("link", name="Số liệu").is_visible()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            found[url] = bad
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
    page.goto(live_server.url + "/so-lieu/")
    page.screenshot(path=f"test-results/portal-statistics-{width}.png", full_page=True)
    page.goto(live_server.url + "/")
    page.screenshot(path=f"test-results/portal-home-{width}.png", full_page=True)
    context.close()
    assert not found, found
