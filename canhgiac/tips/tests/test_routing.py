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


# --- The decision table (docs/responsibility-matrix.md, "Routing a tip") ------------------------


@pytest.fixture
def border_ward(db):
    from canhgiac.directory.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("code").last()
    unit.border = True
    unit.save()
    return unit


@pytest.mark.parametrize(
    "extra, field, lead",
    [
        ({"violation_type": "prohibited_goods", "goods_category": "fuel"}, "crime", "CA"),
        ({"violation_type": "illegal_transport", "goods_category": "electronics"}, "border", "BDBP"),
        ({"violation_type": "smuggling", "goods_category": "alcohol_tobacco"}, "customs", "HQ"),
        ({"violation_type": "tax_fraud", "goods_category": "electronics"}, "tax", "THUE"),
        (
            {"goods_category": "cosmetics", "violation_type": "counterfeit", "online_url": "fb.com/live/123"},
            "ecommerce",
            "QLTT",
        ),
        ({"violation_type": "ip_infringement", "goods_category": "textiles_footwear"}, "ip_quality", "SKHCN"),
        ({"violation_type": "substandard", "goods_category": "electronics"}, "ip_quality", "SKHCN"),
        ({"violation_type": "substandard", "goods_category": "drugs"}, "health", "SYT"),
        ({"violation_type": "false_advertising"}, "culture", "SVHTTDL"),
        ({"goods_category": "cosmetics", "violation_type": "counterfeit"}, "health", "SYT"),
        ({"goods_category": "construction_materials"}, "construction", "SXD"),
        ({"goods_category": "minerals"}, "environment", "SNNMT"),
        ({"goods_category": "milk"}, "food_safety", "SYT"),
        ({"goods_category": "fertilizer"}, "agriculture", "SNNMT"),
        ({"goods_category": "fuel"}, "market", "QLTT"),
    ],
)
def test_each_row_of_the_decision_table_reaches_its_field(make_tip, ward, extra, field, lead):
    tip = make_tip(unit_code=ward.code, **extra)
    assert (tip.field.code, tip.lead_agency.code) == (field, lead)


def test_every_field_of_the_matrix_is_reachable(db, ward, border_ward):
    from itertools import product

    from canhgiac.directory.models import GoodsCategory, ViolationType

    reached = set()
    goods_list = [None, *GoodsCategory.objects.select_related("field")]
    for unit, goods in product((ward, border_ward), goods_list):
        for violation in [None, *ViolationType.objects.all()]:
            for online in (False, True):
                for crime in (False, True):
                    code, _rule = services.route_field_code(
                        unit=unit,
                        goods_category=goods,
                        violation_type=violation,
                        online=online,
                        signs_of_crime=crime,
                    )
                    reached.add(code)
    assert set(Field.objects.values_list("code", flat=True)) <= reached


def test_a_livestream_named_in_the_text_goes_to_the_e_commerce_lead(make_tip, ward):
    tip = make_tip(
        unit_code=ward.code,
        goods_category="cosmetics",
        description="Một tài khoản TikTok livestream bán kem trộn giả mỗi tối.",
    )
    assert (tip.field.code, tip.lead_agency.code) == ("ecommerce", "QLTT")


def test_smuggling_from_a_border_commune_reaches_the_border_guard(make_tip, ward, border_ward):
    there = make_tip(unit_code=border_ward.code, violation_type="smuggling", goods_category="alcohol_tobacco")
    inland = make_tip(
        unit_code=ward.code,
        violation_type="smuggling",
        goods_category="alcohol_tobacco",
        description="Kho chứa thuốc lá ngoại nhập lậu ở trong phố, xe tải chở đến ban đêm.",
    )
    assert (there.field.code, there.lead_agency.code) == ("border", "BDBP")
    assert "HQ" in codes(there.coordinating.all())
    assert (inland.field.code, inland.lead_agency.code) == ("customs", "HQ")


def test_a_signs_of_crime_mark_sends_any_tip_to_the_police(db, ward):
    from canhgiac.directory.models import GoodsCategory

    field, lead, _coordinating = services.route(
        ward, GoodsCategory.objects.get(code="milk"), None, signs_of_crime=True
    )
    assert (field.code, lead.code) == ("crime", "CA")


def test_the_commune_override_applies_to_the_field_the_table_picks(make_tip, border_ward, agency):
    commune = Agency.objects.get(unit=border_ward)
    directory.save_responsibility(
        field=Field.objects.get(code="border"), unit=border_ward, lead=commune, coordinating=[agency("BDBP")]
    )
    tip = make_tip(unit_code=border_ward.code, violation_type="illegal_transport")
    assert tip.lead_agency == commune and codes(tip.coordinating.all()) == ["BDBP"]
