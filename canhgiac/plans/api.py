"""/api/v1/plans: plans, tasks, checkpoints, progress updates, status figures."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

try:  # django-ninja >= 1.5 wants Status(...) instead of a (status, body) tuple
    from ninja.responses import Status
except ImportError:  # pragma: no cover

    def Status(code, body):  # noqa: N802
        return code, body


from canhgiac.api import ApiError
from canhgiac.directory.models import Agency
from canhgiac.plans import services
from canhgiac.plans.models import Checkpoint, Task, Update

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: int
    code: str
    title: str
    document_type: str
    document_number: str
    document_date: dt.date | None
    issuing_body: str
    province: str
    start: dt.date
    end: dt.date
    owner_agency: str
    parent_id: int | None
    agency: str | None
    issued: bool


class CheckpointOut(Schema):
    id: int
    due_date: dt.date
    period_start: dt.date | None
    status: str | None


class TaskOut(Schema):
    id: int
    plan_id: int
    group: str
    code: str
    parent: str | None
    action: str
    expected_output: str
    deadline_text: str
    schedule_kind: str
    due_date: dt.date | None
    lead_codes: list[str]
    lead_agencies: list[str]
    coordinating_codes: list[str]
    other_bodies: list[str]
    responsible_person: str
    needs_assignment: bool
    status: str | None
    next_due: dt.date | None


class TaskDetailOut(TaskOut):
    checkpoints: list[CheckpointOut]
    by_agency: dict[str, str | None]


class UpdateOut(Schema):
    id: int
    task_id: int
    checkpoint_id: int
    due_date: dt.date
    agency: str
    status: str
    percent: int
    narrative: str
    completed_on: dt.date | None
    reported_on: dt.date
    evidence_number: str
    evidence_date: dt.date | None
    has_evidence_file: bool


class StatusOut(Schema):
    done_on_time: int
    done_late: int
    in_progress: int
    overdue: int
    total: int
    as_of: dt.date


def _plan_out(p) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "title": p.title,
        "document_type": p.document_type,
        "document_number": p.document_number,
        "document_date": p.document_date,
        "issuing_body": p.issuing_body,
        "province": p.province.codename,
        "start": p.start,
        "end": p.end,
        "owner_agency": p.owner_agency.code,
        "parent_id": p.parent_id,
        "agency": p.agency.code if p.agency_id else None,
        "issued": p.is_issued,
    }


def _task_out(t: Task, s: services.TaskStatus) -> dict:
    return {
        "id": t.pk,
        "plan_id": t.plan_id,
        "group": t.group.code,
        "code": t.code,
        "parent": t.parent.code if t.parent_id else None,
        "action": t.action,
        "expected_output": t.expected_output,
        "deadline_text": t.deadline_text,
        "schedule_kind": t.schedule_kind,
        "due_date": t.due_date,
        "lead_codes": t.lead_codes,
        "lead_agencies": sorted(a.code for a in t.lead_agencies.all()),
        "coordinating_codes": t.coordinating_codes,
        "other_bodies": t.other_bodies,
        "responsible_person": t.responsible_person,
        "needs_assignment": t.needs_assignment,
        "status": s.status,
        "next_due": s.next_due,
    }


def _update_out(u: Update) -> dict:
    return {
        "id": u.pk,
        "task_id": u.checkpoint.task_id,
        "checkpoint_id": u.checkpoint_id,
        "due_date": u.checkpoint.due_date,
        "agency": u.agency.code,
        "status": u.status,
        "percent": u.percent,
        "narrative": u.narrative,
        "completed_on": u.completed_on,
        "reported_on": u.reported_on,
        "evidence_number": u.evidence_number,
        "evidence_date": u.evidence_date,
        "has_evidence_file": bool(u.evidence_file),
    }


@router.get("/", response=list[PlanOut])
def list_plans(request, include_agency_plans: bool = False):
    qs = services.visible_plans(request.user).select_related("province", "owner_agency", "agency")
    if not include_agency_plans:
        qs = qs.filter(parent=None)
    return [_plan_out(p) for p in qs]


@router.get("/{int:plan_id}", response=PlanOut)
def get_plan(request, plan_id: int):
    return _plan_out(get_object_or_404(services.visible_plans(request.user), pk=plan_id))


@router.get("/{int:plan_id}/status", response=StatusOut)
def plan_status(request, plan_id: int, agency: str | None = None, as_of: dt.date | None = None):
    """Counts of (checkpoint, lead agency) pairs due on or before `as_of` (default today) in the
    caller's scope; see docs/plans.md for the rules."""
    plan = get_object_or_404(services.visible_plans(request.user), pk=plan_id)
    if agency and not Agency.objects.filter(code=agency).exists():
        raise ApiError(
            422, "Dữ liệu không hợp lệ.", [{"field": "agency", "message": "Không có cơ quan mã này."}]
        )
    as_of = as_of or services.today()
    return {
        **services.status_counts(request.user, agency_code=agency, as_of=as_of, plan=plan),
        "as_of": as_of,
    }


