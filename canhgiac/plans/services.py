"""Plans: who may see and report what, the status rules, progress updates, agency plans.

Status of one (checkpoint, lead agency) pair as of a day D, from the agency's latest update
reported on or before D:
- done on time: the latest update says done and its completion date <= the checkpoint's due date;
- done late: done, completed after the due date;
- overdue: not done and D is after the due date;
- in progress: not done and D is on or before the due date (not yet due).
A task, an agency's share of a task, or a checkpoint takes the status of its pairs: overdue if any
pair is overdue; otherwise done (late if any pair was late) when every pair is done; otherwise
in progress.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canhgiac.core import policy
from canhgiac.directory.models import Agency
from canhgiac.directory.services import agency_code
from canhgiac.plans.models import Checkpoint, Plan, Task, TaskGroup, Update

DONE_ON_TIME, DONE_LATE, IN_PROGRESS, OVERDUE = "done_on_time", "done_late", "in_progress", "overdue"
STATUSES = (DONE_ON_TIME, DONE_LATE, IN_PROGRESS, OVERDUE)
STATUS_LABELS = {
    DONE_ON_TIME: gettext_lazy("Hoàn thành đúng hạn"),
    DONE_LATE: gettext_lazy("Hoàn thành quá hạn"),
    IN_PROGRESS: gettext_lazy("Đang thực hiện (chưa đến hạn)"),
    OVERDUE: gettext_lazy("Quá hạn chưa hoàn thành"),
}
REPORT_ROLES = (policy.OFFICER, policy.LEADER, policy.COORDINATOR)
EVIDENCE_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".xls",
    ".xlsx",
    ".ods",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


class UpdateError(Exception):
    """Invalid input to a service; `errors` maps a field name to a Vietnamese message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def today() -> dt.date:
    return timezone.localdate()


# --- Scope -----------------------------------------------------------------------------------


def oversees(user) -> bool:
    """The Standing Office (coordinators, and anyone in a Standing Office agency) and admins see
    every agency's progress; other staff see their own agencies' share."""
    if user is None:
        return True
    return policy.is_coordinator(user) or policy.standing_office_member(user)


def province_ids(user) -> set[int] | None:
    """Provinces whose plans the user reads; None = all (national administrators, system)."""
    if user is None:
        return None
    return policy.province_ids(user) if policy.is_active_user(user) else set()


def scope_agency_ids(user) -> set[int] | None:
    """Agencies whose (checkpoint, agency) pairs the user's figures count; None = every agency."""
    return None if oversees(user) else policy.agency_ids(user)


def can_report(user, task: Task, agency: Agency) -> bool:
    """An agency reports only on its own share of a task it leads."""
    if not policy.is_active_user(user):
        return False
    if not task.lead_agencies.filter(pk=agency.pk).exists():
        return False
    return policy.can(user, "plans.report", task, agency=agency)


def reporting_agencies(user, task: Task) -> list[Agency]:
    """The lead agencies of `task` for which `user` may post updates."""
    if not policy.is_active_user(user):
        return []
    leads = task.lead_agencies.all()
    if policy.is_admin(user, province=task.plan.province_id):
        return list(leads)
    return list(leads.filter(pk__in=policy.agency_ids(user, *REPORT_ROLES)))


# --- Status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    checkpoint_id: int
    task_id: int
    agency_id: int
    due: dt.date
    status: str
    completed_on: dt.date | None


def pair_status(due: dt.date, latest: tuple | None, as_of: dt.date) -> str:
    if latest is not None and latest[0] == Update.Status.DONE:
        return DONE_ON_TIME if latest[1] and latest[1] <= due else DONE_LATE
    return OVERDUE if as_of > due else IN_PROGRESS


def combine(statuses) -> str | None:
    """The status of a set of pairs (a task, an agency's share, a checkpoint)."""
    statuses = list(statuses)
    if not statuses:
        return None
    if OVERDUE in statuses:
        return OVERDUE
    if all(s in (DONE_ON_TIME, DONE_LATE) for s in statuses):
        return DONE_LATE if DONE_LATE in statuses else DONE_ON_TIME
    return IN_PROGRESS


