"""Businesses as accounts: `canhgiac import-businesses FILE`, their users' sign-in area and tokens,
and the staff pages closed to them (issue 13, item 1)."""

import csv
import io

import pytest
from django.core.management import call_command

from canhgiac.accounts.models import User
from canhgiac.audit.models import AuditEvent
from canhgiac.conftest import PASSWORD
from canhgiac.core import policy
from canhgiac.directory.models import AdministrativeUnit
from canhgiac.goods import businesses
from canhgiac.goods.models import Business, BusinessMember

pytestmark = pytest.mark.django_db


def _csv(rows, header=businesses.COLUMNS):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _run(tmp_path, data, name="businesses.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import-businesses", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def _commune():
    return AdministrativeUnit.objects.filter(parent__codename="dak_lak").order_by("code").first()


def _rows():
    unit = _commune().code
    return [
        ["0100233488", "Công ty CP Dược phẩm Hoa Mai", "12 Lê Duẩn", unit, "hoamai@example.vn", "hoamai_kd"],
        ["0100233488", "Công ty CP Dược phẩm Hoa Mai", "12 Lê Duẩn", unit, "hoamai@example.vn", "hoamai_kho"],
        ["4000000014-001", "Chi nhánh Mỹ phẩm Sen", "", unit, "", "sen_cn"],
    ]


def test_it_creates_businesses_and_their_users_and_prints_first_time_passwords(tmp_path):
    code, out, err = _run(tmp_path, _csv(_rows()))
    assert code == 0, err
    hoa_mai = Business.objects.get(tax_code="0100233488")
    assert hoa_mai.province.codename == "dak_lak" and hoa_mai.unit == _commune()
    assert Business.objects.get(tax_code="4000000014001").name == "Chi nhánh Mỹ phẩm Sen"
    assert set(BusinessMember.objects.filter(business=hoa_mai).values_list("user__username", flat=True)) == {
        "hoamai_kd",
        "hoamai_kho",
    }
    lines = dict(line.split("\t") for line in out.splitlines() if "\t" in line)
    assert set(lines) == {"hoamai_kd", "hoamai_kho", "sen_cn"}
    user = User.objects.get(username="hoamai_kd")
    assert user.check_password(lines["hoamai_kd"])
    assert policy.business_ids(user) == {hoa_mai.pk} and not policy.is_staff_member(user)
    event = AuditEvent.objects.get(action="goods.businesses_imported")
    assert event.changes["businesses_created"] == 2 and event.changes["users_created"] == 3


def test_importing_again_changes_nothing_and_keeps_passwords(tmp_path):
    _run(tmp_path, _csv(_rows()))
    before = User.objects.get(username="sen_cn").password
    code, out, _err = _run(tmp_path, _csv(_rows()))
    assert code == 0
    assert "\t" not in out  # no new password printed
    assert Business.objects.count() == 2 and BusinessMember.objects.count() == 3
    assert User.objects.get(username="sen_cn").password == before


def test_a_changed_address_is_updated(tmp_path):
    _run(tmp_path, _csv(_rows()))
    rows = _rows()
    rows[2][2] = "5 Phan Bội Châu"
    code, out, _err = _run(tmp_path, _csv(rows))
    assert code == 0 and "1 cập nhật" in out
    assert Business.objects.get(tax_code="4000000014001").address == "5 Phan Bội Châu"


def test_every_error_names_its_line_and_nothing_is_written(tmp_path, officer_qltt):
    unit = _commune().code
    rows = [
        ["0100233489", "Sai mã số thuế", "", unit, "", "a1"],
        ["4000000021", "Không có xã", "", "99999", "", "a2"],
        ["4000000039", "Tài khoản cán bộ", "", unit, "", "officer_qltt"],
        ["4000000046", "", "", unit, "khong-phai-thu", "a 4"],
        ["0100233488", "Công ty A", "", unit, "", "a5"],
        ["0100233488", "Công ty B", "", unit, "", "a6"],
    ]
    code, _out, err = _run(tmp_path, _csv(rows))
    assert code == 1
    assert "Dòng 2, cột tax_code" in err and "mã số thuế" in err
    assert "Dòng 3, cột unit_code" in err
    assert "Dòng 4, cột username" in err and "cán bộ" in err
    assert "Dòng 5, cột name" in err and "Dòng 5, cột email" in err and "Dòng 5, cột username" in err
    assert "Dòng 7, cột name: khác với dòng 6" in err
    assert not Business.objects.exists() and not User.objects.filter(username__startswith="a").exists()


def test_a_missing_column_is_refused(tmp_path):
    code, _out, err = _run(tmp_path, _csv([["0100233488", "A"]], header=("tax_code", "name")))
    assert code == 1 and "Dòng 1, cột unit_code: thiếu cột bắt buộc" in err


def test_xlsx_with_a_tax_code_that_lost_its_leading_zero(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(businesses.COLUMNS))
    sheet.append([100233488, "Công ty CP Dược phẩm Hoa Mai", "", int(_commune().code), "", "hoamai_kd"])
    out = io.BytesIO()
    book.save(out)
    code, _out, err = _run(tmp_path, out.getvalue(), "businesses.xlsx")
    assert code == 0, err
    assert Business.objects.filter(tax_code="0100233488").exists()


def test_create_token_works_for_a_business_user_and_opens_their_api(tmp_path, client):
    _run(tmp_path, _csv(_rows()))
    out = io.StringIO()
    call_command("create-token", "hoamai_kd", stdout=out)
    raw = out.getvalue().rstrip("\n").splitlines()[-1]
    response = client.get("/api/v1/goods/products", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json() == []


def test_a_business_user_lands_in_the_business_area_and_the_staff_pages_stay_closed(business_user, signed_in):
    client = signed_in(business_user)
    response = client.get("/app/")
    assert response.status_code == 302 and response["Location"] == "/goods/business/"
    assert client.get("/goods/business/").status_code == 200
    for url in (
        "/cases/",
        "/subjects/",
        "/tips/",
        "/plans/",
        "/reporting/",
        "/directory/agencies/",
        "/audit/",
    ):
        assert client.get(url).status_code == 403, url
    # public pages open as for anyone, and their own account pages stay theirs
    assert client.get("/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 200


def test_sign_in_takes_a_business_user_to_the_business_area(business_user, client):
    response = client.post(
        "/accounts/login/", {"username": "business_user", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/goods/business/"
    assert "Khu vực doanh nghiệp" in response.content.decode()


def test_staff_do_not_open_the_business_area(officer_qltt, signed_in):
    assert signed_in(officer_qltt).get("/goods/business/").status_code == 403


def test_a_business_users_menu_keeps_to_their_area(business_user, signed_in):
    page = signed_in(business_user).get("/goods/business/").content.decode()
    assert 'href="/goods/products/"' in page
    assert 'href="/plans/"' not in page and 'href="/directory/agencies/"' not in page
