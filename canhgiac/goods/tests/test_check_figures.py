"""Figures of the public check and leads for QLTT (issue 13, item 7), in two provinces."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
from canhgiac.goods import codes, figures, verify
from canhgiac.goods.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(business_user):
    verify.forget_cached()
    hoa_mai = business_user.business_memberships.get().business
    product = Product.objects.create(
        gtin="08934588012228",
        name="Sữa Hoa Mai",
        category=GoodsCategory.objects.get(code="milk"),
        owner=hoa_mai,
    )
    batch = codes.request_batch(None, product, "L1", 3)
    codes.issue_batch(batch, base="https://a.vn")
    (_s1, good), (_s2, copied), _third = codes.read_codes(batch)
    a, b, c = AdministrativeUnit.objects.filter(parent=hoa_mai.province).order_by("code")[:3]
    verify.check(good, a.code)
    for unit in (a, b, c):
        verify.check(copied, unit.code)
    verify.check(copied.replace("/21/", "/21/Z"), a.code)  # forged: a serial never issued
    verify.check("8934588012228", b.code)
    verify.check("xin chào")  # no commune, no product: counted nowhere
    return {"product": product, "units": (a, b, c)}


def test_checks_are_counted_by_status_commune_and_product(checked, officer_qltt):
    today = timezone.localdate()
    out = figures.figures(officer_qltt, today - dt.timedelta(days=1), today)
    by_status = {row["status"]: row["count"] for row in out["by_status"]}
    assert by_status == {
        "authentic": 3,
        "suspicious": 1,
        "forged": 1,
        "recalled": 0,
        "decommissioned": 0,
        "registered": 1,
        "not_registered": 0,
        "unreadable": 0,
    }
    assert out["total"] == 6
    a, b, c = checked["units"]
    communes = {row["unit__code"]: (row["n"], row["bad"]) for row in out["by_commune"]}
    assert communes == {a.code: (3, 1), b.code: (2, 0), c.code: (1, 1)}
    assert out["by_product"][0]["n"] == 6 and out["by_product"][0]["bad"] == 2


def test_suspicious_and_forged_codes_are_leads_that_become_a_case(checked, officer_qltt):
    today = timezone.localdate()
    leads = figures.leads(officer_qltt, today, today)
    assert sorted(lead["status"] for lead in leads) == ["forged", "suspicious"]
    suspicious = next(lead for lead in leads if lead["status"] == "suspicious")
    assert suspicious["communes"] == 1 and suspicious["product__gtin"] == "08934588012228"
    case = figures.lead_to_case(
        officer_qltt, suspicious["check_id"], lead_agency_code="QLTT", violation_type="counterfeit"
    )
    assert case.origin == f"goods-check:{suspicious['check_id']}"
    assert "Sữa Hoa Mai" in case.summary and case.lead_agency.code == "QLTT"


def test_the_other_province_sees_no_figures_nor_leads_and_businesses_none(
    checked, officer_qltt_lang_son, business_user
):
    today = timezone.localdate()
    assert figures.figures(officer_qltt_lang_son, today, today)["total"] == 0
    assert figures.leads(officer_qltt_lang_son, today, today) == []
    with pytest.raises(PermissionDenied):
        figures.figures(business_user, today, today)
