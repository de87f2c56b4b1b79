import io
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from canhgiac.audit import services as audit
from canhgiac.cases import exports, forms, imports, services
from canhgiac.cases.filtersets import CaseFilterSet
from canhgiac.cases.models import Attachment, Case, Inspection, Warning
from canhgiac.cases.tables import CaseTable
from canhgiac.core import jobs, policy, spreadsheet
from canhgiac.core.dbrouter import replica_reads
from canhgiac.core.errors import add_to_form
from canhgiac.core.exports import confirm_page, start_export
from canhgiac.core.forms import warnings
from canhgiac.core.numbers import format_vn_number
from canhgiac.core.policy import can, require, visible_to
from canhgiac.directory.forms import province_code
from canhgiac.directory.models import Agency, GoodsCategory, ViolationType

# A CSV up to this many cases streams in the request; larger ones are a job. 5,000 took 9.7 s on
# PostgreSQL at load 14 (bench/exports_bench.py), so the request stays near a second at worst.
CSV_STREAM_ROWS = 500
LIST_COUNT_CAP = 1_000


def _visible_case(request, pk) -> Case:
    qs = visible_to(
        request.user,
        Case.objects.select_related("lead_agency", "unit", "unit__parent", "violation_type", "created_by"),
    )
    return get_object_or_404(qs, pk=pk)


def _filterset(request):
    return CaseFilterSet(request.GET or None, queryset=services.scoped_cases(request.user), user=request.user)


@login_required
def case_list(request):
    filterset = _filterset(request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    qs = qs.select_related("lead_agency", "unit", "violation_type")
    table = CaseTable(qs)
    raw = str(request.GET.get("per_page", "25"))
    per_page = min(max(int(raw), 10), 100) if raw.isdigit() else 25
    # No COUNT(*) over the whole register: pages look one row ahead, and the total shown is capped.
    RequestConfig(request, paginate={"per_page": per_page, "paginator_class": LazyPaginator}).configure(table)
    total = qs.order_by()[: LIST_COUNT_CAP + 1].count()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "filter": filterset,
            "table": table,
            "query": query.urlencode(),
            "total": min(total, LIST_COUNT_CAP),
            "more": total > LIST_COUNT_CAP,
            "can_add": can(request.user, "add", Case),
            "can_import": policy.can(request.user, "cases.import"),
            "can_export_identifiers": policy.can(request.user, "cases.export_identifiers"),
        },
    )


def _export_confirm(request, fmt, count, identifiers):
    shown = (
        format_vn_number(count)
        if count <= CSV_STREAM_ROWS
        else _("hơn %(n)s") % {"n": format_vn_number(CSV_STREAM_ROWS)}
    )
    lines = [_("Các vụ việc theo bộ lọc đang chọn: %(n)s vụ việc.") % {"n": shown}]
    if identifiers:
        lines.append(_("Kèm số định danh: mỗi vụ việc xuất ra được ghi nhật ký như xem dữ liệu cá nhân."))
    query = request.GET.copy()
    query.pop("identifiers", None)
    return confirm_page(
        request,
        _("Xuất vụ việc (%(fmt)s)") % {"fmt": fmt.upper()},
        lines,
        back_url=reverse("cases:list") + ("?" + query.urlencode() if query else ""),
    )


@login_required
def case_export(request, fmt):
    """GET: what would be exported (the list's filter, in the query string) and a button; POST
    (the button, CSRF; the filter stays in the query string): a CSV of a small set streams in the
    request; a large CSV and every XLSX are built by a task (core.exports) and downloaded from the
    job page when ready."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    require(request.user, "export", Case)
    params = {key: request.GET.getlist(key) for key in request.GET}
    identifiers_for = exports.identifier_predicate(request.user, params)  # 403 without the verb
    qs = exports.filtered_cases(request.user, params)
    count = qs.order_by()[: CSV_STREAM_ROWS + 1].count()
    if request.method != "POST":
        return _export_confirm(request, fmt, count, bool(identifiers_for))
    if fmt == "csv" and count <= CSV_STREAM_ROWS:
        exports.record_export(qs, fmt, params, request.user)
        response = StreamingHttpResponse(
            exports.csv_chunks(qs, identifiers_for=identifiers_for), content_type=exports.CSV_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{exports.file_name("csv")}"'
        response["Cache-Control"] = "no-store"
        return response
    if fmt == "xlsx" and qs.count() > exports.MAX_XLSX_ROWS:
        messages.error(
            request, _("Quá nhiều dòng cho tệp XLSX (tối đa 100.000); hãy lọc hẹp hơn hoặc xuất CSV.")
        )
        return redirect(reverse("cases:list") + "?" + request.GET.urlencode())
    title = _("Xuất vụ việc kèm số định danh (%(fmt)s)") if identifiers_for else _("Xuất vụ việc (%(fmt)s)")
    job = start_export(request.user, f"cases.{fmt}", title % {"fmt": fmt.upper()}, params)
    return redirect("core:job", job_id=job.pk)


def _mark_goods_warnings(user, goods) -> None:
    """Goods lines naming a registered product get `warning_state`: "warned", or "may_warn" (the
    button "warn about this product" on a counterfeit line), through the goods app's services."""
    named = [g for g in goods if g.product_id]
    if not named or not services.is_counterfeit_line(named[0]):
        return
    from canhgiac.goods import services as goods_services

    warned = goods_services.warned_lines([g.pk for g in named])
    # the answer depends on the product's province and field (its lead agency): asked once for each
    may_warn = {}
    for g in named:
        if g.pk in warned:
            g.warning_state = "warned"
            continue
        key = (g.product.owner.province_id, g.product.category.field_id)
        if key not in may_warn:
            may_warn[key] = goods_services.may_warn_about(user, g.product)
        if may_warn[key]:
            g.warning_state = "may_warn"


