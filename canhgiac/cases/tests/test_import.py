import io

import pytest
from django.core.management import call_command

from canhgiac.audit.models import AuditEvent
from canhgiac.cases import imports
from canhgiac.cases.models import Case, CaseGoods, CaseSubject
from canhgiac.subjects.models import Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def good_rows(units):
    u1, u2 = units[0].code, units[1].code
    return [
        # case A: two goods lines, one subject repeated on both rows
        {
            "case_ref": "A-1",
            "agency_code": "QLTT",
            "detected_on": "2026-02-03",
            "unit_code": u1,
            "violation_type": "counterfeit",
            "summary": "Bán mỹ phẩm giả",
            "goods_category": "cosmetics",
            "goods_description": "Kem dưỡng giả",
            "quantity": "120",
            "unit": "hộp",
            "goods_value_vnd": "36000000",
            "subject_kind": "person",
            "subject_name": "Nguyễn Văn An",
            "subject_id": "066 123 456 789",
            "subject_role": "seller",
            "handling": "administrative",
            "decision_no": "15/QĐ-XPHC",
            "fine_vnd": "25000000",
            "budget_revenue_vnd": "61000000",
        },
        {
            "case_ref": "A-1",
            "agency_code": "QLTT",
            "detected_on": "03/02/2026",
            "unit_code": u1,
            "violation_type": "counterfeit",
            "summary": "Bán mỹ phẩm giả",
            "goods_category": "functional_food",
            "goods_description": "Viên uống giả",
            "quantity": "30",
            "unit": "hộp",
            "goods_value_vnd": "9000000",
            "subject_kind": "person",
            "subject_name": "Nguyễn Văn An",
            "subject_id": "066123456789",
            "subject_role": "seller",
            "handling": "administrative",
            "decision_no": "15/QĐ-XPHC",
            "fine_vnd": "25000000",
            "budget_revenue_vnd": "61000000",
        },
        # case B: criminal, another agency, an organisation
        {
            "case_ref": "B-7",
            "agency_code": "CA",
            "detected_on": "2026-03-15",
            "unit_code": u2,
            "violation_type": "smuggling",
            "summary": "Vận chuyển thuốc lá lậu",
            "goods_category": "alcohol_tobacco",
            "goods_description": "Thuốc lá điếu",
            "quantity": "5000",
            "unit": "bao",
            "goods_value_vnd": "125000000",
            "subject_kind": "organisation",
            "subject_name": "Công ty TNHH Hưng Thịnh",
            "subject_id": "6001234567",
            "subject_role": "owner",
            "handling": "criminal",
            "defendants": "3",
            "budget_revenue_vnd": "0",
        },
        # case C: no goods, pending, last year
        {
            "case_ref": "C-2",
            "agency_code": "QLTT",
            "detected_on": "2025-02-10",
            "unit_code": u1,
            "violation_type": "trade_fraud",
            "summary": "Gian lận cân đo",
            "handling": "pending",
            "online_url": "https://shopee.vn/abc",
        },
    ]


def test_a_good_file_lands_every_case_with_its_goods_and_subjects(good_rows, csv_bytes):
    result = imports.import_cases(csv_bytes(good_rows), "cases.csv")
    assert result.ok, result.errors
    assert (result.rows, result.cases, result.created) == (4, 3, 3)
    a = Case.objects.get(agency_ref="A-1")
    assert a.lead_agency.code == "QLTT" and a.reference.startswith("VV-2026-")
    assert a.goods.count() == 2 and a.goods_value_vnd == 45_000_000
    assert a.subject_links.count() == 1
    assert a.subject_links.get().subject.identifier == "066123456789"
    assert (a.status, a.outcome, a.fine_vnd, a.budget_revenue_vnd) == (
        "closed",
        "administrative",
        25_000_000,
        61_000_000,
    )
    b = Case.objects.get(agency_ref="B-7")
    assert (b.outcome, b.defendants, b.lead_agency.code) == ("criminal", 3, "CA")
    c = Case.objects.get(agency_ref="C-2")
    assert (c.status, c.outcome, c.goods.count(), c.online_url) == (
        "handling",
        "",
        0,
        "https://shopee.vn/abc",
    )


