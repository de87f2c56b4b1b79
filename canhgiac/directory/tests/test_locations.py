"""The units' coordinates: the importer (command and page), its errors by line and column, its
idempotence and audit, and who may load them. The coordinates here are made up for the tests."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from canhgiac.accounts import services as accounts
from canhgiac.audit.models import AuditEvent
from canhgiac.conftest import PASSWORD
from canhgiac.core import policy
from canhgiac.directory import locations
from canhgiac.directory.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def communes(n=3, province="dak_lak"):
    return list(AdministrativeUnit.objects.filter(parent__codename=province).order_by("code")[:n])


def run(text, filename="toa-do.csv", provinces=None):
    return locations.import_unit_locations(text.encode("utf-8"), filename, provinces=provinces)


def test_a_good_file_sets_the_coordinates_with_a_point_or_a_vietnamese_comma():
    a, b, c = communes()
    result = run(f'code,latitude,longitude\n{a.code},12.5,108.25\n{b.code},"12,75","108,0312345"\n')
    assert result.ok, result.errors
    assert (result.rows, result.changed, result.unchanged) == (2, 2, 0)
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert (a.latitude, a.longitude) == (Decimal("12.5"), Decimal("108.25"))
    assert (b.latitude, b.longitude) == (Decimal("12.75"), Decimal("108.031234"))  # 6 decimals
    assert c.latitude is None and not c.has_location


def test_an_xlsx_file_with_numbers_is_read_too():
    from openpyxl import Workbook

    (a,) = communes(1)
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "latitude", "longitude"])
    sheet.append([int(a.code), 12.6675, 108.0383])
    out = io.BytesIO()
    book.save(out)
    result = locations.import_unit_locations(out.getvalue(), "toa-do.xlsx")
    assert result.ok, result.errors
    a.refresh_from_db()
    assert (a.latitude, a.longitude) == (Decimal("12.6675"), Decimal("108.0383"))


@pytest.mark.parametrize(
    "row, line, column, words",
    [
        ("99999,12.5,108.2", 3, "code", "Không có đơn vị hành chính mã 99999"),
        ("{a},12.5,108.2", 3, "code", "Mã {a} đã có ở dòng 2"),
        ("{b},25.1,108.2", 3, "latitude", "Vĩ độ 25,1 nằm ngoài lãnh thổ Việt Nam"),
        ("{b},108.2,12.5", 3, "latitude", "nằm ngoài lãnh thổ Việt Nam"),
        ("{b},12.5,100.9", 3, "longitude", "Kinh độ 100,9 nằm ngoài"),
        ("{b},mười hai,108.2", 3, "latitude", "không phải là số thập phân"),
        ('{b},"1.234,5",108.2', 3, "latitude", "có cả dấu chấm và dấu phẩy"),
        ("{b},12.5,", 3, "longitude", "Thiếu kinh độ"),
        (",12.5,108.2", 3, "code", "Thiếu mã"),
    ],
)
def test_each_error_names_its_line_and_column_and_nothing_is_written(row, line, column, words):
    a, b = communes(2)
    text = f"code,latitude,longitude\n{a.code},12.5,108.2\n" + row.format(a=a.code, b=b.code) + "\n"
    result = run(text)
    assert not result.ok
    error = result.errors[0]
    assert (error.line, error.column) == (line, column), result.errors
    assert words.format(a=a.code) in error.message, error.message
    assert str(error).startswith(f"Dòng {line}, cột {column}: ")
    a.refresh_from_db()
    assert a.latitude is None  # all or nothing: the good line 2 is not written either


def test_a_wrong_header_is_refused_on_line_1():
    result = run("ma,vi_do,kinh_do\n24121,12.5,108.2\n")
    assert (
        not result.ok and result.errors[0].line == 1 and "code,latitude,longitude" in result.errors[0].message
    )


def test_re_importing_changes_nothing_and_each_change_is_audited_in_bulk():
    a, b = communes(2)
    text = f"code,latitude,longitude\n{a.code},12.5,108.25\n{b.code},12.6,108.3\n"
    before = AuditEvent.objects.count()
    assert run(text).changed == 2
    events = list(AuditEvent.objects.order_by("id")[before:])
    per_unit = [e for e in events if e.action == "directory.administrativeunit.update"]
    assert sorted(e.object_id for e in per_unit) == sorted([str(a.pk), str(b.pk)])
    change = next(e for e in per_unit if e.object_id == str(a.pk)).changes
    assert change["latitude"] == {"before": None, "after": "12.500000"}
    assert [e.action for e in events if e.action == "directory.unit_locations_imported"]
    count = AuditEvent.objects.count()
    again = run(text)
    assert (again.changed, again.unchanged) == (0, 2)
    assert AuditEvent.objects.count() == count  # nothing changed, nothing recorded
    # both cells empty: the unit's coordinates are removed
    cleared = run(f"code,latitude,longitude\n{a.code},,\n")
    assert cleared.ok and cleared.cleared == 1
    a.refresh_from_db()
    assert a.latitude is None and a.longitude is None


def test_the_command_prints_how_many_units_got_coordinates(tmp_path, capsys):
    a, b = communes(2)
    path = tmp_path / "toa-do.csv"
    path.write_text(f"code,latitude,longitude\n{a.code},12.5,108.25\n{b.code},12.6,108.3\n", encoding="utf-8")
    call_command("import-unit-locations", str(path))
    out = capsys.readouterr().out
    assert "2 đơn vị được đặt tọa độ" in out
    assert "Đắk Lắk: 2/" in out
    path.write_text(f"code,latitude,longitude\n{a.code},12.5,130\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import-unit-locations", str(path))
    assert "Dòng 2, cột longitude" in capsys.readouterr().err


def test_the_province_admin_loads_their_province_and_no_other(
    signed_in, admin_user, lang_son, coordinator_sct
):
    client = signed_in(admin_user)
    page = client.get("/directory/locations/")
    assert page.status_code == 200
    assert [row.province.codename for row in page.context["coverage"]] == ["dak_lak"]
    (mine,) = communes(1)
    (theirs,) = communes(1, "lang_son")
    upload = SimpleUploadedFile(
        "toa-do.csv", f"code,latitude,longitude\n{mine.code},12.5,108.25\n".encode(), content_type="text/csv"
    )
    assert client.post("/directory/locations/", {"file": upload}).status_code == 302
    mine.refresh_from_db()
    assert mine.latitude == Decimal("12.5")
    assert "1/" in client.get("/directory/locations/").content.decode()
    # a Lạng Sơn commune is not the Đắk Lắk administrator's: refused by line, nothing written
    upload = SimpleUploadedFile(
        "toa-do.csv",
        f"code,latitude,longitude\n{theirs.code},21.85,106.76\n".encode(),
        content_type="text/csv",
    )
    response = client.post("/directory/locations/", {"file": upload})
    assert response.status_code == 400
    assert f"Dòng 2, cột code: Không có đơn vị hành chính mã {theirs.code} trong tỉnh bạn quản trị" in (
        response.content.decode()
    )
    theirs.refresh_from_db()
    assert theirs.latitude is None
    # Lạng Sơn's administrator loads Lạng Sơn's, and sees only Lạng Sơn
    other = signed_in(
        accounts.create_user(
            "admin_ls", PASSWORD, memberships=[(lang_son.province_agencies.get(code="QLTT"), policy.ADMIN)]
        )
    )
    page = other.get("/directory/locations/")
    assert [row.province.codename for row in page.context["coverage"]] == ["lang_son"]
    upload = SimpleUploadedFile(
        "toa-do.csv",
        f"code,latitude,longitude\n{theirs.code},21.85,106.76\n".encode(),
        content_type="text/csv",
    )
    assert other.post("/directory/locations/", {"file": upload}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.latitude == Decimal("21.85")
    # the Standing Office (not an administrator) may not load them
    assert signed_in(coordinator_sct).get("/directory/locations/").status_code == 403
    assert signed_in(coordinator_sct).post("/directory/locations/", {}).status_code == 403
