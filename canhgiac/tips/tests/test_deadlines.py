import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from canhgiac.core.models import Notification
from canhgiac.core.periodic import run_periodic
from canhgiac.tips import services
from canhgiac.tips.models import Tip

pytestmark = pytest.mark.django_db


def deadline_notices():
    # The new-tip notice is queued with the tip (tests run tasks inline); these tests look at the rest.
    return Notification.objects.exclude(kind="tips.new")


def test_deadlines_are_counted_from_receipt(make_tip):
    tip = make_tip()
    assert tip.accept_due - tip.received_at == dt.timedelta(days=3)
    assert tip.resolve_due - tip.received_at == dt.timedelta(days=20)


def test_deadlines_are_configurable(make_tip, settings):
    settings.TIP_ACCEPT_DAYS, settings.TIP_RESOLVE_DAYS = 1, 10
    tip = make_tip()
    assert (tip.accept_due - tip.received_at).days == 1 and (tip.resolve_due - tip.received_at).days == 10


def test_handlers_are_reminded_before_and_the_coordinator_alerted_after_each_deadline(
    make_tip, ward, tip_handler_qltt, coordinator_sct, officer_qltt
):
    tip = make_tip(unit_code=ward.code, goods_category="fuel")
    start = tip.received_at
    services.run_deadlines(start + dt.timedelta(hours=1))
    assert not deadline_notices().exists()

    services.run_deadlines(start + dt.timedelta(days=2, hours=12))
    reminder = deadline_notices().get()
    assert (
        reminder.user == tip_handler_qltt and reminder.kind == "tips.reminder" and tip.code in reminder.title
    )

    later = start + dt.timedelta(days=3, hours=1)
    services.run_deadlines(later)
    services.run_deadlines(later)  # reruns never repeat a notice
    escalations = deadline_notices().filter(kind="tips.escalation")
    assert {n.user for n in escalations} == {coordinator_sct, tip_handler_qltt}
    assert not deadline_notices().filter(user=officer_qltt).exists()

    services.accept(tip_handler_qltt, tip)
    before = deadline_notices().count()
    services.run_deadlines(start + dt.timedelta(days=19, hours=12))
    assert deadline_notices().count() == before + 1  # resolution reminder
    services.run_deadlines(start + dt.timedelta(days=21))
    assert deadline_notices().filter(kind="tips.escalation", dedupe_key__contains=":resolve:").count() == 2


def test_a_closed_tip_raises_no_alerts(make_tip, ward, tip_handler_qltt):
    tip = make_tip(unit_code=ward.code, goods_category="fuel")
    services.accept(tip_handler_qltt, tip)
    services.resolve(tip_handler_qltt, tip, Tip.Outcome.NOT_SUBSTANTIATED, "Kiểm tra không thấy vi phạm.")
    services.run_deadlines(tip.received_at + dt.timedelta(days=40))
    assert not deadline_notices().exists()


def test_the_deadline_job_is_registered_with_the_worker(make_tip):
    assert any(line.startswith("tips.deadlines:") for line in run_periodic())


def test_resolution_is_extended_once_with_a_reason_up_to_60_days(make_tip, ward, tip_handler_qltt):
    tip = make_tip(unit_code=ward.code, goods_category="fuel")
    received = timezone.localtime(tip.received_at).date()
    with pytest.raises(ValidationError) as err:
        services.extend(tip_handler_qltt, tip, received + dt.timedelta(days=61), "Cần giám định.")
    assert "new_due" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.extend(tip_handler_qltt, tip, received + dt.timedelta(days=40), " ")
    assert "reason" in err.value.message_dict
    services.extend(tip_handler_qltt, tip, received + dt.timedelta(days=60), "Cần trưng cầu giám định.")
    tip.refresh_from_db()
    assert tip.extended and tip.resolve_due <= tip.received_at + dt.timedelta(days=60)
    assert tip.resolve_due > tip.received_at + dt.timedelta(days=59)
    with pytest.raises(ValidationError):
        services.extend(tip_handler_qltt, tip, received + dt.timedelta(days=50), "Lần nữa.")


def test_the_status_flow_with_reasons(make_tip, ward, tip_handler_qltt):
    tip = make_tip(unit_code=ward.code, goods_category="fuel")
    with pytest.raises(ValidationError):
        services.resolve(tip_handler_qltt, tip, Tip.Outcome.SUBSTANTIATED, "Chưa thụ lý thì chưa kết luận.")
    services.accept(tip_handler_qltt, tip)
    services.start_verifying(tip_handler_qltt, tip)
    with pytest.raises(ValidationError) as err:
        services.resolve(tip_handler_qltt, tip, Tip.Outcome.SUBSTANTIATED, "")
    assert "reason" in err.value.message_dict
    services.resolve(
        tip_handler_qltt,
        tip,
        Tip.Outcome.SUBSTANTIATED,
        "Đã kiểm tra, phát hiện 200 lít xăng kém chất lượng.",
    )
    tip.refresh_from_db()
    assert (tip.status, tip.outcome) == (Tip.Status.RESOLVED, Tip.Outcome.SUBSTANTIATED) and tip.closed_at
    other = make_tip(
        unit_code=ward.code, goods_category="electronics", description="Điện thoại xách tay không hóa đơn."
    )
    with pytest.raises(ValidationError):
        services.reject(tip_handler_qltt, other, Tip.Outcome.SUBSTANTIATED, "Sai loại.")
    services.reject(
        tip_handler_qltt, other, Tip.Outcome.OUT_OF_SCOPE, "Tranh chấp dân sự, không thuộc phạm vi."
    )
    assert Tip.objects.get(pk=other.pk).status == Tip.Status.REJECTED


def test_the_lead_agencys_handlers_hear_of_a_new_tip(
    tip_handler_qltt, officer_qltt, ward, tip_data, django_capture_on_commit_callbacks, mailoutbox
):
    tip_handler_qltt.email = "tinbao.qltt@example.vn"
    tip_handler_qltt.save()
    with django_capture_on_commit_callbacks(execute=True):
        tip, _secret = services.submit_public(tip_data(unit_code=ward.code, goods_category="fuel"))
    notice = Notification.objects.get()
    assert notice.user == tip_handler_qltt and notice.kind == "tips.new" and tip.code in notice.title
    assert len(mailoutbox) == 1 and tip.code in mailoutbox[0].subject