def pairs(checkpoints: QuerySet, *, as_of: dt.date, agency_ids: set[int] | None = None) -> list[Pair]:
    """Every (checkpoint, lead agency) pair of `checkpoints` with its status as of `as_of`.
    Three queries whatever the size: checkpoints, lead links, updates."""
    cps = list(checkpoints.values_list("id", "task_id", "due_date"))
    if not cps:
        return []
    leads = defaultdict(list)
    links = Task.lead_agencies.through.objects.filter(task_id__in=checkpoints.values("task_id"))
    if agency_ids is not None:
        links = links.filter(agency_id__in=agency_ids)
    for task_id, agency_id in links.values_list("task_id", "agency_id"):
        leads[task_id].append(agency_id)
    latest = {}
    updates = (
        Update.objects.filter(checkpoint__in=checkpoints.values("id"), reported_on__lte=as_of)
        .order_by("reported_on", "id")
        .values_list("checkpoint_id", "agency_id", "status", "completed_on")
    )
    for cp_id, agency_id, status, completed_on in updates:
        latest[(cp_id, agency_id)] = (status, completed_on)
    out = []
    for cp_id, task_id, due in cps:
        for agency_id in leads.get(task_id, ()):
            found = latest.get((cp_id, agency_id))
            out.append(
                Pair(
                    cp_id,
                    task_id,
                    agency_id,
                    due,
                    pair_status(due, found, as_of),
                    found[1] if found and found[0] == Update.Status.DONE else None,
                )
            )
    return out


def reporting_notes(
    task: Task, agencies: list[Agency], checkpoints: list[Checkpoint]
) -> tuple[dict, int | None]:
    """For the update form: each open checkpoint's status for the reporting agency, and the first
    one not yet done (the one the form should offer first)."""
    if not agencies or not checkpoints:
        return {}, None
    ps = pairs(
        Checkpoint.objects.filter(pk__in=[c.pk for c in checkpoints]),
        as_of=today(),
        agency_ids={agencies[0].pk},
    )
    notes = {p.checkpoint_id: STATUS_LABELS[p.status] for p in ps}
    pending = sorted((p.due, p.checkpoint_id) for p in ps if p.status in (IN_PROGRESS, OVERDUE))
    return notes, pending[0][1] if pending else None


def visible_plans(user) -> QuerySet:
    return policy.visible_to(user, Plan.objects.all()) if user is not None else Plan.objects.all()


def tracked(user, plan: Plan | None = None) -> tuple[QuerySet, set[int] | None]:
    """The tasks whose pairs a figure counts, and the agencies it is limited to (None = all).

    No plan: the province plans the user sees. An agency's plan: its tasks are copies, and their
    progress is reported on the province tasks they come from, so the figures are those of the
    source tasks limited to that agency."""
    scope = scope_agency_ids(user)
    plans = visible_plans(user)
    if plan is None:
        return Task.objects.filter(plan__in=plans.filter(parent=None)), scope
    if not plans.filter(pk=plan.pk).exists():
        return Task.objects.none(), scope
    if plan.agency_id:
        only = {plan.agency_id}
        return Task.objects.filter(
            pk__in=plan.tasks.values("source_task")
        ), only if scope is None else scope & only
    return plan.tasks.all(), scope


def status_counts(
    user,
    *,
    agency_code: str | None = None,
    as_of: dt.date | None = None,
    plan: Plan | None = None,
    province_code: str | None = None,
) -> dict:
    """Counts of (checkpoint, lead agency) pairs due on or before `as_of` (default today), in the
    province plans (not agencies' derived plans) the user sees, restricted to the agencies in the
    user's scope (all for the Standing Office, admins and user=None; own agencies otherwise) and
    to `agency_code` if given. Keys: done_on_time, done_late, in_progress (due on as_of itself,
    not yet done), overdue, total."""
    as_of = as_of or today()
    tasks, agency_ids = tracked(user, plan)
    if province_code:  # agency codes repeat in every province
        tasks = tasks.filter(plan__province__code=province_code)
    if agency_code:
        agencies = Agency.objects.filter(code=agency_code)
        agency = (agencies.filter(province__code=province_code) if province_code else agencies).first()
        wanted = {agency.pk} if agency else set()
        agency_ids = wanted if agency_ids is None else agency_ids & wanted
    cps = Checkpoint.objects.filter(task__in=tasks, due_date__lte=as_of)
    counts = Counter(p.status for p in pairs(cps, as_of=as_of, agency_ids=agency_ids))
    out = {s: counts.get(s, 0) for s in STATUSES}
    out["total"] = sum(out.values())
    return out


