import datetime as dt

import pytest

from canhgiac.audit.models import AuditEvent
from canhgiac.reporting import services
from canhgiac.reporting.tests.conftest import fill


def test_period_locks_expiry_days_after_the_deadline(make_period, agency, officer_qltt, no_figures):
    today = services.today()
    open_period = make_period(deadline=today - dt.timedelta(days=3), expiry_days=3, name="Còn mở")
    closed = make_period(deadline=today - dt.timedelta(days=4), expiry_days=3, name="Đã khóa")
    assert not services.is_locked(open_period, agency("QLTT"))
    assert services.is_locked(closed, agency("QLTT"))
    with pytest.raises(services.ReportingError):
        services.open_submission(officer_qltt, closed, agency("QLTT"))


def test_draft_in_a_locked_period_cannot_be_sent(make_period, agency, officer_qltt, no_figures):
    today = services.today()
    period = make_period(deadline=today, expiry_days=0)
    sub = services.open_submission(officer_qltt, period, agency("QLTT"))
    fill(officer_qltt, sub)
    period.deadline = today - dt.timedelta(days=1)
    period.save()
    sub.refresh_from_db()
    with pytest.raises(services.ReportingError, match="đã khóa"):
        services.submit(officer_qltt, sub)


def test_coordinator_exception_reopens_for_one_submitter_and_is_audited(
    make_period, agency, officer_qltt, officer_ca, coordinator_sct, no_figures
):
    today = services.today()
    period = make_period(deadline=today - dt.timedelta(days=20), expiry_days=5)
    services.grant_exception(
        coordinator_sct,
        period,
        agency("QLTT"),
        until=today + dt.timedelta(days=2),
        reason="Đơn vị đề nghị do thay đổi nhân sự.",
    )
    assert not services.is_locked(period, agency("QLTT"))
    assert services.is_locked(period, agency("CA"))
    sub = services.open_submission(officer_qltt, period, agency("QLTT"))
    fill(officer_qltt, sub)
    services.submit(officer_qltt, sub)
    event = AuditEvent.objects.filter(action="reporting.exception_granted").last()
    assert event.changes["agency"] == "QLTT" and event.actor == coordinator_sct


def test_only_coordinators_grant_exceptions_and_a_reason_is_required(
    make_period, agency, leader_qltt, coordinator_sct
):
    from django.core.exceptions import PermissionDenied

    period = make_period()
    with pytest.raises(PermissionDenied):
        services.grant_exception(leader_qltt, period, agency("QLTT"), until=services.today(), reason="x")
    with pytest.raises(services.ReportingError):
        services.grant_exception(coordinator_sct, period, agency("QLTT"), until=services.today(), reason=" ")
