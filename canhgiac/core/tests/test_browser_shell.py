"""Sign in, see the Vietnamese shell, sign out — in Debian's chromium."""

import re

import pytest
from playwright.sync_api import expect

from canhgiac.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_see_the_vietnamese_shell_and_sign_out(page, live_server, officer):
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + "/app/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_label("Tên đăng nhập").fill("officer_qltt")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_contain_text("Cán bộ nghiệp vụ")
    expect(page.get_by_test_id("whoami")).to_contain_text("QLTT")
    expect(page.get_by_text("Xã, phường trên địa bàn")).to_be_visible()
    # Usable at 360 px: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-results/shell-360.png", full_page=True)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    page.goto(live_server.url + "/app/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
