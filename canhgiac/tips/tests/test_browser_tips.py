"""A citizen on a phone sends a tip with a photo, then follows it up with code and secret."""

import io
import re

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "IMG_20260301.jpg"
    exif = Image.Exif()
    exif[0x0110] = "SecretPhone X"
    Image.new("RGB", (64, 48), (180, 40, 40)).save(path, format="JPEG", exif=exif)
    return path


def test_a_citizen_sends_a_tip_with_a_photo_and_follows_it_up(page, live_server, photo):
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    from canhgiac.tips import services
    from canhgiac.tips.models import Tip

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + "/")
    # the portal menu (issue 16) on every public page
    page.get_by_role("navigation", name="Cổng thông tin").get_by_role("link", name="Gửi tin báo").click()
    expect(page.get_by_role("heading", name="Gửi tin báo")).to_be_visible()
    # A first try without a description names the field.
    page.get_by_role("button", name="Gửi tin báo").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("Nội dung tin báo: bắt buộc")
    expect(page.get_by_label("Anh/chị đã thấy gì?")).to_be_focused()

    page.get_by_label("Anh/chị đã thấy gì?").fill(
        "Cửa hàng mỹ phẩm ở chợ bán son, kem dưỡng giả nhãn hiệu Hàn Quốc, không hóa đơn."
    )
    page.get_by_label("Xã, phường nơi xảy ra").select_option(label="Phường Buôn Ma Thuột")
    page.get_by_label("Địa chỉ, địa điểm cụ thể").fill("Ki-ốt số 12, chợ trung tâm")
    page.get_by_label("Nhóm hàng").select_option("cosmetics")
    page.get_by_label("Ảnh, video (không bắt buộc)").set_input_files(str(photo))
    page.get_by_label("Gửi ẩn danh (không để lại thông tin)").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-results/tips-report-360.png", full_page=True)
    page.get_by_role("button", name="Gửi tin báo").click()

    expect(page.get_by_role("heading", name="Cảm ơn anh/chị đã gửi tin báo")).to_be_visible()
    code = page.get_by_test_id("tip-code").inner_text().strip()
    secret = page.get_by_test_id("tip-secret").inner_text().strip()
    tip = Tip.objects.get(code=code)
    assert tip.lead_agency.code == "SYT" and tip.anonymous and tip.contact_encrypted == ""
    stored = tip.attachments.get().file.open("rb").read()
    assert b"SecretPhone" not in stored

    services.staff_message(_handler(tip), tip, "Cảm ơn anh/chị, Sở Y tế đã tiếp nhận và sẽ kiểm tra.")

    page.get_by_role("button", name="Theo dõi tin báo").click()
    page.get_by_label("Mã tin báo").fill(code.lower())
    page.get_by_label("Mã bí mật").fill("WRONG-SECRET")
    page.get_by_role("button", name="Xem tin báo").click()
    expect(page.get_by_text("Mã tin báo hoặc mã bí mật không đúng.")).to_be_visible()
    page.get_by_label("Mã bí mật").fill(secret)
    page.get_by_role("button", name="Xem tin báo").click()
    expect(page.get_by_test_id("tip-status")).to_contain_text("Mới tiếp nhận")
    expect(page.get_by_text("Sở Y tế đã tiếp nhận")).to_be_visible()
    page.get_by_label("Tin nhắn cho cơ quan xử lý").fill("Ki-ốt mở cửa từ 6 giờ sáng.")
    page.get_by_role("button", name="Gửi tin nhắn").click()
    expect(page.get_by_text("Đã gửi tin nhắn cho cơ quan xử lý.")).to_be_visible()
    expect(page.get_by_text("Ki-ốt mở cửa từ 6 giờ sáng.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-results/tips-follow-360.png", full_page=True)
    assert tip.messages.filter(from_tipster=True).count() == 1


def _handler(tip):
    from canhgiac.accounts import services
    from canhgiac.conftest import PASSWORD
    from canhgiac.core import policy

    return services.create_user(
        "tip_handler_syt", PASSWORD, memberships=[(tip.lead_agency, policy.TIP_HANDLER)]
    )


def test_a_tip_handler_accepts_a_tip_sees_the_contact_and_replies_on_a_phone(page, live_server):
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    from canhgiac.accounts import services as accounts
    from canhgiac.conftest import PASSWORD
    from canhgiac.core import policy
    from canhgiac.directory.models import Agency
    from canhgiac.tips import services

    accounts.create_user(
        "tip_handler_qltt",
        PASSWORD,
        full_name="Hoàng Thị Tin Báo",
        memberships=[(Agency.objects.get(code="QLTT"), policy.TIP_HANDLER)],
    )
    tip, secret = services.submit_public(
        {
            "description": "Cây xăng đầu xã bơm thiếu, đồng hồ nhảy số nhanh bất thường.",
            "goods_category": "fuel",
            "anonymous": False,
            "reporter_name": "Nguyễn Văn Dân",
            "reporter_phone": "0912345678",
        }
    )

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("tip_handler_qltt")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url + "/tips/")
    page.get_by_role("link", name=tip.code).click()
    expect(page.get_by_text("0912345678")).to_have_count(0)
    page.get_by_role("button", name="Thụ lý", exact=True).click()
    expect(page.get_by_text("Đã thụ lý tin báo.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Xem thông tin liên hệ")).click()
    expect(page.get_by_test_id("contact")).to_contain_text("0912345678")
    page.get_by_label("Nội dung").fill("Cảm ơn anh, đoàn kiểm tra sẽ đến trong tuần.")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_text("Đã gửi.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-results/tips-detail-360.png", full_page=True)
    status = services.public_status(services.find_for_tipster(tip.code, secret))
    assert status["status"] == "accepted" and status["messages"][0]["from"] == "QLTT"
