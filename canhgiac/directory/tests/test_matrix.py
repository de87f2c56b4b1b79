import pytest

from canhgiac.directory import services
from canhgiac.directory.models import AdministrativeUnit, Agency, Field, Responsibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return AdministrativeUnit.objects.get(codename="dak_lak", parent=None)


@pytest.fixture
def commune(province):
    return province.children.get(name="Phường Buôn Ma Thuột")


def test_lead_agency_uses_the_province_row(commune):
    assert services.lead_agency(commune, Field.objects.get(code="health")).code == "SYT"
    assert services.lead_agency(commune, Field.objects.get(code="border")).code == "BDBP"


def test_a_commune_row_overrides_the_province_row(commune, province):
    field = Field.objects.get(code="market")
    ubnd = Agency.objects.get(code=f"UBND-{commune.code}")
    services.save_responsibility(
        field=field, unit=commune, lead=ubnd, coordinating=[Agency.objects.get(code="QLTT")]
    )
    assert services.lead_agency(commune, field) == ubnd
    assert [a.code for a in services.coordinating_agencies(commune, field)] == ["QLTT"]
    other = province.children.exclude(pk=commune.pk).first()
    assert services.lead_agency(other, field).code == "QLTT"


def test_unknown_field_goes_to_the_standing_office(commune):
    assert services.lead_agency(commune, None).code == "SCT"


def test_goods_category_maps_to_its_field(commune):
    from canhgiac.directory.models import GoodsCategory

    field = services.field_for_goods(GoodsCategory.objects.get(code="milk"))
    assert services.lead_agency(commune, field).code == "SYT"


def test_coordinator_edits_the_matrix_in_the_ui(signed_in, coordinator_sct, commune):
    client = signed_in(coordinator_sct)
    field = Field.objects.get(code="food_safety")
    ubnd = Agency.objects.get(code=f"UBND-{commune.code}")
    response = client.post(
        "/directory/matrix/new/",
        {
            "field": field.pk,
            "unit": commune.pk,
            "lead": ubnd.pk,
            "coordinating": [Agency.objects.get(code="SYT").pk],
            "note": "Thí điểm",
        },
    )
    assert response.status_code == 302
    assert services.lead_agency(commune, field) == ubnd
    page = client.get("/directory/matrix/").content.decode()
    assert "Phân công riêng của xã, phường" in page and commune.name in page


def test_the_matrix_form_names_the_bad_field_in_vietnamese(signed_in, coordinator_sct, commune):
    client = signed_in(coordinator_sct)
    field = Field.objects.get(code="food_safety")
    province_row = Responsibility.objects.get(field=field, unit=commune.parent)
    response = client.post(
        "/directory/matrix/new/", {"field": field.pk, "unit": commune.parent.pk, "lead": province_row.lead.pk}
    )
    assert response.status_code == 200
    assert "Đã có phân công cho lĩnh vực này trên địa bàn này" in response.content.decode()


def test_an_officer_cannot_edit_the_matrix(signed_in, officer_qltt, commune):
    client = signed_in(officer_qltt)
    assert client.get("/directory/matrix/new/").status_code == 403
    assert client.get("/directory/matrix/").status_code == 200
