"""The product registry (issue 13, item 2): GTINs checked, registration numbers checked against the
formats known for their category (a warning, never a refusal), the import `canhgiac
import-products FILE` and the same from the business area and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import ean
from stdnum.exceptions import ValidationError as NumberInvalid

from canhgiac.audit import services as audit
from canhgiac.core import policy
from canhgiac.core.errors import Errors
from canhgiac.core.numbers import NumberError, parse_vn_int
from canhgiac.core.tabular import ImportResult, RowError, read_import
from canhgiac.directory.models import GoodsCategory
from canhgiac.goods.models import Business, Product

IMPORT_COLUMNS = (
    "gtin",
    "name",
    "brand",
    "category",
    "owner_tax_code",
    "registration_no",
    "reference_price_vnd",
)
MAX_ROWS = 50_000
MAX_PRICE = 10**13


def clean_gtin(value) -> str:
    """A GTIN-8, -12, -13 or -14 with its GS1 check digit verified, as 14 digits (zeros on the
    left, the form GS1 Digital Link uses). ValueError with a Vietnamese reason."""
    text = re.sub(r"[\s-]", "", str(value if value is not None else ""))
    if not text:
        raise ValueError(_("bắt buộc."))
    if not text.isdigit() or len(text) not in (8, 12, 13, 14):
        raise ValueError(_("“%(value)s”: mã GTIN gồm 8, 12, 13 hoặc 14 chữ số.") % {"value": str(value)[:40]})
    try:
        ean.validate(text)
    except NumberInvalid:
        raise ValueError(_("“%(value)s”: sai số kiểm tra GS1 (chữ số cuối).") % {"value": text}) from None
    return text.zfill(14)


def display_gtin(gtin14: str) -> str:
    """The GTIN as printed under the barcode: GTIN-13 (or -8) without the padding zeros."""
    if gtin14.startswith("000000") and len(gtin14) == 14:
        return gtin14[6:]
    return gtin14[1:] if gtin14.startswith("0") else gtin14


# Registration or declaration numbers the category requires, and their known formats.
REGISTRATION_FORMATS = {
    # Drugs: "VD-12345-19" (domestic), "VN-12345-19" (imported); since 2022 the Drug
    # Administration also issues 12-digit numbers ("893110123423").
    "drugs": (
        re.compile(r"^(V[DN]\d?-\d{1,7}-\d{2}|\d{12})$"),
        gettext_lazy("số đăng ký thuốc dạng VD-…-… / VN-…-… hoặc 12 chữ số"),
    ),
    # Cosmetics: the receipt number of the product notification, "123456/24/CBMP-QLD" (Drug
    # Administration) or a provincial Department of Health's "…/CBMP-HCM".
    "cosmetics": (
        re.compile(r"^\d{1,7}/\d{2}/CBMP-[A-ZĐ]{2,5}$"),
        gettext_lazy("số tiếp nhận phiếu công bố mỹ phẩm dạng …/…/CBMP-QLD"),
    ),
    # Health-protection food: the registration of the product declaration, "1234/2023/ĐKSP".
    "functional_food": (
        re.compile(r"^\d{1,7}/\d{4}/(ĐKSP|DKSP)$"),
        gettext_lazy("số đăng ký bản công bố sản phẩm dạng …/…/ĐKSP"),
    ),
}
# Categories that need a registration or declaration number whose format is not checked here.
REGISTRATION_REQUIRED = {"drugs", "cosmetics", "functional_food", "medical_devices", "milk"}


def registration_warning(category_code: str, number: str) -> str:
    """'' when the number fits its category; otherwise the warning to show (never a refusal)."""
    number = (number or "").strip()
    if not number:
        if category_code in REGISTRATION_REQUIRED:
            return _("Chưa có số đăng ký / số công bố, là giấy tờ bắt buộc với nhóm hàng này.")
        return ""
    known = REGISTRATION_FORMATS.get(category_code)
    if known and not known[0].match(number.upper().replace(" ", "")):
        return _("Số “%(number)s” không đúng dạng %(format)s; cần kiểm tra lại.") % {
            "number": number,
            "format": known[1],
        }
    return ""


def clean_price(value) -> int | None:
    try:
        price = parse_vn_int(value)
    except NumberError:
        raise ValueError(
            _("“%(value)s” không phải số tiền (đồng, ví dụ 125.000).") % {"value": str(value)[:40]}
        ) from None
    if price is not None and not 0 <= price < MAX_PRICE:
        raise ValueError(_("giá phải từ 0 đến dưới 10.000 tỷ đồng."))
    return price


# ---------------------------------------------------------------- one product


def save_product(user, product: Product | None, values: dict) -> Product:
    """Create (product None) or change a product from cleaned values: gtin, name, brand, category
    (a GoodsCategory), owner (a Business), registration_no, reference_price_vnd, status,
    distributors (Businesses), image (bytes already cleaned by core.photos, optional).
    Raises ServiceError (field → Vietnamese message); PermissionDenied by the policy."""
    errors = Errors()
    owner = values.get("owner") or (product.owner if product else None)
    if product is None:
        if owner is None:
            errors.add("owner", _("Chọn doanh nghiệp sở hữu sản phẩm."))
            errors.raise_if_any()
        policy.require(user, "add", Product, business=owner)
    else:
        policy.require(user, "change", product)
        if owner.pk != product.owner_id:
            policy.require(user, "add", Product, business=owner)
    try:
        gtin = clean_gtin(values.get("gtin"))
    except ValueError as exc:
        errors.add("gtin", str(exc))
        gtin = None
    if gtin and Product.objects.filter(gtin=gtin).exclude(pk=getattr(product, "pk", None)).exists():
        errors.add("gtin", _("Mã GTIN %(gtin)s đã được đăng ký.") % {"gtin": display_gtin(gtin)})
    name = (values.get("name") or "").strip()
    if not name:
        errors.add("name", _("Nhập tên sản phẩm."))
    category = values.get("category")
    if category is None:
        errors.add("category", _("Chọn nhóm hàng."))
    errors.raise_if_any()
    with transaction.atomic():
        product = product or Product()
        product.gtin = gtin
        product.name = name[:300]
        product.brand = (values.get("brand") or "").strip()[:200]
        product.category = category
        product.owner = owner
        product.registration_no = (values.get("registration_no") or "").strip()[:100]
        product.registration_warning = registration_warning(category.code, product.registration_no)
        product.reference_price_vnd = values.get("reference_price_vnd")
        product.status = values.get("status") or product.status or Product.Status.ON_SALE
        image = values.get("image")
        if image:
            from django.core.files.base import ContentFile

            data, _content_type, extension = image
            product.image.save(f"{gtin}{extension}", ContentFile(data), save=False)
        product.save()
        if "distributors" in values:
            product.distributors.set(values["distributors"] or [])
    return product


# ---------------------------------------------------------------- import


@dataclass
class ProductImportResult(ImportResult):
    """The products' import; `warnings`: rows kept with a remark (a registration number that is
    blank or does not match the known format)."""

    warnings: list[RowError] = field(default_factory=list)


def import_products(user, data: bytes, filename: str) -> ProductImportResult:
    """Check the whole file, then create or update every product in one transaction, or write
    nothing. Rows are matched by GTIN (idempotent: importing the same file again changes
    nothing). `user` None is the command line (any business); a business user may import only
    the products of their own businesses, a coordinator those of their province's businesses."""
    result = ProductImportResult()
    table = read_import(
        data,
        filename,
        required=("gtin", "name", "category", "owner_tax_code"),
        known=IMPORT_COLUMNS,
        max_rows=MAX_ROWS,
    )
    result.rows = len(table.rows)
    if table.errors:
        result.errors = table.errors
        return result
    categories = {c.code: c for c in GoodsCategory.objects.all()}
    businesses = {b.tax_code: b for b in Business.objects.filter(is_active=True).select_related("province")}
    plan, seen = [], {}
    for row in table.rows:
        line, get = row.line, row.value

        def err(column, message, _line=line):
            result.errors.append(RowError(_line, column, message))

        try:
            gtin = clean_gtin(get("gtin"))
        except ValueError as exc:
            err("gtin", str(exc))
            gtin = None
        if gtin and gtin in seen:
            err("gtin", _("trùng với dòng %(line)s.") % {"line": seen[gtin]})
        elif gtin:
            seen[gtin] = line
        name = str(get("name") or "")
        if not name:
            err("name", _("bắt buộc."))
        elif len(name) > 300:
            err("name", _("dài quá 300 ký tự."))
        brand = str(get("brand") or "")
        if len(brand) > 200:
            err("brand", _("dài quá 200 ký tự."))
        category = categories.get(str(get("category") or "").lower())
        if category is None:
            err(
                "category",
                _("không có nhóm hàng mã “%(code)s” (xem danh mục nhóm hàng).") % {"code": get("category")},
            )
        owner = None
        try:
            from canhgiac.goods.businesses import clean_tax_code

            tax_code = clean_tax_code(get("owner_tax_code"))
            owner = businesses.get(tax_code)
            if owner is None:
                err("owner_tax_code", _("chưa có doanh nghiệp mã số thuế %(code)s.") % {"code": tax_code})
        except ValueError as exc:
            err("owner_tax_code", str(exc))
        if owner is not None and user is not None and not policy.can(user, "add", Product, business=owner):
            err("owner_tax_code", _("bạn không được đăng ký sản phẩm cho doanh nghiệp này."))
            owner = None
        registration_no = str(get("registration_no") or "")[:100]
        try:
            price = clean_price(get("reference_price_vnd"))
        except ValueError as exc:
            err("reference_price_vnd", str(exc))
            price = None
        if gtin and category and owner:
            warning = registration_warning(category.code, registration_no)
            if warning:
                result.warnings.append(RowError(line, "registration_no", warning))
            plan.append(
                (
                    line,
                    gtin,
                    {
                        "name": name,
                        "brand": brand,
                        "category": category,
                        "owner": owner,
                        "registration_no": registration_no,
                        "registration_warning": warning,
                        "reference_price_vnd": price,
                    },
                )
            )
    existing = {p.gtin: p for p in Product.objects.filter(gtin__in=list(seen))}
    for line, gtin, values in plan:
        product = existing.get(gtin)
        if product is not None and product.owner_id != values["owner"].pk:
            result.errors.append(
                RowError(line, "gtin", _("mã GTIN này đã được đăng ký cho doanh nghiệp khác."))
            )
    if result.errors:
        result.errors.sort(key=lambda e: e.line)
        result.warnings = []
        return result
    with transaction.atomic():
        for _line, gtin, values in plan:
            product = existing.get(gtin)
            if product is None:
                Product.objects.create(gtin=gtin, **values)
                result.created += 1
            elif any(getattr(product, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(product, key, value)
                product.save()
                result.updated += 1
            else:
                result.unchanged += 1
        audit.record(
            "goods.products_imported",
            object_type="goods.product",
            object_repr=Path(filename).name[:200],
            changes={
                "file": Path(filename).name,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "warnings": len(result.warnings),
            },
        )
    return result
