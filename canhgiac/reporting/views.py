from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canhgiac.core import exports as core_exports
from canhgiac.core import policy
from canhgiac.core.dbrouter import replica_reads
from canhgiac.core.policy import can, require, visible_to
from canhgiac.directory.models import Agency, ViolationType
from canhgiac.directory.services import home_province
from canhgiac.reporting import consolidation, services, snapshots
from canhgiac.reporting.forms import (
    CampaignForm,
    CommentForm,
    ExceptionForm,
    FormHeaderForm,
    IndicatorFormSet,
    PeriodEditForm,
    PeriodForm,
    ProvinceReportForm,
    SectionFormSet,
    WindowExportForm,
)
from canhgiac.reporting.models import NationalGroup, Period, ReportForm, Submission


def _period(user, pk) -> Period:
    return get_object_or_404(visible_to(user, Period.objects.select_related("form", "recipient")), pk=pk)


def _submission(user, pk) -> Submission:
    return get_object_or_404(
        visible_to(user, Submission.objects.select_related("period", "agency", "form")), pk=pk
    )


def _show_error(request, exc: services.ReportingError):
    messages.error(request, exc.detail)
    for e in exc.errors:
        messages.error(request, e["message"])


@login_required
@replica_reads
def index(request):
    user = request.user
    periods = list(services.visible_periods(user).order_by("-deadline")[:60])
    own = policy.agency_ids(user, policy.OFFICER, policy.LEADER)
    subs = {
        (s.period_id, s.agency_id): s
        for s in visible_to(user, Submission.objects.filter(period__in=periods, agency_id__in=own))
    }
    is_coord = policy.can(user, "reporting.consolidate")
    totals = services.period_totals(periods) if is_coord else {}
    # The user's own agencies that submit to each period: two queries whatever the number of periods.
    expected = set()
    if own:
        expected = set(
            Period.submitters.through.objects.filter(period__in=periods, agency_id__in=own).values_list(
                "period_id", "agency_id"
            )
        )
    own_agencies = list(Agency.objects.filter(pk__in={a for _p, a in expected}))
    rows = []
    for p in periods:
        mine = [(a, subs.get((p.pk, a.pk))) for a in own_agencies if (p.pk, a.pk) in expected]
        rows.append(
            {
                "period": p,
                "mine": mine,
                "totals": totals.get(p.pk),
                "locked": services.today() > services.lock_date(p),
            }
        )
    return render(
        request,
        "reporting/index.html",
        {
            "rows": rows,
            "is_coordinator": is_coord,
            "window_form": WindowExportForm(),
            "today": services.today(),
        },
    )


@login_required
def period_detail(request, pk):
    period = _period(request.user, pk)
    board = services.period_board(period)
    only_missing = request.GET.get("missing") == "1"
    rows = [r for r in board["rows"] if not r["reported"]] if only_missing else board["rows"]
    if not (
        policy.can(request.user, "reporting.oversee", province=period.province)
        or policy.can(request.user, "reporting.receive", period=period)
    ):
        # An agency sees the province's totals but only its own row; the agency the reports are
        # sent to (the period's recipient) sees every row.
        mine = policy.agency_ids(request.user)
        rows = [r for r in rows if r["agency"].pk in mine]
    own = policy.agency_ids(request.user, policy.OFFICER, policy.LEADER)
    return render(
        request,
        "reporting/period.html",
        {
            "period": period,
            "board": board,
            "rows": rows,
            "only_missing": only_missing,
            "is_coordinator": policy.can(request.user, "consolidate", period),
            "own_agencies": period.submitters.filter(pk__in=own),
            "exception_form": ExceptionForm(period=period),
            "exceptions": period.exceptions.select_related("agency"),
            "today": services.today(),
        },
    )


