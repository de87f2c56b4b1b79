from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from canhgiac.core.policy import visible_to
from canhgiac.directory import services
from canhgiac.directory.models import AdministrativeUnit, Agency, Field, GoodsCategory, ViolationType

router = Router(tags=["directory"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
    border: bool


class AgencyOut(Schema):
    code: str
    key: str
    name: str
    short_name: str
    kind: str
    unit_code: str | None
    hotline: str
    email: str
    is_standing_office: bool


class ReferenceOut(Schema):
    code: str
    name: str
    name_en: str


class GoodsCategoryOut(ReferenceOut):
    field: str
    high_risk: bool


class LeadOut(Schema):
    unit_code: str
    field: str | None
    lead: AgencyOut
    coordinating: list[AgencyOut]


def _agency(a: Agency) -> dict:
    return {
        "code": a.code,
        "key": a.key,
        "name": a.name,
        "short_name": a.short_name,
        "kind": a.kind,
        "unit_code": a.unit.code if a.unit_id else None,
        "hotline": a.hotline,
        "email": a.email,
        "is_standing_office": a.is_standing_office,
    }


@router.get("/units", response=list[UnitOut])
def list_units(request, province: str | None = None):
    qs = visible_to(request.user, AdministrativeUnit.objects.select_related("parent"))
    if province:
        qs = qs.filter(parent__codename=province) | qs.filter(codename=province, parent=None)
    return [
        {
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "parent_code": u.parent.code if u.parent_id else None,
            "border": u.border,
        }
        for u in qs.order_by("code")
    ]


@router.get("/agencies", response=list[AgencyOut])
def list_agencies(request):
    return [
        _agency(a)
        for a in visible_to(request.user, Agency.objects.filter(is_active=True).select_related("unit"))
    ]


@router.get("/fields", response=list[ReferenceOut])
def list_fields(request):
    return list(visible_to(request.user, Field.objects.all()).values("code", "name", "name_en"))


@router.get("/goods-categories", response=list[GoodsCategoryOut])
def list_goods_categories(request):
    return [
        {
            "code": g.code,
            "name": g.name,
            "name_en": g.name_en,
            "field": g.field.code,
            "high_risk": g.high_risk,
        }
        for g in visible_to(request.user, GoodsCategory.objects.select_related("field"))
    ]


@router.get("/violation-types", response=list[ReferenceOut])
def list_violation_types(request):
    return list(visible_to(request.user, ViolationType.objects.all()).values("code", "name", "name_en"))


@router.get("/lead-agency", response=LeadOut)
def lead_agency(request, unit: str, field: str | None = None):
    """Who leads `field` in `unit` (commune override first, then the province row)."""
    unit_obj = get_object_or_404(visible_to(request.user, AdministrativeUnit.objects.all()), code=unit)
    field_obj = Field.objects.filter(code=field).first() if field else None
    return {
        "unit_code": unit_obj.code,
        "field": field_obj.code if field_obj else None,
        "lead": _agency(services.lead_agency(unit_obj, field_obj)),
        "coordinating": [_agency(a) for a in services.coordinating_agencies(unit_obj, field_obj)],
    }
