"""/api/v1/subjects: a subject's network (with server-computed positions), the ranked list
"cần chú ý", and recording a relation. Mounted by subjects/api.py."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from canhgiac.api import ApiError
from canhgiac.audit import services as audit
from canhgiac.core import policy
from canhgiac.subjects.models import Subject
from canhgiac.subjects.network import services

router = Router(tags=["subjects"])


class NetworkQuery(Schema):
    hops: int = Field(2, ge=1, le=services.MAX_HOPS)
    types: list[str] = Field(default_factory=list, description="Loại liên kết; bỏ trống: tất cả")
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class AttentionQuery(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unit: str | None = Field(None, max_length=20, description="Mã xã, phường")
    goods: str | None = Field(None, max_length=60, description="Mã nhóm hàng")
    limit: int = Field(100, ge=1, le=500)


class RelationIn(Schema):
    subject: int = Field(..., ge=1, le=2**62)
    other: int = Field(..., ge=1, le=2**62)
    kind: str = Field(..., max_length=20)
    detail: str = Field("", max_length=120)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    source: str = Field(..., max_length=10)
    case: str = Field("", max_length=30, description="Mã hoặc số hiệu vụ việc nguồn")
    source_ref: str = Field("", max_length=120)
    visibility: str = Field("own", max_length=5)
    agency: str = Field("", max_length=40, description="Mã cơ quan ghi nhận; bỏ trống: cơ quan của bạn")


def _window(date_from, date_to):
    if date_from and date_to and date_to < date_from:
        raise ApiError(
            422,
            "Dữ liệu không hợp lệ.",
            [{"field": "date_to", "message": "Đến ngày phải sau hoặc bằng từ ngày."}],
        )


@router.get("/{subject_id}/network", url_name="subject_network")
def subject_network(request, subject_id: int, filters: Query[NetworkQuery]):
    """The network of a subject, 1–3 hops: nodes (subjects, cases, shared keys, and one placeholder
    per agency holding records the caller may not see) with positions, and links."""
    if subject_id < 1 or subject_id > 2**62:
        raise ApiError(404, "Không tìm thấy.")
    subject = get_object_or_404(policy.visible_to(request.user, Subject.objects.all()), pk=subject_id)
    unknown = [t for t in filters.types if t not in services.LINK_TYPES]
    if unknown:
        raise ApiError(
            422,
            "Dữ liệu không hợp lệ.",
            [{"field": "types", "message": f"Loại liên kết không có: {', '.join(unknown)[:200]}"}],
        )
    _window(filters.date_from, filters.date_to)
    net = services.build(
        request.user,
        subject,
        hops=filters.hops,
        types=filters.types or None,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    audit.record(
        "subjects.network_viewed", obj=subject, changes={"hops": filters.hops, "nodes": len(net.nodes)}
    )
    data = services.with_layout(net)
    data["types"] = {k: str(v) for k, v in services.LINK_TYPES.items()}
    return data


@router.get("/attention", url_name="subject_attention")
def subject_attention(request, filters: Query[AttentionQuery]):
    """The ranked list "cần chú ý": subjects with their score and reasons in Vietnamese."""
    policy.require(request.user, "subjects.attention")
    _window(filters.date_from, filters.date_to)
    entries = services.attention(
        request.user,
        date_from=filters.date_from,
        date_to=filters.date_to,
        unit_code=filters.unit or None,
        goods=filters.goods or None,
        limit=filters.limit,
    )
    audit.record(
        "subjects.attention_viewed",
        object_type="subjects.subject",
        object_repr="",
        changes={"results": len(entries)},
    )
    return {
        "results": [
            {
                "id": e.record_id,
                "name": e.name,
                "kind": e.kind,
                "agency": e.agency,
                "score": e.score,
                "reasons": [{"code": r.code, "text": r.text, "points": r.points} for r in e.reasons],
            }
            for e in entries
        ]
    }


class RelationChange(Schema):
    """A relation's new kind, description, dates, source and sharing; its two subjects and its
    agency stay (another pair is another relation)."""

    kind: str = Field(..., max_length=20)
    detail: str = Field("", max_length=120)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    source: str = Field(..., max_length=10)
    case: str = Field("", max_length=30, description="Mã hoặc số hiệu vụ việc nguồn")
    source_ref: str = Field("", max_length=120)
    visibility: str = Field("own", max_length=5)


def relation_out(relation) -> dict:
    return {
        "id": relation.pk,
        "subject": relation.subject_id,
        "other": relation.other_id,
        "kind": relation.kind,
        "detail": relation.detail,
        "start_date": relation.start_date.isoformat() if relation.start_date else None,
        "end_date": relation.end_date.isoformat() if relation.end_date else None,
        "source": relation.source,
        "case": relation.case.reference if relation.case_id else None,
        "source_ref": relation.source_ref,
        "visibility": relation.visibility,
        "agency": relation.recorded_by_agency.code,
    }


def _relation_id(relation_id: int) -> int:
    if relation_id < 1 or relation_id > 2**62:
        raise ApiError(404, "Không tìm thấy.")
    return relation_id


@router.put("/relations/{int:relation_id}", url_name="relation")
def update_relation(request, relation_id: int, payload: RelationChange):
    """Change a relation the caller may see and may record for its agency (audited, before and
    after); 422 names each bad field, 404 when the caller may not see it."""
    relation = services.update_relation(request.user, _relation_id(relation_id), payload.dict())
    return relation_out(relation)


@router.delete("/relations/{int:relation_id}", url_name="relation_delete", response={204: None})
def delete_relation(request, relation_id: int):
    """Delete a relation the caller may see and may record for its agency (audited)."""
    services.delete_relation(request.user, _relation_id(relation_id))
    return Status(204, None)


@router.post("/relations", url_name="create_relation", response={201: dict})
def create_relation(request, payload: RelationIn):
    """Record a relation between two subjects the caller may see (422 names each bad field)."""
    relation = services.add_relation(request.user, payload.dict())
    return Status(
        201,
        {
            "id": relation.pk,
            "subject": relation.subject_id,
            "other": relation.other_id,
            "kind": relation.kind,
            "source": relation.source,
            "visibility": relation.visibility,
            "agency": relation.recorded_by_agency.code,
        },
    )
