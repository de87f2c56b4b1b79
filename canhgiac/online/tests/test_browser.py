"""An officer on a phone reviews a flagged listing, requests a takedown and turns it into a case."""

import pytest
from playwright.sync_api import expect

from canhgiac.core.tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_reviews_a_flagged_listing_requests_a_takedown_and_makes_a_case(browser, live_server):
    from canhgiac.core import policy
    from canhgiac.online import services
    from canhgiac.online.models import Listing, Platform, Takedown

    context, page = signed_in_page(
        browser, live_server, "can_bo_qltt", "QLTT", policy.OFFICER, locale="vi-VN"
    )
    services.save_listing(
        None,
        {
            "agency": services.default_agency("QLTT"),
            "platform": Platform.objects.get(code="shopee"),
            "listing_ref": "SP-1",
            "title": "Giày Nike Air Force 1 rep 1:1",
            "shop_name": "Giày Sneaker Đắk Lắk",
            "description": "hang noi dia trung, khong hoa don",
            "url": "https://shopee.vn/p/1",
            "price_vnd": 450_000,
        },
    )
    services.save_listing(
        None,
        {
            "agency": services.default_agency("QLTT"),
            "platform": Platform.objects.get(code="tiki"),
            "listing_ref": "TK-1",
            "title": "Cà phê Buôn Ma Thuột 500g",
            "shop_name": "Đặc Sản Cao Nguyên",
        },
    )
    page.goto(live_server.url + "/online/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Giày Nike Air Force 1 rep 1:1").click()
    expect(page.locator("#reasons")).to_contain_text("rep 1:1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Ghi chú (số văn bản, kênh gửi)").fill("Công văn 15/QLTT-NV")
    page.locator("#request-takedown").click()
    expect(page.get_by_text("Đã ghi yêu cầu gỡ bỏ gửi nền tảng.")).to_be_visible()
    expect(page.get_by_text("Đã gửi").first).to_be_visible()
    page.locator("#to-case").click()
    page.get_by_label("Xã, phường").select_option(index=1)
    page.get_by_label("Hành vi vi phạm").select_option(label="Hàng giả")
    page.locator("#create-case").click()
    expect(page.get_by_text("Đã tạo vụ việc")).to_be_visible()
    listing = Listing.objects.get(listing_ref="SP-1")
    assert listing.case is not None and listing.case.online_url == "https://shopee.vn/p/1"
    assert Takedown.objects.get(listing=listing).due_at is not None
    page.screenshot(path="test-results/online-case-360.png", full_page=True)
    context.close()


def test_a_business_user_on_a_phone_reads_and_signs_the_commitment(browser, live_server):
    """Issue 15, item 5: the business area on a 360 px phone — read the template, tick the
    confirmation, sign; the public list shows the business."""
    import datetime as dt
    import io

    from django.core.management import call_command

    from canhgiac.conftest import PASSWORD, make_business
    from canhgiac.online.models import Commitment, Signer, SignerKind

    call_command("setup", "--no-migrate", stdout=io.StringIO())
    business, _user = make_business("0100233488", "Công ty CP Dược phẩm Hoa Mai", "dn_hoamai")
    Signer.objects.create(
        province=business.province,
        kind=SignerKind.objects.get(code="health_goods"),
        name=business.name,
        identifier=business.tax_code,
        registered_on=dt.date(2026, 4, 2),
    )
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("dn_hoamai")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_role("link", name="Cam kết không kinh doanh hàng giả").click()
    expect(page.locator("blockquote.cg-commitment")).to_contain_text("cam kết")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-results/online-business-sign-360.png", full_page=True)
    page.get_by_label("Tôi đã đọc và đồng ý").check()
    page.get_by_role("button", name="Ký cam kết").click()
    expect(page.get_by_text("Đã ký cam kết. Cảm ơn doanh nghiệp.")).to_be_visible()
    expect(page.get_by_text("bằng tài khoản dn_hoamai")).to_be_visible()
    commitment = Commitment.objects.get()
    assert commitment.recorded_by.username == "dn_hoamai" and commitment.signed_at is not None
    page.get_by_role("link", name="Danh sách công khai đã ký cam kết").click()
    expect(page.get_by_role("cell", name="Công ty CP Dược phẩm Hoa Mai")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_a_signer_account_claims_its_entry_and_signs_it(browser, live_server):
    """A KOC's signer-area account, its ID number recorded, finds its entry on the signer page,
    says "Đây là tôi" and signs (phone width, then a desktop screenshot)."""
    import io

    from django.core.management import call_command

    from canhgiac.accounts import services as accounts
    from canhgiac.conftest import PASSWORD
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.online import services
    from canhgiac.online.models import Signer, SignerKind

    call_command("setup", "--no-migrate", stdout=io.StringIO())
    province = AdministrativeUnit.objects.get(codename="dak_lak")
    user = accounts.create_user("koc_be_na", PASSWORD, full_name="Bé Na")
    services.add_signer(
        None, province, kind=SignerKind.objects.get(code="kol"), name="KOC Bé Na", identifier="040123456789"
    )
    from canhgiac.online.models import SignerIdentity

    SignerIdentity.objects.create(user=user, province=province, identifier="040123456789")
    for width in (360, 1280):
        context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill("koc_be_na")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.goto(live_server.url + "/online/commitments/sign/")
        if width == 360:
            expect(page.locator("#claim")).to_contain_text("KOC Bé Na")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            page.screenshot(path="test-results/online-claim-360.png", full_page=True)
            page.get_by_role("button", name="Đây là tôi").click()
            expect(page.get_by_text("Đã gắn “KOC Bé Na” vào tài khoản của bạn.")).to_be_visible()
            page.get_by_label("Tôi đã đọc và đồng ý").check()
            page.get_by_role("button", name="Ký cam kết").click()
            expect(page.get_by_text("Đã ký cam kết. Cảm ơn bạn.")).to_be_visible()
        else:
            expect(page.get_by_text("Đã ký").first).to_be_visible()
            expect(page.locator("#claim")).to_have_count(0)
        page.screenshot(path=f"test-results/online-claim-signed-{width}.png", full_page=True)
        context.close()
    assert hasattr(Signer.objects.get(name="KOC Bé Na"), "commitment")
