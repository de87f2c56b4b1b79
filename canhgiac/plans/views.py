from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canhgiac.audit import services as audit
from canhgiac.core import policy
from canhgiac.core.exports import confirm_page, start_export
from canhgiac.directory.models import Agency
from canhgiac.plans import services
from canhgiac.plans.forms import AssignForm, IssueAgencyPlanForm, UpdateForm
from canhgiac.plans.models import Checkpoint, Plan, Task, Update

STATUS_FILTERS = [(s, services.STATUS_LABELS[s]) for s in services.STATUSES]


def _plan(user, pk) -> Plan:
    return get_object_or_404(services.visible_plans(user), pk=pk)


def home_cards(user):
    from canhgiac.dashboard.services import Card

    if not policy.is_active_user(user):
        return []
    counts = services.status_counts(user)
    return [
        Card(
            _("Phần việc kế hoạch quá hạn"),
            counts["overdue"],
            reverse("plans:due") + "?tab=overdue",
            _("mốc đã đến hạn, chưa báo cáo hoàn thành"),
        ),
        Card(
            _("Phần việc hoàn thành đúng hạn"),
            counts["done_on_time"],
            reverse("plans:scorecard"),
            _("trên %(n)s phần việc đã đến hạn") % {"n": counts["total"]},
        ),
    ]


@login_required
def plan_list(request):
    plans = (
        services.visible_plans(request.user).filter(parent=None).select_related("owner_agency", "province")
    )
    rows = [
        {
            "plan": p,
            "counts": services.status_counts(request.user, plan=p),
            "agency_plans": services.agency_plan_counts(request.user, p),
        }
        for p in plans
    ]
    return render(request, "plans/plan_list.html", {"rows": rows})


@login_required
def plan_detail(request, pk):
    plan = _plan(request.user, pk)
    tasks = services.task_queryset(request.user, plan).prefetch_related("lead_agencies")
    agency_code, status, q = (
        request.GET.get("agency", ""),
        request.GET.get("status", ""),
        request.GET.get("q", ""),
    )
    if agency_code:
        tasks = tasks.filter(lead_agencies__code=agency_code)
    if q:
        tasks = tasks.filter(services.search_filter(q))
    statuses = services.plan_task_statuses(plan, tasks)
    groups = []
    for group in plan.groups.all():
        rows = [(t, statuses[t.pk]) for t in tasks if t.group_id == group.pk]
        if status:
            rows = [(t, s) for t, s in rows if s.status == status]
        if rows:
            groups.append((group, rows))
    agencies = Agency.objects.filter(led_tasks__plan=plan).exclude(kind=Agency.Kind.COMMUNE).distinct()
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "groups": groups,
            "agencies": agencies,
            "agency_code": agency_code,
            "status": status,
            "q": q,
            "status_filters": STATUS_FILTERS,
            "counts": services.status_counts(request.user, plan=plan),
            "can_export": policy.can(request.user, "view", plan),
            # Leads the transcription had to read (merged cells, "khác", placeholders with a note).
            "readings": [
                (t, services.lead_reading(t))
                for t in plan.tasks.filter(Q(needs_assignment=True) | ~Q(lead_reading="")).order_by("order")
            ],
        },
    )


@login_required
def task_detail(request, pk):
    task = get_object_or_404(services.task_queryset(request.user).select_related("plan__province"), pk=pk)
    if task.source_task_id:  # a copy in an agency's plan: progress is reported on the province task
        return redirect("plans:task", pk=task.source_task_id)
    reporting = services.reporting_agencies(request.user, task)
    open_cps = [c for c in task.checkpoints.all() if not c.period_start or c.period_start <= services.today()]
    notes, first_open = services.reporting_notes(task, reporting[:1], open_cps)
    form = UpdateForm(
        checkpoints=open_cps, agencies=reporting, notes=notes, initial={"checkpoint": first_open}
    )
    if request.method == "POST":
        if not reporting:
            raise PermissionDenied
        form = UpdateForm(request.POST, request.FILES, checkpoints=open_cps, agencies=reporting, notes=notes)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.post_update(
                    request.user,
                    checkpoint=task.checkpoints.get(pk=d["checkpoint"]),
                    agency=Agency.objects.get(pk=d["agency"]),
                    status=d["status"],
                    percent=d["percent"],
                    narrative=d["narrative"],
                    evidence_file=d["evidence_file"],
                    evidence_number=d["evidence_number"],
                    evidence_date=d["evidence_date"],
                )
            except services.UpdateError as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Đã ghi nhận cập nhật tiến độ."))
                return redirect("plans:task", pk=task.pk)
    status = services.task_statuses(Task.objects.filter(pk=task.pk))[task.pk]
    checkpoints = [(c, status.by_checkpoint.get(c.pk)) for c in task.checkpoints.all()]
    scope = services.scope_agency_ids(request.user)
    leads = [
        (a, status.by_agency.get(a.pk)) for a in task.lead_agencies.all() if scope is None or a.pk in scope
    ]
    updates = (
        services.visible_updates(request.user, Update.objects.filter(checkpoint__task=task))
        .select_related("agency", "checkpoint", "created_by")
        .order_by("-reported_on", "-id")
    )
    assign_form = None
    if policy.can(request.user, "change", task):
        assign_form = AssignForm(
            province=task.plan.province,
            initial={
                "lead_agencies": list(task.lead_agencies.all()),
                "responsible_person": task.responsible_person,
            },
        )
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "status": status,
            "checkpoints": checkpoints,
            "leads": leads,
            "updates": updates[:200],
            "form": form if reporting and open_cps else None,
            "assign_form": assign_form,
            "lead_count": task.lead_agencies.count(),
            "lead_reading": services.lead_reading(task),
            "border_communes": services.border_communes_of(task),
            "border_history": services.border_history(task),
        },
    )


