import pytest
from django.core.exceptions import PermissionDenied

from canhgiac.core.policy import can, visible_to
from canhgiac.tips import services
from canhgiac.tips.models import Tip

pytestmark = pytest.mark.django_db


@pytest.fixture
def fuel_tip(make_tip, ward):
    # Lead QLTT; coordinating CA, THUE, SCT (the default matrix row for "market").
    return make_tip(unit_code=ward.code, goods_category="fuel")


@pytest.fixture
def drug_tip(make_tip, ward):
    # Lead SYT; coordinating QLTT, CA.
    return make_tip(
        unit_code=ward.code, goods_category="drugs", description="Nhà thuốc bán thuốc kê đơn giả."
    )


def sees(user, tip):
    return visible_to(user, Tip.objects.filter(pk=tip.pk)).exists()


def test_the_lead_and_coordinating_agencies_see_a_tip_and_others_do_not(
    fuel_tip, officer_qltt, officer_ca, viewer_syt, commune_officer, analyst_sct, coordinator_sct
):
    assert sees(officer_qltt, fuel_tip) and sees(officer_ca, fuel_tip)
    assert sees(coordinator_sct, fuel_tip) and sees(analyst_sct, fuel_tip)
    assert not sees(viewer_syt, fuel_tip)
    assert not sees(commune_officer, fuel_tip)


def test_an_anonymous_visitor_sees_no_tip(fuel_tip):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_to(AnonymousUser(), Tip.objects.all()).exists()


def test_only_the_lead_agencys_handlers_and_leaders_handle_a_tip(
    fuel_tip, drug_tip, tip_handler_qltt, leader_qltt, officer_qltt, officer_ca, coordinator_sct
):
    assert can(tip_handler_qltt, "handle", fuel_tip) and can(leader_qltt, "handle", fuel_tip)
    assert not can(officer_qltt, "handle", fuel_tip)
    assert not can(officer_ca, "handle", fuel_tip)
    assert not can(coordinator_sct, "handle", fuel_tip)
    # QLTT coordinates the drug tip: it sees it but does not handle it.
    assert sees(tip_handler_qltt, drug_tip) and not can(tip_handler_qltt, "handle", drug_tip)
    with pytest.raises(PermissionDenied):
        services.accept(tip_handler_qltt, drug_tip)


def test_the_standing_office_handles_tips_it_leads(make_tip, coordinator_sct, officer_qltt):
    tip = make_tip()  # unknown field: the Standing Office leads
    assert can(coordinator_sct, "handle", tip)
    services.accept(coordinator_sct, tip)
    assert not can(officer_qltt, "view", tip)


def test_coordinating_agencies_write_internal_notes_only(fuel_tip, officer_ca, tip_handler_qltt):
    note = services.staff_message(officer_ca, fuel_tip, "Công an đã nắm được đối tượng.", internal=True)
    assert note.internal
    with pytest.raises(PermissionDenied):
        services.staff_message(officer_ca, fuel_tip, "Gửi người báo tin.")
    reply = services.staff_message(tip_handler_qltt, fuel_tip, "Đã tiếp nhận, đang xác minh.")
    assert reply.agency.code == "QLTT" and not reply.internal


def test_staff_pages_are_scoped(fuel_tip, signed_in, officer_ca, viewer_syt, client):
    assert client.get("/tips/").status_code == 302
    assert fuel_tip.code in signed_in(officer_ca).get("/tips/").content.decode()
    assert signed_in(officer_ca).get(f"/tips/{fuel_tip.pk}/").status_code == 200
    assert fuel_tip.code not in signed_in(viewer_syt).get("/tips/").content.decode()
    assert signed_in(viewer_syt).get(f"/tips/{fuel_tip.pk}/").status_code == 404


def test_the_stats_count_only_what_the_user_sees(fuel_tip, drug_tip, officer_ca, viewer_syt, coordinator_sct):
    import datetime as dt

    day = dt.date.today()
    span = (day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    assert services.stats(coordinator_sct, *span)["received"] == 2
    assert services.stats(None, *span)["received"] == 2
    assert services.stats(officer_ca, *span)["received"] == 2
    assert services.stats(viewer_syt, *span)["received"] == 0
