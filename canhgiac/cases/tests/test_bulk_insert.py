"""core.bulk.insert_rows (the import's writer) stores what the ORM's save stores, whether a row
names every field (read in one call) or leaves some to their defaults (issue 10)."""

import datetime as dt
import decimal

import pytest

from canhgiac.cases.models import CaseGoods
from canhgiac.core import bulk
from canhgiac.directory.models import GoodsCategory

pytestmark = pytest.mark.django_db

FIELDS = (
    "case_id",
    "goods_category_id",
    "description",
    "brand",
    "quantity",
    "unit",
    "value_vnd",
    "disposition",
    "product_id",
    "case_detected_on",
    "counts_category",
)


def _rows(case, categories):
    full = {
        "case_id": case.pk,
        "goods_category_id": categories[0],
        "description": "Điện thoại nhái",
        "brand": "X",
        "quantity": decimal.Decimal("12.500"),
        "unit": "cái",
        "value_vnd": 1_000_000,
        "disposition": "",
        "product_id": None,
        "case_detected_on": dt.date(2026, 3, 10),
        "counts_category": True,
    }
    return [
        dict(full),
        dict(full, quantity=None, case_detected_on=None),
        {"case_id": case.pk, "goods_category_id": categories[1], "description": "Sữa bột"},  # defaults
        dict(full, description="Mỹ phẩm", quantity=decimal.Decimal("3")),
        {"case_id": case.pk, "goods_category_id": categories[0], "description": "Rượu", "value_vnd": 5},
        dict(full, counts_category=False),
    ]


def test_insert_rows_stores_what_save_stores(make_case):
    case = make_case("QLTT", detected_on="2026-03-10")
    categories = list(GoodsCategory.objects.order_by("pk").values_list("pk", flat=True)[:2])
    CaseGoods.objects.filter(case=case).delete()
    rows = _rows(case, categories)
    for row in _rows(case, categories):
        CaseGoods.objects.create(**row)
    saved = list(CaseGoods.objects.filter(case=case).order_by("pk").values_list(*FIELDS))
    CaseGoods.objects.filter(case=case).delete()
    bulk.insert_rows(CaseGoods, rows)
    inserted = list(CaseGoods.objects.filter(case=case).order_by("pk").values_list(*FIELDS))
    assert inserted == saved
    assert len(inserted) == 6
    # the row dicts get their ids and the defaults they left out (the caller audits them)
    assert [row["id"] for row in rows] == list(
        CaseGoods.objects.filter(case=case).order_by("pk").values_list("pk", flat=True)
    )
    assert rows[2]["value_vnd"] == 0 and rows[2]["quantity"] is None and rows[2]["brand"] == ""


def test_pipelined_writes_store_the_same_rows_and_queries_see_them(make_case):
    """Inside bulk.pipelined() a second thread sends the rows (issue 10): the same rows as the
    direct path, in order, numbered by the sequence when no key is sent, and a query made in the
    block sees every row sent before it."""
    from canhgiac.audit import services as audit
    from canhgiac.audit.models import AuditEvent

    case = make_case("QLTT", detected_on="2026-03-10")
    categories = list(GoodsCategory.objects.order_by("pk").values_list("pk", flat=True)[:2])
    CaseGoods.objects.filter(case=case).delete()
    bulk.insert_rows(CaseGoods, _rows(case, categories))
    direct = list(CaseGoods.objects.filter(case=case).order_by("pk").values_list(*FIELDS))
    CaseGoods.objects.filter(case=case).delete()
    events = AuditEvent.objects.count()
    with bulk.pipelined():
        bulk.insert_rows(CaseGoods, _rows(case, categories)[:3], with_pk=False)
        bulk.insert_rows(CaseGoods, _rows(case, categories)[3:])
        audit.record_many("cases.case.create", [case], changes=[{"x": {"before": None, "after": 1}}])
        # a query waits for the writer: it sees what was sent before it
        assert CaseGoods.objects.filter(case=case).count() == 6
        assert AuditEvent.objects.count() == events + 1
        bulk.insert_rows(CaseGoods, _rows(case, categories)[:1], with_pk=False)
    piped = list(CaseGoods.objects.filter(case=case).order_by("pk").values_list(*FIELDS))
    assert piped == direct + direct[:1]


def test_an_error_in_the_writer_thread_is_raised_and_nothing_is_kept(make_case):
    from django.db import IntegrityError, transaction

    case = make_case("QLTT", detected_on="2026-03-10")
    categories = list(GoodsCategory.objects.order_by("pk").values_list("pk", flat=True)[:2])
    before = CaseGoods.objects.count()
    bad = dict(_rows(case, categories)[0], description=None)  # NOT NULL
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.pipelined():
        bulk.insert_rows(CaseGoods, _rows(case, categories), with_pk=False)
        bulk.insert_rows(CaseGoods, [bad], with_pk=False)
        bulk.insert_rows(CaseGoods, _rows(case, categories), with_pk=False)
    assert CaseGoods.objects.count() == before
