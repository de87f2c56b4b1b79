import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from docx import Document
from openpyxl import load_workbook

from canhgiac.reporting import consolidation, services, sources
from canhgiac.reporting.models import Period, Submission
from canhgiac.reporting.tests.conftest import fill


def _accepted(period, agency, values, breakdown, sent):
    from django.utils import timezone

    return Submission.objects.create(
        period=period,
        agency=agency,
        form=period.form,
        status=Submission.Status.ACCEPTED,
        values=values,
        breakdown=breakdown,
        sent_at=timezone.make_aware(dt.datetime.combine(sent, dt.time(9))),
        narrative={"situation": f"Tình hình tại {agency.short_name}."},
    )


@pytest.fixture
def two_years(make_period, agency, fixed_figures):
    """The yearly period of 2026 and of 2025, both with accepted reports of QLTT and CA."""
    this = make_period(
        kind=Period.Kind.YEARLY,
        name="Năm 2026",
        data_from=dt.date(2025, 9, 15),
        data_to=dt.date(2026, 9, 14),
        deadline=dt.date(2026, 9, 29),
        commune=False,
    )
    last = make_period(
        kind=Period.Kind.YEARLY,
        name="Năm 2025",
        data_from=dt.date(2024, 9, 15),
        data_to=dt.date(2025, 9, 14),
        deadline=dt.date(2025, 9, 29),
        commune=False,
    )
    _accepted(
        this,
        agency("QLTT"),
        {"cases": 30, "fines_vnd": 150_000_000},
        {"cases": {"smuggling": 10, "counterfeit": 20}},
        dt.date(2026, 9, 20),
    )
    _accepted(
        this,
        agency("CA"),
        {"cases": 20, "fines_vnd": 50_000_000},
        {"cases": {"tax_fraud": 20}},
        dt.date(2026, 10, 2),
    )
    _accepted(
        last,
        agency("QLTT"),
        {"cases": 25, "fines_vnd": 100_000_000},
        {"cases": {"smuggling": 25}},
        dt.date(2025, 9, 20),
    )
    _accepted(
        last,
        agency("CA"),
        {"cases": 15, "fines_vnd": 60_000_000},
        {"cases": {"counterfeit": 15}},
        dt.date(2025, 9, 21),
    )
    return this


def test_consolidation_adds_up_accepted_reports_and_compares_with_last_year(two_years, coordinator_sct):
    report = consolidation.consolidate_period(coordinator_sct, two_years)
    rows = {r.code: r for r in report.reported}
    assert (rows["cases"].value, rows["cases"].last_year, rows["cases"].change_pct) == (50, 40, 25.0)
    assert (rows["fines_vnd"].value, rows["fines_vnd"].last_year, rows["fines_vnd"].change_pct) == (
        200_000_000,
        160_000_000,
        25.0,
    )
    groups = {r.code: (r.value, r.last_year) for r in report.groups}
    assert groups == {"group_1": (10, 25), "group_2": (20, 0), "group_3": (20, 15)}
    assert report.groups_source == "submissions"
    assert report.accepted_count == 2
    assert "QLTT: Tình hình tại QLTT." in report.narrative["situation"]


def test_system_figures_come_with_the_same_window_last_year(two_years, coordinator_sct, fixed_figures):
    report = consolidation.consolidate_period(coordinator_sct, two_years)
    system = {r.code: r for r in report.system}
    assert system["cases"].value == 15  # QLTT 10 + CA 5, from the registered source
    assert ("cases", None, dt.date(2024, 9, 15), dt.date(2025, 9, 14)) in fixed_figures["calls"]


def test_group_mapping_is_configurable(two_years, coordinator_sct):
    services.save_group_mapping(
        coordinator_sct,
        {1: ["smuggling", "illegal_transport", "prohibited_goods", "tax_fraud"], 2: ["trade_fraud"]},
    )
    groups = {r.code: r.value for r in consolidation.consolidate_period(coordinator_sct, two_years).groups}
    assert groups["group_1"] == 30 and groups["group_2"] == 0
    with pytest.raises(services.ReportingError):
        services.save_group_mapping(coordinator_sct, {1: ["smuggling"], 3: ["smuggling"]})