@router.get("/{int:plan_id}/tasks", response=list[TaskOut])
def list_tasks(request, plan_id: int, agency: str | None = None, status: str | None = None):
    plan = get_object_or_404(services.visible_plans(request.user), pk=plan_id)
    if status and status not in services.STATUSES:
        raise ApiError(
            422,
            "Dữ liệu không hợp lệ.",
            [{"field": "status", "message": "Một trong: " + ", ".join(services.STATUSES)}],
        )
    tasks = (
        services.task_queryset(request.user, plan).select_related("parent").prefetch_related("lead_agencies")
    )
    if agency:
        tasks = tasks.filter(lead_agencies__code=agency).distinct()
    statuses = services.plan_task_statuses(plan, tasks)
    out = [_task_out(t, statuses[t.pk]) for t in tasks.order_by("order")]
    return [t for t in out if not status or t["status"] == status]


@router.get("/tasks/{int:task_id}", response=TaskDetailOut)
def get_task(request, task_id: int):
    task = get_object_or_404(services.task_queryset(request.user).select_related("parent"), pk=task_id)
    s = services.task_statuses(Task.objects.filter(pk=task.pk))[task.pk]
    scope = services.scope_agency_ids(request.user)
    leads = {a.pk: a.code for a in task.lead_agencies.all()}
    return {
        **_task_out(task, s),
        "checkpoints": [
            {
                "id": c.pk,
                "due_date": c.due_date,
                "period_start": c.period_start,
                "status": s.by_checkpoint.get(c.pk),
            }
            for c in task.checkpoints.all()
        ],
        "by_agency": {
            code: s.by_agency.get(pk) for pk, code in leads.items() if scope is None or pk in scope
        },
    }


@router.get("/tasks/{int:task_id}/updates", response=list[UpdateOut])
def list_updates(request, task_id: int):
    task = get_object_or_404(services.task_queryset(request.user), pk=task_id)
    qs = services.visible_updates(request.user, Update.objects.filter(checkpoint__task=task))
    return [_update_out(u) for u in qs.select_related("agency", "checkpoint").order_by("reported_on", "id")]


@router.post("/checkpoints/{int:checkpoint_id}/updates", response={201: UpdateOut})
def post_update(
    request,
    checkpoint_id: int,
    agency: Form[str],
    status: Form[str],
    narrative: Form[str],
    percent: Form[int | None] = None,
    evidence_number: Form[str] = "",
    evidence_date: Form[dt.date | None] = None,
    evidence_file: File[UploadedFile] = None,
):
    """Multipart form: a lead agency reports progress on one checkpoint (done needs evidence_file)."""
    cp = get_object_or_404(
        Checkpoint.objects.filter(task__in=services.task_queryset(request.user)), pk=checkpoint_id
    )
    agency_obj = Agency.objects.filter(code=agency, province=cp.task.plan.province_id).first()
    if agency_obj is None:
        raise ApiError(
            422, "Dữ liệu không hợp lệ.", [{"field": "agency", "message": "Không có cơ quan mã này."}]
        )
    try:
        update = services.post_update(
            request.user,
            checkpoint=cp,
            agency=agency_obj,
            status=status,
            narrative=narrative,
            percent=percent,
            evidence_file=evidence_file,
            evidence_number=evidence_number,
            evidence_date=evidence_date,
        )
    except services.UpdateError as exc:
        raise ApiError(
            422, "Dữ liệu không hợp lệ.", [{"field": k, "message": str(v)} for k, v in exc.errors.items()]
        ) from exc
    except PermissionDenied as exc:
        raise ApiError(403, str(exc) or "Không có quyền thực hiện thao tác này.") from exc
    return Status(201, _update_out(update))
