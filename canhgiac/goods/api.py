"""The goods API at /api/v1/goods: the product registry (scoped by the policy: officers see their
province's products, business users their own) and the public Digital Link parser."""

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from canhgiac.api import ApiError
from canhgiac.core import policy
from canhgiac.core.errors import field_errors
from canhgiac.core.policy import visible_to
from canhgiac.goods import codes, digital_link, services
from canhgiac.goods.epcis.api import router as epcis_router
from canhgiac.goods.models import Business, CodeBatch, Product, Recall

# Mounted at /api/v1 (prefix ""): the goods endpoints under /goods, the public check at /verify.
prefix = ""
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


@router.get("/goods/digital-link", response={200: DigitalLinkOut, 422: ErrorOut}, auth=None)
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


@router.get("/goods/products", response=list[ProductOut])
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


@router.post("/goods/products/import", response={200: ImportOut, 422: ImportOut})
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


@router.get("/goods/products/{gtin}", response=ProductOut)
def get_product(request, gtin: str):
    try:
        gtin14 = services.clean_gtin(gtin)
    except ValueError as exc:
        raise ApiError(422, str(exc), [{"field": "gtin", "message": str(exc)}])
    products = visible_to(request.user, Product.objects.select_related("owner", "category"))
    return _out(get_object_or_404(products, gtin=gtin14))


# --- signed codes and the public check (items 4, 5) ------------------------------------------------


class JwkOut(Schema):
    kty: str
    crv: str
    alg: str
    use: str
    kid: str
    x: str
    status: str
    province: str
    created_at: str


class RevokedOut(Schema):
    kid: str
    revoked_at: str | None


class JwksOut(Schema):
    keys: list[JwkOut]
    revoked: list[RevokedOut]


@router.get("/goods/keys", response={200: JwksOut}, auth=None)
def signing_keys(request):
    """The provinces' public keys as a JWK set (Ed25519, `kid`): active and retired keys verify
    codes; revoked keys are listed by kid only. docs/goods.md says which bytes are signed."""
    from canhgiac.goods import signing

    return Status(200, signing.jwks())


class ReasonOut(Schema):
    code: str
    text: str


class AdviceOut(Schema):
    text: str
    tip_url: str = ""
    hotline_url: str = ""


class CheckCodeOut(Schema):
    gtin: str
    lot: str
    serial: str


class DecommissionedOut(Schema):
    status: str
    status_name: str
    at: str | None
    unit: str
    unit_code: str


class VerifyOut(Schema):
    status: str
    status_name: str
    reasons: list[ReasonOut]
    product: dict | None
    business: dict | None
    code: CheckCodeOut | None
    decommissioned: DecommissionedOut | None
    recall: dict | None = None
    advice: AdviceOut
    checked_at: str


@router.get("/verify", response={200: VerifyOut, 422: ErrorOut}, auth=None, tags=["verify"])
def verify_code(request, code: str = "", unit_code: str = ""):
    """The public check of a signed code, a Digital Link or a GTIN. Always 200 with a `status`
    (authentic, suspicious, forged, recalled, decommissioned, registered, not_registered,
    unreadable); 422 only when `code` is missing or longer than 2000 characters."""
    from canhgiac.goods import verify

    if not code.strip():
        message = _("Thiếu mã cần kiểm tra (tham số “code”).")
        return Status(422, {"detail": message, "errors": [{"field": "code", "message": message}]})
    if len(code) > verify.MAX_CODE:
        message = _("Mã dài quá %(n)s ký tự.") % {"n": verify.MAX_CODE}
        return Status(422, {"detail": message, "errors": [{"field": "code", "message": message}]})
    return check_answer(code, unit_code)


def check_answer(code: str, unit_code: str) -> JsonResponse:
    """The 200 answer of a check whose `code` is 1..MAX_CODE characters: this endpoint's, and the
    one goods.middleware.PublicCheckMiddleware sends without going through ninja.
    verify.check builds it exactly in VerifyOut's shape (the tests hold it to the schema); it is
    sent as JSON directly, without validating it again on every check."""
    from canhgiac.goods import verify

    return JsonResponse(verify.check(code, unit_code[:20]), json_dumps_params={"ensure_ascii": False})


# --- recalls (issue 13, item 6) ------------------------------------------------------------------


class RecallOut(Schema):
    id: int
    gtin: str
    product_name: str
    lot: str
    reason: str
    agency: str
    issued_on: dt.date
    status: str
    lifted_on: dt.date | None
    lift_reason: str


