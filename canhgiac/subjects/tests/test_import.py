"""The import-subjects contract: columns, kinds, dates, all or nothing, idempotent, audited."""

import datetime as dt

import pytest
from django.core.management import call_command

from canhgiac.audit.models import AuditEvent
from canhgiac.conftest import find_agency
from canhgiac.subjects.models import Identifier, Subject
from canhgiac.subjects.tests.conftest import HEADER, to_csv

pytestmark = pytest.mark.django_db

HOA = {
    "source_ref": "Q-1",
    "kind": "person",
    "name": "Nguyễn Thị Hoa",
    "birth_date": "07/03/1985",
    "id_number": "066 190 000 555",
    "phone": "0912.345.678",
    "address": "12 Lê Duẩn",
}


def test_a_file_imports_every_kind(import_rows):
    result = import_rows(
        "QLTT",
        [
            HOA,
            {
                "source_ref": "Q-2",
                "kind": "organization",
                "name": "Cty TNHH Hoàng Long",
                "tax_code": "0100233488-001",
            },
            {"source_ref": "Q-3", "kind": "online_account", "name": "Hoa Shop"},
            {"source_ref": "Q-4", "kind": "vehicle", "name": "Xe tải"},
        ],
    )
    assert result.ok and result.created == 4
    hoa = Subject.objects.get(source_ref="Q-1")
    assert (
        hoa.birth_date == dt.date(1985, 3, 7)
        and hoa.origin == "import"
        and hoa.recorded_by_agency.code == "QLTT"
    )
    assert set(hoa.identifiers.values_list("scheme", "value")) == {
        ("cccd", "066190000555"),
        ("phone", "+84912345678"),
    }
    branch = Identifier.objects.get(subject__source_ref="Q-2", scheme="mst")
    assert branch.value == "0100233488001" and branch.branch
    assert Subject.objects.get(source_ref="Q-2").kind == Subject.Kind.ORGANISATION


def test_optional_columns_give_accounts_plates_emails_and_banks(import_rows):
    header = HEADER + ["email", "bank_account", "platform", "handle", "url", "plate"]
    rows = [
        {
            "source_ref": "A-1",
            "kind": "online_account",
            "name": "Hoa Shop",
            "platform": "Facebook",
            "handle": "@hoa.shop",
        },
        {"source_ref": "V-1", "kind": "vehicle", "name": "Xe tải Hino", "plate": "47C-123.45"},
        {
            "source_ref": "P-1",
            "kind": "person",
            "name": "Lê Văn Tám",
            "email": "Tam@Example.vn",
            "bank_account": "0101 2345 678",
        },
    ]
    assert import_rows("CA", rows, header=header).ok
    values = set(Identifier.objects.values_list("scheme", "value"))
    assert {
        ("account", "facebook:hoa.shop"),
        ("plate", "47C12345"),
        ("email", "tam@example.vn"),
        ("bank", "01012345678"),
    } <= values


def test_a_year_alone_is_a_birth_year_without_a_date(import_rows):
    assert import_rows("QLTT", [dict(HOA, birth_date="1985")]).ok
    hoa = Subject.objects.get()
    assert hoa.birth_date is None and hoa.birth_year == 1985


def test_an_old_id_card_is_recognised(import_rows):
    assert import_rows("QLTT", [dict(HOA, id_number="241234567")]).ok
    assert Identifier.objects.filter(scheme="cmnd", value="241234567").exists()


def test_any_error_writes_nothing_and_names_the_line_in_vietnamese(import_rows):
    result = import_rows(
        "QLTT",
        [
            HOA,
            dict(HOA, source_ref="Q-2", kind="alien"),
            dict(HOA, source_ref="Q-3", birth_date="31/02/1985"),
            dict(HOA, source_ref="Q-4", name=""),
            dict(HOA, source_ref="Q-1"),
            dict(HOA, source_ref="Q-6", tax_code="12345"),
            dict(HOA, source_ref="Q-7", unit_code="99999"),
        ],
    )
    assert not result.ok and Subject.objects.count() == 0
    messages = [str(e) for e in result.errors]
    assert messages[0].startswith("Dòng 3, cột kind:")
    assert any(m.startswith("Dòng 4, cột birth_date:") for m in messages)
    assert any(m.startswith("Dòng 5, cột name: bắt buộc") for m in messages)
    assert any(m.startswith("Dòng 6, cột source_ref: trùng với dòng 2") for m in messages)
    assert any(m.startswith("Dòng 7, cột tax_code:") for m in messages)
    assert any(m.startswith("Dòng 8, cột unit_code:") for m in messages)


def test_a_missing_column_is_refused(import_rows):
    result = import_rows("QLTT", [["Q-1", "person", "A"]], header=["source_ref", "kind", "name"])
    assert not result.ok and {e.column for e in result.errors} >= {"birth_date", "unit_code"}


