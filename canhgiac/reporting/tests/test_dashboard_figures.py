"""The reporting figures the leaders' dashboard reads: reports on time over a window (agencies,
communes, the Standing Office), reports waiting for action, figures added up into national groups."""

import datetime as dt

from django.utils import timezone

from canhgiac.core import policy
from canhgiac.reporting import services
from canhgiac.reporting.models import Submission

S = Submission.Status


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_timeliness_over_a_window_splits_agencies_communes_and_the_office(
    make_period, agency, commune_agency, coordinator_sct
):
    today = services.today()
    deadline = today - dt.timedelta(days=5)
    period = make_period(deadline=deadline, codes=("QLTT", "CA"))
    make_period(deadline=today + dt.timedelta(days=5), name="Chưa đến hạn")  # not due: not counted
    mk = Submission.objects.create
    mk(period=period, agency=agency("QLTT"), form=period.form, status=S.ACCEPTED, sent_at=at(deadline))
    mk(
        period=period,
        agency=agency("CA"),
        form=period.form,
        status=S.ACCEPTED,
        sent_at=at(deadline + dt.timedelta(1)),
    )
    mk(period=period, agency=commune_agency, form=period.form, status=S.SUBMITTED)
    summary = services.timeliness_summary(
        coordinator_sct, today.replace(month=1, day=1) - dt.timedelta(days=30), today
    )
    assert summary["periods"] == 1
    assert (summary["agencies"]["expected"], summary["agencies"]["on_time"]) == (2, 1)
    assert summary["agencies"]["timeliness"] == 50.0
    assert (summary["communes"]["expected"], summary["communes"]["reported"]) == (1, 0)
    # the office deadline (deadline + 3 days) has passed without a province report: late
    assert (summary["office"]["expected"], summary["office"]["on_time"], summary["office"]["timeliness"]) == (
        1,
        0,
        0.0,
    )
    board = services.period_board(period, today)
    assert summary["agencies"]["timeliness"] == board["agencies"]["timeliness"]


def test_reports_waiting_for_the_leader_and_for_the_standing_office(
    make_period, agency, make_user, coordinator_sct, leader_qltt, officer_qltt
):
    period = make_period(codes=("QLTT", "CA"))
    Submission.objects.create(period=period, agency=agency("QLTT"), form=period.form, status=S.SUBMITTED)
    Submission.objects.create(
        period=period, agency=agency("CA"), form=period.form, status=S.APPROVED, sent_at=timezone.now()
    )
    assert services.waiting_for(leader_qltt) == {"to_approve": 1, "to_accept": 0}
    assert services.waiting_for(officer_qltt) == {"to_approve": 0, "to_accept": 0}
    leader_ca = make_user("leader_ca_dash", "CA", policy.LEADER)
    assert services.waiting_for(leader_ca)["to_approve"] == 0  # CA's report is already approved
    assert services.waiting_for(coordinator_sct)["to_accept"] == 1


def test_figures_per_violation_type_add_up_into_the_national_groups(db):
    groups = services.group_mapping()
    first = groups[0]
    code = first.violation_types[0]
    rows = services.by_national_group(
        {code: {"cases": 3, "goods_value_vnd": 1_000}, "no-such-type": {"cases": 9}}
    )
    assert [r["number"] for r in rows] == [g.number for g in groups]
    assert rows[0]["cases"] == 3 and rows[0]["goods_value_vnd"] == 1_000
    assert sum(r.get("cases", 0) for r in rows) == 3  # a type in no group is left out
