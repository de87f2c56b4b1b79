"""In a real browser: an agency posts an update with an evidence file; the Standing Office sees
the checkpoint's status change. Run with `make test-browser`."""

import pytest
from django.core.management import call_command

from canhgiac.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")  # the sign-in form, not the portal menu\'s search
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def test_agency_posts_update_with_evidence_and_standing_office_sees_the_change(
    live_server, browser, tmp_path, settings
):
    from canhgiac.accounts import services as accounts
    from canhgiac.core import policy
    from canhgiac.directory.models import Agency
    from canhgiac.plans import services
    from canhgiac.plans.models import Plan

    call_command("setup", "--no-migrate", stdout=open("/dev/null", "w"))
    settings.MEDIA_ROOT = tmp_path / "media"
    accounts.create_user(
        "syt_officer", PASSWORD, memberships=[(Agency.objects.get(code="SYT"), policy.OFFICER)]
    )
    accounts.create_user(
        "sct_coordinator", PASSWORD, memberships=[(Agency.objects.get(code="SCT"), policy.COORDINATOR)]
    )
    task = Plan.objects.get(code="dak_lak_2030").tasks.get(code="7.7")
    today = services.today()
    cp = task.checkpoints.filter(due_date__gte=today).order_by("due_date").first()
    task_url = f"{live_server.url}/plans/tasks/{task.pk}/"
    row = f"tr[data-checkpoint='{cp.due_date:%Y-%m-%d}'] [data-status]"

    office = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(office, live_server.url, "sct_coordinator")
    office.goto(task_url)
    assert office.locator(row).get_attribute("data-status") == "in_progress"
    assert office.locator("[data-update]").count() == 0

    agency = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    _sign_in(agency, live_server.url, "syt_officer")
    agency.goto(task_url)
    evidence = tmp_path / "ban-cam-ket.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% ban cam ket cua cac bac si\n")
    form = agency.locator("[data-testid=update-form]")
    form.locator("select[name=checkpoint]").select_option(str(cp.pk))
    form.locator("select[name=status]").select_option("done")
    form.locator("textarea[name=narrative]").fill(
        "Đã tổ chức ký cam kết với 120 bác sĩ, nhà quản lý ngành y tế."
    )
    form.locator("input[name=evidence_number]").fill("215/SYT-NVY")
    form.locator("input[name=evidence_date]").fill(today.isoformat())
    form.locator("input[name=evidence_file]").set_input_files(str(evidence))
    form.locator("button[type=submit]").click()
    agency.wait_for_selector(".cg-messages")
    assert "Đã ghi nhận cập nhật tiến độ" in agency.locator(".cg-messages").inner_text()
    agency.screenshot(path=str(tmp_path / "task-360.png"), full_page=True)

    office.reload()
    assert office.locator(row).get_attribute("data-status") == "done_on_time"
    update = office.locator("[data-update]").first
    assert "215/SYT-NVY" in update.inner_text() and "Sở Y tế" in update.inner_text()
    with office.expect_download() as download:
        update.get_by_role("link", name="Tải tệp").click()
    assert download.value.suggested_filename.startswith("ban-cam-ket")