def test_csv_with_bom_and_xlsx_give_the_same_cases(good_rows, csv_bytes):
    assert imports.import_cases(csv_bytes(good_rows, bom=True), "cases.csv").created == 3
    Case.objects.all().delete()
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(imports.COLUMNS))
    for row in good_rows:
        sheet.append([row.get(c, "") for c in imports.COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    result = imports.import_cases(buffer.getvalue(), "cases.xlsx")
    assert result.ok, result.errors
    assert Case.objects.count() == 3 and CaseGoods.objects.count() == 3


def test_a_file_with_bad_rows_lands_nothing_and_names_each_bad_line(good_rows, csv_bytes):
    bad = [dict(r) for r in good_rows]
    bad[1]["goods_value_vnd"] = "-5"  # line 3
    bad[2]["handling"] = "fined"  # line 4
    bad[3]["detected_on"] = "31/02/2025"  # line 5
    bad.append(
        dict(good_rows[3], case_ref="D-1", unit_code="99999", goods_category="xyz", goods_description="Hàng")
    )  # line 6
    before = (Case.objects.count(), Subject.objects.count(), AuditEvent.objects.count())
    result = imports.import_cases(csv_bytes(bad), "bad.csv")
    assert not result.ok
    found = {(e.line, e.column) for e in result.errors}
    assert {
        (3, "goods_value_vnd"),
        (4, "handling"),
        (5, "detected_on"),
        (6, "unit_code"),
        (6, "goods_category"),
    } <= found
    assert 2 not in {e.line for e in result.errors}
    assert all(e.message for e in result.errors)
    assert "không phải số nguyên không âm" in next(e.message for e in result.errors if e.line == 3)
    assert (Case.objects.count(), Subject.objects.count(), AuditEvent.objects.count()) == before


def test_conflicting_case_columns_in_one_case_are_an_error(good_rows, csv_bytes):
    rows = [dict(r) for r in good_rows]
    rows[1]["summary"] = "Tóm tắt khác"
    result = imports.import_cases(csv_bytes(rows), "x.csv")
    assert [(e.line, e.column) for e in result.errors] == [(3, "summary")]
    assert "dòng 2" in result.errors[0].message


def test_a_missing_required_column_is_reported_on_the_header_line(csv_bytes):
    data = b"case_ref,agency_code,summary\nX,QLTT,abc\n"
    result = imports.import_cases(data, "x.csv")
    assert {(e.line, e.column) for e in result.errors} == {
        (1, "detected_on"),
        (1, "unit_code"),
        (1, "violation_type"),
    }


def test_reimporting_the_same_file_updates_and_never_duplicates(good_rows, csv_bytes):
    data = csv_bytes(good_rows)
    first = imports.import_cases(data, "cases.csv")
    counts = (
        Case.objects.count(),
        CaseGoods.objects.count(),
        CaseSubject.objects.count(),
        Subject.objects.count(),
    )
    refs = set(Case.objects.values_list("reference", flat=True))
    events = AuditEvent.objects.count()
    second = imports.import_cases(data, "cases.csv")
    assert (first.created, second.created, second.updated, second.unchanged) == (3, 0, 0, 3)
    assert (
        Case.objects.count(),
        CaseGoods.objects.count(),
        CaseSubject.objects.count(),
        Subject.objects.count(),
    ) == counts
    assert set(Case.objects.values_list("reference", flat=True)) == refs
    # only the import itself is recorded: no case changed
    assert AuditEvent.objects.count() == events + 1


def test_reimporting_a_changed_file_updates_the_case_in_place(good_rows, csv_bytes):
    imports.import_cases(csv_bytes(good_rows), "cases.csv")
    rows = [dict(r) for r in good_rows[:3]]
    rows[2]["defendants"] = "4"
    rows = rows[:1] + rows[2:]  # case A loses its second goods line
    result = imports.import_cases(csv_bytes(rows), "cases.csv")
    assert (result.created, result.updated) == (0, 2)
    assert Case.objects.get(agency_ref="B-7").defendants == 4
    a = Case.objects.get(agency_ref="A-1")
    assert a.goods.count() == 1 and a.goods_value_vnd == 36_000_000


def test_a_subject_entered_again_with_the_same_id_is_the_same_subject(good_rows, csv_bytes):
    rows = [
        dict(good_rows[0]),
        dict(good_rows[0], case_ref="A-2", subject_name="NGUYỄN VĂN AN", subject_id="066.123.456.789"),
    ]
    imports.import_cases(csv_bytes(rows), "x.csv")
    assert Subject.objects.filter(identifier="066123456789").count() == 1
    assert CaseSubject.objects.count() == 2


def test_the_agency_option_fills_blank_codes_and_refuses_other_agencies(good_rows, csv_bytes):
    rows = [dict(good_rows[3], agency_code=""), dict(good_rows[2])]
    result = imports.import_cases(csv_bytes(rows), "x.csv", agency_code="QLTT")
    assert [(e.line, e.column) for e in result.errors] == [(3, "agency_code")]
    result = imports.import_cases(csv_bytes(rows[:1]), "x.csv", agency_code="QLTT")
    assert result.ok and Case.objects.get().lead_agency.code == "QLTT"


def test_an_officer_cannot_import_cases_for_another_agency(good_rows, csv_bytes, officer_ca):
    result = imports.import_cases(csv_bytes(good_rows), "x.csv", user=officer_ca)
    assert {e.line for e in result.errors if e.column == "agency_code"} == {2, 3, 5}
    assert Case.objects.count() == 0


def test_the_command_exits_non_zero_and_lists_errors_in_vietnamese(good_rows, csv_bytes, tmp_path):
    bad = [dict(good_rows[0], fine_vnd="abc")]
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(bad))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import-cases", str(path), stderr=err)
    assert exit_info.value.code == 1
    assert "Dòng 2, cột fine_vnd" in err.getvalue()
    assert Case.objects.count() == 0


def test_the_command_imports_a_good_file(good_rows, csv_bytes, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(good_rows))
    out = io.StringIO()
    call_command("import-cases", str(path), stdout=out)
    assert "3 mới" in out.getvalue()
    call_command("import-cases", str(path), stdout=out)
    assert Case.objects.count() == 3


def test_an_xlsx_id_stored_as_a_number_keeps_its_leading_zero(good_rows, csv_bytes):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(imports.COLUMNS))
    row = dict(good_rows[0])
    row["subject_id"] = 66123456789  # 066123456789 typed into a number cell
    row["goods_value_vnd"] = 36000000.0
    sheet.append([row.get(c, "") for c in imports.COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    assert imports.import_cases(buffer.getvalue(), "x.xlsx").ok
    assert Subject.objects.get().identifier == "066123456789"
    assert Case.objects.get().goods_value_vnd == 36_000_000


def test_an_import_audits_every_new_case_and_subject_and_the_chain_still_verifies(good_rows, csv_bytes):
    from canhgiac.audit import services as audit

    result = imports.import_cases(csv_bytes(good_rows), "cases.csv")
    assert result.ok
    for case in Case.objects.all():
        event = AuditEvent.objects.get(action="cases.case.create", object_id=str(case.pk))
        assert event.object_repr == case.reference
        assert event.changes["summary"]["after"] == case.summary
        assert len(event.changes["goods"]["after"]) == case.goods.count()
    assert AuditEvent.objects.filter(action="subjects.subject.create").count() == Subject.objects.count()
    assert audit.verify_chain().ok
    # the ids taken in bulk do not collide with ids given later one by one
    later = Case.objects.get(agency_ref="C-2")
    later.summary = "Sửa sau khi nhập"
    later.save()
    assert audit.verify_chain().ok


def test_progress_is_reported_while_the_file_is_checked_and_while_it_is_written(good_rows, csv_bytes):
    rows = [dict(good_rows[3], case_ref=f"P-{i}") for i in range(imports.BATCH + 10)]
    seen = []
    result = imports.import_cases(
        csv_bytes(rows), "big.csv", progress=lambda done, total, stage: seen.append((stage, done, total))
    )
    assert result.ok and result.created == len(rows)
    stages = [stage for stage, _done, _total in seen]
    assert "check" in stages and "write" in stages
    assert stages.index("check") < stages.index("write")
    assert seen[-1] == ("write", len(rows), len(rows))
