"""Money and quantities typed the Vietnamese way in the case form (issue 11, item 1)."""

from decimal import Decimal

import pytest

from canhgiac.cases.models import Case
from canhgiac.cases.tests.test_views import _form

pytestmark = pytest.mark.django_db


def _post(client, units, agency, path="/cases/new/", **extra):
    from canhgiac.directory.models import ViolationType

    vt = ViolationType.objects.get(code="unknown_origin")
    return client.post(path, _form(units, lead_agency=agency("QLTT").pk, violation_type=vt.pk, **extra))


def test_a_fine_typed_with_points_is_stored_in_full_on_create_and_edit(
    units, signed_in, officer_qltt, agency
):
    client = signed_in(officer_qltt)
    response = _post(
        client,
        units,
        agency,
        fine_vnd="25.000.000",
        budget_revenue_vnd="40 000 000",
        **{"goods-0-quantity": "1.200,5", "goods-0-value_vnd": "15.000.000"},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.fine_vnd, case.budget_revenue_vnd) == (25_000_000, 40_000_000)
    assert case.goods.get().quantity == Decimal("1200.5") and case.goods_value_vnd == 15_000_000
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert 'value="25.000.000"' in page and 'value="40.000.000"' in page and 'value="1.200,5"' in page
    assert 'value="02/03/2026"' in page
    response = _post(
        client,
        units,
        agency,
        path=f"/cases/{case.pk}/edit/",
        fine_vnd="15.000.000",
        detected_on="05/03/2026",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.fine_vnd == 15_000_000 and case.detected_on.isoformat() == "2026-03-05"


def test_an_ambiguous_fine_is_refused_with_a_message_naming_the_field(units, signed_in, officer_qltt, agency):
    client = signed_in(officer_qltt)
    response = _post(client, units, agency, fine_vnd="1.5")
    assert response.status_code == 200 and Case.objects.count() == 0
    assert "Tiền phạt (đồng): “1.5” không rõ nghĩa" in response.content.decode()


def test_a_fine_under_1000_dong_is_saved_with_a_warning(units, signed_in, officer_qltt, agency):
    client = signed_in(officer_qltt)
    response = _post(client, units, agency, fine_vnd="500")
    assert response.status_code == 302 and Case.objects.get().fine_vnd == 500
    page = client.get(response["Location"]).content.decode()
    assert "Tiền phạt (đồng): 500 đ thấp bất thường (dưới 1.000 đ)" in page