@login_required
@require_POST
def task_assign(request, pk):
    task = get_object_or_404(services.task_queryset(request.user), pk=pk)
    form = AssignForm(request.POST, province=task.plan.province)
    if form.is_valid():
        try:
            services.assign(
                request.user,
                task,
                lead_agencies=list(form.cleaned_data["lead_agencies"]),
                responsible_person=form.cleaned_data["responsible_person"],
            )
            messages.success(request, _("Đã lưu phân công."))
        except services.UpdateError as exc:
            messages.error(request, " ".join(exc.errors.values()))
    return redirect("plans:task", pk=task.pk)


@login_required
def evidence(request, pk):
    update = get_object_or_404(services.visible_updates(request.user), pk=pk)
    if not update.evidence_file:
        raise Http404
    audit.record("plans.evidence_downloaded", obj=update)
    return FileResponse(
        update.evidence_file.open("rb"),
        as_attachment=True,
        filename=update.evidence_file.name.rsplit("/", 1)[-1],
    )


@login_required
def my_tasks(request):
    tasks = services.my_tasks(request.user).order_by("plan", "order")
    mine = policy.agency_ids(request.user)
    statuses = services.task_statuses(tasks, agency_ids=mine)
    rows = [(t, statuses[t.pk]) for t in tasks]
    return render(request, "plans/my_tasks.html", {"rows": rows})


@login_required
def due(request):
    tab = request.GET.get("tab", "overdue")
    lists = services.due_lists(request.user)
    pairs = lists["overdue" if tab == "overdue" else "soon"]
    cps = Checkpoint.objects.select_related("task", "task__plan").in_bulk({p.checkpoint_id for p in pairs})
    agencies = Agency.objects.in_bulk({p.agency_id for p in pairs})
    rows = [(cps[p.checkpoint_id], agencies[p.agency_id], p) for p in pairs[:500]]
    return render(
        request,
        "plans/due.html",
        {
            "tab": tab,
            "rows": rows,
            "total": len(pairs),
            "n_overdue": len(lists["overdue"]),
            "n_soon": len(lists["soon"]),
        },
    )


@login_required
def scorecard(request):
    rows = services.scorecard(request.user)
    return render(
        request, "plans/scorecard.html", {"rows": rows, "counts": services.status_counts(request.user)}
    )


@login_required
def agency_plans(request, pk):
    plan = _plan(request.user, pk)
    rows = services.agency_plan_rows(request.user, plan)
    for row in rows:
        row["can_manage"] = services.can_manage_agency_plan(request.user, row["agency"])
    return render(
        request,
        "plans/agency_plans.html",
        {"plan": plan, "rows": rows, "counts": services.agency_plan_counts(request.user, plan)},
    )


@login_required
@require_POST
def agency_plan_derive(request, pk):
    plan = _plan(request.user, pk)
    agency_id = request.POST.get("agency", "")
    agency = get_object_or_404(Agency, pk=int(agency_id)) if agency_id.isdigit() else None
    if agency is None:
        messages.error(request, _("Cần chọn cơ quan."))
        return redirect("plans:agency_plans", pk=plan.pk)
    try:
        child = services.derive_agency_plan(request.user, plan, agency)
    except services.UpdateError as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect("plans:agency_plans", pk=plan.pk)
    messages.success(request, _("Đã xây dựng dự thảo kế hoạch của cơ quan từ kế hoạch của tỉnh."))
    return redirect("plans:agency_plan_issue", pk=child.pk)


@login_required
def agency_plan_issue(request, pk):
    child = get_object_or_404(services.visible_plans(request.user).exclude(agency=None), pk=pk)
    policy.require(request.user, "plans.manage_agency_plan", agency=child.agency)
    form = IssueAgencyPlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_agency_plan(request.user, child, **form.cleaned_data)
        except services.UpdateError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Đã ghi nhận kế hoạch của cơ quan đã ban hành."))
            return redirect("plans:agency_plans", pk=child.parent_id)
    return render(
        request, "plans/agency_plan_issue.html", {"plan": child, "form": form, "tasks": child.tasks.count()}
    )


@login_required
def agency_plan_document(request, pk):
    child = get_object_or_404(services.visible_plans(request.user).exclude(agency=None), pk=pk)
    if not child.document_file:
        raise Http404
    return FileResponse(
        child.document_file.open("rb"),
        as_attachment=True,
        filename=child.document_file.name.rsplit("/", 1)[-1],
    )


def _export(request, plan, kind: str, title: str):
    """GET: what would be exported and a button; POST (the button, CSRF): start the export job."""
    if request.method == "POST":
        return redirect("core:job", job_id=start_export(request.user, kind, title, {"plan": plan.pk}).pk)
    return confirm_page(request, title, [str(plan)], back_url=reverse("plans:detail", args=[plan.pk]))


@login_required
def export_xlsx(request, pk):
    plan = _plan(request.user, pk)  # refuse at once what the task would refuse
    title = _("Tiến độ kế hoạch %(code)s (XLSX)") % {"code": plan.code}
    return _export(request, plan, "plans.xlsx", title)


@login_required
def export_docx(request, pk):
    plan = _plan(request.user, pk)
    title = _("Báo cáo tiến độ kế hoạch %(code)s (DOCX)") % {"code": plan.code}
    return _export(request, plan, "plans.docx", title)
