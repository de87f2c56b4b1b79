import pytest
from django.core.exceptions import PermissionDenied

from canhgiac.reporting import services
from canhgiac.reporting.models import Submission
from canhgiac.reporting.tests.conftest import fill

S = Submission.Status


@pytest.fixture
def qltt_report(make_period, agency, officer_qltt, fixed_figures):
    period = make_period()
    return services.open_submission(officer_qltt, period, agency("QLTT"))


def test_agency_submits_leader_approves_office_accepts(
    qltt_report, officer_qltt, leader_qltt, coordinator_sct
):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    assert qltt_report.status == S.SUBMITTED and qltt_report.submitted_by == officer_qltt
    services.approve(leader_qltt, qltt_report)
    assert qltt_report.status == S.APPROVED and qltt_report.sent_at is not None
    services.accept(coordinator_sct, qltt_report)
    qltt_report.refresh_from_db()
    assert qltt_report.status == S.ACCEPTED and qltt_report.reviewed_by == coordinator_sct


def test_officer_cannot_approve_own_report(qltt_report, officer_qltt):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    with pytest.raises(PermissionDenied):
        services.approve(officer_qltt, qltt_report)


def test_other_agencys_officer_cannot_open_or_edit(qltt_report, officer_ca, make_period, agency):
    with pytest.raises(PermissionDenied):
        services.save_submission(officer_ca, qltt_report, values={"cases": 1})
    with pytest.raises(PermissionDenied):
        services.open_submission(officer_ca, qltt_report.period, agency("QLTT"))


def test_coordinator_cannot_accept_before_leader_approval(qltt_report, officer_qltt, coordinator_sct):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    with pytest.raises(PermissionDenied):
        services.accept(coordinator_sct, qltt_report)


def test_leader_cannot_accept_for_the_standing_office(qltt_report, officer_qltt, leader_qltt):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    services.approve(leader_qltt, qltt_report)
    with pytest.raises(PermissionDenied):
        services.accept(leader_qltt, qltt_report)


def test_returned_report_needs_a_comment_and_can_be_corrected_and_resent(
    qltt_report, officer_qltt, leader_qltt, coordinator_sct
):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    services.approve(leader_qltt, qltt_report)
    with pytest.raises(services.ReportingError):
        services.return_submission(coordinator_sct, qltt_report, "  ")
    services.return_submission(coordinator_sct, qltt_report, "Bổ sung số liệu tin báo.")
    assert qltt_report.status == S.RETURNED and qltt_report.comment == "Bổ sung số liệu tin báo."
    assert not qltt_report.is_reported
    fill(officer_qltt, qltt_report, values={"tips_received": 9})
    services.submit(officer_qltt, qltt_report)
    assert qltt_report.status == S.SUBMITTED


def test_accepted_report_is_locked(qltt_report, officer_qltt, leader_qltt, coordinator_sct):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    services.approve(leader_qltt, qltt_report)
    services.accept(coordinator_sct, qltt_report)
    with pytest.raises(PermissionDenied):
        services.save_submission(officer_qltt, qltt_report, values={"cases": 1})
    assert services.is_locked(qltt_report.period, qltt_report.agency, qltt_report.status)


def test_leader_can_send_back_to_draft(qltt_report, officer_qltt, leader_qltt):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    services.send_back(leader_qltt, qltt_report, "Viết lại phần tồn tại.")
    assert qltt_report.status == S.DRAFT


def test_transitions_are_audited(qltt_report, officer_qltt):
    from canhgiac.audit.models import AuditEvent

    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    event = AuditEvent.objects.filter(action="reporting.transition", object_id=str(qltt_report.pk)).last()
    assert event.changes["status"] == {"before": "draft", "after": "submitted"}
    assert event.actor == officer_qltt


def test_submissions_visible_only_to_own_agency_and_standing_office(
    qltt_report, officer_ca, analyst_sct, coordinator_sct, officer_qltt
):
    from canhgiac.core.policy import visible_to

    qs = Submission.objects.all()
    assert list(visible_to(officer_ca, qs)) == []
    assert list(visible_to(officer_qltt, qs)) == [qltt_report]
    assert list(visible_to(analyst_sct, qs)) == [qltt_report]
    assert list(visible_to(coordinator_sct, qs)) == [qltt_report]


def test_commune_officer_reports_for_the_commune(make_period, commune_officer, commune_agency, no_figures):
    period = make_period()
    sub = services.open_submission(commune_officer, period, commune_agency)
    assert sub.agency == commune_agency and sub.prefill["cases"] is None


def test_viewer_reads_but_cannot_open_or_edit_the_agencys_report(
    make_period, agency, viewer_syt, make_user, no_figures
):
    from canhgiac.core import policy

    officer_syt = make_user("officer_syt", "SYT", policy.OFFICER)
    period = make_period(codes=("SYT",), commune=False)
    with pytest.raises(PermissionDenied):
        services.open_submission(viewer_syt, period, agency("SYT"))
    sub = services.open_submission(officer_syt, period, agency("SYT"))
    assert services.open_submission(viewer_syt, period, agency("SYT")) == sub  # reading is allowed
    with pytest.raises(PermissionDenied):
        services.save_submission(viewer_syt, sub, values={"cases": 1})
