import pytest
from django.core.exceptions import PermissionDenied, ValidationError

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
    # A counterfeit sold through a Facebook link: the e-commerce lead (QLTT), not Health.
    assert data["lead_agency_code"] == "QLTT" and data["unit_code"] == ward.code
    assert data["violation_type"] == "counterfeit" and data["address"] == "Ki-ốt 12, chợ trung tâm"
    assert data["online_platform"] == "facebook.com" and data["origin"] == f"tip:{tip.code}"
    assert data["goods"] == [{"goods_category": "cosmetics", "description": "Mỹ phẩm"}]
    assert "0912345678" not in str(data) and "Người Báo" not in str(data)


def test_a_leader_turns_an_accepted_tip_into_a_case_linked_both_ways(make_tip, ward, leader_qltt, signed_in):
    from canhgiac.cases.models import Case
    from canhgiac.tips.models import Tip

    tip = make_tip(
        unit_code=ward.code,
        goods_category="fuel",
        violation_type="trade_fraud",
        anonymous=False,
        reporter_phone="0912345678",
    )
    services.accept(leader_qltt, tip)
    client = signed_in(leader_qltt)
    assert "Lập vụ việc từ tin báo" in client.get(f"/tips/{tip.pk}/").content.decode()
    response = client.post(f"/tips/{tip.pk}/case/", {"unit_code": ward.code, "violation_type": "trade_fraud"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.origin == f"tip:{tip.code}" and case.lead_agency.code == "QLTT" and case.unit == ward
    assert "0912345678" not in str(Case.objects.values().get())
    tip = Tip.objects.get(pk=tip.pk)
    assert (tip.case_id, tip.case_reference) == (case.pk, case.reference)
    assert (tip.status, tip.outcome) == (Tip.Status.RESOLVED, Tip.Outcome.CASE)
    assert case.reference in client.get(f"/tips/{tip.pk}/").content.decode()
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert f'href="/tips/?q={tip.code}"' in case_page
    assert tip.code in client.get(f"/tips/?q={tip.code}").content.decode()
    with pytest.raises(ValidationError):
        services.turn_into_case(leader_qltt, tip)


def test_turning_into_a_case_needs_case_rights_and_the_missing_facts(
    make_tip, ward, leader_qltt, tip_handler_qltt
):
    from canhgiac.cases.models import Case

    tip = make_tip(goods_category="fuel")  # no commune, no violation type
    services.accept(leader_qltt, tip)
    with pytest.raises(ValidationError) as err:
        services.turn_into_case(leader_qltt, tip)
    assert {"unit_code", "violation_type"} <= set(err.value.message_dict)
    case = services.turn_into_case(leader_qltt, tip, unit_code=ward.code, violation_type="trade_fraud")
    assert Case.objects.get() == case and case.unit == ward


def test_the_tip_handler_who_verified_a_tip_opens_its_case(make_tip, ward, tip_handler_qltt, signed_in):
    from canhgiac.cases.models import Case

    tip = make_tip(unit_code=ward.code, goods_category="fuel", violation_type="trade_fraud")
    services.accept(tip_handler_qltt, tip)
    services.start_verifying(tip_handler_qltt, tip)
    client = signed_in(tip_handler_qltt)
    assert "Lập vụ việc từ tin báo" in client.get(f"/tips/{tip.pk}/").content.decode()
    response = client.post(f"/tips/{tip.pk}/case/", {"unit_code": ward.code, "violation_type": "trade_fraud"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.created_by == tip_handler_qltt and case.lead_agency.code == "QLTT"
    assert client.get(case.get_absolute_url()).status_code == 200


def test_a_tip_handler_of_another_agency_cannot_open_the_case(make_tip, ward, tip_handler_qltt, officer_ca):
    tip = make_tip(unit_code=ward.code, goods_category="fuel", violation_type="trade_fraud")
    services.accept(tip_handler_qltt, tip)
    with pytest.raises(PermissionDenied):
        services.turn_into_case(officer_ca, tip)
