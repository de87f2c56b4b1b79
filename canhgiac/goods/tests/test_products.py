"""The product registry: GTIN check digits, registration-number warnings, `canhgiac import-products`
(the same in the business area and the API), pages (issue 13, item 2)."""

import csv
import io

import pytest
from django.core.management import call_command

from canhgiac.audit.models import AuditEvent
from canhgiac.conftest import make_business
from canhgiac.directory.models import GoodsCategory
from canhgiac.goods import services
from canhgiac.goods.models import Product
from canhgiac.goods.products import IMPORT_COLUMNS

pytestmark = pytest.mark.django_db


def _csv(rows, header=IMPORT_COLUMNS):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _run(tmp_path, data, name="products.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import-products", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


ROWS = [
    ["8934588012228", "Sữa tươi tiệt trùng 180ml", "Hoa Mai", "milk", "0100233488", "", "8.500"],
    ["8936012345674", "Viên nén Paracetamol 500mg", "HM", "drugs", "0100233488", "VD-12345-19", "25000"],
    ["8936012345681", "Kem dưỡng da", "Sen", "cosmetics", "0100233488", "KHONG-DUNG-DANG", ""],
    ["96385074", "Kẹo gừng", "", "food", "0100233488", "", "12000"],
]


@pytest.fixture
def hoa_mai(business_user):
    return business_user.business_memberships.get().business


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("8934588012228", "08934588012228"),
        ("96385074", "00000096385074"),
        ("036000291452", "00036000291452"),
        ("18934588012225", "18934588012225"),
        ("893 4588 012228", "08934588012228"),
    ],
)
def test_gtins_of_every_length_are_kept_as_14_digits(given, stored):
    assert services.clean_gtin(given) == stored


@pytest.mark.parametrize("bad", ["8934588012227", "12345", "89345880122AB", ""])
def test_a_wrong_check_digit_or_length_is_refused(bad):
    with pytest.raises(ValueError):
        services.clean_gtin(bad)


@pytest.mark.parametrize(
    ("category", "number", "warns"),
    [
        ("drugs", "VD-12345-19", False),
        ("drugs", "VN-2345-21", False),
        ("drugs", "893110123423", False),
        ("drugs", "12345", True),
        ("drugs", "", True),
        ("cosmetics", "123456/24/CBMP-QLD", False),
        ("cosmetics", "12/22/CBMP-HCM", False),
        ("cosmetics", "CBMP 123", True),
        ("functional_food", "1234/2023/ĐKSP", False),
        ("functional_food", "1234/ĐKSP", True),
        ("milk", "", True),
        ("milk", "01/2024/HM", False),
        ("electronics", "", False),
    ],
)
def test_registration_numbers_are_checked_against_their_category(category, number, warns):
    assert bool(services.registration_warning(category, number)) is warns


def test_import_creates_products_with_warnings_never_refusals(tmp_path, hoa_mai):
    code, out, err = _run(tmp_path, _csv(ROWS))
    assert code == 0, err
    assert Product.objects.count() == 4
    milk = Product.objects.get(gtin="08934588012228")
    assert milk.reference_price_vnd == 8500 and milk.owner == hoa_mai and milk.category.code == "milk"
    assert milk.registration_warning  # milk needs a declaration number
    assert Product.objects.get(gtin="08936012345674").registration_warning == ""
    assert Product.objects.get(gtin="08936012345681").registration_warning
    assert "Cảnh báo — Dòng 2, cột registration_no" in out and "Dòng 4, cột registration_no" in out
    event = AuditEvent.objects.get(action="goods.products_imported")
    assert event.changes["created"] == 4


def test_importing_again_is_idempotent_and_updates_what_changed(tmp_path, hoa_mai):
    _run(tmp_path, _csv(ROWS))
    code, out, _err = _run(tmp_path, _csv(ROWS))
    assert code == 0 and "0 sản phẩm mới, 0 cập nhật, 4 không đổi" in out
    rows = [list(r) for r in ROWS]
    rows[0][6] = "9.000"
    code, out, _err = _run(tmp_path, _csv(rows))
    assert "1 cập nhật" in out
    assert Product.objects.get(gtin="08934588012228").reference_price_vnd == 9000


def test_a_file_with_errors_writes_nothing_and_names_each_line(tmp_path, hoa_mai):
    rows = [
        ROWS[0],
        ["8934588012227", "Sai số kiểm tra", "", "milk", "0100233488", "", ""],
        ["8936012345674", "", "", "khong_co", "0100233488", "", "1.5"],
        ["96385074", "Kẹo", "", "food", "4000000014", "", ""],
        ["8934588012228", "Trùng", "", "milk", "0100233488", "", ""],
    ]
    code, _out, err = _run(tmp_path, _csv(rows))
    assert code == 1
    assert "Dòng 3, cột gtin" in err and "số kiểm tra" in err
    assert "Dòng 4, cột name" in err and "Dòng 4, cột category" in err
    assert "Dòng 4, cột reference_price_vnd" in err
    assert "Dòng 5, cột owner_tax_code" in err
    assert "Dòng 6, cột gtin: trùng với dòng 2" in err
    assert not Product.objects.exists()


