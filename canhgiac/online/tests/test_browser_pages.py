"""The pages issue 15's last items added, at 360 and 1280 px: a shop and its seller, the register
import (with a file's errors), the business's commitments, a 7.11 review period with its recipient.
No horizontal scrolling on a phone; screenshots in test-results/ to look at."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(browser, live_server, username, width):
    from canhgiac.conftest import PASSWORD

    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return context, page


def test_the_new_pages_fit_a_phone_and_a_desktop(browser, live_server, tmp_path):
    from canhgiac.accounts import services as accounts
    from canhgiac.conftest import PASSWORD, make_business
    from canhgiac.core import policy
    from canhgiac.directory.models import Agency
    from canhgiac.online import services
    from canhgiac.online.models import OnlineAccount, Platform, Signer, SignerKind
    from canhgiac.reporting import services as reporting
    from canhgiac.reporting.models import Period
    from canhgiac.subjects.models import Entity, Subject

    call_command("setup", "--no-migrate", stdout=io.StringIO())
    qltt = Agency.objects.get(code="QLTT")
    accounts.create_user("can_bo", PASSWORD, memberships=[(qltt, policy.OFFICER)])
    accounts.create_user(
        "dieu_phoi", PASSWORD, memberships=[(Agency.objects.get(code="SCT"), policy.COORDINATOR)]
    )
    listing = services.save_listing(
        None,
        {
            "agency": qltt,
            "platform": Platform.objects.get(code="shopee"),
            "listing_ref": "SP-9",
            "title": "Viên uống collagen Nhật Bản đạt chuẩn FDA Hoa Kỳ, số 1 thế giới",
            "shop_name": "Bán Shop Chính Hãng",
            "category": None,
        },
    )
    entity = Entity.objects.create(kind="person")
    person = Subject.objects.create(
        kind="person", name="Nguyễn Văn Bán", recorded_by_agency=qltt, entity=entity
    )
    services.link_account(None, listing.account, subject=person)
    OnlineAccount.objects.create(
        province=qltt.province,
        platform=Platform.objects.get(code="tiktok_shop"),
        handle="Bán Live Mỗi Tối",
        subject=person,
    )
    business, _user = make_business("0100233488", "Công ty CP Dược phẩm Hoa Mai", "dn_hoamai")
    Signer.objects.create(
        province=business.province,
        kind=SignerKind.objects.get(code="health_goods"),
        name=business.name,
        identifier=business.tax_code,
        registered_on=dt.date(2026, 4, 2),
    )
    form = reporting.load_online_review_forms()[1]
    today = reporting.today()
    period = reporting.create_period(
        None,
        kind=Period.Kind.MONTHLY,
        name="Rà soát công bố chất lượng tháng",
        data_from=today - dt.timedelta(days=30),
        data_to=today - dt.timedelta(days=1),
        deadline=today + dt.timedelta(days=5),
        office_deadline=today + dt.timedelta(days=8),
        submitters=[qltt, Agency.objects.get(code="SYT")],
        form=form,
    )
    bad = tmp_path / "danh-sach.csv"
    bad.write_text(
        "kind,name,identifier,contact,commune,platform,url\n"
        "ecommerce_seller,Shop Hoa Mai,6001234567,0912345678,,shopee,https://shopee.vn/hoamai\n"
        "doctor,Bác sĩ A,,,,,\n"
        "kol,KOC X,,,Xã Không Có,myspace,notaurl\n",
        encoding="utf-8",
    )
    for width in (360, 1280):
        context, page = _sign_in(browser, live_server, "can_bo", width)
        for name, url in (
            ("account", f"/online/accounts/{listing.account_id}/"),
            ("listing", f"/online/listings/{listing.pk}/"),
            ("entity", f"/subjects/entities/{entity.pk}/"),
        ):
            page.goto(live_server.url + url)
            assert page.locator("main").inner_text()
            if width == 360:
                assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
            page.screenshot(path=f"test-results/online-{name}-{width}.png", full_page=True)
        assert "Bán Live Mỗi Tối" in page.content()
        context.close()
        context, page = _sign_in(browser, live_server, "dieu_phoi", width)
        page.goto(live_server.url + "/online/commitments/signers/import/")
        page.get_by_label("Tệp danh sách (CSV UTF-8 hoặc XLSX)").set_input_files(str(bad))
        page.locator("main button[type=submit]").click()
        assert "Dòng 3, cột kind" in page.content()
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=f"test-results/online-signer-import-{width}.png", full_page=True)
        page.goto(live_server.url + f"/reporting/periods/{period.pk}/")
        assert "Sở Văn hóa" in page.locator("#recipient").inner_text()
        page.screenshot(path=f"test-results/online-review-period-{width}.png", full_page=True)
        context.close()
        context, page = _sign_in(browser, live_server, "dn_hoamai", width)
        page.goto(live_server.url + "/goods/business/commitments/")
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=f"test-results/online-business-commitments-{width}.png", full_page=True)
        context.close()
