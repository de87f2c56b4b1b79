import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canhgiac.directory import services as directory
from canhgiac.directory.models import Agency, Field
from canhgiac.tips import services
from canhgiac.tips.models import Tip, TipTransfer

pytestmark = pytest.mark.django_db


def codes(agencies):
    return sorted(a.code for a in agencies)


@pytest.mark.parametrize(
    "goods, lead",
    [("cosmetics", "SYT"), ("milk", "SYT"), ("fuel", "QLTT"), ("fertilizer", "SNNMT"), ("minerals", "SNNMT")],
)
def test_a_tip_goes_to_the_lead_agency_of_the_matrix(make_tip, ward, goods, lead):
    tip = make_tip(unit_code=ward.code, goods_category=goods)
    assert tip.lead_agency.code == lead
    assert tip.field == tip.goods_category.field
    expected = directory.coordinating_agencies(ward, tip.field)
    assert codes(tip.coordinating.all()) == codes(a for a in expected if a.code != lead)


def test_unknown_goods_go_to_the_standing_office(make_tip, ward):
    assert make_tip(unit_code=ward.code).lead_agency.code == "SCT"
    assert make_tip().lead_agency.is_standing_office


def test_a_commune_row_of_the_matrix_overrides_the_province_row(make_tip, ward, agency):
    commune = Agency.objects.get(unit=ward)
    directory.save_responsibility(
        field=Field.objects.get(code="market"), unit=ward, lead=commune, coordinating=[agency("QLTT")]
    )
    here = make_tip(
        unit_code=ward.code, goods_category="fuel", description="Cây xăng pha tạp chất bán xăng giả."
    )
    other_ward = ward.province.children.exclude(pk=ward.pk).first()
    there = make_tip(
        unit_code=other_ward.code, goods_category="fuel", description="Cửa hàng gas sang chiết trái phép."
    )
    assert here.lead_agency == commune and codes(here.coordinating.all()) == ["QLTT"]
    assert there.lead_agency.code == "QLTT"


def test_the_lead_transfers_a_tip_with_a_reason(make_tip, ward, tip_handler_qltt, agency):
    tip = make_tip(unit_code=ward.code, goods_category="fuel")
    with pytest.raises(ValidationError) as err:
        services.transfer(tip_handler_qltt, tip, agency("CA"), "")
    assert "reason" in err.value.message_dict
    services.transfer(tip_handler_qltt, tip, agency("CA"), "Có dấu hiệu tội phạm buôn lậu.")
    tip.refresh_from_db()
    assert tip.lead_agency.code == "CA"
    assert "CA" not in codes(tip.coordinating.all())
    moved = TipTransfer.objects.get(tip=tip)
    assert (moved.from_agency.code, moved.to_agency.code, moved.by) == ("QLTT", "CA", tip_handler_qltt)


def test_the_coordinator_transfers_but_another_agency_cannot(
    make_tip, ward, coordinator_sct, officer_ca, agency
):
    tip = make_tip(unit_code=ward.code, goods_category="fuel")
    with pytest.raises(PermissionDenied):
        services.transfer(officer_ca, tip, agency("CA"), "Muốn nhận.")
    services.transfer(coordinator_sct, tip, agency("THUE"), "Liên quan hóa đơn.")
    assert Tip.objects.get(pk=tip.pk).lead_agency.code == "THUE"
