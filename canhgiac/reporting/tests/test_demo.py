import random

from canhgiac.reporting import services
from canhgiac.reporting.demo import load_demo
from canhgiac.reporting.models import Period


def test_demo_has_a_fully_reported_year_with_late_reports_and_a_partly_reported_current_period(db):
    """The demo reports' figures are the system's own for their agency and window, so a past
    report never contradicts the register (issue 11, item 4)."""
    from canhgiac.cases import services as cases
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.reporting.models import Submission

    day = services.today().replace(month=3, day=2)
    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
    cases.create_case(
        None,
        {
            "lead_agency_code": "QLTT",
            "detected_on": day,
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ mẫu trong kỳ năm",
            "outcome": "administrative",
            "fine_vnd": 7_000_000,
            "budget_revenue_vnd": 9_000_000,
        },
    )
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

    period = Period.objects.filter(kind=Period.Kind.YEARLY, data_from__lte=day, data_to__gte=day).get()
    sub = Submission.objects.get(period=period, agency__code="QLTT")
    figures = cases.summary(None, period.data_from, period.data_to, agency_code="QLTT")["totals"]
    assert figures["cases"] == 1 and figures["fines_vnd"] == 7_000_000
    for code in ("cases", "fines_vnd", "budget_revenue_vnd", "other_revenue_vnd", "criminal_cases"):
        assert sub.values[code] == figures[code], code
    assert sub.breakdown.get("cases", {}) == figures["cases_by_violation_type"]
