"""The cases import's optional `product_gtin` column (issue 13): a goods line names a registered
product by its GTIN (check digit verified, through goods services); the export writes it back."""

import csv
import io

import pytest

from canhgiac.cases import exports, imports
from canhgiac.cases.models import Case, CaseGoods
from canhgiac.conftest import make_business
from canhgiac.directory.models import GoodsCategory
from canhgiac.goods.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def cream():
    owner, _user = make_business("0100233488", "Công ty Hoa Mai")
    return Product.objects.create(
        gtin="08934588012228",
        name="Kem dưỡng Hoa Mai",
        category=GoodsCategory.objects.get(code="cosmetics"),
        owner=owner,
    )


def _row(units, **extra):
    row = {
        "case_ref": "G-1",
        "agency_code": "QLTT",
        "detected_on": "2026-02-03",
        "unit_code": units[0].code,
        "violation_type": "counterfeit",
        "summary": "Bán kem dưỡng giả",
        "goods_category": "cosmetics",
        "goods_description": "Kem dưỡng giả nhãn Hoa Mai",
        "quantity": "12",
        "unit": "hộp",
        "goods_value_vnd": "3600000",
        "handling": "pending",
    }
    row.update(extra)
    return row


def test_a_goods_line_names_a_registered_product_by_any_gtin_spelling(units, csv_bytes, cream):
    result = imports.import_cases(csv_bytes([_row(units, product_gtin="8934588012228")]), "cases.csv")
    assert result.ok, result.errors
    assert CaseGoods.objects.get().product == cream
    # the same file again: nothing changed
    again = imports.import_cases(csv_bytes([_row(units, product_gtin="08934588012228")]), "cases.csv")
    assert (again.unchanged, again.updated) == (1, 0)
    # the GTIN removed: the line no longer names the product (an update, not a new case)
    cleared = imports.import_cases(csv_bytes([_row(units)]), "cases.csv")
    assert (cleared.updated, cleared.created) == (1, 0)
    assert CaseGoods.objects.get().product is None


def test_the_category_may_come_from_the_product(units, csv_bytes, cream):
    result = imports.import_cases(
        csv_bytes([_row(units, goods_category="", product_gtin="8934588012228")]), "cases.csv"
    )
    assert result.ok, result.errors
    assert CaseGoods.objects.get().goods_category.code == "cosmetics"


def test_an_unknown_gtin_or_a_wrong_check_digit_is_a_line_error_naming_the_column(units, csv_bytes, cream):
    rows = [
        _row(units, product_gtin="8934588012228"),
        _row(units, case_ref="G-2", product_gtin="8934588012229"),  # check digit wrong
        _row(units, case_ref="G-3", product_gtin="96385074"),  # valid GTIN-8, not registered
    ]
    result = imports.import_cases(csv_bytes(rows), "cases.csv")
    assert not result.ok
    assert {(e.line, e.column) for e in result.errors} == {(3, "product_gtin"), (4, "product_gtin")}
    assert all(e.message for e in result.errors)
    assert "96385074" in next(e.message for e in result.errors if e.line == 4)
    assert not Case.objects.exists()


def test_the_export_writes_the_gtin_and_goes_round(units, csv_bytes, cream, signed_in, officer_qltt):
    imports.import_cases(csv_bytes([_row(units, product_gtin="8934588012228")]), "cases.csv")
    response = signed_in(officer_qltt).post("/cases/export.csv")
    data = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cols = list(exports.PLAIN_COLUMNS)
    assert "product_gtin" in rows[0]
    mine = [r for r in rows[1:] if r[0] == "G-1"]
    assert mine[0][cols.index("product_gtin")] == cream.gtin
    result = imports.import_cases(data, "vu-viec.csv", user=officer_qltt)
    assert result.ok and result.unchanged == 1
