import datetime as dt

from django.utils import timezone

from canhgiac.reporting import services
from canhgiac.reporting.models import Submission

S = Submission.Status


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_completeness_and_timeliness_on_a_constructed_case(make_period, agency, commune_agency):
    """Five submitters: one on time and accepted, one on time (deadline day, late evening) awaiting
    acceptance, one late, one returned, one never opened: completeness 3/5, timeliness 2/5."""
    today = services.today()
    deadline = today - dt.timedelta(days=5)
    period = make_period(deadline=deadline, codes=("QLTT", "CA", "HQ", "BDBP"))
    mk = Submission.objects.create
    mk(
        period=period,
        agency=agency("QLTT"),
        form=period.form,
        status=S.ACCEPTED,
        sent_at=at(deadline - dt.timedelta(days=2)),
    )
    mk(period=period, agency=agency("CA"), form=period.form, status=S.APPROVED, sent_at=at(deadline, 23))
    mk(
        period=period,
        agency=agency("HQ"),
        form=period.form,
        status=S.ACCEPTED,
        sent_at=at(deadline + dt.timedelta(days=3)),
    )
    mk(period=period, agency=agency("BDBP"), form=period.form, status=S.RETURNED, sent_at=at(deadline))
    board = services.period_board(period, today)
    t = board["totals"]
    assert (t["expected"], t["reported"], t["on_time"], t["missing"]) == (5, 3, 2, 2)
    assert t["completeness"] == 60.0 and t["timeliness"] == 40.0
    rows = {r["agency"].code: r for r in board["rows"]}
    assert rows["HQ"]["days_late"] == 3 and not rows["HQ"]["on_time"]
    assert rows[commune_agency.code]["days_late"] == 5 and rows[commune_agency.code]["status"] == ""
    assert board["communes"] == {
        "expected": 1,
        "reported": 0,
        "on_time": 0,
        "missing": 1,
        "completeness": 0.0,
        "timeliness": 0.0,
    }
    assert board["agencies"]["completeness"] == 75.0
    record = {r["agency"].code: (r["reported"], r["on_time"]) for r in services.agency_record([period])}
    assert record == {code: (int(r["reported"]), int(r["on_time"])) for code, r in rows.items()}


def test_record_per_agency_over_several_periods(make_period, agency):
    today = services.today()
    p1 = make_period(deadline=today - dt.timedelta(days=40), codes=("QLTT", "CA"), commune=False, name="Kỳ 1")
    p2 = make_period(deadline=today - dt.timedelta(days=10), codes=("QLTT", "CA"), commune=False, name="Kỳ 2")
    for p in (p1, p2):
        Submission.objects.create(
            period=p, agency=agency("QLTT"), form=p.form, status=S.ACCEPTED, sent_at=at(p.deadline)
        )
    Submission.objects.create(
        period=p2,
        agency=agency("CA"),
        form=p2.form,
        status=S.ACCEPTED,
        sent_at=at(p2.deadline + dt.timedelta(days=1)),
    )
    record = {r["agency"].code: r for r in services.agency_record([p1, p2])}
    assert (record["QLTT"]["reported"], record["QLTT"]["on_time"], record["QLTT"]["timeliness"]) == (
        2,
        2,
        100.0,
    )
    assert (record["CA"]["reported"], record["CA"]["on_time"], record["CA"]["completeness"]) == (1, 0, 50.0)


def test_bulk_totals_equal_the_board(make_period, agency):
    today = services.today()
    period = make_period(deadline=today - dt.timedelta(days=2), codes=("QLTT", "CA", "HQ"))
    Submission.objects.create(
        period=period, agency=agency("QLTT"), form=period.form, status=S.ACCEPTED, sent_at=at(period.deadline)
    )
    Submission.objects.create(
        period=period,
        agency=agency("CA"),
        form=period.form,
        status=S.APPROVED,
        sent_at=at(period.deadline + dt.timedelta(days=1)),
    )
    Submission.objects.create(period=period, agency=agency("HQ"), form=period.form, status=S.SUBMITTED)
    assert services.period_totals([period])[period.pk] == services.period_board(period)["totals"]
    assert services.period_totals([period])[period.pk]["completeness"] == 50.0
