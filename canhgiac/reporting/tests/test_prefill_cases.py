"""Pre-fill and consolidation against the real cases services (canhgiac.cases, merged)."""

import datetime as dt

import pytest

from canhgiac.cases import services as cases
from canhgiac.cases.models import Inspection
from canhgiac.reporting import consolidation, services
from canhgiac.reporting.models import Period

D = dt.date


@pytest.fixture
def recorded(db, agency):
    """Cases of QLTT and CA in the first quarter of 2026 and of 2025, and QLTT's inspections."""
    from canhgiac.directory.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
    n = iter(range(1, 1000))

    def case(agency_code, day, violation, **extra):
        data = {
            "lead_agency_code": agency_code,
            "detected_on": day,
            "unit_code": unit.code,
            "violation_type": violation,
            "summary": f"Vụ kiểm thử {next(n)}",
            "goods": [
                {
                    "goods_category": "cosmetics",
                    "description": "Mỹ phẩm",
                    "quantity": "5",
                    "unit": "hộp",
                    "value_vnd": 2_000_000,
                }
            ],
        }
        data.update(extra)
        return cases.create_case(None, data)

    case(
        "QLTT",
        "2026-01-20",
        "counterfeit",
        outcome="administrative",
        fine_vnd=15_000_000,
        budget_revenue_vnd=20_000_000,
    )
    case("QLTT", "2026-02-05", "smuggling", outcome="criminal", defendants=2)
    case("QLTT", "2026-03-01", "tax_fraud")
    case("CA", "2026-02-10", "smuggling", outcome="criminal", defendants=3)
    case("QLTT", "2025-02-11", "counterfeit")
    case("QLTT", "2026-05-01", "counterfeit")  # outside the window
    for day, status in (("2026-02-01", Inspection.Status.DONE), ("2026-03-01", Inspection.Status.PLANNED)):
        cases.save_inspection(
            None,
            {
                "agency": agency("QLTT"),
                "business_name": "Cửa hàng Minh Anh",
                "business_tax_code": "6001234567",
                "planned_on": D.fromisoformat(day),
                "done_on": D.fromisoformat(day) if status == "done" else None,
                "status": status,
            },
        )


@pytest.fixture
def quarter(make_period, recorded):
    return make_period(
        kind=Period.Kind.QUARTERLY,
        name="Quý I/2026",
        data_from=D(2026, 1, 1),
        data_to=D(2026, 3, 31),
        deadline=services.today() + dt.timedelta(days=5),
        commune=False,
    )


def test_prefill_equals_the_cases_summary_for_the_agency(quarter, officer_qltt, agency):
    sub = services.open_submission(officer_qltt, quarter, agency("QLTT"))
    totals = cases.summary(None, D(2026, 1, 1), D(2026, 3, 31), agency_code="QLTT")["totals"]
    assert totals["cases"] == 3  # the contract's own figure, not a number typed here
    for code in (
        "cases",
        "goods_value_vnd",
        "fines_vnd",
        "budget_revenue_vnd",
        "criminal_cases",
        "defendants",
    ):
        assert sub.prefill[code] == totals[code], code
    assert sub.prefill_breakdown["cases"] == totals["cases_by_violation_type"]
    inspections = cases.inspection_figures(None, D(2026, 1, 1), D(2026, 3, 31), agency_code="QLTT")
    assert (sub.prefill["inspections_planned"], sub.prefill["inspections_done"]) == (
        inspections["planned"],
        inspections["done"],
    )
    assert sub.prefill["commitments_signed"] is None


def test_consolidated_system_figures_equal_the_province_summary(quarter, coordinator_sct):
    report = consolidation.consolidate_period(coordinator_sct, quarter)
    summary = cases.summary(None, D(2026, 1, 1), D(2026, 3, 31))
    system = {r.code: r for r in report.system}
    assert system["cases"].value == summary["totals"]["cases"] == 4
    assert system["cases"].last_year == summary["same_period_last_year"]["cases"] == 1
    assert system["cases"].change_pct == summary["change_pct"]["cases"]
    assert system["defendants"].value == summary["totals"]["defendants"]


def test_report_export_from_the_system_figures(recorded, tmp_path):
    import io

    from django.core.management import call_command

    from canhgiac.reporting.tests.test_consolidation import _docx_text

    out = tmp_path / "q1.docx"
    call_command(
        "report-export", "--from", "2026-01-01", "--to", "2026-03-31", "--out", str(out), stdout=io.StringIO()
    )
    text = _docx_text(out.read_bytes())
    assert "phát hiện, xử lý 4 vụ vi phạm (tăng 300,0% so với cùng kỳ)" in text
    assert "(1) Buôn lậu, vận chuyển trái phép hàng hóa qua biên giới | Vụ | 2 | 0 | —" in text


def test_revenue_lines_do_not_count_the_fines_twice(quarter, officer_qltt, agency, signed_in):
    """The QLTT case paid 20.000.000 đ in all, 15.000.000 đ of it the fine: "thu khác" is 5.000.000."""
    sub = services.open_submission(officer_qltt, quarter, agency("QLTT"))
    assert (
        sub.prefill["fines_vnd"],
        sub.prefill["budget_revenue_vnd"],
        sub.prefill["other_revenue_vnd"],
    ) == (
        15_000_000,
        20_000_000,
        5_000_000,
    )
    indicators = {i.code: i for i in sub.form.indicators.all()}
    assert indicators["other_revenue_vnd"].parent_code == "budget_revenue_vnd"
    page = signed_in(officer_qltt).get(f"/reporting/submissions/{sub.pk}/").content.decode()
    assert indicators["budget_revenue_vnd"].help_text in page
    assert "không gồm tiền phạt" in page and "đã gồm tiền phạt" in page
    assert 'value="20.000.000"' in page


def test_a_report_figure_typed_with_points_is_read_and_an_ambiguous_one_refused(
    quarter, officer_qltt, agency
):
    sub = services.open_submission(officer_qltt, quarter, agency("QLTT"))
    services.save_submission(officer_qltt, sub, values={**sub.values, "fines_vnd": "15.000.000"})
    assert sub.values["fines_vnd"] == 15_000_000
    with pytest.raises(services.ReportingError) as exc:
        services.save_submission(officer_qltt, sub, values={**sub.values, "fines_vnd": "15.5"})
    assert "“15.5” không rõ nghĩa" in exc.value.errors[0]["message"]


def test_the_docx_files_a_copy_under_the_issuing_bodys_code_and_names_communes_in_lower_case(
    recorded, tmp_path
):
    import io

    from django.core.management import call_command

    from canhgiac.directory.models import Agency
    from canhgiac.reporting.tests.test_consolidation import _docx_text

    out = tmp_path / "q1.docx"
    call_command(
        "report-export", "--from", "2026-01-01", "--to", "2026-03-31", "--out", str(out), stdout=io.StringIO()
    )
    text = _docx_text(out.read_bytes())
    assert "Lưu: VT, SCT." in text and "QLTT." not in text.split("Lưu:")[1][:20]
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    assert str(commune).startswith(("UBND xã ", "UBND phường ", "UBND đặc khu "))