def test_only_coordinators_consolidate(two_years, leader_qltt):
    with pytest.raises(PermissionDenied):
        consolidation.consolidate_period(leader_qltt, two_years)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_docx_export_has_the_administrative_header_period_totals_and_comparison(two_years, coordinator_sct):
    from canhgiac.audit.models import AuditEvent

    name, content_type, content = services.export_report(coordinator_sct, fmt="docx", period=two_years)
    assert name.endswith(".docx") and "wordprocessingml" in content_type
    text = _docx_text(content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ CÔNG THƯƠNG" in text and "/BC-SCT" in text and "BÁO CÁO" in text
    assert "năm 2026" in text and "15/09/2025" in text and "14/09/2026" in text
    assert "phát hiện, xử lý 50 vụ vi phạm (tăng 25,0% so với cùng kỳ)" in text
    assert "Số vụ việc phát hiện, xử lý | Số lượng | 50 | 40 | +25,0%" in text
    assert "Tiền xử phạt vi phạm hành chính | Đồng | 200.000.000 | 160.000.000 | +25,0%" in text
    assert "Phụ lục I" in text and "Nơi nhận:" in text
    doc = Document(io.BytesIO(content))
    assert doc.styles["Normal"].font.name == "Times New Roman"
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    fonts |= {
        r.font.name
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    }
    assert fonts <= {"Times New Roman", None}  # None = inherited from the Normal style
    assert AuditEvent.objects.filter(action="reporting.exported", object_id=str(two_years.pk)).exists()


def test_docx_names_late_and_missing_submitters(make_period, agency, coordinator_sct, fixed_figures):
    period = make_period(
        deadline=services.today() - dt.timedelta(days=3), codes=("QLTT", "CA"), commune=False
    )
    _accepted(period, agency("QLTT"), {"cases": 1}, {}, services.today() - dt.timedelta(days=1))
    text = _docx_text(services.export_report(coordinator_sct, fmt="docx", period=period)[2])
    assert "1/2 đơn vị đã gửi báo cáo" in text
    assert "Gửi chậm: QLTT (chậm 2 ngày)" in text and "Chưa gửi báo cáo: Công an tỉnh" in text


def test_xlsx_export_has_the_figures(two_years, coordinator_sct):
    _name, _type, content = services.export_report(coordinator_sct, fmt="xlsx", period=two_years)
    wb = load_workbook(io.BytesIO(content))
    assert {"Tổng hợp", "Nhóm vi phạm", "Theo đơn vị", "Tình hình báo cáo"} <= set(wb.sheetnames)
    rows = [
        r for r in wb["Tổng hợp"].iter_rows(values_only=True) if r and r[1] == "Số vụ việc phát hiện, xử lý"
    ]
    assert rows[0][3:6] == (50, 40, 25.0)


def test_window_report_without_any_source_says_there_are_no_figures(coordinator_sct, no_figures):
    report = consolidation.consolidate_window(coordinator_sct, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert report.system == [] and report.groups == []
    text = _docx_text(
        services.export_report(
            coordinator_sct, fmt="docx", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 6, 30)
        )[2]
    )
    assert "chưa có số liệu về số vụ việc" in text and "từ ngày 01/01/2026 đến ngày 30/06/2026" in text


def test_report_export_command_writes_docx_and_xlsx(db, tmp_path, fixed_figures):
    from django.core.management import call_command

    out = tmp_path / "bc.docx"
    call_command(
        "report-export", "--from", "01/01/2026", "--to", "2026-06-30", "--out", str(out), stdout=io.StringIO()
    )
    text = _docx_text(out.read_bytes())
    assert "phát hiện, xử lý 15 vụ vi phạm" in text  # the registered source's province figure
    xlsx = tmp_path / "bc.xlsx"
    call_command(
        "report-export",
        "--from",
        "2026-01-01",
        "--to",
        "2026-06-30",
        "--out",
        str(xlsx),
        stdout=io.StringIO(),
    )
    assert load_workbook(xlsx)["Tổng hợp"]["A1"].value.startswith("Báo cáo tổng hợp")


def test_report_export_command_rejects_bad_input(db, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "report-export", "--from", "2026-13-01", "--to", "2026-06-30", "--out", str(tmp_path / "a.docx")
        )
    with pytest.raises(CommandError):
        call_command(
            "report-export", "--from", "2026-01-01", "--to", "2026-06-30", "--out", str(tmp_path / "a.pdf")
        )


def test_shift_year_handles_29_february():
    assert sources.shift_year(dt.date(2028, 2, 29), -1) == dt.date(2027, 2, 28)


def test_accepting_through_the_workflow_feeds_the_consolidation(
    make_period, agency, officer_qltt, leader_qltt, coordinator_sct, fixed_figures
):
    period = make_period(codes=("QLTT",), commune=False)
    sub = services.open_submission(officer_qltt, period, agency("QLTT"))
    fill(officer_qltt, sub)
    services.submit(officer_qltt, sub)
    services.approve(leader_qltt, sub)
    assert consolidation.consolidate_period(coordinator_sct, period).accepted_count == 0
    services.accept(coordinator_sct, sub)
    rows = {r.code: r.value for r in consolidation.consolidate_period(coordinator_sct, period).reported}
    assert rows["cases"] == 10
