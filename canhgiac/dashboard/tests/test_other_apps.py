"""What the online, goods and committee apps add to the leaders' dashboard through its hooks
(leaders.add_target, add_today, add_hotspot_source, add_commune_part), each figure equal to the
owning app's services, under the policy, in both provinces."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from canhgiac.dashboard import leaders

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def qltt(agency):
    return agency("QLTT")


@pytest.fixture
def online_world(qltt, units, settings, tmp_path):
    """Đắk Lắk: two e-commerce sellers on the register this round (one signed), three flagged
    listings (two from a shop of units[1], one from a shop of unknown commune), one not flagged,
    one takedown overdue."""
    from canhgiac.online import services
    from canhgiac.online.models import Listing, OnlineAccount, Platform, SignerKind

    settings.MEDIA_ROOT = str(tmp_path)
    province = qltt.province
    seller = SignerKind.objects.get(code="ecommerce_seller")
    today = timezone.localdate()
    signed = services.add_signer(None, province, kind=seller, name="Shop A", registered_on=today)
    services.add_signer(None, province, kind=seller, name="Shop B", registered_on=today)
    services.record_signed_copy(None, signed, SimpleUploadedFile("a.pdf", PDF), today)
    shopee = Platform.objects.get(code="shopee")
    known = OnlineAccount.objects.create(
        province=province, platform=shopee, handle="Shop Có Xã", unit=units[1]
    )
    unknown = OnlineAccount.objects.create(province=province, platform=shopee, handle="Shop Không Rõ")
    made = []
    for n, account in enumerate((known, known, unknown, known)):
        listing = services.save_listing(
            None,
            {
                "agency": qltt,
                "platform": shopee,
                "title": f"Tin đăng {n}",
                "shop_name": account.handle,
                "url": f"https://shopee.vn/p/{n}",
            },
        )
        Listing.objects.filter(pk=listing.pk).update(account=account, flagged=n < 3)
        made.append(listing)
    past = timezone.now() - dt.timedelta(days=30)
    services.request_takedown(None, Listing.objects.get(pk=made[0].pk), now=past)
    services.check_takedowns(now=timezone.now())
    return {"province": province, "listings": made}


def test_commitments_signed_by_kind_is_a_target_row_of_the_current_round(online_world, coordinator_sct):
    from canhgiac.online import services

    date_from, date_to = leaders.window()
    rows = {r["key"]: r for r in leaders.targets(coordinator_sct, date_from, date_to)}
    row = rows["online_commitments_ecommerce_seller"]
    current = services.round_for(date_to)
    expected = next(
        r
        for r in services.commitment_coverage(online_world["province"], current.code, as_of=date_to)
        if r["kind"] == "ecommerce_seller"
    )
    assert (
        (row["part"], row["whole"], row["value"])
        == (1, 2, 50.0)
        == (
            expected["signed"],
            expected["required"],
            expected["percent"],
        )
    )
    assert row["target"] == "100%" and row["met"] is False
    assert row["url"] == f"/online/commitments/?round={current.code}"
    assert current.name in row["definition"]


def test_the_other_province_sees_none_of_dak_laks_online_figures(
    online_world, coordinator_lang_son, signed_in
):
    date_from, date_to = leaders.window()
    rows = {r["key"]: r for r in leaders.targets(coordinator_lang_son, date_from, date_to)}
    assert (
        rows["online_commitments_ecommerce_seller"]["part"],
        rows["online_commitments_ecommerce_seller"]["whole"],
    ) == (0, 0)
    today = {i["label"]: i["count"] for i in leaders.today_list(coordinator_lang_son)}
    assert (
        today["Tin đăng bị gắn cờ chờ xem xét trong tỉnh"] == 0
        and today["Yêu cầu gỡ bỏ tin đăng quá hạn trong tỉnh"] == 0
    )
    hot = leaders.hotspots(coordinator_lang_son, date_from, date_to)
    assert hot["rows"] == []


def test_today_lists_flagged_listings_and_overdue_takedowns_for_who_may_handle_them(
    online_world, coordinator_sct, officer_qltt, viewer_syt, make_user
):
    coordinator = {i["label"]: i for i in leaders.today_list(coordinator_sct)}
    # 3 flagged; the one with a takedown request left the "new" status: 2 await review
    assert coordinator["Tin đăng bị gắn cờ chờ xem xét trong tỉnh"]["count"] == 2
    assert coordinator["Tin đăng bị gắn cờ chờ xem xét trong tỉnh"]["url"] == "/online/?flagged=on&status=new"
    assert coordinator["Yêu cầu gỡ bỏ tin đăng quá hạn trong tỉnh"]["count"] == 1
    officer = {i["label"]: i["count"] for i in leaders.today_list(officer_qltt)}
    assert officer["Yêu cầu gỡ bỏ tin đăng quá hạn trong tỉnh"] == 1
    assert (
        officer["Tin đăng bị gắn cờ chờ xem xét trong tỉnh"]
        == coordinator["Tin đăng bị gắn cờ chờ xem xét trong tỉnh"]["count"]
    )
    # the rows count the province's queue (the card's scope, said in the label): an officer of
    # another agency sees the same figures; a viewer, who acts on no listing, has no row
    from canhgiac.core import policy

    officer_ca = make_user("officer_ca_online", "CA", policy.OFFICER)
    other = {i["label"]: i["count"] for i in leaders.today_list(officer_ca)}
    assert other["Tin đăng bị gắn cờ chờ xem xét trong tỉnh"] == 2
    assert other["Yêu cầu gỡ bỏ tin đăng quá hạn trong tỉnh"] == 1
    assert "Tin đăng bị gắn cờ chờ xem xét trong tỉnh" not in {
        i["label"] for i in leaders.today_list(viewer_syt)
    }


def test_a_standing_office_leader_sees_the_same_online_figures_in_today_and_in_the_cards(
    online_world, leader_sct, signed_in
):
    """The gap of issue 16: the today rows showed 0 to a Standing Office leader (whose agency holds
    no listing) while the card beside showed the province's flagged listings."""
    from canhgiac.online.cards import online_cards

    today = {i["label"]: i["count"] for i in leaders.today_list(leader_sct)}
    cards = {c.label: c.value for c in online_cards(leader_sct)}
    assert today["Tin đăng bị gắn cờ chờ xem xét trong tỉnh"] == 2
    assert today["Yêu cầu gỡ bỏ tin đăng quá hạn trong tỉnh"] == 1
    assert {k: today[k] for k in cards} == cards
    page = signed_in(leader_sct).get("/app/").content.decode()
    assert "Tin đăng bị gắn cờ chờ xem xét trong tỉnh" in page


