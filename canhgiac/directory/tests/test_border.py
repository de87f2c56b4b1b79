import pytest

from canhgiac.directory.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def border_names():
    return sorted(AdministrativeUnit.objects.filter(border=True).values_list("name", flat=True))


def test_setup_flags_the_communes_on_the_cambodian_border():
    assert border_names() == ["Xã Buôn Đôn", "Xã Ea Bung", "Xã Ia Lốp", "Xã Ia Rvê"]


def test_the_standing_office_edits_the_border_flags_and_setup_keeps_them(signed_in, coordinator_sct):
    from canhgiac.directory import services

    client = signed_in(coordinator_sct)
    page = client.get("/directory/border/").content.decode()
    assert page.index("Xã Ea Bung") < page.index("Xã Ia Lốp")  # Vietnamese order
    codes = list(AdministrativeUnit.objects.filter(border=True).values_list("code", flat=True))
    extra = AdministrativeUnit.objects.get(name="Xã Ea Súp")
    response = client.post("/directory/border/", {"border": [*codes, extra.code]})
    assert response.status_code == 302
    assert "Xã Ea Súp" in border_names()
    services.setup_province("dak_lak")
    assert "Xã Ea Súp" in border_names() and len(border_names()) == 5


def test_other_roles_cannot_edit_the_border_flags(signed_in, officer_ca, leader_qltt):
    for user in (officer_ca, leader_qltt):
        client = signed_in(user)
        assert client.get("/directory/border/").status_code == 403
        assert client.post("/directory/border/", {"border": []}).status_code == 403
    assert len(border_names()) == 4
