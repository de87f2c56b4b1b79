"""Pages of the goods database: the product registry (staff of the province and business users,
each seeing what the policy lets them), the business area, and the Digital Link resolver."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from canhgiac.core import jobs, policy
from canhgiac.core.errors import add_to_form
from canhgiac.core.policy import visible_to
from canhgiac.core.text import fold
from canhgiac.goods import digital_link, forms, services
from canhgiac.goods.models import Business, Product
from canhgiac.goods.products import IMPORT_COLUMNS


def _products(user):
    return visible_to(user, Product.objects.select_related("owner", "category"))


@login_required
def business_home(request):
    """The business area: the user's businesses and their products."""
    if not policy.is_business_user(request.user):
        raise PermissionDenied
    businesses = list(visible_to(request.user, Business.objects.select_related("unit", "province")))
    products = _products(request.user)
    return render(
        request,
        "goods/business_home.html",
        {
            "businesses": businesses,
            "product_count": products.count(),
            "warnings": products.exclude(registration_warning="").count(),
        },
    )


@login_required
def product_list(request):
    policy.require(request.user, "goods.list_products")
    form = forms.ProductFilterForm(request.GET or None)
    products = _products(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            digits = q.replace(" ", "")
            cond = Q(name_folded__contains=fold(q))
            if digits.isdigit():
                cond |= Q(gtin__endswith=digits)
            products = products.filter(cond)
        if data["category"]:
            products = products.filter(category=data["category"])
        if data["status"]:
            products = products.filter(status=data["status"])
        if data["warning"]:
            products = products.exclude(registration_warning="")
    page = Paginator(products.order_by("name", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "goods/product_list.html",
        {
            "form": form,
            "page": page,
            "can_add": policy.can(request.user, "add", Product),
            "can_import": policy.can(request.user, "goods.import_products"),
        },
    )


@login_required
def product_detail(request, pk):
    product = get_object_or_404(_products(request.user).prefetch_related("distributors"), pk=pk)
    return render(
        request,
        "goods/product_detail.html",
        {
            "product": product,
            "gtin_display": services.display_gtin(product.gtin),
            "digital_link": request.build_absolute_uri(f"/01/{product.gtin}"),
            "can_change": policy.can(request.user, "change", product),
        },
    )


@login_required
def product_edit(request, pk=None):
    product = get_object_or_404(_products(request.user), pk=pk) if pk else None
    if product is None:
        policy.require(request.user, "add", Product)
    else:
        policy.require(request.user, "change", product)
    initial = {}
    if product is not None:
        initial = {
            "gtin": services.display_gtin(product.gtin),
            "name": product.name,
            "brand": product.brand,
            "category": product.category_id,
            "owner": product.owner_id,
            "registration_no": product.registration_no,
            "reference_price_vnd": product.reference_price_vnd,
            "status": product.status,
            "distributors": list(product.distributors.values_list("pk", flat=True)),
        }
    form = forms.ProductForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_product(request.user, product, form.cleaned_data)
        except PermissionDenied:
            raise
        except Exception as exc:
            from django.core.exceptions import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            add_to_form(form, exc)
        else:
            if saved.registration_warning:
                messages.warning(request, saved.registration_warning)
            messages.success(request, _("Đã lưu sản phẩm."))
            return redirect("goods:product", pk=saved.pk)
    return render(request, "goods/product_form.html", {"form": form, "product": product})


@login_required
def product_import(request):
    policy.require(request.user, "goods.import_products")
    form = forms.ProductImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job = jobs.create_job(
            "goods.import_products",
            _("Nhập sản phẩm từ tệp %(name)s") % {"name": Path(upload.name).name[:100]},
            owner=request.user,
            upload=str(path),
        )
        from canhgiac.goods.tasks import import_products_task

        transaction.on_commit(
            lambda: import_products_task.enqueue(str(job.pk), str(path), upload.name, request.user.pk)
        )
        return redirect("core:job", job_id=job.pk)
    return render(request, "goods/product_import.html", {"form": form, "columns": IMPORT_COLUMNS})


def resolve(request, gtin, lot=None, serial=None):
    """A GS1 Digital Link path on this server (/01/{gtin}[/10/{lot}[/21/{serial}]]): the public
    product page for a person, the product data and its links for a program asking for JSON."""
    uri = request.build_absolute_uri(request.get_full_path())
    try:
        parsed = digital_link.parse(uri)
    except digital_link.DigitalLinkError:
        raise Http404
    product = services.product_by_gtin(gtin)
    data = services.public_product(product, parsed, base=request.build_absolute_uri("/")) if product else None
    wants_json = "application/json" in request.headers.get(
        "Accept", ""
    ) and "text/html" not in request.headers.get("Accept", "")
    if wants_json:
        body = {
            "uri": uri,
            "element_string": parsed.element_string,
            "ais": parsed.ais_list(),
            "product": data,
        }
        return JsonResponse(body, status=200 if product else 404, json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "goods/resolve.html",
        {"product": product, "data": data, "parsed": parsed, "gtin": gtin, "lot": lot, "serial": serial},
        status=200 if product else 404,
    )


def product_lookup(request):
    """Public: a GTIN typed from under a barcode leads to the product's Digital Link page."""
    gtin = (request.GET.get("gtin") or "").strip()
    error = ""
    if gtin:
        try:
            return redirect(f"/01/{services.clean_gtin(gtin)}")
        except ValueError as exc:
            error = _("Mã GTIN %(reason)s") % {"reason": str(exc)}
    return render(request, "goods/lookup.html", {"gtin": gtin, "error": error})


@login_required
def trace(request):
    """The trace of a serial, a lot or a GTIN (EPCIS events) for staff: path, packing,
    transformations, gaps."""
    from canhgiac.goods.epcis import trace as tracing

    if not policy.is_staff_member(request.user) or not policy.can(request.user, "goods.epcis_query"):
        raise PermissionDenied
    text = request.GET.get("q", "").strip()
    result, error, product = None, "", None
    if text:
        try:
            result = tracing.trace(request.user, text)
        except tracing.TraceError as exc:
            error = str(exc)
        if result is not None and result.gtin:
            product = _products(request.user).filter(gtin=result.gtin).first()
    return render(
        request, "goods/trace.html", {"q": text, "trace": result, "error": error, "product": product}
    )


@login_required
def trace_leads(request):
    """Leads for QLTT from the EPCIS events: goods inspected or sold where they were never
    received, events about recalled products."""
    from canhgiac.goods.epcis import leads

    if not policy.is_staff_member(request.user) or not policy.can(request.user, "goods.epcis_query"):
        raise PermissionDenied
    return render(request, "goods/trace_leads.html", {"leads": leads.leads(request.user)})