def test_importing_again_changes_nothing_and_an_edit_updates_in_place(import_rows):
    assert import_rows("QLTT", [HOA]).created == 1
    again = import_rows("QLTT", [HOA])
    assert again.unchanged == 1 and again.created == 0 and Subject.objects.count() == 1
    edited = import_rows("QLTT", [dict(HOA, phone="0987 654 321")])
    assert edited.updated == 1 and Subject.objects.count() == 1
    assert Identifier.objects.filter(scheme="phone", value="+84987654321").exists()
    assert not Identifier.objects.filter(scheme="phone", value="+84912345678").exists()


def test_an_update_keeps_the_registration_number_given_beside_a_tax_code(import_rows):
    """An organisation with a tax code and a business registration number: re-imported with a
    change, or saved again from a form, it keeps both; a new registration number is an update."""
    org = {
        "source_ref": "DN-1",
        "kind": "organization",
        "name": "Công ty TNHH Hoàng Long",
        "id_number": "40A8001234",
        "tax_code": "0100233488",
        "phone": "0912 345 678",
    }

    def idents():
        return set(Identifier.objects.filter(subject__source_ref="DN-1").values_list("scheme", "value"))

    assert import_rows("QLTT", [org]).created == 1
    first = idents()
    assert {("mst", "0100233488"), ("brn", "40A8001234")} <= first
    assert import_rows("QLTT", [org]).unchanged == 1
    edited = import_rows("QLTT", [dict(org, phone="0987 654 321")])
    assert edited.updated == 1
    assert {("mst", "0100233488"), ("brn", "40A8001234"), ("phone", "+84987654321")} <= idents()
    renumbered = import_rows("QLTT", [dict(org, phone="0987 654 321", id_number="40A8009999")])
    assert renumbered.updated == 1
    assert ("brn", "40A8009999") in idents() and ("brn", "40A8001234") not in idents()
    subject = Subject.objects.get(source_ref="DN-1")
    subject.address = "12 Lê Duẩn"
    subject.save()
    assert ("brn", "40A8009999") in idents() and ("mst", "0100233488") in idents()


def test_the_same_source_ref_in_two_agencies_is_two_records(import_rows):
    import_rows("QLTT", [HOA])
    import_rows("CA", [HOA])
    assert Subject.objects.count() == 2


def test_the_import_is_audited(import_rows):
    import_rows("QLTT", [HOA])
    # the agency is named by its province-qualified key, as every new audit event names it
    qltt = find_agency("QLTT")
    assert AuditEvent.objects.filter(action="subjects.import", agency_code=qltt.key).exists()
    assert AuditEvent.objects.filter(action="subjects.subject.create").count() == 1


def test_the_command_imports_and_reports_errors(tmp_path, capsys):
    path = tmp_path / "hoso.csv"
    path.write_bytes(to_csv([HOA]))
    call_command("import-subjects", str(path), "--agency", "QLTT")
    assert "1 mới" in capsys.readouterr().out
    bad = tmp_path / "sai.csv"
    bad.write_bytes(to_csv([dict(HOA, kind="x")]))
    with pytest.raises(SystemExit):
        call_command("import-subjects", str(bad), "--agency", "QLTT")
    assert "Dòng 2, cột kind" in capsys.readouterr().err


def test_an_xlsx_with_ids_stored_as_numbers_keeps_leading_zeros(agency):
    import io

    from openpyxl import Workbook

    from canhgiac.subjects import imports

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["Q-1", "person", "Nguyễn Thị Hoa", "1985", 66190000555, "", "", "", ""])
    data = io.BytesIO()
    book.save(data)
    assert imports.import_subjects(data.getvalue(), "hoso.xlsx", agency=agency("QLTT")).ok
    assert Identifier.objects.filter(scheme="cccd", value="066190000555").exists()


def test_imported_records_are_linked_by_what_they_share(import_rows):
    """Records written in bulk get the link keys a saved record gets: the network joins two
    records that share a bank account, and a vehicle by its plate."""
    from canhgiac.subjects.models import LinkKey

    header = HEADER + ["email", "bank_account", "platform", "handle", "url", "plate"]
    rows = [
        {"source_ref": "L-1", "kind": "person", "name": "Lê Văn Tám", "bank_account": "0101 2345 678"},
        {"source_ref": "L-2", "kind": "person", "name": "Phạm Thị Chín", "bank_account": "01012345678"},
        {"source_ref": "L-3", "kind": "vehicle", "name": "Xe tải Hino", "plate": "47C-123.45"},
    ]
    assert import_rows("CA", rows, header=header).ok
    banks = LinkKey.objects.filter(kind="bank_account", value="01012345678")
    assert set(banks.values_list("subject__source_ref", flat=True)) == {"L-1", "L-2"}
    assert LinkKey.objects.filter(kind="vehicle", value="47C12345", subject__source_ref="L-3").exists()