@dataclass
class TaskStatus:
    status: str | None
    counts: dict
    by_agency: dict[int, str]
    by_checkpoint: dict[int, str]
    next_due: dt.date | None


def task_statuses(
    tasks: QuerySet, *, as_of: dt.date | None = None, agency_ids: set[int] | None = None
) -> dict[int, TaskStatus]:
    """Status per task (over all its checkpoints), per lead agency and per checkpoint."""
    as_of = as_of or today()
    grouped = defaultdict(list)
    for p in pairs(Checkpoint.objects.filter(task__in=tasks), as_of=as_of, agency_ids=agency_ids):
        grouped[p.task_id].append(p)
    out = {}
    for task_id in tasks.values_list("id", flat=True):
        ps = grouped.get(task_id, [])
        by_agency, by_cp = defaultdict(list), defaultdict(list)
        for p in ps:
            by_agency[p.agency_id].append(p.status)
            by_cp[p.checkpoint_id].append(p.status)
        pending = [p.due for p in ps if p.status in (IN_PROGRESS, OVERDUE)]
        counts = Counter(p.status for p in ps if p.due <= as_of or p.status in (DONE_ON_TIME, DONE_LATE))
        out[task_id] = TaskStatus(
            status=combine(p.status for p in ps),
            counts={s: counts.get(s, 0) for s in STATUSES},
            by_agency={a: combine(v) for a, v in by_agency.items()},
            by_checkpoint={c: combine(v) for c, v in by_cp.items()},
            next_due=min(pending) if pending else None,
        )
    return out


def plan_task_statuses(plan: Plan, tasks: QuerySet | None = None, *, as_of: dt.date | None = None) -> dict:
    """Status of each task of `plan` (all its tasks, or `tasks`), keyed by task id. For an agency's
    plan, each copy shows the agency's share of the province task it comes from."""
    tasks = tasks if tasks is not None else plan.tasks.all()
    if not plan.agency_id:
        return task_statuses(tasks, as_of=as_of)
    source = dict(tasks.values_list("source_task_id", "id"))
    found = task_statuses(
        Task.objects.filter(pk__in=[k for k in source if k]), as_of=as_of, agency_ids={plan.agency_id}
    )
    empty = TaskStatus(None, {s: 0 for s in STATUSES}, {}, {}, None)
    return {copy_id: found.get(source_id, empty) for source_id, copy_id in source.items()}


def scorecard(user, *, plan: Plan | None = None, as_of: dt.date | None = None) -> list[dict]:
    """Per lead agency: pairs due by `as_of` done on time, done late, in progress, overdue, and
    the on-time rate (done on time / due), ordered by most overdue first."""
    as_of = as_of or today()
    tasks, agency_ids = tracked(user, plan)
    cps = Checkpoint.objects.filter(task__in=tasks, due_date__lte=as_of)
    per = defaultdict(Counter)
    for p in pairs(cps, as_of=as_of, agency_ids=agency_ids):
        per[p.agency_id][p.status] += 1
    agencies = Agency.objects.in_bulk(list(per))
    rows = []
    for agency_id, c in per.items():
        total = sum(c.values())
        rows.append(
            {
                "agency": agencies[agency_id],
                **{s: c.get(s, 0) for s in STATUSES},
                "total": total,
                "on_time_rate": round(100 * c.get(DONE_ON_TIME, 0) / total) if total else None,
            }
        )
    rows.sort(key=lambda r: (-r[OVERDUE], -r["total"], r["agency"].code))
    return rows


def due_lists(
    user, *, as_of: dt.date | None = None, soon_days: int = 14, agency_ids: set[int] | None = None
) -> dict[str, list[Pair]]:
    """Overdue pairs and pairs due within `soon_days`, in the user's scope."""
    as_of = as_of or today()
    scope = scope_agency_ids(user)
    if agency_ids is not None:
        scope = agency_ids if scope is None else scope & agency_ids
    cps = Checkpoint.objects.filter(
        task__plan__in=visible_plans(user).filter(parent=None),
        due_date__lte=as_of + dt.timedelta(days=soon_days),
    )
    ps = pairs(cps, as_of=as_of, agency_ids=scope)
    overdue = sorted((p for p in ps if p.status == OVERDUE), key=lambda p: p.due)
    soon = sorted((p for p in ps if p.status == IN_PROGRESS), key=lambda p: p.due)
    return {"overdue": overdue, "soon": soon}


