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


def test_every_demo_report_holds_the_system_s_own_prefill_and_is_audited(db):
    """The demo computes each distinct pre-fill once and inserts the reports in bulk; every
    report must still hold exactly what `_prefill` gives its agency, with one audit event."""
    from canhgiac.audit.models import AuditEvent
    from canhgiac.cases import services as cases
    from canhgiac.directory.models import AdministrativeUnit, Agency
    from canhgiac.plans.models import Plan, Update
    from canhgiac.reporting.models import Submission

    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
    day = services.today().replace(month=3, day=2)
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code")[3]
    cases.create_case(
        None,
        {
            "lead_agency_code": commune.code,
            "detected_on": day,
            "unit_code": commune.unit.code if commune.unit_id else unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ của một xã",
        },
    )
    task = Plan.objects.get(code="dak_lak_2030").tasks.filter(lead_agencies=commune).first()
    cp = task.checkpoints.order_by("due_date").first()
    Update.objects.create(
        checkpoint=cp, agency=commune, status="done", narrative="Xong", reported_on=cp.due_date
    )
    load_demo(random.Random(389))
    subs = list(Submission.objects.select_related("period", "agency", "agency__province", "form"))
    assert len(subs) > 200
    # Checked: the agencies holding records, and a dozen communes that hold none (the copied ones).
    plain = set(
        Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").values_list("pk", flat=True)[:12]
    )
    checked = [s for s in subs if s.agency_id in plain | {commune.pk} or s.agency.kind != Agency.Kind.COMMUNE]
    for sub in checked:
        fresh = Submission(period=sub.period, agency=sub.agency, form=sub.form)
        services._prefill(fresh)
        assert (sub.prefill, sub.prefill_breakdown) == (fresh.prefill, fresh.prefill_breakdown), sub
    events = AuditEvent.objects.filter(action="reporting.submission.create")
    assert events.count() == len(subs)
    assert set(events.values_list("object_id", flat=True)) == {str(s.pk) for s in subs}


def test_the_demo_s_past_campaign_weeks_have_the_standing_office_s_report(db):
    """A fully reported past period must not show the Standing Office's report as never issued."""
    load_demo(random.Random(389))
    today = services.today()
    for period in Period.objects.filter(kind=Period.Kind.CAMPAIGN, office_deadline__lt=today):
        assert period.province_report.issued_on is not None, period
    rows = services.office_record(list(Period.objects.filter(kind=Period.Kind.CAMPAIGN)), today)
    if all(p.office_deadline < today for p in Period.objects.filter(kind=Period.Kind.CAMPAIGN)):
        assert sorted(r["status"] for r in rows) == ["late", "on_time", "on_time", "on_time"]
