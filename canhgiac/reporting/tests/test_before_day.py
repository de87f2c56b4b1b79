"""One reading of "trước ngày 30/9" for plans and reporting, set by CANHGIAC_BEFORE_DAY_INCLUSIVE."""

import datetime as dt

import pytest

from canhgiac.plans import schedule
from canhgiac.reporting import regime


@pytest.mark.parametrize("inclusive, agencies, office", [(True, 30, 5), (False, 29, 4)])
def test_plans_and_reporting_read_before_30_9_the_same_way(settings, inclusive, agencies, office):
    settings.CANHGIAC_BEFORE_DAY_INCLUSIVE = inclusive
    period = regime.yearly(2026)
    assert (period.deadline, period.office_deadline) == (
        dt.date(2026, 9, agencies),
        dt.date(2026, 10, office),
    )
    plan_days = schedule.checkpoints(
        "yearly", start=dt.date(2025, 12, 1), checkpoint_day="09-30", plan_end=dt.date(2027, 12, 31)
    )
    assert [due for _start, due in plan_days] == [dt.date(2026, 9, agencies), dt.date(2027, 9, agencies)]
    assert period.deadline == plan_days[0][1]