# --- Progress updates ------------------------------------------------------------------------


def _check_evidence(f, errors):
    if f is None:
        return
    if Path(f.name).suffix.lower() not in EVIDENCE_EXTENSIONS:
        errors["evidence_file"] = _("Tệp minh chứng phải là PDF, Word, Excel, ảnh JPG/PNG hoặc ZIP.")
    elif f.size > EVIDENCE_MAX_BYTES:
        errors["evidence_file"] = _("Tệp minh chứng không được lớn hơn 20 MB.")


@transaction.atomic
def post_update(
    user,
    *,
    checkpoint: Checkpoint,
    agency: Agency,
    status: str,
    narrative: str,
    percent: int | None = None,
    evidence_file=None,
    evidence_number: str = "",
    evidence_date: dt.date | None = None,
    on: dt.date | None = None,
) -> Update:
    """Record one lead agency's progress on one checkpoint. Done needs an evidence file; the
    completion date is the evidence document's date when given, else the reporting day."""
    on = on or today()
    task = checkpoint.task
    if not can_report(user, task, agency):
        raise PermissionDenied(_("Chỉ cơ quan chủ trì được cập nhật tiến độ phần việc của mình."))
    errors: dict[str, str] = {}
    if status not in Update.Status.values:
        errors["status"] = _("Tình trạng không hợp lệ.")
    narrative = (narrative or "").strip()
    if not narrative:
        errors["narrative"] = _("Kết quả thực hiện: cần mô tả kết quả đã làm.")
    if percent is None:
        percent = 100 if status == Update.Status.DONE else 0
    if not 0 <= int(percent) <= 100:
        errors["percent"] = _("Tỷ lệ hoàn thành phải từ 0 đến 100.")
    elif status == Update.Status.IN_PROGRESS and int(percent) == 100:
        errors["percent"] = _("Đã đạt 100% thì chọn tình trạng “Đã hoàn thành”.")
    if checkpoint.period_start and checkpoint.period_start > on:
        errors["checkpoint"] = _("Chưa đến kỳ thực hiện của mốc này (từ %(d)s).") % {
            "d": checkpoint.period_start.strftime("%d/%m/%Y")
        }
    _check_evidence(evidence_file, errors)
    evidence_number = (evidence_number or "").strip()
    if evidence_date and evidence_date > on:
        errors["evidence_date"] = _("Ngày văn bản minh chứng không được sau ngày báo cáo.")
    if evidence_number and not evidence_date:
        errors["evidence_date"] = _("Ghi số văn bản minh chứng thì cần ghi cả ngày văn bản.")
    if status == Update.Status.DONE and evidence_file is None:
        errors["evidence_file"] = errors.get("evidence_file") or _(
            "Báo cáo hoàn thành cần đính kèm tệp minh chứng (sản phẩm, văn bản)."
        )
    if errors:
        raise UpdateError(errors)
    done = status == Update.Status.DONE
    return Update.objects.create(
        checkpoint=checkpoint,
        agency=agency,
        status=status,
        percent=100 if done else int(percent),
        narrative=narrative,
        evidence_file=evidence_file or "",
        evidence_number=evidence_number,
        evidence_date=evidence_date,
        completed_on=(evidence_date or on) if done else None,
        created_by=user if policy.is_active_user(user) else None,
        reported_on=on,
    )


def visible_updates(user, qs: QuerySet | None = None) -> QuerySet:
    qs = qs if qs is not None else Update.objects.all()
    return policy.visible_to(user, qs) if user is not None else qs


@transaction.atomic
def assign(user, task: Task, *, lead_agencies: list[Agency], responsible_person: str = "") -> Task:
    """The Standing Office names lead agencies (for tasks flagged for assignment) and the person in charge."""
    if not policy.can(user, "change", task):
        raise PermissionDenied(_("Chỉ Cơ quan Thường trực được phân công nhiệm vụ."))
    wrong = [a for a in lead_agencies if a.province_id != task.plan.province_id]
    if wrong:
        raise UpdateError({"lead_agencies": _("Cơ quan chủ trì phải thuộc tỉnh của kế hoạch.")})
    if not lead_agencies and not task.lead_agencies.exists():
        raise UpdateError({"lead_agencies": _("Cần chọn ít nhất một cơ quan chủ trì.")})
    if lead_agencies and set(lead_agencies) != set(task.lead_agencies.all()):
        task.lead_agencies.set(lead_agencies)
        task.lead_assigned = True
    task.responsible_person = responsible_person.strip()
    task.needs_assignment = not task.lead_agencies.exists()
    task.save()
    return task


