"""In a real browser, on a 360 px phone and a 1280 px screen: the Standing Office records a
meeting, enters a conclusion on the meeting's screen (dd/mm/yyyy deadline), issues the
conclusions and finds them as plan tasks; no page of the committee scrolls sideways. Run with
`make test-browser`."""

import pytest
from django.core.management import call_command

from canhgiac.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "",
    "membership/",
    "meetings/",
    "regulations/",
    "training/",
    "library/",
    "bulletins/",
    "commendations/",
    "international/",
]


def _sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")  # the sign-in form, not the portal menu\'s search
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_conclusion_entered_on_the_meeting_screen_becomes_a_plan_task(live_server, browser, width):
    from canhgiac.accounts import services as accounts
    from canhgiac.core import policy
    from canhgiac.directory.models import Agency
    from canhgiac.plans.models import Plan

    call_command("setup", "--no-migrate", stdout=open("/dev/null", "w"))
    accounts.create_user(
        "sct_coordinator", PASSWORD, memberships=[(Agency.objects.get(code="SCT"), policy.COORDINATOR)]
    )
    page = browser.new_context(viewport={"width": width, "height": 800}, locale="en-US").new_page()
    _sign_in(page, live_server.url, "sct_coordinator")
    for path in PAGES:
        page.goto(f"{live_server.url}/committee/{path}")
        assert _no_sideways_scroll(page), (width, path)
    page.goto(f"{live_server.url}/committee/meetings/")
    page.click("details.cm-form summary")
    page.select_option("#id_committee", index=1)
    page.fill("#id_held_on", "12/05/2026")
    page.fill("#id_title", "Họp Ban Chỉ đạo quý II")
    page.fill("#id_chair", "Phó Chủ tịch UBND tỉnh")
    page.click("details.cm-form button[type=submit]")
    page.wait_for_url(lambda url: "/committee/meetings/" in url and url.rstrip("/")[-1].isdigit())
    assert _no_sideways_scroll(page)
    qltt = Agency.objects.get(code="QLTT")
    page.fill("#id_c-text", "Kiểm tra các cửa hàng mỹ phẩm trên địa bàn")
    page.select_option("#id_c-lead", str(qltt.pk))
    page.fill("#id_c-due", "30/06/2026")
    page.click("details.cm-form[open] button[type=submit]")
    page.wait_for_selector("[data-testid=conclusions] td:has-text('Kiểm tra các cửa hàng')")
    page.click("[data-testid=issue]")
    page.wait_for_selector("[data-testid=plan-tasks]")
    row = page.locator("[data-testid=plan-tasks] tbody tr").first
    assert "Kiểm tra các cửa hàng mỹ phẩm" in row.inner_text() and "30/06/2026" in row.inner_text()
    assert _no_sideways_scroll(page)
    plan = Plan.objects.get(code__startswith="committee_meeting_")
    assert list(plan.tasks.values_list("lead_agencies__code", flat=True)) == ["QLTT"]
