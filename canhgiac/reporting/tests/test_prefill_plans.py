"""Pre-fill of the plan-task indicators against the real plans services (canhgiac.plans, merged;
`canhgiac setup` loads the province's 2030 plan with its checkpoints)."""

from canhgiac.plans import services as plans
from canhgiac.reporting import regime, services
from canhgiac.reporting.models import Period


def test_plan_task_prefill_equals_status_counts_at_the_end_of_the_window(make_period, agency, officer_qltt):
    d = regime.mid_term()
    period = make_period(
        kind=Period.Kind.MID_TERM,
        name=d.name,
        data_from=d.data_from,
        data_to=d.data_to,
        deadline=d.deadline,
        commune=False,
    )
    counts = plans.status_counts(None, agency_code="QLTT", as_of=d.data_to)
    assert counts["total"] > 0  # the loaded plan gives QLTT checkpoints due by then
    sub = services.open_submission(officer_qltt, period, agency("QLTT"))
    for key in ("total", "done_on_time", "done_late", "in_progress", "overdue"):
        assert sub.prefill[f"plan_tasks_{key}"] == counts[key], key
    # the statuses add up to the total, so the parts-not-above-total rule holds for the pre-fill
    assert not [e for e in services.validate(sub) if e["field"].startswith("values.plan_tasks")]


def test_province_report_states_the_plan_progress(coordinator_sct):
    from canhgiac.reporting.tests.test_consolidation import _docx_text

    d = regime.mid_term()
    counts = plans.status_counts(None, as_of=d.data_to)
    text = _docx_text(
        services.export_report(coordinator_sct, fmt="docx", date_from=d.data_from, date_to=d.data_to)[2]
    )
    total = f"{counts['total']:,}".replace(",", ".")
    overdue = f"{counts['overdue']:,}".replace(",", ".")
    assert f"có {total} lượt nhiệm vụ đã đến hạn" in text and f"quá hạn chưa hoàn thành {overdue}." in text
