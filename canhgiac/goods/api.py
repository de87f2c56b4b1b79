"""The goods API at /api/v1/goods: the product registry (scoped by the policy: officers see their
province's products, business users their own) and the public Digital Link parser."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from canhgiac.api import ApiError
from canhgiac.core import policy
from canhgiac.core.policy import visible_to
from canhgiac.goods import digital_link, services
from canhgiac.goods.epcis.api import router as epcis_router
from canhgiac.goods.models import Product

router = Router(tags=["goods"])
extra_routers = [("/epcis", epcis_router)]  # EPCIS 2.0 capture and query (goods/epcis/api.py)
MAX_URI = 2000


class AIOut(Schema):
    ai: str
    value: str


class DigitalLinkOut(Schema):
    element_string: str
    ais: list[AIOut]


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []


@router.get("/digital-link", response={200: DigitalLinkOut, 422: ErrorOut}, auth=None)
def parse_digital_link(request, uri: str):
    """Parse a GS1 Digital Link URI into its GS1 element string (`^` = FNC1) and AIs. Public."""
    if len(uri) > MAX_URI:
        return Status(
            422,
            {
                "detail": _("URI dài quá %(n)s ký tự.") % {"n": MAX_URI},
                "errors": [{"field": "uri", "message": _("quá dài")}],
            },
        )
    try:
        link = digital_link.parse(uri)
    except digital_link.DigitalLinkError as exc:
        return Status(422, {"detail": str(exc), "errors": [{"field": "uri", "message": str(exc)}]})
    return Status(200, {"element_string": link.element_string, "ais": link.ais_list()})


class ProductOut(Schema):
    id: int
    gtin: str
    name: str
    brand: str
    category: str
    owner_tax_code: str
    owner_name: str
    registration_no: str
    registration_warning: str
    reference_price_vnd: int | None
    status: str


def _out(p: Product) -> dict:
    return {
        "id": p.pk,
        "gtin": p.gtin,
        "name": p.name,
        "brand": p.brand,
        "category": p.category.code,
        "owner_tax_code": p.owner.tax_code,
        "owner_name": p.owner.name,
        "registration_no": p.registration_no,
        "registration_warning": p.registration_warning,
        "reference_price_vnd": p.reference_price_vnd,
        "status": p.status,
    }


@router.get("/products", response=list[ProductOut])
def list_products(request, q: str = "", limit: int = 100, offset: int = 0):
    """Products the caller may see (officers: their province; business users: their own)."""
    if not policy.can(request.user, "goods.list_products"):
        raise PermissionDenied
    products = visible_to(request.user, Product.objects.select_related("owner", "category"))
    if q:
        from canhgiac.core.text import fold

        products = products.filter(name_folded__contains=fold(q))
    limit = max(1, min(limit, 500))
    return [_out(p) for p in products.order_by("pk")[max(offset, 0) : max(offset, 0) + limit]]


class ImportOut(Schema):
    """The import's answer; a request refused before any line is read (no file) answers 422 with
    the API's usual `detail` and `errors` only, hence the defaults."""

    detail: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[dict] = []
    errors: list[dict] = []


@router.post("/products/import", response={200: ImportOut, 422: ImportOut})
def import_products(request, file: File[UploadedFile] = None):
    """The same import as `canhgiac import-products` (columns gtin, name, brand, category,
    owner_tax_code, registration_no, reference_price_vnd): all or nothing, 422 with every
    line's errors. Synchronous: the API caller waits for its answer (one file, at most 50,000 rows)."""
    if not policy.can(request.user, "goods.import_products"):
        raise PermissionDenied
    if file is None:
        message = _("Gửi tệp CSV hoặc XLSX trong trường “file” (multipart/form-data).")
        raise ApiError(422, message, [{"field": "file", "message": message}])
    with transaction.atomic():
        result = services.import_products(request.user, file.read(), file.name or "products.csv")
    return Status(200 if result.ok else 422, result.as_dict())


@router.get("/products/{gtin}", response=ProductOut)
def get_product(request, gtin: str):
    try:
        gtin14 = services.clean_gtin(gtin)
    except ValueError as exc:
        raise ApiError(422, str(exc), [{"field": "gtin", "message": str(exc)}])
    products = visible_to(request.user, Product.objects.select_related("owner", "category"))
    return _out(get_object_or_404(products, gtin=gtin14))
