import random

from canhgiac.reporting import services
from canhgiac.reporting.demo import load_demo
from canhgiac.reporting.models import Period


def test_demo_has_a_fully_reported_year_with_late_reports_and_a_partly_reported_current_period(db):
    load_demo(random.Random(389))
    years = list(Period.objects.filter(kind=Period.Kind.YEARLY).order_by("data_to"))
    past = services.period_board(years[0])["totals"]
    assert past["completeness"] == 100.0 and 0 < past["on_time"] < past["expected"]
    current = Period.objects.get(kind=Period.Kind.MONTHLY)
    totals = services.period_board(current)["totals"]
    assert 0 < totals["reported"] < totals["expected"]
    assert Period.objects.filter(kind=Period.Kind.CAMPAIGN).count() == 4
    assert Period.objects.filter(kind__in=[Period.Kind.MID_TERM, Period.Kind.FINAL]).count() == 2
    assert years[0].province_report.number.endswith("/BC-SCT")
    assert load_demo(random.Random(1)).endswith("bỏ qua")  # a second run adds nothing
