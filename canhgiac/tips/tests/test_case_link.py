import pytest

from canhgiac.tips import services

pytestmark = pytest.mark.django_db


def test_the_case_is_prefilled_from_the_tip_without_the_tipster(make_tip, ward):
    tip = make_tip(
        unit_code=ward.code,
        goods_category="cosmetics",
        violation_type="counterfeit",
        location="Ki-ốt 12, chợ trung tâm",
        online_url="https://www.facebook.com/shop/posts/9",
        anonymous=False,
        reporter_name="Người Báo",
        reporter_phone="0912345678",
    )
    data = services.case_data(tip)
    assert data["lead_agency_code"] == "SYT" and data["unit_code"] == ward.code
    assert data["violation_type"] == "counterfeit" and data["address"] == "Ki-ốt 12, chợ trung tâm"
    assert data["online_platform"] == "facebook.com" and data["origin"] == f"tip:{tip.code}"
    assert data["goods"] == [{"goods_category": "cosmetics", "description": "Mỹ phẩm"}]
    assert "0912345678" not in str(data) and "Người Báo" not in str(data)
