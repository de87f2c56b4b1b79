"""The whole loop in a browser: an agency submits, its leader approves, the Standing Office
accepts and downloads the consolidated DOCX."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from canhgiac.core import policy

pytestmark = pytest.mark.browser

SHOTS = "/tmp/reporting-shots"


def _sign_in(context, live_server, user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    context.clear_cookies()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def world(transactional_db):
    from canhgiac.accounts import services as accounts
    from canhgiac.directory.models import Agency
    from canhgiac.reporting import services

    call_command("setup", "--no-migrate", verbosity=0, stdout=io.StringIO())
    pw = "Mat-khau-kiem-thu-389"
    users = {
        "officer": accounts.create_user(
            "officer_qltt", pw, memberships=[(Agency.objects.get(code="QLTT"), policy.OFFICER)]
        ),
        "leader": accounts.create_user(
            "leader_qltt", pw, memberships=[(Agency.objects.get(code="QLTT"), policy.LEADER)]
        ),
        "coordinator": accounts.create_user(
            "coordinator_sct", pw, memberships=[(Agency.objects.get(code="SCT"), policy.COORDINATOR)]
        ),
    }
    today = services.today()
    period = services.create_period(
        None,
        kind="quarterly",
        name="Quý kiểm thử trình duyệt",
        data_from=today - dt.timedelta(days=90),
        data_to=today - dt.timedelta(days=1),
        deadline=today + dt.timedelta(days=5),
        office_deadline=today + dt.timedelta(days=8),
        submitters=Agency.objects.filter(code__in=["QLTT", "CA"]),
    )
    return users, period


def test_agency_submits_leader_approves_office_accepts_and_downloads_docx(live_server, page, world):
    import os

    from docx import Document

    users, period = world
    os.makedirs(SHOTS, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 800})
    _sign_in(page.context, live_server, users["officer"])
    page.goto(f"{live_server.url}/reporting/")
    page.screenshot(path=f"{SHOTS}/index-360.png", full_page=True)
    page.get_by_role("button", name="Lập báo cáo — QLTT").click()
    page.wait_for_selector("#report-form")
    for field in page.locator("#report-form input[name^='v_']").all():
        if not field.get_attribute("name").startswith("v_plan_tasks"):
            field.fill("2")
    for field in page.locator("#report-form input[name^='r_']").all():  # figures typed over the system's
        if not field.get_attribute("name").startswith("r_plan_tasks"):
            field.fill("Số liệu đơn vị tổng hợp từ sổ theo dõi.")
    page.fill("input[name='v_criminal_cases']", "1")
    page.fill("input[name='v_fines_vnd']", "15.000.000")
    page.locator("details", has_text="Theo loại vi phạm").locator("summary").click()
    page.fill("input[name='b_cases__smuggling']", "1")
    page.fill("input[name='b_cases__counterfeit']", "1")
    for code in ("situation", "results", "shortcomings", "next_tasks"):
        page.fill(f"#n_{code}", "Nội dung kiểm thử của QLTT.")
    page.screenshot(path=f"{SHOTS}/submission-360.png", full_page=True)
    page.get_by_role("button", name="Trình lãnh đạo duyệt").click()
    page.screenshot(path=f"{SHOTS}/submitted-360.png", full_page=True)
    assert page.get_by_test_id("status").inner_text() == "Chờ lãnh đạo duyệt"

    _sign_in(page.context, live_server, users["leader"])
    page.reload()
    page.get_by_test_id("approve-form").locator("input[name=confirm]").check()
    page.get_by_role("button", name="Duyệt và gửi Cơ quan Thường trực").click()
    assert page.get_by_test_id("status").inner_text() == "Đã gửi Cơ quan Thường trực"

    _sign_in(page.context, live_server, users["coordinator"])
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/reporting/periods/{period.pk}/")
    assert page.get_by_test_id("completeness").inner_text() == "50,0%"
    page.get_by_role("link", name="QLTT").click()
    page.get_by_role("button", name="Tiếp nhận").click()
    assert page.get_by_test_id("status").inner_text() == "Đã tiếp nhận"
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/reporting/periods/{period.pk}/")
    page.screenshot(path=f"{SHOTS}/period-board-360.png", full_page=True)
    page.goto(f"{live_server.url}/reporting/periods/{period.pk}/consolidated/")
    page.screenshot(path=f"{SHOTS}/consolidated-360.png", full_page=True)
    page.get_by_test_id("download-docx").click()  # the export runs as a job; its page offers the file
    page.screenshot(path=f"{SHOTS}/export-job-360.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_test_id("job-result").click()
    path = download_info.value.path()
    doc = Document(path)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Quý kiểm thử trình duyệt" in text and "15.000.000" in text
    assert "1/2 đơn vị đã gửi báo cáo" in text