@login_required
def case_detail(request, pk):
    case = _visible_case(request, pk)
    links = list(case.subject_links.select_related("subject"))
    if links:  # subjects are personal data: each view is recorded
        audit.record("cases.case_viewed", obj=case)
    duplicates = services.duplicates_for(request.user, case)
    goods = list(
        case.goods.select_related("goods_category", "product__owner__province", "product__category__field")
    )
    _mark_goods_warnings(request.user, goods)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "goods": goods,
            "links": links,
            "attachments": case.attachments.all(),
            "history": _history_rows(case),
            "duplicates": duplicates,
            "other_types": case.other_violation_types.all(),
            "shared_with": case.shared_with.all(),
            "participating": case.participating_agencies.all(),
            "can_edit": can(request.user, "change", case),
            "can_delete": can(request.user, "delete", case),
            "can_warn": policy.can(request.user, "cases.publish_warning", case)
            and case.status == Case.Status.CLOSED,
            "attachment_form": forms.AttachmentForm(),
        },
    )


ACTION_LABELS = {
    "cases.case.create": _lazy("Tạo vụ việc"),
    "cases.case.update": _lazy("Sửa vụ việc"),
    "cases.case_viewed": _lazy("Xem hồ sơ (có dữ liệu cá nhân)"),
    "cases.attachment_viewed": _lazy("Tải tệp đính kèm"),
    "cases.casegoods.create": _lazy("Thêm dòng hàng"),
    "cases.casegoods.update": _lazy("Sửa dòng hàng"),
    "cases.casegoods.delete": _lazy("Xóa dòng hàng"),
    "cases.casesubject.create": _lazy("Thêm đối tượng"),
    "cases.casesubject.delete": _lazy("Bỏ đối tượng"),
    "cases.attachment.create": _lazy("Đính kèm tệp"),
}


def _history_rows(case, limit=100):
    """The case's audit events with Vietnamese action names and the labels of the changed fields."""
    labels = {f.attname: str(f.verbose_name) for f in Case._meta.concrete_fields}
    labels.update({f.name: str(f.verbose_name) for f in Case._meta.many_to_many})
    rows = []
    for event in services.case_history(case)[:limit]:
        fields = [labels.get(k, k) for k in event.changes if k not in ("case_id", "via")]
        rows.append(
            {
                "time": event.time,
                "actor": event.actor_label,
                "action": ACTION_LABELS.get(event.action, event.action),
                "fields": fields if event.action.endswith(".update") else [],
            }
        )
    return rows


def _apply_errors(exc: ValidationError, form, goods_fs, subjects_fs):
    def on_formset(formset):
        def put(errors):
            formset._non_form_errors = formset.error_class(errors)

        return put

    add_to_form(
        form,
        exc,
        rename={"lead_agency_code": "lead_agency", "unit_code": "unit"},
        elsewhere={"goods": on_formset(goods_fs), "subjects": on_formset(subjects_fs)},
    )


