import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from canhgiac.tips import services
from canhgiac.tips.models import Tip

pytestmark = pytest.mark.django_db


def test_tips_about_the_same_online_link_are_grouped_under_one_agency(
    make_tip, ward, tip_handler_qltt, agency
):
    first = make_tip(
        online_url="https://www.facebook.com/shop.my.pham/posts/123?fbclid=abc", goods_category="cosmetics"
    )
    second = make_tip(
        online_url="facebook.com/shop.my.pham/posts/123/", description="Trang này livestream bán kem trộn."
    )
    assert second.group == first
    assert second.lead_agency == first.lead_agency


def test_same_commune_and_goods_with_similar_text_within_days_are_grouped(make_tip, ward):
    first = make_tip(
        unit_code=ward.code,
        goods_category="milk",
        description="Cửa hàng tạp hóa bán sữa bột ngoại không có nhãn phụ tiếng Việt.",
    )
    similar = make_tip(
        unit_code=ward.code,
        goods_category="milk",
        description="Tạp hóa bán sữa bột ngoại không nhãn phụ tiếng Việt, giá rẻ.",
    )
    different = make_tip(
        unit_code=ward.code,
        goods_category="milk",
        description="Xe tải chở thùng hàng lạ vào kho lúc nửa đêm ở ven sông.",
    )
    other_goods = make_tip(
        unit_code=ward.code,
        goods_category="cosmetics",
        description="Cửa hàng tạp hóa bán sữa bột ngoại không có nhãn phụ tiếng Việt.",
    )
    assert similar.group == first
    assert different.group is None and other_goods.group is None


def test_old_tips_are_not_grouped(make_tip, ward):
    first = make_tip(
        unit_code=ward.code,
        goods_category="milk",
        description="Cửa hàng tạp hóa bán sữa bột ngoại không có nhãn phụ tiếng Việt.",
    )
    Tip.objects.filter(pk=first.pk).update(received_at=first.received_at - dt.timedelta(days=10))
    again = make_tip(
        unit_code=ward.code,
        goods_category="milk",
        description="Cửa hàng tạp hóa bán sữa bột ngoại không có nhãn phụ tiếng Việt.",
    )
    assert again.group is None


def test_a_transfer_moves_the_whole_group_and_a_wrong_grouping_can_be_undone(
    make_tip, tip_handler_qltt, agency, make_user
):
    from canhgiac.core import policy

    first = make_tip(online_url="https://shopee.vn/product/1/2", goods_category="fuel")
    second = make_tip(
        online_url="https://shopee.vn/product/1/2?utm_source=zalo", description="Bán xăng trên mạng."
    )
    services.transfer(tip_handler_qltt, second, agency("CA"), "Dấu hiệu tội phạm.")
    assert {t.lead_agency.code for t in Tip.objects.filter(pk__in=[first.pk, second.pk])} == {"CA"}
    second.refresh_from_db()
    with pytest.raises(PermissionDenied):  # the lead is now CA
        services.ungroup(tip_handler_qltt, second)
    services.ungroup(make_user("tip_handler_ca", "CA", policy.TIP_HANDLER), second)
    assert Tip.objects.get(pk=second.pk).group is None


def test_url_normalization():
    key = services.normalize_url
    assert key("http://www.Shopee.vn/a/b/?utm_source=x&id=5#top") == key("https://shopee.vn/a/b?id=5")
    assert key("https://m.facebook.com/p/1") == key("https://facebook.com/p/1")
    assert key("https://shopee.vn/a?id=5") != key("https://shopee.vn/a?id=6")


def test_the_compiled_candidate_query_returns_what_the_orm_query_returns(make_tip, ward):
    """The duplicate check's candidates come from SQL compiled once per process: the same rows, in
    the same order, as the ORM query it was compiled from, at the edges of the window too."""
    from canhgiac.directory.models import GoodsCategory

    milk = GoodsCategory.objects.get(code="milk")
    tips = [
        make_tip(
            unit_code=ward.code, goods_category="milk", description=f"Sữa bột ngoại số {n} không nhãn phụ"
        )
        for n in range(5)
    ]
    make_tip(
        unit_code=ward.code, goods_category="cosmetics", description="Mỹ phẩm trộn không nguồn gốc"
    )  # another category
    now = tips[-1].received_at
    Tip.objects.filter(pk=tips[0].pk).update(received_at=now - dt.timedelta(days=40))  # out of the window
    Tip.objects.filter(pk=tips[1].pk).update(received_at=now - dt.timedelta(days=2))
    since, until = now - dt.timedelta(days=30), now + dt.timedelta(days=1)
    Tip.objects.filter(pk=tips[2].pk).update(received_at=since)  # on the edge: included
    expected = list(
        Tip.objects.filter(unit=ward, goods_category=milk, received_at__gte=since, received_at__lte=until)
        .order_by("received_at")
        .values_list("id", "group_id", "description_folded")[: services.CANDIDATES]
    )
    got = [tuple(row) for row in services._candidates(ward.pk, milk.pk, since, until)]
    assert got == expected
    assert [row[0] for row in got] == [tips[2].pk, tips[1].pk, tips[3].pk, tips[4].pk]
