import datetime as dt

from django.utils import timezone

from canhgiac.core.models import Notification
from canhgiac.reporting import services
from canhgiac.reporting.models import Submission


def _now(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8)))


def test_reminder_three_days_before_to_agencies_that_have_not_reported(
    make_period, agency, officer_qltt, leader_qltt, officer_ca, coordinator_sct
):
    today = services.today()
    period = make_period(deadline=today + dt.timedelta(days=3), codes=("QLTT", "CA"), commune=False)
    Submission.objects.create(
        period=period, agency=agency("CA"), form=period.form, status="accepted", sent_at=timezone.now()
    )
    services.send_reminders(_now(today))
    reminded = set(
        Notification.objects.filter(kind="reporting.reminder").values_list("user__username", flat=True)
    )
    assert reminded == {"officer_qltt", "leader_qltt"}
    services.send_reminders(_now(today))  # running again sends nothing new
    assert Notification.objects.filter(kind="reporting.reminder").count() == 2


def test_escalation_after_the_deadline(make_period, agency, leader_qltt, officer_qltt, coordinator_sct):
    today = services.today()
    period = make_period(deadline=today - dt.timedelta(days=1), codes=("QLTT",), commune=False)
    services.send_reminders(_now(today))
    assert set(
        Notification.objects.filter(kind="reporting.overdue").values_list("user__username", flat=True)
    ) == {"leader_qltt"}
    assert not Notification.objects.filter(kind="reporting.escalation").exists()
    services.send_reminders(_now(today + dt.timedelta(days=2)))
    note = Notification.objects.get(kind="reporting.escalation")
    assert note.user == coordinator_sct and "QLTT" in note.body and period.name in note.title


def test_reminders_are_registered_as_a_periodic_job():
    from canhgiac.core.registry import PERIODIC_HOOKS

    assert "reporting.reminders" in [name for name, _fn in PERIODIC_HOOKS]


def test_standing_office_is_chased_for_its_own_report(make_period, coordinator_sct, admin_user):

    today = services.today()
    period = make_period(deadline=today - dt.timedelta(days=1), codes=("QLTT",), commune=False)
    period.office_deadline = today + dt.timedelta(days=1)
    period.save()
    services.send_reminders(_now(today))
    assert Notification.objects.filter(kind="reporting.office_reminder", user=coordinator_sct).count() == 1
    services.send_reminders(_now(today + dt.timedelta(days=2)))
    overdue = set(
        Notification.objects.filter(kind="reporting.office_overdue").values_list("user__username", flat=True)
    )
    assert overdue == {"coordinator_sct", "admin_sct"}


def test_issued_province_report_stops_the_chase(make_period, coordinator_sct):
    from canhgiac.reporting import consolidation

    today = services.today()
    period = make_period(deadline=today - dt.timedelta(days=5), codes=("QLTT",), commune=False)
    period.office_deadline = today - dt.timedelta(days=1)
    period.save()
    consolidation.save_province_report(
        coordinator_sct, period, narrative={}, number="15/BC-SCT", issued_on=today
    )
    services.send_reminders(_now(today))
    assert not Notification.objects.filter(kind="reporting.office_overdue").exists()