@login_required
def case_edit(request, pk=None):
    case = _visible_case(request, pk) if pk else None
    require(request.user, "change" if case else "add", case or Case)
    if request.method == "POST":
        form = forms.CaseForm(request.POST, user=request.user)
        goods_fs = forms.GoodsFormSet(request.POST, prefix="goods")
        subjects_fs = forms.SubjectFormSet(request.POST, prefix="subjects")
        if form.is_valid() and goods_fs.is_valid() and subjects_fs.is_valid():
            data = form.to_data()
            data["goods"] = forms.rows_of(goods_fs)
            data["subjects"] = forms.rows_of(subjects_fs)
            try:
                if case:
                    case = services.update_case(request.user, case, data)
                else:
                    case = services.create_case(request.user, data)
            except ValidationError as exc:
                _apply_errors(exc, form, goods_fs, subjects_fs)
            else:
                messages.success(request, _("Đã lưu vụ việc %(ref)s.") % {"ref": case.reference})
                for text in warnings(form, goods_fs):
                    messages.warning(request, text)
                duplicates = services.duplicates_for(request.user, case)
                if duplicates["cases"] or duplicates["holders"]:
                    messages.warning(
                        request,
                        _("Cơ quan khác có thể đã ghi nhận vụ việc này: xem mục “Có thể trùng lặp”."),
                    )
                return redirect(case)
    else:
        initial = {"status": Case.Status.DETECTED, "detected_on": timezone.localdate()}
        membership = request.user.primary_membership
        if membership:
            initial["lead_agency"] = membership.agency
            if membership.agency.unit_id:
                initial["unit"] = membership.agency.unit
        form = forms.CaseForm(user=request.user, case=case, initial=None if case else initial)
        goods_fs = forms.GoodsFormSet(prefix="goods", initial=forms.goods_initial(case) if case else None)
        subjects_fs = forms.SubjectFormSet(
            prefix="subjects", initial=forms.subjects_initial(case) if case else None
        )
    formsets = [goods_fs, subjects_fs]
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "goods_fs": goods_fs,
            "subjects_fs": subjects_fs,
            "case": case,
            # For the error summary at the top of the form.
            "formsets": formsets,
            "formsets_have_errors": any(fs.is_bound and fs.total_error_count() for fs in formsets),
        },
    )


@login_required
@require_POST
def case_delete(request, pk):
    case = _visible_case(request, pk)
    services.delete_case(request.user, case)
    messages.success(request, _("Đã xóa vụ việc %(ref)s.") % {"ref": case.reference})
    return redirect("cases:list")


@login_required
@require_POST
def attachment_add(request, pk):
    case = _visible_case(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                request.user, case, form.cleaned_data["file"], form.cleaned_data["description"]
            )
            messages.success(request, _("Đã đính kèm tệp."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Chưa chọn tệp."))
    return redirect(case)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(visible_to(request.user, Attachment.objects.select_related("case")), pk=pk)
    audit.record("cases.attachment_viewed", obj=attachment.case, changes={"attachment": attachment.pk})
    return FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.original_name
    )


# ---------------------------------------------------------------- import


@login_required
def case_import(request):
    policy.require(request.user, "cases.import")
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job = jobs.create_job(
            "cases.import",
            _("Nhập vụ việc từ tệp %(name)s") % {"name": Path(upload.name).name[:100]},
            owner=request.user,
            upload=str(path),
        )
        from canhgiac.cases.tasks import import_cases_task

        agency = form.cleaned_data.get("agency")
        transaction.on_commit(
            lambda: import_cases_task.enqueue(
                str(job.pk), str(path), upload.name, agency.code if agency else None, request.user.pk
            )
        )
        return redirect("core:job", job_id=job.pk)
    return render(request, "cases/import.html", {"form": form, "columns": imports.COLUMNS})


def _csv_download(rows, filename):
    out = io.StringIO()
    writer = spreadsheet.csv_writer(out)
    for row in rows:
        writer.writerow(row)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_template(request):
    return _csv_download(imports.template_rows(), "mau-nhap-vu-viec.csv")


@login_required
def import_codes(request):
    return _csv_download(imports.code_rows(), "danh-muc-ma-nhap-vu-viec.csv")


# ---------------------------------------------------------------- inspections


@login_required
def inspection_list(request):
    qs = visible_to(request.user, Inspection.objects.select_related("agency", "business", "unit"))
    return render(
        request,
        "cases/inspections.html",
        {"inspections": qs[:200], "total": qs.count(), "can_add": can(request.user, "add", Inspection)},
    )


@login_required
def inspection_edit(request, pk=None):
    inspection = get_object_or_404(visible_to(request.user, Inspection.objects.all()), pk=pk) if pk else None
    require(request.user, "change" if inspection else "add", inspection or Inspection)
    initial = None
    if inspection:
        initial = {
            "agency": inspection.agency,
            "business_name": inspection.business.name,
            "business_tax_code": inspection.business.identifier,
            "address": inspection.business.address,
            "unit": inspection.unit,
            "planned_on": inspection.planned_on,
            "done_on": inspection.done_on,
            "status": inspection.status,
            "purpose": inspection.purpose,
            "result": inspection.result,
        }
    form = forms.InspectionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            inspection, overlaps = services.save_inspection(request.user, dict(form.cleaned_data), inspection)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã lưu cuộc kiểm tra."))
            if overlaps:
                messages.warning(
                    request,
                    _("Cảnh báo trùng lặp: cơ quan khác đã hoặc sẽ kiểm tra cơ sở này trong vòng 12 tháng."),
                )
            return redirect("cases:inspection", pk=inspection.pk)
    return render(request, "cases/inspection_form.html", {"form": form, "inspection": inspection})


@login_required
def inspection_detail(request, pk):
    inspection = get_object_or_404(
        visible_to(request.user, Inspection.objects.select_related("agency", "business", "unit")), pk=pk
    )
    return render(
        request,
        "cases/inspection_detail.html",
        {
            "inspection": inspection,
            "overlaps": services.inspection_overlaps(inspection),
            "can_edit": can(request.user, "change", inspection),
        },
    )


# ---------------------------------------------------------------- warnings


@login_required
def warnings_manage(request):
    policy.require(request.user, "cases.publish_warning")
    return render(
        request,
        "cases/warnings_manage.html",
        {"warnings": visible_to(request.user, Warning.objects.select_related("case"))[:200]},
    )


@login_required
def warning_edit(request, pk=None):
    policy.require(request.user, "cases.publish_warning")
    warning = get_object_or_404(visible_to(request.user, Warning.objects.all()), pk=pk) if pk else None
    case = warning.case if warning else None
    if not warning and request.GET.get("case"):
        case = _visible_case(request, request.GET["case"])
    if warning:
        initial = {
            "title": warning.title,
            "body": warning.body,
            "goods_category": warning.goods_category,
            "violation_type": warning.violation_type,
            "publish": warning.is_published,
        }
    else:
        initial = services.warning_draft(case) if case else {}
    form = forms.WarningForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data, case=case)
        try:
            warning = services.save_warning(request.user, data, warning, publish=data.pop("publish"))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if not form.cleaned_data["publish"] and warning.is_published:
                services.unpublish_warning(request.user, warning)
            messages.success(request, _("Đã lưu cảnh báo."))
            return redirect("cases:warnings_manage")
    return render(request, "cases/warning_form.html", {"form": form, "case": case, "warning": warning})


