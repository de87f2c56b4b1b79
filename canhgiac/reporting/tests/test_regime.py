import datetime as dt

from canhgiac.reporting import regime

D = dt.date


def test_decree_09_cutoffs():
    assert (regime.monthly(2026, 1).data_from, regime.monthly(2026, 1).data_to) == (
        D(2025, 12, 15),
        D(2026, 1, 14),
    )
    q2 = regime.quarterly(2026, 2)
    assert (q2.data_from, q2.data_to, q2.name) == (D(2026, 3, 15), D(2026, 6, 14), "Quý II/2026")
    h1 = regime.six_monthly(2026)
    assert (h1.data_from, h1.data_to) == (D(2025, 12, 15), D(2026, 6, 14))


def test_calendar_cutoff_is_available():
    m = regime.monthly(2026, 2, cutoff="calendar")
    assert (m.data_from, m.data_to) == (D(2026, 2, 1), D(2026, 2, 28))


def test_plan_389_yearly_mid_term_and_final_deadlines():
    """ "Trước ngày 30/9" is due on 30/9 by default (test_before_day.py tests the other reading)."""
    y = regime.yearly(2026)
    assert (y.deadline, y.office_deadline) == (D(2026, 9, 30), D(2026, 10, 5)) and y.data_to < y.deadline
    assert regime.mid_term().office_deadline == D(2028, 1, 5)
    assert regime.final().office_deadline == D(2031, 1, 5)


def test_campaign_periods_are_weekly_and_end_with_the_campaign():
    rows = regime.campaign(D(2026, 5, 7), D(2026, 5, 30))
    assert [(r.data_from, r.data_to) for r in rows] == [
        (D(2026, 5, 7), D(2026, 5, 13)),
        (D(2026, 5, 14), D(2026, 5, 20)),
        (D(2026, 5, 21), D(2026, 5, 27)),
        (D(2026, 5, 28), D(2026, 5, 30)),
    ]
    assert rows[0].deadline == D(2026, 5, 14)