class RecallIn(Schema):
    gtin: str
    lot: str = ""
    reason: str
    issued_on: dt.date | None = None


def _recall_out(r: Recall) -> dict:
    return {
        "id": r.pk,
        "gtin": r.product.gtin,
        "product_name": r.product.name,
        "lot": r.lot,
        "reason": r.reason,
        "agency": r.agency.code,
        "issued_on": r.issued_on,
        "status": r.status,
        "lifted_on": r.lifted_on,
        "lift_reason": r.lift_reason,
    }


@router.get("/goods/recalls", response=list[RecallOut])
def list_recalls(request, gtin: str = "", status: str = "", limit: int = 100, offset: int = 0):
    """Recalls the caller may see (every active one; lifted ones of their province or business),
    newest first; `gtin` and `status` (active, lifted) narrow the list."""
    if not policy.can(request.user, "goods.list_products"):
        raise PermissionDenied
    recalls = visible_to(request.user, Recall.objects.select_related("product", "agency"))
    if gtin:
        try:
            recalls = recalls.filter(product__gtin=services.clean_gtin(gtin))
        except ValueError as exc:
            raise ApiError(422, str(exc), [{"field": "gtin", "message": str(exc)}])
    if status:
        if status not in Recall.Status.values:
            message = _("Trạng thái phải là một trong: %(values)s.") % {
                "values": ", ".join(Recall.Status.values)
            }
            raise ApiError(422, message, [{"field": "status", "message": message}])
        recalls = recalls.filter(status=status)
    limit, offset = max(1, min(limit, 500)), max(offset, 0)
    return [_recall_out(r) for r in recalls.order_by("-issued_on", "-id")[offset : offset + limit]]


@router.post("/goods/recalls", response={201: RecallOut, 422: ErrorOut})
def create_recall(request, payload: RecallIn):
    """Record a recall of a product (`lot` blank) or of one lot: officers and leaders of the lead
    agency of the product's field. Recording the same active recall again answers the existing one."""
    if not policy.can(request.user, "add", Recall):
        raise PermissionDenied
    try:
        gtin14 = services.clean_gtin(payload.gtin)
    except ValueError as exc:
        raise ApiError(422, str(exc), [{"field": "gtin", "message": str(exc)}])
    product = (
        visible_to(request.user, Product.objects.select_related("owner", "category"))
        .filter(gtin=gtin14)
        .first()
    )
    if product is None:
        message = _("Không có sản phẩm đã đăng ký mang mã GTIN này.")
        raise ApiError(422, message, [{"field": "gtin", "message": message}])
    recall = services.record_recall(
        request.user, product, lot=payload.lot, reason=payload.reason, issued_on=payload.issued_on
    )
    recall = Recall.objects.select_related("product", "agency").get(pk=recall.pk)
    return Status(201, _recall_out(recall))


# --- code batches and marks for businesses' systems (token or session) -----------------------------


class CodeBatchIn(Schema):
    gtin: str
    lot: str
    count: int


class CodeBatchOut(Schema):
    id: int
    gtin: str
    product_name: str
    lot: str
    count: int
    status: str
    message: str
    key_id: str | None
    issued_at: dt.datetime | None
    created_at: dt.datetime
    job_id: str
    job_url: str | None
    codes_url: str | None
    counts: dict[str, int]


class CodeBatchStarted(Schema):
    id: int
    status: str
    job_id: str
    url: str
    batch_url: str


class MarkItemIn(Schema):
    code: str | None = None
    serial: str | None = None
    state: str
    when: dt.datetime | None = None
    where: str | None = None


class MarkIn(Schema):
    items: list[MarkItemIn]


class MarkOut(Schema):
    marked: int


def _batches(user):
    return visible_to(user, CodeBatch.objects.select_related("product", "business", "key"))


def _batch_out(batch: CodeBatch, counts: dict | None = None) -> dict:
    issued = batch.status == CodeBatch.Status.ISSUED
    return {
        "id": batch.pk,
        "gtin": batch.product.gtin,
        "product_name": batch.product.name,
        "lot": batch.lot,
        "count": batch.count,
        "status": batch.status,
        "message": batch.message,
        "key_id": batch.key.kid if batch.key_id else None,
        "issued_at": batch.issued_at,
        "created_at": batch.created_at,
        "job_id": batch.job_id,
        "job_url": f"/api/v1/jobs/{batch.job_id}" if batch.job_id else None,
        "codes_url": f"/api/v1/goods/code-batches/{batch.pk}/codes.csv" if issued else None,
        "counts": counts if counts is not None else {},
    }


