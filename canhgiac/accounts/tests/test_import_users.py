"""`canhgiac import-users FILE`: accounts provisioned from CSV/XLSX, all or nothing (issue 9, item 10)."""

import csv
import io

import pytest
from django.core import mail
from django.core.management import call_command

from canhgiac.accounts import provisioning
from canhgiac.accounts import services as accounts
from canhgiac.accounts.models import Membership, User
from canhgiac.audit.models import AuditEvent
from canhgiac.core import policy

pytestmark = pytest.mark.django_db


def _csv(rows, header=provisioning.COLUMNS):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _run(tmp_path, data, name="users.csv", *args):
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import-users", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def _commune_code():
    from canhgiac.directory.models import Agency

    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first().code


ROWS = [
    ["qltt_hoa", "Nguyễn Thị Hoa", "hoa@qltt.daklak.gov.vn", "0905 123 456", "", "QLTT", "officer"],
    ["qltt_hoa", "Nguyễn Thị Hoa", "hoa@qltt.daklak.gov.vn", "0905 123 456", "", "QLTT", "tip_handler"],
    ["ca_binh", "Trần Văn Bình", "", "", "dak_lak", "CA", "leader"],
    ["quoc_gia", "Lê Văn Quốc", "", "", "", "", "national_viewer"],
]


def test_it_creates_users_with_their_memberships_and_prints_first_time_passwords(tmp_path):
    rows = [*ROWS, ["xa_an", "Phạm Văn An", "", "", "", _commune_code(), "officer"]]
    code, out, err = _run(tmp_path, _csv(rows))
    assert code == 0, err
    hoa = User.objects.get(username="qltt_hoa")
    assert (hoa.full_name, hoa.email, hoa.phone) == (
        "Nguyễn Thị Hoa",
        "hoa@qltt.daklak.gov.vn",
        "0905 123 456",
    )
    assert {(m.agency.code, m.role) for m in hoa.memberships.all()} == {
        ("QLTT", "officer"),
        ("QLTT", "tip_handler"),
    }
    assert Membership.objects.get(user__username="quoc_gia").agency is None
    assert Membership.objects.get(user__username="xa_an").agency.code == _commune_code()
    passwords = dict(line.split("\t") for line in out.splitlines() if "\t" in line)
    assert set(passwords) == {"qltt_hoa", "ca_binh", "quoc_gia", "xa_an"}
    assert User.objects.get(username="ca_binh").check_password(passwords["ca_binh"])
    assert AuditEvent.objects.filter(action="accounts.users_imported").count() == 1
    assert AuditEvent.objects.filter(action="accounts.user.create", object_repr="Trần Văn Bình").exists()


def test_reimporting_the_same_file_changes_nothing_and_prints_no_password(tmp_path):
    _run(tmp_path, _csv(ROWS))
    before = (User.objects.count(), Membership.objects.count())
    hash_before = User.objects.get(username="qltt_hoa").password
    code, out, _err = _run(tmp_path, _csv(ROWS))
    assert code == 0 and "\t" not in out and "3 không đổi" in out
    assert (User.objects.count(), Membership.objects.count()) == before
    assert User.objects.get(username="qltt_hoa").password == hash_before


def test_reimporting_updates_details_and_adds_a_role_without_touching_the_password(tmp_path):
    _run(tmp_path, _csv(ROWS))
    hash_before = User.objects.get(username="ca_binh").password
    rows = [*ROWS, ["ca_binh", "Trần Văn Bình", "", "", "", "CA", "officer"]]
    rows[2] = ["ca_binh", "Trần Văn Bình", "", "", "", "CA", "leader"]
    code, out, _err = _run(tmp_path, _csv(rows))
    assert code == 0 and "1 cập nhật" in out
    binh = User.objects.get(username="ca_binh")
    assert binh.password == hash_before and binh.role_set() == {"leader", "officer"}