FIGURE_LABELS = {
    "cases": _lazy("Số vụ việc"),
    "goods_value_vnd": _lazy("Trị giá hàng vi phạm (đồng)"),
    "fines_vnd": _lazy("Tiền phạt (đồng)"),
    "budget_revenue_vnd": _lazy("Thu nộp ngân sách (đồng)"),
    "criminal_cases": _lazy("Vụ khởi tố hình sự"),
    "defendants": _lazy("Số bị can"),
}


@login_required
@replica_reads
def figures(request):
    """The summary of the cases the user may see, against the same period last year."""
    policy.require(request.user, "cases.figures")
    today = timezone.localdate()
    form = forms.FiguresForm(
        request.GET or {"date_from": today.replace(month=1, day=1), "date_to": today}, user=request.user
    )
    result = None
    if form.is_valid():
        data = form.cleaned_data
        summary = services.summary(
            request.user,
            data["date_from"],
            data["date_to"],
            agency_code=data["agency"].code if data.get("agency") else None,
            unit_code=data["unit"].code if data.get("unit") else None,
            province_code=province_code(form),
        )
        names = {
            "cases_by_violation_type": dict(ViolationType.objects.values_list("code", "name")),
            "cases_by_agency": {a.code: str(a) for a in Agency.objects.all()},
            "cases_by_goods_category": dict(GoodsCategory.objects.values_list("code", "name")),
        }
        totals, last, change = summary["totals"], summary["same_period_last_year"], summary["change_pct"]
        split = services.online_split_compared(
            request.user,
            data["date_from"],
            data["date_to"],
            agency_code=data["agency"].code if data.get("agency") else None,
            unit_code=data["unit"].code if data.get("unit") else None,
            province_code=province_code(form),
        )
        result = {
            "online_split": [
                {"label": label, **split[side]}
                for side, label in (
                    ("online", _lazy("Trên không gian mạng (thương mại điện tử, mạng xã hội)")),
                    ("offline", _lazy("Ngoài không gian mạng")),
                )
            ],
            "rows": [
                {"label": label, "now": totals[key], "last": last[key], "change": change[key]}
                for key, label in FIGURE_LABELS.items()
            ],
            "breakdowns": [
                {
                    "title": title,
                    "rows": sorted(
                        (
                            {
                                "label": names[key].get(code, code),
                                "now": totals[key].get(code, 0),
                                "last": last[key].get(code, 0),
                                "change": change[key].get(code),
                            }
                            for code in set(totals[key]) | set(last[key])
                        ),
                        key=lambda r: -r["now"],
                    ),
                }
                for key, title in (
                    ("cases_by_violation_type", _lazy("Theo hành vi vi phạm chính")),
                    ("cases_by_agency", _lazy("Theo cơ quan chủ trì")),
                    ("cases_by_goods_category", _lazy("Theo nhóm hàng")),
                )
            ],
        }
    return render(request, "cases/figures.html", {"form": form, "result": result})