# --- Agency plans ----------------------------------------------------------------------------


def agency_plan_rows(user, plan: Plan) -> list[dict]:
    """Per agency of the plan's province (members, then communes): its derived plan, if any, and
    whether that plan is issued (document attached)."""
    agencies = Agency.objects.filter(province=plan.province, is_active=True).select_related("unit")
    scope = scope_agency_ids(user)
    if scope is not None:
        agencies = agencies.filter(pk__in=scope)
    derived = {p.agency_id: p for p in plan.children.exclude(agency=None)}
    rows = [
        {
            "agency": a,
            "plan": derived.get(a.pk),
            "issued": bool(derived.get(a.pk) and derived[a.pk].is_issued),
        }
        for a in agencies
    ]
    rows.sort(key=lambda r: (r["agency"].kind == Agency.Kind.COMMUNE, r["agency"].code))
    return rows


def can_manage_agency_plan(user, agency: Agency) -> bool:
    return policy.can(user, "plans.manage_agency_plan", agency=agency)


@transaction.atomic
def derive_agency_plan(user, plan: Plan, agency: Agency) -> Plan:
    """Copy the province plan's tasks that `agency` leads into the agency's own plan (same groups
    and deadlines, the agency as the only lead). Progress stays reported on the province tasks:
    a copy has no checkpoints of its own and shows the agency's share of its source task."""
    if plan.parent_id is not None or agency.province_id != plan.province_id:
        raise UpdateError({"plan": _("Chỉ xây dựng kế hoạch của cơ quan từ kế hoạch của tỉnh, cùng tỉnh.")})
    if not can_manage_agency_plan(user, agency):
        raise PermissionDenied(
            _("Chỉ cán bộ của cơ quan hoặc Cơ quan Thường trực được xây dựng kế hoạch này.")
        )
    if plan.children.filter(agency=agency).exists():
        raise UpdateError({"agency": _("Cơ quan này đã có kế hoạch thực hiện kế hoạch của tỉnh.")})
    child = Plan.objects.create(
        code=f"{plan.code}__{agency.code.lower().replace('-', '_')}"[:80],
        title=f"Kế hoạch của {agency.name} thực hiện {plan.title}"[:500],
        document_type="Kế hoạch",
        issuing_body=agency.name,
        province=plan.province,
        start=plan.start,
        end=plan.end,
        owner_agency=agency,
        parent=plan,
        agency=agency,
    )
    order = 0
    for group in plan.groups.all():
        tasks = list(group.tasks.filter(lead_agencies=agency).order_by("order"))
        if not tasks:
            continue
        new_group = TaskGroup.objects.create(
            plan=child, code=group.code, title=group.title, order=group.order
        )
        for t in tasks:
            order += 1
            copy = Task.objects.create(
                plan=child,
                group=new_group,
                code=t.code,
                order=order,
                source_task=t,
                action=t.action,
                footnote=t.footnote,
                expected_output=t.expected_output,
                deadline_text=t.deadline_text,
                schedule_kind=t.schedule_kind,
                due_date=t.due_date,
                start_date=t.start_date,
                initial_due=t.initial_due,
                checkpoint_day=t.checkpoint_day,
                lead_codes=[agency.code],
                lead_text=agency.name,
                coordinating_codes=t.coordinating_codes,
                coordinating_text=t.coordinating_text,
                other_bodies=t.other_bodies,
            )
            copy.lead_agencies.set([agency])
            copy.coordinating_agencies.set(t.coordinating_agencies.exclude(pk=agency.pk))
    return child


