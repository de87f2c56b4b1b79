"""Helpers for browser tests: the reference data, a staff member, and a signed-in page in a given
browser locale and viewport."""

import io

from django.core.management import call_command


def signed_in_page(browser, live_server, username, agency_code, role, *, locale, width=360, height=780):
    """Load the reference data, create `username` with `role` in the agency, sign in; returns
    (context, page). The caller closes the context."""
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    from canhgiac.accounts import services as accounts
    from canhgiac.conftest import PASSWORD
    from canhgiac.directory.models import Agency

    agency = (
        Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
        if agency_code == "commune"
        else Agency.objects.get(code=agency_code)
    )
    accounts.create_user(username, PASSWORD, memberships=[(agency, role)])
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    return context, page
