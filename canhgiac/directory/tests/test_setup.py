import io

import pytest
from django.core.management import call_command

from canhgiac.core.text import fold
from canhgiac.directory import services
from canhgiac.directory.models import (
    AdministrativeUnit,
    Agency,
    Field,
    GoodsCategory,
    Responsibility,
    ViolationType,
)

pytestmark = pytest.mark.django_db


def test_setup_loads_102_communes_of_dak_lak_with_clean_names():
    province = AdministrativeUnit.objects.get(codename="dak_lak", parent=None)
    communes = AdministrativeUnit.objects.filter(parent=province)
    assert communes.count() == 102
    assert not [u.name for u in communes if "  " in u.name or u.name != u.name.strip()]
    assert communes.filter(name="Phường Buôn Ma Thuột").exists()
    assert communes.get(name="Phường Buôn Ma Thuột").name_folded == "phuong buon ma thuot"


def test_setup_is_idempotent():
    before = (AdministrativeUnit.objects.count(), Agency.objects.count(), Responsibility.objects.count())
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    assert (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        Responsibility.objects.count(),
    ) == before


def test_every_commune_has_its_peoples_committee_and_member_agencies_exist():
    province = AdministrativeUnit.objects.get(codename="dak_lak")
    for unit in province.children.all():
        assert Agency.objects.filter(code=f"UBND-{unit.code}", unit=unit, kind=Agency.Kind.COMMUNE).exists()
    codes = {
        "CA",
        "QLTT",
        "HQ",
        "BDBP",
        "THUE",
        "SCT",
        "SYT",
        "SNNMT",
        "SKHCN",
        "SVHTTDL",
        "STP",
        "SNV",
        "STC",
        "SXD",
        "BCHQS",
        "BAO",
        "MTTQ",
    }
    assert codes <= set(Agency.objects.values_list("code", flat=True))
    assert services.standing_office(province).code == "SCT"


def test_reference_lists_have_the_required_codes():
    goods = {
        "drugs",
        "medical_devices",
        "milk",
        "food",
        "functional_food",
        "cosmetics",
        "fuel",
        "fertilizer",
        "pesticides",
        "animal_feed",
        "meat_veterinary",
        "alcohol_tobacco",
        "textiles_footwear",
        "electronics",
        "vehicles_parts",
        "construction_materials",
        "chemicals",
        "cultural_products",
        "timber_forestry",
        "minerals",
        "wildlife",
        "scrap_waste",
        "other",
    }
    assert goods <= set(GoodsCategory.objects.values_list("code", flat=True))
    violations = {
        "smuggling",
        "illegal_transport",
        "trade_fraud",
        "tax_fraud",
        "counterfeit",
        "ip_infringement",
        "unknown_origin",
        "substandard",
        "prohibited_goods",
        "false_advertising",
        "other",
    }
    assert violations == set(ViolationType.objects.values_list("code", flat=True))
    high_risk = set(GoodsCategory.objects.filter(high_risk=True).values_list("code", flat=True))
    assert {"drugs", "milk", "food", "functional_food", "cosmetics"} <= high_risk
    assert all(g.name and g.name_en for g in GoodsCategory.objects.all())


def test_every_field_has_a_province_wide_lead():
    province = AdministrativeUnit.objects.get(codename="dak_lak")
    for field in Field.objects.all():
        assert Responsibility.objects.filter(field=field, unit=province).exists(), field.code


def test_two_provinces_load_both(settings):
    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    lang_son = AdministrativeUnit.objects.get(codename="lang_son", parent=None)
    assert lang_son.children.count() == 65
    assert AdministrativeUnit.objects.get(codename="dak_lak", parent=None).children.count() == 102
    # Both provinces keep the short codes; the key qualifies them; Lạng Sơn's Standing Office is
    # Market Surveillance.
    ca = Agency.objects.get(code="CA", province=lang_son)
    assert ca.key == f"{lang_son.code}:CA"
    assert services.standing_office(lang_son).code == "QLTT"
    assert services.standing_office(lang_son).province == lang_son
    assert services.agency_by_code("CA", "lang_son") == ca
    assert services.agency_by_code(f"{lang_son.code}:CA") == ca
    assert services.agency_by_code("CA") is None  # ambiguous with two provinces loaded


def test_agency_codes_do_not_depend_on_the_order_of_provinces(settings):
    settings.CANHGIAC_PROVINCES = ["lang_son", "dak_lak"]
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    dak_lak = AdministrativeUnit.objects.get(codename="dak_lak", parent=None)
    assert Agency.objects.get(code="QLTT", province=dak_lak).key == f"{dak_lak.code}:QLTT"
    assert Agency.objects.filter(code="QLTT").count() == 2
    assert services.agency_by_code("QLTT", dak_lak).province == dak_lak


def test_search_on_folded_names_finds_without_diacritics():
    assert AdministrativeUnit.objects.filter(name_folded__contains=fold("buon ma thuot")).exists()