def test_the_columns_are_checked(tmp_path, hoa_mai):
    code, _out, err = _run(tmp_path, _csv([["8934588012228"]], header=("gtin",)))
    assert code == 1 and "Dòng 1, cột name: thiếu cột bắt buộc" in err


def test_a_gtin_of_another_business_is_not_taken_over(tmp_path, hoa_mai):
    make_business("4000000014", "Công ty Sen")
    _run(tmp_path, _csv(ROWS[:1]))
    rows = [["8934588012228", "Sữa", "", "milk", "4000000014", "", ""]]
    code, _out, err = _run(tmp_path, _csv(rows))
    assert code == 1 and "doanh nghiệp khác" in err
    assert Product.objects.get().owner == hoa_mai


def test_a_business_user_imports_through_the_api_for_their_own_business_only(business_user, client, hoa_mai):
    from canhgiac.accounts import services as accounts

    make_business("4000000014", "Công ty Sen")
    _token, raw = accounts.issue_token(business_user, "ERP")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    upload = io.BytesIO(_csv(ROWS[:2]))
    upload.name = "products.csv"
    response = client.post("/api/v1/goods/products/import", {"file": upload}, **auth)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    other = io.BytesIO(_csv([["96385074", "Kẹo", "", "food", "4000000014", "", ""]]))
    other.name = "other.csv"
    response = client.post("/api/v1/goods/products/import", {"file": other}, **auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["line"] == 2
    assert response.json()["errors"][0]["column"] == "owner_tax_code"
    listed = client.get("/api/v1/goods/products", **auth).json()
    assert {p["gtin"] for p in listed} == {"08934588012228", "08936012345674"}


def test_the_business_area_upload_runs_as_a_job(
    business_user, signed_in, hoa_mai, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    client = signed_in(business_user)
    upload = io.BytesIO(_csv(ROWS))
    upload.name = "products.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/goods/products/import/", {"file": upload})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "4 sản phẩm mới" in page
    assert Product.objects.filter(owner=hoa_mai).count() == 4


def test_the_form_registers_a_product_with_a_vietnamese_price(business_user, signed_in, hoa_mai):
    client = signed_in(business_user)
    response = client.post(
        "/goods/products/new/",
        {
            "gtin": "8934588012228",
            "name": "Sữa tươi 180ml",
            "brand": "Hoa Mai",
            "category": GoodsCategory.objects.get(code="milk").pk,
            "owner": hoa_mai.pk,
            "registration_no": "",
            "reference_price_vnd": "8.500",
            "status": "on_sale",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    product = Product.objects.get()
    assert product.reference_price_vnd == 8500 and product.gtin == "08934588012228"
    assert AuditEvent.objects.filter(action="goods.product.create").exists()


def test_the_form_refuses_a_bad_gtin_on_the_field(business_user, signed_in, hoa_mai):
    response = signed_in(business_user).post(
        "/goods/products/new/",
        {
            "gtin": "8934588012227",
            "name": "Sữa",
            "category": GoodsCategory.objects.get(code="milk").pk,
            "owner": hoa_mai.pk,
            "status": "on_sale",
        },
    )
    assert response.status_code == 200
    assert "số kiểm tra" in response.content.decode()
    assert not Product.objects.exists()


def test_the_resolver_answers_a_person_with_a_page_and_a_program_with_json(tmp_path, hoa_mai, client):
    _run(tmp_path, _csv(ROWS))
    page = client.get("/01/08934588012228/10/L2401")
    assert page.status_code == 200 and "Sữa tươi tiệt trùng 180ml" in page.content.decode()
    data = client.get("/01/08934588012228/10/L2401/21/ABC", HTTP_ACCEPT="application/json").json()
    assert data["element_string"] == "^010893458801222810L2401^21ABC"
    assert data["product"]["name"] == "Sữa tươi tiệt trùng 180ml"
    assert data["product"]["lot"] == "L2401" and data["product"]["serial"] == "ABC"
    assert data["product"]["owner"]["tax_code"] == "0100233488"
    unknown = client.get("/01/08934588012235", HTTP_ACCEPT="application/json")
    assert unknown.status_code == 404 and unknown.json()["product"] is None
    assert client.get("/01/08934588012235").status_code == 404
    assert client.get("/01/08934588012227").status_code == 404  # bad check digit: not a DL


def test_the_public_lookup_leads_a_typed_gtin_to_its_page(client):
    response = client.get("/goods/lookup/", {"gtin": "893 4588 012228"})
    assert response.status_code == 302 and response["Location"] == "/01/08934588012228"
    page = client.get("/goods/lookup/", {"gtin": "8934588012227"})
    assert page.status_code == 200 and "số kiểm tra" in page.content.decode()
    assert "/goods/lookup/" in client.get("/").content.decode()  # linked from the portal
