from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from canhgiac.core.policy import can, require, visible_to
from canhgiac.core.text import fold
from canhgiac.directory import services
from canhgiac.directory.forms import HotlineForm, ResponsibilityForm, UnitLocationsForm
from canhgiac.directory.models import AdministrativeUnit, Agency, Responsibility


@login_required
def matrix(request):
    rows = (
        visible_to(request.user, Responsibility.objects.all())
        .select_related("field", "unit", "unit__parent", "lead")
        .prefetch_related("coordinating")
        .order_by("unit__parent_id", "unit__name", "field__order")
    )
    province_rows = [r for r in rows if r.unit.parent_id is None]
    commune_rows = [r for r in rows if r.unit.parent_id is not None]
    return render(
        request,
        "directory/matrix.html",
        {
            "province_rows": province_rows,
            "commune_rows": commune_rows,
            "can_edit": can(request.user, "change", Responsibility),
        },
    )


@login_required
def matrix_edit(request, pk=None):
    row = get_object_or_404(Responsibility, pk=pk) if pk else None
    require(request.user, "change" if row else "add", row or Responsibility)
    initial = {}
    if row:
        initial = {
            "field": row.field,
            "unit": row.unit,
            "lead": row.lead,
            "coordinating": list(row.coordinating.all()),
            "note": row.note,
        }
    form = ResponsibilityForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = (
            Responsibility.objects.filter(field=data["field"], unit=data["unit"])
            .exclude(pk=getattr(row, "pk", None))
            .first()
        )
        if existing:
            form.add_error("unit", _("Đã có phân công cho lĩnh vực này trên địa bàn này; hãy sửa dòng đó."))
        else:
            services.save_responsibility(row=row, **data)
            messages.success(request, _("Đã lưu phân công trách nhiệm."))
            return redirect("directory:matrix")
    return render(request, "directory/matrix_edit.html", {"form": form, "row": row})


@login_required
def agencies(request):
    q = request.GET.get("q", "")
    qs = visible_to(request.user, Agency.objects.filter(is_active=True)).select_related("unit")
    if q:
        qs = qs.filter(Q(name_folded__contains=fold(q)) | Q(code__iexact=q.strip()))
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "directory/agencies.html",
        {"agencies": qs[:300], "q": q, "kind": kind, "kinds": Agency.Kind.choices, "total": qs.count()},
    )


@login_required
def border(request):
    """The Standing Office ticks the communes of its province that lie on the border."""
    provinces = [
        p
        for p in AdministrativeUnit.objects.filter(parent=None).order_by("code")
        if can(request.user, "set_border", p)
    ]
    if not provinces:
        raise PermissionDenied
    province = next((p for p in provinces if p.code == request.GET.get("province")), provinces[0])
    if request.method == "POST":
        changed = services.set_border_communes(request.user, province, request.POST.getlist("border"))
        messages.success(request, _("Đã lưu danh sách xã biên giới (%(n)s thay đổi).") % {"n": changed})
        return redirect(f"{request.path}?province={province.code}")
    communes = services.border_units(province).order_by("name_folded")
    return render(
        request,
        "directory/border.html",
        {"province": province, "provinces": provinces, "communes": communes},
    )


@login_required
def hotline(request):
    """A leader publishes their agency's hotline; the Standing Office also sees who has not."""
    from canhgiac.core import policy

    mine = [
        a
        for a in Agency.objects.filter(is_active=True).order_by("name")
        if can(request.user, "publish_hotline", a)
    ]
    mine = [a for a in mine if policy.has_role(request.user, policy.LEADER, agency=a)] or mine[:1]
    coordinator = policy.is_coordinator(request.user)
    if not mine and not coordinator:
        raise PermissionDenied
    agency = next((a for a in mine if a.code == request.GET.get("agency")), mine[0] if mine else None)
    form = None
    if agency is not None:
        initial = {"hotline": agency.hotline, "email": agency.email, "hours": agency.hotline_hours}
        form = HotlineForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.publish_hotline(request.user, agency, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Đã công bố đường dây nóng của %(agency)s.") % {"agency": agency.name}
                )
                return redirect(f"{request.path}?agency={agency.code}")
    status = list(services.hotline_status()) if coordinator else []
    missing = [a for a in status if not a.hotline]
    return render(
        request,
        "directory/hotline.html",
        {"agency": agency, "agencies": mine, "form": form, "status": status, "missing": missing},
    )


@login_required
def locations(request):
    """Administrators load the coordinates of their province's wards and communes (reference data
    from the province's GIS or the Ministry's dataset) and see how many have them."""
    from canhgiac.core.numbers import format_vn_number

    provinces = services.location_provinces(request.user)
    if not provinces:
        raise PermissionDenied
    form = UnitLocationsForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.import_unit_locations(request.user, upload.read(), upload.name)
        if result.ok:
            messages.success(
                request,
                _("Đã nạp tệp %(name)s: %(changed)s đơn vị thay đổi tọa độ, %(unchanged)s đơn vị không đổi.")
                % {
                    "name": upload.name,
                    "changed": format_vn_number(result.changed),
                    "unchanged": format_vn_number(result.unchanged),
                },
            )
            return redirect("directory:locations")
        errors = result.errors
    return render(
        request,
        "directory/locations.html",
        {
            "form": form,
            "errors": errors,
            "coverage": services.location_coverage(provinces),
        },
        status=400 if errors else 200,
    )
