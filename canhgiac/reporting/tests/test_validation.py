import pytest

from canhgiac.reporting import services
from canhgiac.reporting.tests.conftest import NARRATIVE, fill


@pytest.fixture
def sub(make_period, agency, officer_qltt, fixed_figures):
    return services.open_submission(officer_qltt, make_period(), agency("QLTT"))


def fields(errors):
    return {e["field"] for e in errors}


def test_complete_report_has_no_errors(sub, officer_qltt):
    fill(officer_qltt, sub)
    assert services.validate(sub) == []


def test_negative_and_non_integer_figures_are_refused_naming_the_indicator(sub, officer_qltt):
    with pytest.raises(services.ReportingError) as exc:
        services.save_submission(officer_qltt, sub, values={"cases": "-3", "fines_vnd": "1,5"})
    messages = {e["field"]: e["message"] for e in exc.value.errors}
    assert messages["values.cases"] == "Số vụ việc phát hiện, xử lý: không được âm."
    assert messages["values.fines_vnd"] == "Tiền xử phạt vi phạm hành chính: phải là số nguyên."


def test_vietnamese_thousands_separators_are_accepted(sub, officer_qltt):
    fill(officer_qltt, sub, values={"fines_vnd": "120.000.000"})
    assert sub.values["fines_vnd"] == 120_000_000


def test_part_above_its_total_is_an_error(sub, officer_qltt):
    fill(
        officer_qltt,
        sub,
        values={"tips_received": 9, "tips_accepted": 10},
        reasons={"tips_accepted": "Thụ lý cả tin kỳ trước."},
    )
    errors = services.validate(sub)
    assert "values.tips_accepted" in fields(errors)
    assert any(
        "không được lớn hơn “Số tin báo, tố giác, phản ánh tiếp nhận” (9)" in e["message"] for e in errors
    )


def test_disaggregation_above_the_total_is_an_error(sub, officer_qltt):
    fill(officer_qltt, sub, breakdown={"cases": {"smuggling": 8, "counterfeit": 5}})
    errors = services.validate(sub)
    assert "breakdown.cases" in fields(errors)


def test_differing_figure_needs_a_reason(sub, officer_qltt):
    fill(officer_qltt, sub, values={"cases": 12})
    assert "reasons.cases" in fields(services.validate(sub))
    fill(officer_qltt, sub, values={"cases": 12}, reasons={"cases": "Hai vụ do Đội 389 chuyển sang."})
    assert "reasons.cases" not in fields(services.validate(sub))


def test_required_figures_and_sections_must_be_filled(sub, officer_qltt):
    services.save_submission(
        officer_qltt,
        sub,
        values={"cases": 10},
        breakdown=sub.breakdown,
        narrative={**NARRATIVE, "shortcomings": "  "},
    )
    errors = services.validate(sub)
    assert {"values.fines_vnd", "narrative.shortcomings"} <= fields(errors)
    assert "narrative.proposals" not in fields(errors)  # optional section
    assert "values.commitments_signed" not in fields(errors)  # optional figure


def test_submit_refuses_an_invalid_report(sub, officer_qltt):
    with pytest.raises(services.ReportingError) as exc:
        services.submit(officer_qltt, sub)
    assert exc.value.errors and sub.status == "draft"
