"""Status rules: done on time, done late, in progress (not yet due), overdue — per pair, per
task, per lead agency, per checkpoint; and the figures contract `status_counts`."""

import datetime as dt

import pytest

from canhgiac.core import policy
from canhgiac.plans import services
from canhgiac.plans.models import Plan, Task

D = dt.date
FEB = D(2026, 2, 28)


@pytest.fixture
def officer_syt(make_user):
    return make_user("officer_syt", "SYT", policy.OFFICER)


@pytest.fixture
def officer_hq(make_user):
    return make_user("officer_hq", "HQ", policy.OFFICER)


@pytest.fixture
def officer_thue(make_user):
    return make_user("officer_thue", "THUE", policy.OFFICER)


def _status(task, as_of):
    return services.task_statuses(Task.objects.filter(pk=task.pk), as_of=as_of)[task.pk]


def test_a_task_not_yet_due_is_in_progress_and_after_its_due_date_overdue(task):
    t = task("1.2")
    assert _status(t, D(2026, 2, 28)).status == services.IN_PROGRESS
    assert _status(t, D(2026, 3, 1)).status == services.OVERDUE


def test_done_before_the_deadline_is_on_time(task, agency, officer_syt, report):
    t = task("1.2")
    report(officer_syt, t, agency("SYT"), FEB, on=D(2026, 2, 20))
    assert _status(t, D(2026, 3, 10)).status == services.DONE_ON_TIME
    assert _status(t, D(2026, 2, 10)).status == services.IN_PROGRESS  # reported after that day


def test_done_after_the_deadline_is_done_late(task, agency, officer_syt, report):
    t = task("1.2")
    report(officer_syt, t, agency("SYT"), FEB, on=D(2026, 3, 5))
    assert _status(t, D(2026, 3, 4)).status == services.OVERDUE
    assert _status(t, D(2026, 3, 5)).status == services.DONE_LATE


def test_the_evidence_documents_date_is_the_completion_date(task, agency, officer_syt, report):
    t = task("1.2")
    update = report(officer_syt, t, agency("SYT"), FEB, on=D(2026, 3, 5), evidence_date=D(2026, 2, 26))
    assert update.completed_on == D(2026, 2, 26)
    assert _status(t, D(2026, 3, 5)).status == services.DONE_ON_TIME


def test_a_later_in_progress_update_reopens_a_done_pair(task, agency, officer_syt, report):
    t = task("1.2")
    report(officer_syt, t, agency("SYT"), FEB, on=D(2026, 2, 20))
    report(officer_syt, t, agency("SYT"), FEB, on=D(2026, 2, 25), done=False, percent=80)
    assert _status(t, D(2026, 3, 1)).status == services.OVERDUE


def test_one_lead_agency_overdue_makes_the_task_overdue(task, agency, officer_hq, report):
    t = task("1.5")
    report(officer_hq, t, agency("HQ"), FEB, on=D(2026, 2, 10))
    s = _status(t, D(2026, 3, 1))
    assert s.status == services.OVERDUE
    assert s.by_agency == {agency("HQ").pk: services.DONE_ON_TIME, agency("THUE").pk: services.OVERDUE}


def test_all_leads_done_one_late_makes_the_task_done_late(task, agency, officer_hq, officer_thue, report):
    t = task("1.5")
    report(officer_hq, t, agency("HQ"), FEB, on=D(2026, 2, 10))
    report(officer_thue, t, agency("THUE"), FEB, on=D(2026, 3, 2))
    assert _status(t, D(2026, 3, 3)).status == services.DONE_LATE


