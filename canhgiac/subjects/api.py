"""/api/v1/subjects: a resolved entity as the caller may know it, and the review queue."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from canhgiac.api import ApiError
from canhgiac.audit import services as audit
from canhgiac.core import policy
from canhgiac.subjects import services
from canhgiac.subjects.models import Entity
from canhgiac.subjects.network.api import router as network_router
from canhgiac.subjects.resolution import model as er

prefix = "/subjects"
router = Router(tags=["subjects"])
# links and networks (subjects.network.api) share the prefix
router.add_router("", network_router)


def record_out(record) -> dict:
    return {
        "id": record.pk,
        "agency": record.recorded_by_agency.code if record.recorded_by_agency else None,
        "source_ref": record.source_ref,
        "kind": record.kind,
        "name": record.name,
        "birth_date": record.birth_date,
        "birth_year": record.birth_year,
        "address": record.address,
        "unit_code": record.unit.code if record.unit else None,
        "identifiers": [{"scheme": i.scheme, "value": i.value} for i in record.identifiers.all()],
    }


def _reasons(reasons) -> list[dict]:
    return [{"code": code, "text": er.reason_text(code), "weight": weight} for code, weight in reasons]


@router.get("/entities/{int:entity_id}")
def get_entity(request, entity_id: int):
    """The entity's records the caller may see, why they were joined, and for records the caller
    may not see only the holding agencies' contacts."""
    entity = get_object_or_404(policy.visible_to(request.user, Entity.objects.all()), pk=entity_id)
    page = services.entity_page(request.user, entity, with_online=False)
    audit.record("subjects.entity_viewed", obj=entity, changes={"via": "api"})
    return {
        "id": entity.pk,
        "kind": entity.kind,
        "records": [record_out(r) for r in page["records"]],
        "pairs": [
            {"left": p["left"], "right": p["right"], "probability": p["probability"], "reasons": p["reasons"]}
            for p in page["pairs"]
        ],
        "holders": page["holders"],
        "cases": [
            {"reference": link.case.reference, "subject": link.subject_id, "role": link.role}
            for link in page["links"]
        ],
    }


@router.get("/review")
def list_review(request):
    """Pairs waiting for review whose two records the caller may both see."""
    policy.require(request.user, "subjects.review")
    return [
        {
            "left": record_out(pair.left),
            "right": record_out(pair.right),
            "probability": pair.probability,
            "reasons": _reasons(pair.reasons),
        }
        for pair in services.review_queue(request.user).prefetch_related(
            "left__identifiers", "right__identifiers"
        )
    ]


class DecisionIn(Schema):
    left: int
    right: int
    decision: str
    note: str = ""


@router.post("/review")
def decide(request, payload: DecisionIn):
    """Answer a pair: yes (same), no (not the same) or unsure; applied at once, reversible."""
    try:
        decision = services.decide(request.user, payload.left, payload.right, payload.decision, payload.note)
    except (OverflowError, ValueError):
        raise ApiError(422, "Dữ liệu không hợp lệ.", [{"field": "left", "message": "Mã hồ sơ không hợp lệ."}])
    return {"left": decision.left_id, "right": decision.right_id, "decision": decision.decision}
