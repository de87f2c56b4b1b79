"""/api/v1/cases: list (filtered, paginated), detail, create, update, and the figures."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from canhgiac.api import ApiError
from canhgiac.audit import services as audit
from canhgiac.cases import services
from canhgiac.cases.filtersets import CaseFilterSet
from canhgiac.cases.models import Case
from canhgiac.cases.schemas import CaseIn, CasePage
from canhgiac.core.policy import require, visible_to

prefix = "/cases"
router = Router(tags=["cases"])
MAX_PAGE_SIZE = 200


def case_out(case: Case) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "url": case.get_absolute_url(),
        "lead_agency": case.lead_agency.code,
        "agency_ref": case.agency_ref,
        "detected_on": case.detected_on,
        "unit_code": case.unit.code,
        "unit_name": case.unit.name,
        "violation_type": case.violation_type.code,
        "summary": case.summary,
        "status": case.status,
        "outcome": case.outcome,
        "goods_value_vnd": case.goods_value_vnd,
        "fine_vnd": case.fine_vnd,
        "budget_revenue_vnd": case.budget_revenue_vnd,
        "defendants": case.defendants,
        "visibility": case.visibility,
        "sensitive": case.sensitive,
        "signs_of_crime": case.signs_of_crime,
    }


def case_detail(case: Case) -> dict:
    data = case_out(case)
    data.update(
        {
            "address": case.address,
            "online_platform": case.online_platform,
            "online_url": case.online_url,
            "origin": case.origin,
            "decision_no": case.decision_no,
            "decision_date": case.decision_date,
            "issuing_body": case.issuing_body,
            "other_violation_types": [v.code for v in case.other_violation_types.all()],
            "participating": [a.code for a in case.participating_agencies.all()],
            "shared_with": [a.code for a in case.shared_with.all()],
            "goods": [
                {
                    "goods_category": g.goods_category.code,
                    "description": g.description,
                    "brand": g.brand,
                    "quantity": str(g.quantity) if g.quantity is not None else None,
                    "unit": g.unit,
                    "value_vnd": g.value_vnd,
                    "disposition": g.disposition,
                    "product_gtin": g.product.gtin if g.product_id else "",
                }
                for g in case.goods.select_related("goods_category", "product")
            ],
            "subjects": [
                {
                    "kind": link.subject.kind,
                    "name": link.subject.name,
                    "identifier": link.subject.identifier,
                    "role": link.role,
                }
                for link in case.subject_links.select_related("subject")
            ],
        }
    )
    return data


def _parse_day(value: str, field: str) -> dt.date:
    try:
        day = services.parse_date(value)
    except ValueError:
        day = None
    if day is None:
        raise ApiError(
            422,
            _("Dữ liệu không hợp lệ."),
            [{"field": field, "message": _("Ngày phải ở dạng YYYY-MM-DD hoặc dd/mm/yyyy.")}],
        )
    return day


@router.get("/summary")
def summary(
    request,
    date_from: str = Query("", alias="from"),
    date_to: str = Query("", alias="to"),
    agency: str | None = None,
    unit: str | None = None,
    province: str | None = None,
):
    """Figures of the cases visible to the caller (definitions: docs/cases.md); `province` (its
    code, e.g. 66) narrows them to one province (a national viewer's figures span them all);
    `online_split` gives the online against the other cases (cases.services.online_split)."""
    start, end = _parse_day(date_from, "from"), _parse_day(date_to, "to")
    if start > end:
        raise ApiError(
            422,
            _("Dữ liệu không hợp lệ."),
            [{"field": "from", "message": _("Ngày bắt đầu sau ngày kết thúc.")}],
        )
    filters = {"agency_code": agency, "unit_code": unit, "province_code": province}
    return {
        **services.summary(request.user, start, end, **filters),
        "online_split": services.online_split_compared(request.user, start, end, **filters),
    }


@router.get("/", response=CasePage)
def list_cases(request, page: int = Query(1, ge=1, le=1_000_000), page_size: int = 50):
    filterset = CaseFilterSet(request.GET, queryset=services.scoped_cases(request.user), user=request.user)
    if not filterset.is_valid():
        errors = [{"field": f, "message": str(m)} for f, ms in filterset.errors.items() for m in ms]
        raise ApiError(422, _("Bộ lọc không hợp lệ."), errors)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    qs = filterset.qs.select_related("lead_agency", "unit", "violation_type").order_by("-detected_on", "-id")
    rows = qs[(page - 1) * page_size : page * page_size]
    return {"count": qs.count(), "page": page, "page_size": page_size, "results": [case_out(c) for c in rows]}


def _get_visible(request, case_id) -> Case:
    qs = visible_to(request.user, Case.objects.select_related("lead_agency", "unit", "violation_type"))
    return get_object_or_404(qs, pk=case_id)


@router.get("/{int:case_id}")
def get_case(request, case_id: int):
    case = _get_visible(request, case_id)
    audit.record("cases.case_viewed", obj=case, changes={"via": "api"})
    return case_detail(case)


@router.post("/", response={201: dict})
def create(request, payload: CaseIn):
    data = payload.dict(exclude_unset=True)
    case = services.create_case(request.user, data)  # errors: canhgiac.api.on_service_error
    return Status(201, case_detail(case))


@router.patch("/{int:case_id}")
def update(request, case_id: int, payload: CaseIn):
    case = _get_visible(request, case_id)
    require(request.user, "change", case)
    case = services.update_case(request.user, case, payload.dict(exclude_unset=True))
    return case_detail(Case.objects.select_related("lead_agency", "unit", "violation_type").get(pk=case.pk))