@transaction.atomic
def issue_agency_plan(
    user,
    agency_plan: Plan,
    *,
    document_file,
    document_number: str,
    document_date: dt.date | None,
    on: dt.date | None = None,
) -> Plan:
    """Attach the signed document of an agency's plan: from then on the plan counts as issued."""
    on = on or today()
    if agency_plan.agency_id is None:
        raise UpdateError({"plan": _("Chỉ đính kèm văn bản cho kế hoạch của cơ quan.")})
    if not can_manage_agency_plan(user, agency_plan.agency):
        raise PermissionDenied(_("Chỉ cán bộ của cơ quan được ban hành kế hoạch này."))
    errors: dict[str, str] = {}
    if document_file is None:
        errors["document_file"] = _("Cần đính kèm văn bản kế hoạch đã ký.")
    else:
        _check_evidence(document_file, errors)
        errors = {("document_file" if k == "evidence_file" else k): v for k, v in errors.items()}
    if not (document_number or "").strip():
        errors["document_number"] = _("Số hiệu văn bản: bắt buộc (ví dụ 12/KH-CAT).")
    if document_date is None:
        errors["document_date"] = _("Ngày ban hành: bắt buộc.")
    elif document_date > on:
        errors["document_date"] = _("Ngày ban hành không được sau hôm nay.")
    if errors:
        raise UpdateError(errors)
    agency_plan.document_file = document_file
    agency_plan.document_number = document_number.strip()
    agency_plan.document_date = document_date
    agency_plan.save()
    return agency_plan


def agency_plan_counts(user, plan: Plan) -> dict:
    rows = agency_plan_rows(user, plan)
    return {
        "agencies": len(rows),
        "derived": sum(1 for r in rows if r["plan"]),
        "issued": sum(1 for r in rows if r["issued"]),
    }


def task_queryset(user, plan: Plan | None = None) -> QuerySet:
    """Tasks the user reads; user=None is the system (exports run by a job, figures)."""
    qs = policy.visible_to(user, Task.objects.all()) if user is not None else Task.objects.all()
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.select_related("group", "plan")


def my_tasks(user) -> QuerySet:
    """Tasks of province plans that one of the user's agencies leads."""
    return task_queryset(user).filter(plan__parent=None, lead_agencies__in=policy.agency_ids(user)).distinct()


def search_filter(q: str) -> Q:
    from canhgiac.core.text import fold

    return Q(action_folded__contains=fold(q)) | Q(code=q.strip())


def lead_reading(task: Task) -> list[str]:
    """How the task's lead was read from the document, line by line: each code as its label
    (pseudo-codes in words), the codes taken out ("khác"), and the transcriber's reading note."""
    from canhgiac.plans.models import PSEUDO_LABELS

    names = {a.code: str(a) for a in Agency.objects.filter(province=task.plan.province)}

    def label(code):
        if code in PSEUDO_LABELS:
            return str(PSEUDO_LABELS[code])
        return names.get(agency_code(code, task.plan.province), code)

    lines = []
    if task.lead_codes:
        lines.append(_("Đọc là: %(codes)s") % {"codes": "; ".join(label(c) for c in task.lead_codes)})
    if task.exclude_codes:
        lines.append(_("Trừ: %(codes)s") % {"codes": "; ".join(label(c) for c in task.exclude_codes)})
    if task.other_bodies:
        lines.append(_("Cơ quan không có mã: %(names)s") % {"names": "; ".join(task.other_bodies)})
    if task.lead_reading:
        lines.append(task.lead_reading)
    return lines


def border_communes_of(task: Task) -> list[Agency] | None:
    """For a task written for the border communes, the communes it is assigned to now (lead or
    coordinating); None for other tasks."""
    from canhgiac.plans.models import BORDER_COMMUNES

    if BORDER_COMMUNES not in {*task.lead_codes, *task.coordinating_codes}:
        return None
    ids = set(task.lead_agencies.values_list("pk", flat=True)) | set(
        task.coordinating_agencies.values_list("pk", flat=True)
    )
    return list(
        Agency.objects.filter(pk__in=ids, kind=Agency.Kind.COMMUNE, unit__border=True).order_by("name")
    )


def border_history(task: Task, limit: int = 10):
    """The audit events of the task's agencies following a change of the border list, newest first."""
    from canhgiac.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        object_type="plans.task", object_id=str(task.pk), action="plans.task.border_followed"
    ).order_by("-id")[:limit]


# --- For other apps: plans written by a screen, evidence from records --------------------------


def _plan_file_error(exc) -> Exception:
    from canhgiac.core.errors import FieldError, ServiceError

    return ServiceError([FieldError(str(where), str(msg)) for where, msg in exc.errors])