@login_required
@require_POST
def grant_exception(request, pk):
    period = _period(request.user, pk)
    form = ExceptionForm(request.POST, period=period)
    if form.is_valid():
        try:
            services.grant_exception(
                request.user,
                period,
                form.cleaned_data["agency"],
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Đã gia hạn cho %(a)s.") % {"a": form.cleaned_data["agency"]})
        except services.ReportingError as exc:
            _show_error(request, exc)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("reporting:period", pk=period.pk)


@login_required
@require_POST
def open_submission(request, pk, agency_pk):
    period = _period(request.user, pk)
    agency = get_object_or_404(Agency, pk=agency_pk)
    try:
        sub = services.open_submission(request.user, period, agency)
    except services.ReportingError as exc:
        _show_error(request, exc)
        return redirect("reporting:period", pk=period.pk)
    return redirect("reporting:submission", pk=sub.pk)


def _posted(request, sub):
    values, breakdown, reasons, narrative = {}, {}, {}, {}
    for ind in sub.form.indicators.all():
        values[ind.code] = request.POST.get(f"v_{ind.code}", "")
        reasons[ind.code] = request.POST.get(f"r_{ind.code}", "")
        if ind.disaggregation:
            prefix = f"b_{ind.code}__"
            breakdown[ind.code] = {
                k[len(prefix) :]: v for k, v in request.POST.items() if k.startswith(prefix) and v.strip()
            }
    for section in sub.form.sections.all():
        narrative[section.code] = request.POST.get(f"n_{section.code}", "")
    return values, breakdown, reasons, narrative


def _indicator_rows(sub, posted=None):
    values, breakdown, reasons = (
        (posted[0], posted[1], posted[2]) if posted else (sub.values, sub.breakdown, sub.reasons)
    )
    rows = []
    for ind in sub.form.indicators.all():
        parts = []
        if ind.disaggregation:
            given = (breakdown or {}).get(ind.code) or {}
            system_parts = (sub.prefill_breakdown or {}).get(ind.code) or {}
            parts = [
                {"code": c, "label": lbl, "value": given.get(c, ""), "system": system_parts.get(c)}
                for c, lbl in services.parts_for(ind.disaggregation)
            ]
        system = (sub.prefill or {}).get(ind.code)
        value = (values or {}).get(ind.code)
        rows.append(
            {
                "ind": ind,
                "value": "" if value is None else value,
                "system": system,
                "has_source": system is not None,
                "reason": (reasons or {}).get(ind.code, ""),
                "differs": system is not None and value not in (None, "") and str(value) != str(system),
                "parts": parts,
            }
        )
    return rows


@login_required
def submission_detail(request, pk):
    sub = _submission(request.user, pk)
    user = request.user
    field_errors: dict[str, list[str]] = {}
    posted = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("save", "submit"):
                posted = _posted(request, sub)
                services.save_submission(
                    user, sub, values=posted[0], breakdown=posted[1], reasons=posted[2], narrative=posted[3]
                )
                if action == "submit":
                    services.submit(user, sub)
                    messages.success(request, _("Đã trình lãnh đạo duyệt."))
                else:
                    messages.success(request, _("Đã lưu bản nháp."))
                return redirect("reporting:submission", pk=sub.pk)
            if action == "refresh":
                services.refresh_prefill(user, sub)
                messages.success(request, _("Đã cập nhật số liệu hệ thống."))
            elif action == "approve" and not request.POST.get("confirm"):
                messages.error(request, _("Đánh dấu ô xác nhận trước khi duyệt và gửi báo cáo."))
            elif action == "approve":
                services.approve(user, sub)
                messages.success(request, _("Đã duyệt và gửi %(r)s.") % {"r": sub.period.recipient_name})
            elif action == "send_back":
                services.send_back(user, sub, request.POST.get("comment", ""))
                messages.success(request, _("Đã trả lại cho cán bộ soạn."))
            elif action == "accept":
                services.accept(user, sub)
                messages.success(request, _("Đã tiếp nhận báo cáo."))
            elif action == "return":
                services.return_submission(user, sub, request.POST.get("comment", ""))
                messages.success(request, _("Đã trả lại báo cáo kèm ý kiến."))
            return redirect("reporting:submission", pk=sub.pk)
        except services.ReportingError as exc:
            messages.error(request, exc.detail)
            for e in exc.errors:
                field_errors.setdefault(e["field"], []).append(e["message"])
                if not e["field"].startswith(("values.", "breakdown.", "reasons.", "narrative.")):
                    messages.error(request, e["message"])
            sub.refresh_from_db()
    locked = services.is_locked(sub.period, sub.agency, sub.status)
    editable = can(user, "change", sub) and sub.status in services.EDITABLE and not locked
    errors = services.validate(sub) if editable and not field_errors else []
    narrative = posted[3] if posted else (sub.narrative or {})
    rows = _indicator_rows(sub, posted)
    for row in rows:
        code = row["ind"].code
        row["errors"] = [
            m
            for key, msgs in field_errors.items()
            for m in msgs
            if key in (f"values.{code}", f"reasons.{code}") or key.startswith(f"breakdown.{code}")
        ]
    sections = [
        {"s": s, "text": narrative.get(s.code, ""), "errors": field_errors.get(f"narrative.{s.code}", [])}
        for s in sub.form.sections.all()
    ]
    return render(
        request,
        "reporting/submission.html",
        {
            "sub": sub,
            "rows": rows,
            "editable": editable,
            "locked": locked,
            "sections": sections,
            "field_errors": field_errors,
            "pending_errors": errors,
            "can_approve": can(user, "approve", sub),
            "can_review": can(user, "review", sub),
            "comment_form": CommentForm(),
            "lock_date": services.lock_date(sub.period),
        },
    )


@login_required
def period_create(request):
    require(request.user, "add", Period)
    form = PeriodForm(request.POST or None, province=home_province(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        defaults = services.period_defaults(d["kind"], d["year"], d.get("number") or 1, d["cutoff"])
        submitters = form.submitters()
        try:
            period = services.create_period(
                request.user,
                kind=d["kind"],
                name=d["name"] or defaults.name,
                data_from=d["data_from"] or defaults.data_from,
                data_to=d["data_to"] or defaults.data_to,
                deadline=d["deadline"] or defaults.deadline,
                office_deadline=d["office_deadline"] or defaults.office_deadline,
                cutoff=d["cutoff"] if not (d["data_from"] or d["data_to"]) else Period.Cutoff.CUSTOM,
                expiry_days=d["expiry_days"],
                submitters=submitters,
                form=d.get("form_obj"),
                recipient=d.get("recipient"),
            )
            messages.success(request, _("Đã tạo kỳ báo cáo %(p)s.") % {"p": period.name})
            return redirect("reporting:period", pk=period.pk)
        except services.ReportingError as exc:
            for e in exc.errors:
                form.add_error(e["field"] if e["field"] in form.fields else None, e["message"])
    return render(request, "reporting/period_form.html", {"form": form, "title": _("Tạo kỳ báo cáo")})


@login_required
def period_edit(request, pk):
    period = _period(request.user, pk)
    require(request.user, "change", period)
    initial = {
        "name": period.name,
        "deadline": period.deadline,
        "office_deadline": period.office_deadline,
        "expiry_days": period.expiry_days,
    }
    form = PeriodEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_period(request.user, period, **form.cleaned_data)
            messages.success(request, _("Đã lưu kỳ báo cáo."))
            return redirect("reporting:period", pk=period.pk)
        except services.ReportingError as exc:
            for e in exc.errors:
                form.add_error(e["field"] if e["field"] in form.fields else None, e["message"])
    return render(
        request,
        "reporting/period_form.html",
        {"form": form, "title": _("Sửa kỳ báo cáo"), "submit_label": _("Lưu")},
    )


@login_required
def campaign_create(request):
    require(request.user, "add", Period)
    form = CampaignForm(request.POST or None, province=home_province(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        submitters = form.submitters()
        periods = services.create_campaign(
            request.user,
            name=d["name"],
            start=d["start"],
            end=d["end"],
            every_days=d["every_days"],
            submitters=submitters,
            expiry_days=d["expiry_days"],
        )
        messages.success(request, _("Đã tạo %(n)s kỳ báo cáo của đợt cao điểm.") % {"n": len(periods)})
        return redirect("reporting:index")
    return render(request, "reporting/period_form.html", {"form": form, "title": _("Tạo đợt cao điểm")})


@login_required
@replica_reads
def consolidated(request, pk):
    period = _period(request.user, pk)
    require(request.user, "consolidate", period)
    report, snapshot = snapshots.period_report(request.user, period)
    initial = {
        "number": report.number,
        "issued_on": report.issued_on,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
        "recipients": report.recipients,
        **{f"section_{c}": report.narrative.get(c, "") for c, _t in report.sections},
    }
    form = ProvinceReportForm(request.POST or None, initial=initial, sections=report.sections)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        consolidation.save_province_report(
            request.user,
            period,
            narrative={c: d.get(f"section_{c}", "") for c, _t in report.sections},
            number=d["number"],
            issued_on=d["issued_on"],
            signer_title=d["signer_title"],
            signer_name=d["signer_name"],
            recipients=d["recipients"],
        )
        messages.success(request, _("Đã lưu báo cáo tổng hợp."))
        return redirect("reporting:consolidated", pk=period.pk)
    issued = services.province_report_issued(period)
    return render(
        request,
        "reporting/consolidated.html",
        {
            "period": period,
            "report": report,
            "form": form,
            "issued": issued,
            "office_overdue": not issued and services.today() > period.office_deadline,
            "snapshot": snapshot,
            "refreshing": snapshot.job if snapshot.job and snapshot.job.status in snapshots.RUNNING else None,
        },
    )


@login_required
@require_POST
def consolidated_refresh(request, pk):
    """Recompute the period's consolidated figures now, in the background (the job's page shows
    the progress and leads back to the report)."""
    period = _period(request.user, pk)
    require(request.user, "consolidate", period)
    job = snapshots.refresh_now(request.user, period)
    if job.owner_id == request.user.pk:
        return redirect("core:job", job_id=job.pk)
    messages.info(request, _("Số liệu tổng hợp đang được tính lại; tải lại trang sau ít phút."))
    return redirect("reporting:consolidated", pk=period.pk)


def _start_export(request, fmt, **what):
    if fmt not in ("docx", "xlsx"):
        raise Http404
    job = services.start_report_export(request.user, fmt=fmt, **what)
    return redirect("core:job", job_id=job.pk)


@login_required
def export_period(request, pk, fmt):
    """GET: what would be exported and a button; POST (the button, CSRF): start the export job."""
    period = _period(request.user, pk)
    if not can(request.user, "consolidate", period):  # refuse at once what the task would refuse
        raise PermissionDenied
    if fmt not in ("docx", "xlsx"):
        raise Http404
    if request.method == "POST":
        return _start_export(request, fmt, period=period)
    return core_exports.confirm_page(
        request,
        _("Xuất báo cáo tổng hợp %(period)s (%(fmt)s)") % {"period": period, "fmt": fmt.upper()},
        [_("Tệp %(fmt)s của báo cáo tổng hợp kỳ “%(period)s”.") % {"fmt": fmt.upper(), "period": period}],
        back_url=reverse("reporting:consolidated", args=[period.pk]),
    )


@login_required
def export_window(request):
    """GET: the window's form (pre-filled from the query); POST: start the export job."""
    policy.require(request.user, "reporting.consolidate", province=home_province(request.user))
    if request.method == "POST":
        form = WindowExportForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            return _start_export(request, d["fmt"], date_from=d["date_from"], date_to=d["date_to"])
    else:
        form = WindowExportForm(initial=request.GET.dict() or None)
    return core_exports.confirm_page(
        request,
        _("Xuất báo cáo tổng hợp theo khoảng thời gian"),
        [_("Số liệu của hệ thống trong khoảng thời gian đã chọn, toàn tỉnh.")],
        form=form,
        back_url=reverse("reporting:index"),
    )


@login_required
@replica_reads
def timeliness(request):
    """Timeliness of each agency's reports and of the Standing Office, for one province: the
    user's own; a national viewer or administrator picks one (`?province=<code>`)."""
    from canhgiac.directory.models import AdministrativeUnit

    provinces = []
    if policy.is_figures_only(request.user) or policy.province_ids(request.user) is None:
        provinces = list(AdministrativeUnit.objects.filter(parent=None).order_by("name"))
        province = next((p for p in provinces if p.code == request.GET.get("province")), provinces[0])
    else:
        province = home_province(request.user)
    policy.require(request.user, "reporting.figures", province=province)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else services.today().year
    periods = list(
        Period.objects.filter(province=province, deadline__year=year, deadline__lte=services.today())
        .order_by("deadline")
        .prefetch_related("submissions", "submitters")  # period_board reads both per period
    )
    office = services.office_record(
        Period.objects.filter(province=province, office_deadline__year=year).order_by("office_deadline"),
        services.today(),
    )
    return render(
        request,
        "reporting/timeliness.html",
        {
            "year": year,
            "province": province,
            "provinces": provinces,
            "figures_only": policy.is_figures_only(request.user),
            "periods": periods,
            "boards": [services.period_board(p) for p in periods],
            "records": services.agency_record(periods),
            "office": office,
            "office_rates": services.office_rates(office),
        },
    )


@login_required
def forms_list(request):
    forms = visible_to(request.user, ReportForm.objects.all()).prefetch_related("indicators", "sections")
    return render(
        request, "reporting/forms.html", {"forms": forms, "can_edit": can(request.user, "change", ReportForm)}
    )


@login_required
def form_edit(request, pk):
    form_obj = get_object_or_404(ReportForm, pk=pk)
    require(request.user, "change", form_obj)
    ind_initial = [
        {
            "code": i.code,
            "label": i.label,
            "unit": i.unit,
            "disaggregation": i.disaggregation,
            "parent_code": i.parent_code,
            "required": i.required,
        }
        for i in form_obj.indicators.all()
    ]
    sec_initial = [
        {"code": s.code, "title": s.title, "required": s.required} for s in form_obj.sections.all()
    ]
    header = FormHeaderForm(request.POST or None, initial={"name": form_obj.name})
    indicators = IndicatorFormSet(request.POST or None, initial=ind_initial, prefix="ind")
    sections = SectionFormSet(request.POST or None, initial=sec_initial, prefix="sec")
    errors = []
    if request.method == "POST" and header.is_valid() and indicators.is_valid() and sections.is_valid():
        ind_rows = [
            f.cleaned_data for f in indicators.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        sec_rows = [
            f.cleaned_data for f in sections.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            new = services.new_form_version(
                request.user,
                form_obj,
                name=header.cleaned_data["name"],
                indicators=ind_rows,
                sections=sec_rows,
                note=header.cleaned_data["note"],
            )
            messages.success(request, _("Đã lưu phiên bản %(v)s của biểu mẫu.") % {"v": new.version})
            return redirect("reporting:forms")
        except services.ReportingError as exc:
            errors = [e["message"] for e in exc.errors]
    return render(
        request,
        "reporting/form_edit.html",
        {
            "form_obj": form_obj,
            "header": header,
            "indicators": indicators,
            "sections": sections,
            "errors": errors,
        },
    )


@login_required
def groups_edit(request):
    policy.require(request.user, "reporting.consolidate")
    groups = list(NationalGroup.objects.order_by("number"))
    types = list(ViolationType.objects.all())
    if request.method == "POST":
        mapping = {g.number: request.POST.getlist(f"group_{g.number}") for g in groups}
        try:
            services.save_group_mapping(request.user, mapping)
            messages.success(request, _("Đã lưu cách xếp nhóm."))
            return redirect("reporting:groups")
        except services.ReportingError as exc:
            _show_error(request, exc)
    assigned = {code: g.number for g in groups for code in g.violation_types}
    return render(request, "reporting/groups.html", {"groups": groups, "types": types, "assigned": assigned})
