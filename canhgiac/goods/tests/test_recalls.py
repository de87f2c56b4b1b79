"""Recalls and product warnings (issue 13, item 6)."""

import datetime

import pytest

from canhgiac.conftest import find_agency, make_business
from canhgiac.directory.models import GoodsCategory
from canhgiac.goods.models import Product, Recall
from canhgiac.goods.recalls import active_recall

pytestmark = pytest.mark.django_db


@pytest.fixture
def milk_product(db):
    business, _user = make_business("4000000014", "Công ty Sen", "sen_user")
    return Product.objects.create(
        gtin="08934588012228",
        name="Sữa Sen",
        category=GoodsCategory.objects.get(code="milk"),
        owner=business,
    )


def _recall(product, lot="", status=Recall.Status.ACTIVE, days_ago=0):
    return Recall.objects.create(
        product=product,
        lot=lot,
        reason="Nhiễm khuẩn",
        agency=find_agency("SCT"),
        issued_on=datetime.date(2026, 12, 1) - datetime.timedelta(days=days_ago),
        status=status,
    )


def test_active_recall_finds_a_lot_recall_only_for_its_lot(milk_product):
    assert active_recall(milk_product, "L1") is None
    lot_recall = _recall(milk_product, lot="L1")
    assert active_recall(milk_product, "L1") == lot_recall
    assert active_recall(milk_product.pk, "L1") == lot_recall
    assert active_recall(milk_product, "l1") is None  # lots are case-sensitive
    assert active_recall(milk_product, "L2") is None
    assert active_recall(milk_product, None) is None  # a lot recall does not cover every pack


def test_active_recall_whole_product_covers_every_lot_and_lifted_ones_do_not_count(milk_product):
    lifted = _recall(milk_product, status=Recall.Status.LIFTED)
    assert active_recall(milk_product, "L9") is None
    whole = _recall(milk_product, days_ago=3)
    assert active_recall(milk_product, "L9") == whole
    assert active_recall(milk_product, None) == whole
    assert active_recall(milk_product, "") == whole
    # the lot's own recall explains the answer best, even when older
    lot_recall = _recall(milk_product, lot="L9", days_ago=10)
    assert active_recall(milk_product, "L9") == lot_recall
    assert lifted.status == "lifted"
