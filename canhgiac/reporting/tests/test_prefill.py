from canhgiac.reporting import services, sources


def test_prefill_equals_the_registered_source_for_the_submitters_scope(
    make_period, agency, officer_qltt, fixed_figures
):
    period = make_period()
    sub = services.open_submission(officer_qltt, period, agency("QLTT"))
    qltt = fixed_figures["table"]["QLTT"]
    assert sub.prefill["cases"] == 10
    assert sub.prefill_breakdown["cases"] == {"smuggling": 4, "counterfeit": 3, "trade_fraud": 3}
    assert sub.prefill["fines_vnd"] == qltt["fines_vnd"]
    assert sub.prefill["tips_resolved"] == qltt["tips_resolved"]
    # the submitter's figures start from the system's
    assert sub.values["cases"] == 10 and sub.breakdown["cases"]["smuggling"] == 4
    # asked for the submitter's scope and the period's data window
    assert ("cases", "QLTT", period.data_from, period.data_to) in fixed_figures["calls"]


def test_indicator_without_a_source_is_no_system_figure_not_zero(
    make_period, agency, officer_qltt, fixed_figures
):
    sub = services.open_submission(officer_qltt, make_period(), agency("QLTT"))
    assert "commitments_signed" in sub.prefill and sub.prefill["commitments_signed"] is None
    assert "commitments_signed" not in sub.values
    assert sub.prefill["plan_tasks_total"] is None  # no plans source registered in this test


def test_apps_not_merged_yield_no_figure(monkeypatch):
    monkeypatch.setattr(sources, "service", lambda module, name: None)
    scope = sources.Scope(services.today(), services.today(), agency_code="QLTT")
    sources.register_builtin_sources()
    for code in ("cases", "fines_vnd", "inspections_done", "tips_received", "plan_tasks_overdue"):
        assert sources.figure_for(code, scope) is None


def test_missing_module_is_detected_but_other_import_errors_are_not_hidden():
    assert sources.service("canhgiac.reporting.no_such_module", "summary") is None
    assert sources.service("canhgiac.reporting.services", "no_such_function") is None
    assert sources.service("canhgiac.reporting.services", "validate") is services.validate


def test_refresh_prefill_keeps_typed_values(make_period, agency, officer_qltt, fixed_figures):
    sub = services.open_submission(officer_qltt, make_period(), agency("QLTT"))
    services.save_submission(
        officer_qltt,
        sub,
        values={**sub.values, "cases": 12},
        breakdown=sub.breakdown,
        reasons={"cases": "Hai vụ chưa nhập hệ thống."},
    )
    fixed_figures["table"]["QLTT"]["cases"] = (11, {"smuggling": 11})
    services.refresh_prefill(officer_qltt, sub)
    sub.refresh_from_db()
    assert sub.prefill["cases"] == 11 and sub.values["cases"] == 12