def load_plan(user, data) -> Plan:
    """Create or update a plan from a `canhgiac-plan/1` document (a dict, or its YAML text), as
    `canhgiac import-plan` does, for a screen (the committee's meeting page): the Standing Office
    of the plan's province only. Bad input raises ServiceError naming each place."""
    import yaml

    from canhgiac.core.errors import FieldError, ServiceError
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.plans import loader

    if isinstance(data, (str, bytes)):
        try:
            data = yaml.safe_load(data)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = _("dòng %(n)s") % {"n": mark.line + 1} if mark else "file"
            raise ServiceError(
                [FieldError("file", _("YAML không hợp lệ (%(w)s): %(p)s") % {"w": where, "p": exc})]
            ) from exc
    try:
        parsed = loader.parse(data)
    except loader.PlanFileError as exc:
        raise _plan_file_error(exc) from exc
    province = AdministrativeUnit.objects.filter(codename=parsed["plan"]["province"], parent=None).first()
    if province is None:
        raise ServiceError([FieldError("plan.province", _("Tỉnh trong tệp chưa được nạp vào hệ thống."))])
    if not policy.is_coordinator(user, province=province):
        raise PermissionDenied(_("Chỉ Cơ quan Thường trực của tỉnh được nạp kế hoạch của tỉnh."))
    existing = Plan.objects.filter(code=parsed["plan"]["code"]).first()
    if existing is not None and existing.province_id != province.pk:
        raise ServiceError([FieldError("plan.code", _("Mã kế hoạch đã dùng cho tỉnh khác."))])
    try:
        return loader.load(parsed).plan
    except loader.PlanFileError as exc:
        raise _plan_file_error(exc) from exc


def plan_base_codes(province) -> dict[int, str]:
    """Agency id -> the short code a plan file names it by (commune agencies have none)."""
    from canhgiac.plans.loader import BASE_CODES

    wanted = {agency_code(c, province): c for c in BASE_CODES}
    return {a.pk: wanted[a.code] for a in Agency.objects.filter(province=province, code__in=wanted)}


def plan_tasks_by_id(user, ids) -> dict[int, Task]:
    """The tasks among `ids` the user reads, with their plan."""
    return {t.pk: t for t in task_queryset(user).filter(pk__in=[i for i in ids if i])}


def plans_by_id(user, ids) -> dict[int, Plan]:
    return {p.pk: p for p in visible_plans(user).filter(pk__in=[i for i in ids if i])}


def evidence_tasks(user, province) -> QuerySet:
    """Tasks of the province's plans on which the user may report for one of their agencies."""
    qs = task_queryset(user).filter(plan__province=province)
    if not policy.is_admin(user, province=province):
        qs = qs.filter(lead_agencies__in=policy.agency_ids(user, *REPORT_ROLES))
    return qs.distinct().order_by("plan__code", "order")


@transaction.atomic
def record_evidence(
    user,
    *,
    task: Task,
    agency: Agency,
    narrative: str,
    done: bool = False,
    evidence_file=None,
    evidence_number: str = "",
    evidence_date: dt.date | None = None,
    on: dt.date | None = None,
) -> Update:
    """A record of another app offered as evidence of `task`: a progress update of `agency` on the
    task's current checkpoint (the earliest one the agency has not reported done whose period has
    begun), so the plan's status reflects the work. Done needs a file, as for any update."""
    from canhgiac.core.errors import FieldError, ServiceError

    on = on or today()
    done_ids = set(
        Update.objects.filter(checkpoint__task=task, agency=agency, status=Update.Status.DONE).values_list(
            "checkpoint_id", flat=True
        )
    )
    open_points = [
        c
        for c in task.checkpoints.order_by("due_date")
        if c.pk not in done_ids and (c.period_start is None or c.period_start <= on)
    ]
    if not open_points:
        raise ServiceError([FieldError("task", _("Nhiệm vụ này không còn mốc nào đang mở để báo cáo."))])
    try:
        return post_update(
            user,
            checkpoint=open_points[0],
            agency=agency,
            status=Update.Status.DONE if done else Update.Status.IN_PROGRESS,
            narrative=narrative,
            percent=None if done else 50,
            evidence_file=evidence_file,
            evidence_number=evidence_number,
            evidence_date=evidence_date,
            on=on,
        )
    except UpdateError as exc:
        raise ServiceError([FieldError(k, v) for k, v in exc.errors.items()]) from exc


def statuses_by_task(task_ids, *, as_of: dt.date | None = None) -> dict[int, str | None]:
    """The status of each task of `task_ids` (over its checkpoints and lead agencies), in a
    constant number of queries."""
    found = task_statuses(Task.objects.filter(pk__in=list(task_ids)), as_of=as_of)
    return {pk: st.status for pk, st in found.items()}
