"""Choice lists keep to the user's province: with Đắk Lắk and Lạng Sơn loaded, no form, filter or
API list offers a Lạng Sơn user an agency or a commune of Đắk Lắk, nor the other way round.
Every agency and unit field of every form on each page is checked (through the page's context),
and the rendered options too."""

import re

import pytest
from django import forms as django_forms

from canhgiac.directory.models import AdministrativeUnit, Agency

pytestmark = pytest.mark.django_db

PAGES = [
    "/cases/",
    "/cases/new/",
    "/cases/inspections/new/",
    "/cases/import/",
    "/cases/figures/",
    "/directory/matrix/new/",
    "/tips/new/",
    "/committee/membership/",
    "/committee/meetings/",
    "/committee/regulations/",
    "/committee/training/",
    "/committee/bulletins/",
    "/committee/commendations/",
    "/committee/international/",
]


def _forms_in(context):
    seen = []
    for layer in context:
        layer = layer.flatten() if hasattr(layer, "flatten") else layer
        for value in (layer if isinstance(layer, dict) else {}).values():
            form = getattr(value, "form", value)  # a filterset carries its form
            if isinstance(form, django_forms.BaseForm) and form not in seen:
                seen.append(form)
    return seen


def _offered(response):
    """(field, province id) of every agency and unit every form of the page offers."""
    offered = []
    for form in _forms_in(response.context):
        for name, field in form.fields.items():
            qs = getattr(field, "queryset", None)
            if qs is None and name == "unit_code":  # a plain choice of commune codes
                codes = [c for c, _label in field.choices if c]
                qs = AdministrativeUnit.objects.filter(code__in=codes)
            if qs is None:
                continue
            if qs.model is Agency:
                offered += [(name, a.province_id) for a in qs]
            elif qs.model is AdministrativeUnit:
                offered += [(name, u.parent_id or u.pk) for u in qs]
    return offered


def _option_values(response) -> set[str]:
    return set(re.findall(r'<option value="([^"]+)"', response.content.decode()))


@pytest.fixture
def provinces(lang_son):
    dak_lak = AdministrativeUnit.objects.get(parent=None, codename="dak_lak")
    return dak_lak, lang_son


@pytest.mark.parametrize("url", PAGES)
def test_a_lang_son_coordinator_is_offered_lang_son_s_agencies_and_communes_only(
    url, provinces, signed_in, coordinator_lang_son
):
    dak_lak, lang_son = provinces
    response = signed_in(coordinator_lang_son).get(url)
    assert response.status_code == 200
    offered = _offered(response)
    assert offered, f"{url}: no agency or unit field found"
    assert {p for _f, p in offered} == {lang_son.pk}, [f for f, p in offered if p != lang_son.pk][:5]
    dak_lak_pks = {str(pk) for pk in Agency.objects.filter(province=dak_lak).values_list("pk", flat=True)}
    dak_lak_units = set(AdministrativeUnit.objects.filter(parent=dak_lak).values_list("code", flat=True))
    values = _option_values(response)
    assert not values & dak_lak_units
    # option values that are agency ids: none of Đắk Lắk's
    agency_fields = {f for f, _p in offered}
    assert agency_fields
    html = response.content.decode()
    for pk in dak_lak_pks & values:
        # the same number may be the id of a goods category or a field: never in an agency select
        for select in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
            if select[0] in ("lead_agency", "agency", "shared_with", "participating", "lead", "coordinating"):
                assert f'value="{pk}"' not in select[1], (url, select[0], pk)


@pytest.mark.parametrize("url", PAGES)
def test_a_dak_lak_coordinator_is_offered_dak_lak_s_agencies_and_communes_only(
    url, provinces, signed_in, coordinator_sct
):
    dak_lak, _lang_son = provinces
    offered = _offered(signed_in(coordinator_sct).get(url))
    assert offered and {p for _f, p in offered} == {dak_lak.pk}


def test_the_tip_transfer_form_offers_the_province_s_agencies_only(
    provinces, signed_in, coordinator_lang_son, coordinator_sct, ls
):
    from canhgiac.tips import services as tips
    from canhgiac.tips.models import Tip

    dak_lak, lang_son = provinces
    for user, agency, province in (
        (coordinator_lang_son, ls("QLTT"), lang_son),
        (coordinator_sct, Agency.objects.get(province=dak_lak, code="QLTT"), dak_lak),
    ):
        tip, _secret = tips.submit_public({"description": "Cửa hàng bán mỹ phẩm giả, không có hóa đơn."})
        Tip.objects.filter(pk=tip.pk).update(lead_agency=agency)
        response = signed_in(user).get(f"/tips/{tip.pk}/")
        assert response.status_code == 200
        transfer = response.context["transfer_form"].fields["agency"].queryset
        assert transfer.exists() and set(transfer.values_list("province", flat=True)) == {province.pk}


def test_a_short_code_filter_means_the_user_s_own_province_s_agency(
    provinces, signed_in, coordinator_lang_son, national_admin
):
    dak_lak, lang_son = provinces
    page = signed_in(coordinator_lang_son).get("/cases/?agency=QLTT")
    assert page.status_code == 200 and page.context["filter"].form.is_valid()
    assert page.context["filter"].form.cleaned_data["agency"].province_id == lang_son.pk
    # a national administrator spans both provinces: a short code is ambiguous, the key is not
    admin = signed_in(national_admin)
    assert not admin.get("/cases/?agency=QLTT").context["filter"].form.is_valid()
    chosen = admin.get(f"/cases/?agency={lang_son.code}:QLTT").context["filter"].form.cleaned_data["agency"]
    assert chosen.province_id == lang_son.pk
    assert f'value="{dak_lak.code}:QLTT"' in admin.get("/cases/").content.decode()


def test_the_directory_api_lists_the_user_s_province_only(
    provinces, signed_in, coordinator_lang_son, coordinator_sct
):
    dak_lak, lang_son = provinces
    for user, province in ((coordinator_lang_son, lang_son), (coordinator_sct, dak_lak)):
        client = signed_in(user)
        agencies = client.get("/api/v1/directory/agencies").json()
        assert agencies and {a["key"].split(":")[0] for a in agencies} == {province.code}
        units = client.get("/api/v1/directory/units").json()
        assert units and all(province.code in (u["code"], u["parent_code"]) for u in units), units[:2]
        page = client.get("/directory/agencies/")
        assert {a.province_id for a in page.context["agencies"]} == {province.pk}