def test_errors_name_line_and_column_and_nothing_is_written(tmp_path):
    rows = [
        ROWS[0],
        ["bad user", "", "not-an-email", "abc", "", "QLTT", "officer"],
        ["ca_x", "X", "", "", "", "KHONGCO", "officer"],
        ["ca_y", "Y", "", "", "", "CA", "boss"],
        ["nat", "N", "", "", "", "CA", "national_admin"],
        ["ca_z", "Z", "", "", "atlantis", "CA", "officer"],
        ["qltt_hoa", "Tên khác", "hoa@qltt.daklak.gov.vn", "0905 123 456", "", "QLTT", "viewer"],
        ["ca_w", "W", "", "", "", "", "officer"],
    ]
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    code, out, err = _run(tmp_path, _csv(rows))
    assert code == 1 and "chưa ghi dữ liệu nào" in err
    for expected in (
        "Dòng 3, cột username",
        "Dòng 3, cột full_name",
        "Dòng 3, cột email",
        "Dòng 3, cột phone",
        "Dòng 4, cột agency: không có cơ quan mã “KHONGCO”",
        "Dòng 5, cột role: vai trò “boss” không hợp lệ",
        "Dòng 6, cột agency: vai trò toàn quốc",
        "Dòng 7, cột province: không có tỉnh “atlantis”",
        "Dòng 8, cột full_name: khác với dòng 2",
        "Dòng 9, cột agency: bắt buộc",
    ):
        assert expected in err, expected
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_a_missing_column_and_a_bad_file_are_refused(tmp_path):
    code, _out, err = _run(tmp_path, _csv([["a", "A", "QLTT"]], header=("username", "full_name", "agency")))
    assert code == 1 and "Dòng 1, cột role: thiếu cột bắt buộc" in err
    code, _out, err = _run(tmp_path, b"\xff\xfe garbage", "users.xlsx")
    assert code == 1 and "Dòng 1" in err and "XLSX" in err
    code, _out, err = _run(tmp_path, b"x", "users.pdf")
    assert code == 1 and ".csv" in err


def test_it_reads_xlsx(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(provisioning.COLUMNS))
    sheet.append(["syt_lan", "Đỗ Thị Lan", "lan@syt.gov.vn", 905123456, "", "SYT", "viewer"])
    buffer = io.BytesIO()
    book.save(buffer)
    code, out, err = _run(tmp_path, buffer.getvalue(), "users.xlsx")
    assert code == 0, err
    lan = User.objects.get(username="syt_lan")
    assert lan.memberships.get().agency.code == "SYT" and lan.phone == "0905123456"


def test_with_email_the_passwords_are_mailed_not_printed(tmp_path):
    rows = [["qltt_hoa", "Nguyễn Thị Hoa", "hoa@qltt.daklak.gov.vn", "", "", "QLTT", "officer"]]
    code, out, _err = _run(tmp_path, _csv(rows), "users.csv", "--email")
    assert code == 0 and "\t" not in out and "qua thư cho 1" in out
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hoa@qltt.daklak.gov.vn"]
    password = mail.outbox[0].body.split("Mật khẩu lần đầu: ")[1].split()[0]
    assert User.objects.get(username="qltt_hoa").check_password(password)
    code, _out, err = _run(tmp_path, _csv([["ca_x", "X", "", "", "", "CA", "officer"]]), "u.csv", "--email")
    assert code == 1 and "Dòng 2, cột email: bắt buộc khi gửi mật khẩu" in err


def test_with_two_provinces_the_short_code_is_taken_within_the_named_province(tmp_path, settings):
    from canhgiac.directory import services as directory

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    lang_son = directory.setup_province("lang_son")
    rows = [
        ["ca_ls", "Hoàng Văn Lạng", "", "", "lang_son", "CA", "officer"],
        ["ca_dl", "Y Blốk Êban", "", "", "dak_lak", "CA", "officer"],
        ["ca_none", "Không Tỉnh", "", "", "", "CA", "officer"],
    ]
    code, _out, err = _run(tmp_path, _csv(rows))
    assert code == 1 and "Dòng 4, cột province: bắt buộc khi đã nạp nhiều tỉnh" in err
    code, _out, err = _run(tmp_path, _csv(rows[:2]))
    assert code == 0, err
    ls_agency = User.objects.get(username="ca_ls").memberships.get().agency
    assert ls_agency.province == lang_son and ls_agency == accounts.agency_for_code("CA", lang_son)
    assert User.objects.get(username="ca_dl").memberships.get().agency.province.codename == "dak_lak"
    # a commune of Đắk Lắk is not an agency of Lạng Sơn
    rows = [["xa_sai", "Sai Tỉnh", "", "", "lang_son", _commune_code(), "officer"]]
    code, _out, err = _run(tmp_path, _csv(rows))
    assert code == 1 and "Dòng 2, cột agency" in err


def test_national_roles_hold_no_agency(tmp_path):
    code, _out, err = _run(tmp_path, _csv([["nat", "Quốc Gia", "", "", "", "", "national_admin"]]))
    assert code == 0, err
    user = User.objects.get(username="nat")
    assert [(m.agency, m.role) for m in user.memberships.all()] == [(None, policy.NATIONAL_ADMIN)]
    code, out, _err = _run(tmp_path, _csv([["nat", "Quốc Gia", "", "", "", "", "national_admin"]]))
    assert code == 0 and user.memberships.count() == 1 and "1 không đổi" in out
