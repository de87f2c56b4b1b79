"""/api/v1/committee: communes without an active committee, bulletins and their read receipts,
a meeting's conclusions (entered and issued as plan tasks, as on the meeting's screen)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

try:  # django-ninja >= 1.5 wants Status(...) instead of a (status, body) tuple
    from ninja.responses import Status
except ImportError:  # pragma: no cover

    def Status(code, body):  # noqa: N802
        return code, body


from canhgiac.api import ApiError
from canhgiac.committee import services
from canhgiac.core import policy
from canhgiac.directory.services import agency_by_code

router = Router(tags=["committee"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str


class BulletinOut(Schema):
    id: int
    title: str
    issued_on: dt.date
    sender: str
    sent_to: int
    read: int
    unread_by_me: bool


class ReadOut(Schema):
    marked: int


class ConclusionIn(Schema):
    text: str
    lead: list[str]
    coordinating: list[str] = []
    due: str


class ConclusionOut(Schema):
    id: int
    order: int
    text: str
    lead: list[str]
    coordinating: list[str]
    due: dt.date
    task_id: int | None


class MeetingOut(Schema):
    id: int
    held_on: dt.date
    title: str
    chair: str
    committee: str
    plan_id: int | None
    conclusions: list[ConclusionOut]


class TaskOut(Schema):
    id: int
    code: str
    action: str
    due_date: dt.date | None
    lead: list[str]


class IssuedOut(Schema):
    plan_id: int
    tasks: list[TaskOut]


def _conclusion_out(c) -> dict:
    return {
        "id": c.pk,
        "order": c.order,
        "text": c.text,
        "lead": [a.code for a in c.lead.all()],
        "coordinating": [a.code for a in c.coordinating.all()],
        "due": c.due,
        "task_id": c.task_id_ref,
    }


def _meeting(request, meeting_id):
    return get_object_or_404(services.visible_meetings(request.user), pk=meeting_id)


@router.get("/communes-without-committee", response=list[UnitOut], url_name="committee_communes_without")
def communes_without_committee(request, province: str | None = None):
    """Communes and wards of the province (its code; default the user's) whose committee is not
    active: none recorded, no decision yet, or dissolved."""
    unit = services.province_of(request.user, province)
    if unit is None or (province and unit.code != province):
        raise ApiError(404, _("Không tìm thấy tỉnh."))
    return [
        {"code": u.code, "name": u.name, "kind": u.kind}
        for u in services.communes_without_committee(request.user, unit)
    ]


@router.get("/bulletins", response=list[BulletinOut], url_name="committee_bulletins")
def list_bulletins(request):
    """Bulletins the user reads (the Standing Office: all of its province's; others: those sent to
    their agencies), newest first, with how many recipients have read each."""
    unread = {r.bulletin_id for r in services.inbox(request.user)}
    return [
        {
            "id": b.pk,
            "title": b.title,
            "issued_on": b.issued_on,
            "sender": b.sender.code,
            "sent_to": b.sent_to,
            "read": b.read,
            "unread_by_me": b.pk in unread,
        }
        for b in services.visible_bulletins(request.user)[:500]
    ]


@router.post("/bulletins/{int:bulletin_id}/read", response=ReadOut, url_name="committee_bulletin_read")
def read_bulletin(request, bulletin_id: int):
    """Acknowledge a bulletin: the receipts of the user's agencies among its recipients are marked read."""
    bulletin = get_object_or_404(services.visible_bulletins(request.user), pk=bulletin_id)
    return {"marked": services.mark_read(request.user, bulletin)}


@router.get("/meetings/{int:meeting_id}", response=MeetingOut, url_name="committee_meeting")
def get_meeting(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    return {
        "id": meeting.pk,
        "held_on": meeting.held_on,
        "title": meeting.title,
        "chair": meeting.chair,
        "committee": meeting.committee.name,
        "plan_id": meeting.plan_id_ref,
        "conclusions": [
            _conclusion_out(c) for c in meeting.conclusions.prefetch_related("lead", "coordinating")
        ],
    }


@router.post(
    "/meetings/{int:meeting_id}/conclusions",
    response={201: ConclusionOut},
    url_name="committee_add_conclusion",
)
def add_conclusion(request, meeting_id: int, payload: ConclusionIn):
    """One conclusion: lead and coordinating agencies by short code (QLTT, CA, …) of the meeting's
    province, due as dd/mm/yyyy or YYYY-MM-DD."""
    meeting = _meeting(request, meeting_id)
    policy.require(request.user, "change", meeting)
    errors = []
    ids = {}
    for field in ("lead", "coordinating"):
        ids[field] = []
        for code in getattr(payload, field):
            agency = agency_by_code(code, meeting.province)
            if agency is None:
                errors.append(
                    {
                        "field": field,
                        "message": _("Không có cơ quan mã %(c)s trong tỉnh.") % {"c": repr(str(code)[:40])},
                    }
                )
            else:
                ids[field].append(agency.pk)
    if errors:
        raise ApiError(422, _("Dữ liệu không hợp lệ."), errors)
    conclusion = services.add_conclusion(
        request.user, meeting, {"text": payload.text, "due": payload.due, **ids}
    )
    return Status(201, _conclusion_out(conclusion))


@router.post("/meetings/{int:meeting_id}/issue", response=IssuedOut, url_name="committee_issue")
def issue(request, meeting_id: int):
    """Write the meeting's conclusions as tasks of a plan (the same plan on every call)."""
    meeting = _meeting(request, meeting_id)
    policy.require(request.user, "change", meeting)
    plan = services.issue_conclusions(request.user, meeting)
    tasks = plan.tasks.prefetch_related("lead_agencies").order_by("order")
    return {
        "plan_id": plan.pk,
        "tasks": [
            {
                "id": t.pk,
                "code": t.code,
                "action": t.action,
                "due_date": t.due_date,
                "lead": [a.code for a in t.lead_agencies.all()],
            }
            for t in tasks
        ],
    }