def test_statuses_across_checkpoints_of_a_recurring_task(task, agency, officer_syt, report):
    t = task("7.7")  # 02/2026, then every quarter
    report(officer_syt, t, agency("SYT"), FEB, on=D(2026, 2, 27))
    report(officer_syt, t, agency("SYT"), D(2026, 6, 30), on=D(2026, 7, 3))
    s = _status(t, D(2026, 7, 5))
    by_due = {cp.due_date: s.by_checkpoint[cp.pk] for cp in t.checkpoints.all()}
    assert by_due[FEB] == services.DONE_ON_TIME
    assert by_due[D(2026, 3, 31)] == services.OVERDUE
    assert by_due[D(2026, 6, 30)] == services.DONE_LATE
    assert by_due[D(2026, 9, 30)] == services.IN_PROGRESS
    assert s.status == services.OVERDUE
    assert s.next_due == D(2026, 3, 31)
    assert s.counts == {"done_on_time": 1, "done_late": 1, "in_progress": 0, "overdue": 1}


def test_a_future_checkpoint_cannot_be_reported_before_its_period_starts(task, agency, officer_syt, report):
    with pytest.raises(services.UpdateError) as exc:
        report(officer_syt, task("7.7"), agency("SYT"), D(2026, 9, 30), on=D(2026, 5, 1))
    assert "checkpoint" in exc.value.errors


def test_status_counts_counts_pairs_due_up_to_the_day(task, agency, officer_syt, report):
    as_of = D(2026, 2, 28)
    before = services.status_counts(None, agency_code="SYT", as_of=as_of)
    # SYT leads 1.2 and 7.7 (due 28/02/2026), and every ALL_MEMBERS task due by then (2.4, 12/2025).
    assert before == {"done_on_time": 0, "done_late": 0, "in_progress": 2, "overdue": 1, "total": 3}
    report(officer_syt, task("1.2"), agency("SYT"), FEB, on=D(2026, 2, 27))
    report(officer_syt, task("2.4"), agency("SYT"), D(2025, 12, 31), on=D(2026, 1, 6))
    after = services.status_counts(None, agency_code="SYT", as_of=as_of)
    assert after == {"done_on_time": 1, "done_late": 1, "in_progress": 1, "overdue": 0, "total": 3}
    later = services.status_counts(None, agency_code="SYT", as_of=D(2026, 3, 1))
    assert later == {"done_on_time": 1, "done_late": 1, "in_progress": 0, "overdue": 1, "total": 3}


def test_status_counts_of_the_whole_system_counts_every_lead_pair(plan):
    from canhgiac.directory.models import Agency

    members = Agency.objects.filter(province=plan.province).exclude(kind__in=["commune", "mass"]).count()
    communes = Agency.objects.filter(province=plan.province, kind="commune").count()
    counts = services.status_counts(None, as_of=D(2025, 12, 31))
    # Only 2.4 is due by 31/12/2025, led by every department and force (not MTTQ, not the press)
    # and every commune; 7.11 (monthly) has its first period end that day too. 7.2-7.4 end a
    # period then as well but have no lead until the Standing Office assigns one.
    assert counts["total"] == members + communes + 1
    assert counts["in_progress"] == counts["total"]


def test_an_officer_counts_only_his_agencys_pairs_and_the_standing_office_all(officer_ca, coordinator_sct):
    as_of = D(2026, 3, 1)
    mine = services.status_counts(officer_ca, as_of=as_of)
    assert mine == services.status_counts(None, agency_code="CA", as_of=as_of)
    assert services.status_counts(coordinator_sct, as_of=as_of) == services.status_counts(None, as_of=as_of)
    assert services.status_counts(officer_ca, agency_code="QLTT", as_of=as_of)["total"] == 0


def test_agency_plans_are_not_counted_in_the_province_figures(plan, agency, officer_syt):
    as_of = D(2026, 3, 1)
    before = services.status_counts(None, as_of=as_of)
    child = services.derive_agency_plan(officer_syt, plan, agency("SYT"))
    assert services.status_counts(None, as_of=as_of) == before
    assert services.status_counts(None, as_of=as_of, plan=child)["total"] > 0
    assert Plan.objects.filter(parent=plan).count() == 1
