"""Each step of a report's workflow tells the next person (issue 11, item 10)."""

import pytest

from canhgiac.core.models import Notification
from canhgiac.reporting import services
from canhgiac.reporting.models import Submission
from canhgiac.reporting.tests.conftest import fill

S = Submission.Status


@pytest.fixture
def qltt_report(make_period, agency, officer_qltt, fixed_figures):
    return services.open_submission(officer_qltt, make_period(), agency("QLTT"))


def _notices(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind))


def test_submitted_tells_the_leader_approved_the_office_and_accepted_the_officer(
    qltt_report, officer_qltt, leader_qltt, coordinator_sct
):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    [notice] = _notices(leader_qltt, "reporting.submitted")
    assert "chờ lãnh đạo duyệt" in notice.title and notice.url == f"/reporting/submissions/{qltt_report.pk}/"
    assert _notices(officer_qltt, "reporting.submitted") == []  # never the one who acted
    services.approve(leader_qltt, qltt_report)
    assert len(_notices(coordinator_sct, "reporting.approved")) == 1
    assert _notices(leader_qltt, "reporting.approved") == []
    services.accept(coordinator_sct, qltt_report)
    [notice] = _notices(officer_qltt, "reporting.accepted")
    assert "đã tiếp nhận" in notice.title


def test_a_returned_report_tells_the_officer_with_the_comment(
    qltt_report, officer_qltt, leader_qltt, coordinator_sct
):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    services.send_back(leader_qltt, qltt_report, "Bổ sung số liệu tháng 3.")
    [notice] = _notices(officer_qltt, "reporting.draft")
    assert "Bổ sung số liệu tháng 3." in notice.body
    services.submit(officer_qltt, qltt_report)
    assert len(_notices(leader_qltt, "reporting.submitted")) == 2  # the second submission is news too
    services.approve(leader_qltt, qltt_report)
    services.return_submission(coordinator_sct, qltt_report, "Thiếu phần kiến nghị.")
    [notice] = _notices(officer_qltt, "reporting.returned")
    assert "trả lại" in notice.title and "Thiếu phần kiến nghị." in notice.body


def test_the_leader_must_confirm_before_approving_in_the_page(
    qltt_report, officer_qltt, leader_qltt, signed_in
):
    fill(officer_qltt, qltt_report)
    services.submit(officer_qltt, qltt_report)
    client = signed_in(leader_qltt)
    url = f"/reporting/submissions/{qltt_report.pk}/"
    page = client.get(url).content.decode()
    assert 'name="confirm"' in page and "xác nhận duyệt báo cáo" in page
    client.post(url, {"action": "approve"})
    qltt_report.refresh_from_db()
    assert qltt_report.status == S.SUBMITTED
    response = client.post(url, {"action": "approve", "confirm": "1"}, follow=True)
    qltt_report.refresh_from_db()
    assert qltt_report.status == S.APPROVED and "Đã duyệt và gửi" in response.content.decode()
