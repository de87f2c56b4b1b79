"""The public portal: its menu, warnings and their Atom feed, the warning cadence check, public
statistics, goods of clear origin, guides and the site search; no account needed."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from canhgiac.core.models import Notification

pytestmark = pytest.mark.django_db

MENU = [
    "Gửi tin báo",
    "Tra cứu tin báo",
    "Kiểm tra sản phẩm",
    "Cảnh báo",
    "Đường dây nóng",
    "Cam kết",
    "Số liệu",
]
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
    "/huong-dan/cam-ket/",
    "/tim-kiem/?q=mỹ+phẩm",
]


def _warning(coordinator, title="Thủ đoạn bán mỹ phẩm giả qua livestream", publish=True):
    from canhgiac.cases import services as cases

    return cases.save_warning(
        coordinator,
        {"title": title, "body": "Đối tượng livestream bán mỹ phẩm giả, giá rẻ bất thường."},
        publish=publish,
    )


@pytest.mark.parametrize("url", PAGES)
def test_every_portal_page_opens_without_an_account_with_the_menu_and_the_feed_in_its_head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    head = page.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml" href="/canh-bao/atom.xml"' in head
    nav = page.split('class="cg-portalnav')[1].split("</nav>")[0]
    assert re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', nav) == MENU


def test_the_menu_links_to_the_pages_of_the_apps_present():
    from canhgiac.portal.menu import menu_items

    urls = {str(i["label"]): i["url"] for i in menu_items()}
    assert urls["Gửi tin báo"] == "/tips/report/" and urls["Tra cứu tin báo"] == "/tips/follow/"
    assert urls["Kiểm tra sản phẩm"] == reverse("goods:check")
    assert urls["Cam kết"] == reverse("online:public_commitments")
    assert urls["Cảnh báo"] == "/canh-bao/" and urls["Số liệu"] == "/so-lieu/"


def test_the_menu_commitments_page_lists_who_signed(client):
    from canhgiac.portal.menu import menu_items

    url = {str(i["label"]): i["url"] for i in menu_items()}["Cam kết"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.resolver_match.view_name == "online:public_commitments"


def test_the_warnings_page_and_its_feed_list_active_recalls_from_the_goods_app(
    client, coordinator_sct, business_user
):
    from canhgiac.directory.models import GoodsCategory
    from canhgiac.goods import services as goods
    from canhgiac.goods.models import Product

    owner = business_user.business_memberships.get().business
    cat = GoodsCategory.objects.get(code="milk")
    milk = Product.objects.create(gtin="08934588012228", name="Sữa Hoa Mai", category=cat, owner=owner)
    lot_recall = goods.record_recall(None, milk, lot="L2026", reason="Lô sữa nhiễm khuẩn")
    lifted = goods.record_recall(None, milk, reason="Bao bì sai nhãn")
    goods.lift_recall(None, lifted, reason="Đã dán lại nhãn")
    published = _warning(coordinator_sct)
    assert list(goods.published_recalls()) == [lot_recall]
    page = client.get("/canh-bao/").content.decode()
    assert f'id="recall-{lot_recall.pk}"' in page and "Lô sữa nhiễm khuẩn" in page
    assert f'href="{reverse("goods_dl:lot", args=[milk.gtin, "L2026"])}"' in page
    assert f'id="recall-{lifted.pk}"' not in page and "Bao bì sai nhãn" not in page
    assert published.title in page
    feed = client.get("/canh-bao/atom.xml").content.decode()
    assert f"recall-{lot_recall.pk}" in feed and "Lô sữa nhiễm khuẩn" in feed
    assert f"recall-{lifted.pk}" not in feed and f"warning-{published.pk}" in feed
    assert "Thu hồi: Thu hồi" not in feed


def test_the_feed_lists_published_warnings_only(client, coordinator_sct):
    published = _warning(coordinator_sct)
    _warning(coordinator_sct, title="Bản nháp chưa công bố", publish=False)
    response = client.get("/canh-bao/atom.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert published.title in body and "Bản nháp chưa công bố" not in body
    assert f"warning-{published.pk}" in body
    page = client.get("/canh-bao/").content.decode()
    assert published.title in page and "Bản nháp chưa công bố" not in page


def test_the_standing_office_is_told_once_a_week_when_no_warning_was_published(
    coordinator_sct, coordinator_lang_son
):
    from canhgiac.portal import cadence

    now = timezone.now()
    assert cadence.check(now)
    assert Notification.objects.filter(user=coordinator_sct, kind="portal.warning_cadence").count() == 1
    assert Notification.objects.filter(user=coordinator_lang_son, kind="portal.warning_cadence").count() == 1
    cadence.check(now + dt.timedelta(hours=2))  # the same week: nothing new
    assert Notification.objects.filter(kind="portal.warning_cadence").count() == 2
    _warning(coordinator_sct)  # Đắk Lắk publishes (a warning without a case: its publisher's province)
    Notification.objects.all().delete()
    cadence.check(now + dt.timedelta(days=1))
    assert not Notification.objects.filter(user=coordinator_sct, kind="portal.warning_cadence").exists()
    assert Notification.objects.filter(user=coordinator_lang_son, kind="portal.warning_cadence").exists()
    # eight days later Đắk Lắk is late again
    cadence.check(now + dt.timedelta(days=8))
    assert Notification.objects.filter(user=coordinator_sct, kind="portal.warning_cadence").exists()


def test_the_standing_office_is_told_once_when_a_calendar_month_had_no_warning(
    coordinator_sct, coordinator_lang_son
):
    """Seed 004, 7.2: warnings of new tricks every week AND every month. A month that ended with no
    warning published is reported once, in the next month; a warning published after the month
    ended does not fill its gap; the months are local calendar months."""
    from canhgiac.cases.models import Warning
    from canhgiac.portal import cadence

    tz = timezone.get_current_timezone()

    def at(y, m, d, h=10, mi=0):
        return timezone.make_aware(dt.datetime(y, m, d, h, mi), tz)

    def monthly(user):
        return list(
            Notification.objects.filter(user=user, kind="portal.warning_cadence_monthly").values_list(
                "title", flat=True
            )
        )

    feb = _warning(coordinator_sct, title="Cảnh báo tháng 2")
    Warning.objects.filter(pk=feb.pk).update(published_at=at(2026, 2, 15))
    march_first = _warning(coordinator_sct, title="Cảnh báo đầu tháng 3")
    Warning.objects.filter(pk=march_first.pk).update(
        published_at=at(2026, 3, 1, 0, 30)
    )  # March, not February

    cadence.check(at(2026, 3, 10))
    assert monthly(coordinator_sct) == []  # Đắk Lắk published in February
    assert monthly(coordinator_lang_son) == [
        "Tháng 02/2026 không công bố cảnh báo phương thức, thủ đoạn mới nào"
    ]
    cadence.check(at(2026, 3, 11))  # the same month: nothing new
    assert len(monthly(coordinator_lang_son)) == 1
    # Lạng Sơn publishes on 20 March: February stays missed, March is covered
    ls_warning = _warning(coordinator_lang_son, title="Cảnh báo Lạng Sơn")
    Warning.objects.filter(pk=ls_warning.pk).update(published_at=at(2026, 3, 20))
    # Đắk Lắk published only on 1 March: March counts; in April nothing for either province
    cadence.check(at(2026, 4, 2))
    assert monthly(coordinator_sct) == [] and len(monthly(coordinator_lang_son)) == 1
    # April passes silent for both: each is told once in May
    cadence.check(at(2026, 5, 1, 8))
    cadence.check(at(2026, 5, 20))
    assert monthly(coordinator_sct) == ["Tháng 04/2026 không công bố cảnh báo phương thức, thủ đoạn mới nào"]
    assert len(monthly(coordinator_lang_son)) == 2


def test_public_statistics_are_the_services_figures_refreshed_daily(client, units):
    from canhgiac.cases import services as cases
    from canhgiac.portal import statistics
    from canhgiac.portal.models import PublicStatistics
    from canhgiac.tips import services as tips

    today = timezone.localdate()
    cases.create_case(
        None,
        {
            "lead_agency_code": "QLTT",
            "detected_on": today.isoformat(),
            "unit_code": units[0].code,
            "violation_type": "counterfeit",
            "summary": "Vụ công khai",
            "goods": [
                {
                    "goods_category": "cosmetics",
                    "description": "Mỹ phẩm",
                    "quantity": "1",
                    "unit": "hộp",
                    "value_vnd": 3_000_000,
                }
            ],
        },
    )
    assert "chưa được tổng hợp" in client.get("/so-lieu/").content.decode()
    assert statistics.refresh_if_stale()
    assert statistics.refresh_if_stale() is None  # once a day
    snap = PublicStatistics.objects.get(province__codename="dak_lak", year=today.year)
    month = snap.data["months"][today.month - 1]
    assert (month["cases"], month["goods_value_vnd"]) == (1, 3_000_000)
    monthly = cases.monthly_figures(None, today.year, province_code=snap.province.code, until=today)
    assert [m["cases"] for m in snap.data["months"]] == [m["current"]["cases"] for m in monthly["months"]]
    assert sum(g["cases"] for g in snap.data["groups"]) == 1
    start = today.replace(month=1, day=1)
    assert (
        snap.data["tips"]["received"]
        == tips.stats(None, start, today, province_code=snap.province.code)["received"]
    )
    page = client.get("/so-lieu/").content.decode()
    assert "3.000.000" in page and "Định nghĩa" in page and 'data-testid="stats-groups"' in page


def test_goods_of_clear_origin_are_registered_products_on_sale(client):
    from canhgiac.conftest import make_business
    from canhgiac.directory.models import GoodsCategory
    from canhgiac.goods.models import Product

    owner, _user = make_business("0100233488", "Công ty CP Dược phẩm Hoa Mai")
    closed, _user = make_business("0100109106", "Công ty đã giải thể")
    closed.is_active = False
    closed.save()
    cat = GoodsCategory.objects.get(code="cosmetics")
    Product.objects.create(gtin="8935049500056", name="Kem dưỡng Hoa Mai", category=cat, owner=owner)
    Product.objects.create(
        gtin="8935049500063", name="Kem thu hồi", category=cat, owner=owner, status="recalled"
    )
    Product.objects.create(gtin="8935049500070", name="Kem của công ty giải thể", category=cat, owner=closed)
    page = client.get("/hang-hoa/").content.decode()
    assert "Kem dưỡng Hoa Mai" in page and "Kem thu hồi" not in page and "giải thể</td>" not in page
    assert "Kem của công ty giải thể" not in page
    assert "Kem dưỡng Hoa Mai" in client.get("/hang-hoa/?q=kem+duong").content.decode()
    assert "Kem dưỡng Hoa Mai" not in client.get("/hang-hoa/?category=fuel").content.decode()


def test_the_site_search_finds_warnings_guides_and_hotlines(client, coordinator_sct):
    w = _warning(coordinator_sct)
    page = client.get("/tim-kiem/?q=livestream").content.decode()
    assert w.title in page
    page = client.get("/tim-kiem/?q=nhan+hang+hoa").content.decode()  # accents ignored
    assert "Hướng dẫn cho doanh nghiệp" in page
    assert client.get("/tim-kiem/?q=").status_code == 200
    assert client.get("/tim-kiem/?q=" + "x" * 5000).status_code == 200


def test_an_unknown_guide_is_a_404(client):
    assert client.get("/huong-dan/khong-co/").status_code == 404


def test_public_statistics_count_takedowns_of_the_province_only(client, agency, ls, officer_qltt):
    """Takedowns requested, done on time and overdue: the online app's province aggregate, in the
    snapshot and on /so-lieu/; Lạng Sơn's requests are not Đắk Lắk's."""
    from canhgiac.online import services as online
    from canhgiac.online.models import Platform, Takedown
    from canhgiac.portal import statistics
    from canhgiac.portal.models import PublicStatistics

    now = timezone.now()
    if timezone.localdate(now).timetuple().tm_yday < 3:
        now += dt.timedelta(days=2)  # requests made 30 hours before stay in this year
    shopee = Platform.objects.get(code="shopee")

    def listing(ref, agency_obj):
        return online.save_listing(
            None,
            {
                "agency": agency_obj,
                "platform": shopee,
                "title": f"Giày rep {ref}",
                "description": "",
                "shop_name": "Shop Hoa Mai",
                "url": f"https://shopee.vn/p/{ref}",
                "listing_ref": ref,
            },
        )

    qltt = agency("QLTT")
    on_time = online.request_takedown(None, listing("T1", qltt), now=now - dt.timedelta(hours=5))
    online.record_takedown_outcome(
        None, on_time, Takedown.Status.TAKEN_DOWN, when=now - dt.timedelta(hours=2)
    )
    online.request_takedown(None, listing("T2", qltt), now=now - dt.timedelta(hours=30))  # becomes overdue
    late = online.request_takedown(None, listing("T3", qltt), now=now - dt.timedelta(hours=29))
    online.record_takedown_outcome(None, late, Takedown.Status.TAKEN_DOWN, when=now)  # taken down late
    online.request_takedown(None, listing("T4", qltt), now=now - dt.timedelta(hours=1))  # still in time
    online.request_takedown(None, listing("L1", ls("QLTT")), now=now - dt.timedelta(hours=30))
    online.check_takedowns(now)

    today = timezone.localdate(now)
    statistics.refresh(today)
    snap = PublicStatistics.objects.get(province__codename="dak_lak", year=today.year)
    assert snap.data["takedowns"] == {"requested": 4, "on_time": 1, "overdue": 2}
    assert snap.data["takedowns"] == online.province_takedowns(
        snap.province, today.replace(month=1, day=1), today
    )
    other = PublicStatistics.objects.get(province__codename="lang_son", year=today.year)
    assert other.data["takedowns"] == {"requested": 1, "on_time": 0, "overdue": 1}
    page = client.get("/so-lieu/?province=" + snap.province.code).content.decode()
    assert 'data-testid="stats-takedowns"' in page and "Gỡ bỏ đúng hạn" in page
    assert "tính theo ngày gửi yêu cầu trong năm" in page