def test_flagged_listings_count_in_the_hot_spots_of_the_sellers_commune(online_world, units, coordinator_sct):
    date_from, date_to = leaders.window()
    hot = leaders.hotspots(coordinator_sct, date_from, date_to)
    assert ("online_flagged", "Tin đăng bị gắn cờ") in [(k, str(label)) for k, label in hot["columns"]]
    by_unit = {r["unit"]: r["counts"] for r in hot["rows"]}
    assert by_unit[units[1]]["online_flagged"] == 2  # the shop of unknown commune counts nowhere
    assert sum(c["online_flagged"] for c in by_unit.values()) == 2


def test_suspicious_and_forged_checks_count_in_the_hot_spots(coordinator_sct, officer_qltt, business_user):
    from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
    from canhgiac.goods import codes, figures, verify
    from canhgiac.goods.models import Product

    verify.forget_cached()
    hoa_mai = business_user.business_memberships.get().business
    product = Product.objects.create(
        gtin="08934588012228",
        name="Sữa Hoa Mai",
        category=GoodsCategory.objects.get(code="milk"),
        owner=hoa_mai,
    )
    batch = codes.request_batch(None, product, "L1", 2)
    codes.issue_batch(batch, base="https://a.vn")
    (_s1, good), (_s2, copied) = codes.read_codes(batch)
    a, b, c = AdministrativeUnit.objects.filter(parent=hoa_mai.province).order_by("code")[:3]
    verify.check(good, a.code)  # authentic: no lead
    for unit in (a, b, c):
        verify.check(copied, unit.code)  # the same code in a third commune: suspicious
    verify.check(copied.replace("/21/", "/21/Z"), b.code)  # forged
    date_from, date_to = leaders.window()
    expected = figures.leads_by_unit(officer_qltt, date_from, date_to)
    hot = {
        r["unit"]: r["counts"]["goods_checks"]
        for r in leaders.hotspots(officer_qltt, date_from, date_to)["rows"]
    }
    assert hot == {u: n for u, n in ((u, expected.get(u.pk, 0)) for u in (a, b, c)) if n}
    assert sum(hot.values()) == sum(
        row["bad"] for row in figures.figures(officer_qltt, date_from, date_to)["by_commune"]
    )
    assert hot == {b: 1, c: 1}


def test_the_leaders_page_shows_each_commune_committees_activity(
    coordinator_sct, coordinator_lang_son, officer_qltt, units, signed_in
):
    from canhgiac.committee.models import Committee, Decision, Meeting

    province = units[0].parent
    active = Committee.objects.create(province=province, unit=units[0], name="BCĐ 389 xã A")
    Decision.objects.create(
        province=province, committee=active, kind="establish", number="1/QĐ", signed_on=dt.date(2026, 1, 5)
    )
    Meeting.objects.create(
        province=province, committee=active, held_on=dt.date(2026, 3, 2), title="Họp quý I", chair="Chủ tịch"
    )
    Committee.objects.create(province=province, unit=units[1], name="BCĐ 389 xã B")  # no decision yet
    response = signed_in(coordinator_sct).get("/app/")
    assert response.status_code == 200
    part = next(p for p in response.context["commune_parts"] if p["key"] == "commune-committees")
    assert "1/2" in part["summary"]
    rows = [[v for _label, v in row] for row in part["rows"]]
    assert rows[0][0] == units[1].name and rows[0][1] == "Chưa hoạt động"  # inactive first
    assert rows[1] == [units[0].name, "Đang hoạt động", 0, 1, "02/03/2026"]
    assert part["url"] == "/committee/membership/"
    page = response.content.decode()
    assert 'data-testid="commune-committees"' in page and "02/03/2026" in page
    # an officer reads them without the membership page's link; the other province sees none
    officer = leaders.commune_parts(officer_qltt)
    assert officer and officer[0]["url"] == ""
    assert leaders.commune_parts(coordinator_lang_son) == []