CODE_BATCH_ANSWERS = {
    "responses": {
        202: {"description": "Đã nhận yêu cầu: mã được cấp trong nền; theo dõi ở `url` (header Location)."},
    }
}


@router.post(
    "/goods/code-batches",
    response={202: CodeBatchStarted, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra=CODE_BATCH_ANSWERS,
)
def create_code_batch(request, response: HttpResponse, payload: CodeBatchIn):
    """Ask for a batch of signed codes for one of the caller's products and a lot (as the business
    area's page): 202 with the job's status URL (`GET /api/v1/jobs/{id}`); the batch is at
    `batch_url`. Another business's product is not found (404)."""
    if not policy.can(request.user, "goods.issue_codes"):
        raise PermissionDenied
    try:
        gtin14 = services.clean_gtin(payload.gtin)
    except ValueError as exc:
        raise ApiError(422, str(exc), [{"field": "gtin", "message": str(exc)}])
    products = visible_to(request.user, Product.objects.select_related("owner", "category"))
    product = get_object_or_404(products, gtin=gtin14)
    batch, job = codes.start_batch(request.user, product, payload.lot, payload.count)
    url = f"/api/v1/jobs/{job.pk}"
    response["Location"] = url
    return Status(
        202,
        {
            "id": batch.pk,
            "status": batch.status,
            "job_id": str(job.pk),
            "url": url,
            "batch_url": f"/api/v1/goods/code-batches/{batch.pk}",
        },
    )


@router.get("/goods/code-batches", response={200: list[CodeBatchOut], 403: ErrorOut})
def list_code_batches(request, limit: int = 100, offset: int = 0):
    """The caller's code batches, newest first (status; per-state counts only on one batch)."""
    if not policy.can(request.user, "goods.issue_codes"):
        raise PermissionDenied
    limit, offset = max(1, min(limit, 500)), max(offset, 0)
    return [_batch_out(b) for b in _batches(request.user).order_by("-pk")[offset : offset + limit]]


@router.get("/goods/code-batches/{batch_id}", response={200: CodeBatchOut, 404: ErrorOut})
def get_code_batch(request, batch_id: int):
    """One batch: status, key, and how many of its codes are active, sold, destroyed…"""
    batch = get_object_or_404(_batches(request.user), pk=batch_id)
    return _batch_out(batch, codes.batch_counts(batch))


@router.get(
    "/goods/code-batches/{batch_id}/codes.csv",
    response={200: None, 404: ErrorOut},
    openapi_extra={
        "responses": {
            200: {"description": "CSV `serial,code`", "content": {"text/csv": {"schema": {"type": "string"}}}}
        }
    },
)
def code_batch_csv(request, batch_id: int):
    """The batch's codes as CSV `serial,code` (the code is the text the QR carries); audited."""
    from canhgiac.audit import services as audit

    batch = get_object_or_404(_batches(request.user), pk=batch_id)
    if batch.status != CodeBatch.Status.ISSUED or not codes.batch_file(batch).exists():
        raise Http404
    audit.record("goods.codes_downloaded", obj=batch, changes={"format": "csv", "via": "api"})
    answer = FileResponse(
        codes.batch_file(batch).open("rb"),
        as_attachment=True,
        filename=f"ma-{batch.product.gtin}-{batch.lot}-{batch.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
    answer["Cache-Control"] = "private, no-store"
    return answer


_ITEM = re.compile(r"^items\[(\d+)\]")


@router.post("/goods/codes/mark", response={200: MarkOut, 403: ErrorOut, 422: ErrorOut})
def mark_codes(request, payload: MarkIn):
    """Mark the caller's codes sold, destroyed, stolen or expired, each item with its time (`when`)
    and commune (`where`, a unit code): all or nothing; 422 names the `index` of each bad item."""
    if not policy.can(request.user, "goods.mark_codes"):
        raise PermissionDenied
    business = Business.objects.filter(pk__in=policy.business_ids(request.user)).order_by("pk").first()
    if business is None:
        raise PermissionDenied
    try:
        marked = codes.mark_items(request.user, business, [item.dict() for item in payload.items])
    except ValidationError as exc:
        errors = []
        for error in field_errors(exc):
            found = _ITEM.match(error.get("field", ""))
            if found:
                error["index"] = int(found.group(1))
            errors.append(error)
        raise ApiError(422, _("Dữ liệu không hợp lệ."), errors) from None
    return {"marked": marked}
