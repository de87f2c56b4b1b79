"""Under the strict Content-Security-Policy the pages and the local API docs still work in
chromium, and the browser reports no violation."""

import re

import pytest
from playwright.sync_api import expect

from canhgiac.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_and_api_docs_run_without_a_policy_violation(page, live_server, officer):
    violations = []
    page.on(
        "console",
        lambda msg: (
            violations.append(page.url + " " + msg.text[:60])
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    page.goto(live_server.url + "/tips/report/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("officer_qltt")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    page.goto(live_server.url + "/cases/new/")
    page.click("[data-add-row=goods]")
    page.goto(live_server.url + "/cases/")
    page.goto(live_server.url + "/reporting/")
    page.goto(live_server.url + "/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(re.compile("Cảnh Giác 389 API"))
    assert violations == [], violations
