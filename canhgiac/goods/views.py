"""Pages of the goods database: the product registry (staff of the province and business users,
each seeing what the policy lets them), the business area, and the Digital Link resolver."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canhgiac.core import jobs, policy
from canhgiac.core.errors import add_to_form
from canhgiac.core.policy import visible_to
from canhgiac.core.text import fold
from canhgiac.goods import codes, digital_link, figures, forms, services, verify
from canhgiac.goods.models import CodeBatch, Product, SerialCode
from canhgiac.goods.products import IMPORT_COLUMNS


def _products(user):
    return visible_to(user, Product.objects.select_related("owner", "category"))


def _acting(request) -> dict:
    """The businesses the user acts for and the one chosen (kept in the session, checked by the
    policy on every use), for the business area's pages and their choice form."""
    businesses = services.acting_businesses(request.user)
    current = services.current_business(
        request.user, request.session.get(services.BUSINESS_SESSION_KEY), businesses
    )
    return {
        "acting_businesses": businesses,
        "current_business": current,
        "choice_next": request.get_full_path(),
    }


@login_required
@require_POST
def choose_business(request):
    """A user of several businesses chooses which one they act for (issuing, marking codes)."""
    policy.require(request.user, "goods.act_for")
    try:
        business = services.choose_business(request.user, request.POST.get("business", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session[services.BUSINESS_SESSION_KEY] = business.pk
        messages.success(request, _("Đang làm việc cho %(name)s.") % {"name": business.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("goods:business_home")
    return redirect(target)


@login_required
def business_home(request):
    """The business area: the user's businesses and their products."""
    if not policy.is_business_user(request.user):
        raise PermissionDenied
    acting = _acting(request)
    businesses = acting["acting_businesses"]
    products = _products(request.user)
    return render(
        request,
        "goods/business_home.html",
        {
            **acting,
            "businesses": businesses,
            "product_count": products.count(),
            "warnings": products.exclude(registration_warning="").count(),
        },
    )


@login_required
def business_commitments(request):
    """The business area's commitments (issue 15): the commitments registered under the tax code
    of the user's businesses, read and signed online with the user's account (online services)."""
    from canhgiac.online import services as online

    if not policy.is_business_user(request.user):
        raise PermissionDenied
    if request.method == "POST" and "claim" in request.POST:  # "Đây là tôi": an entry offered to claim
        claimed = (
            online.claimable_signers(request.user).filter(pk__in=[request.POST.get("claim") or 0]).first()
        )
        if claimed is None:
            raise PermissionDenied
        online.claim_signer(request.user, claimed)
        messages.success(request, _("Đã gắn “%(name)s” vào tài khoản của bạn.") % {"name": claimed.name})
        return redirect("goods:business_commitments")
    signers = list(online.own_signers(request.user).select_related("commitment__recorded_by"))
    if request.method == "POST":
        signer = next((s for s in signers if str(s.pk) == request.POST.get("signer")), None)
        if signer is None:
            raise PermissionDenied
        try:
            online.sign_online(request.user, signer, confirmed=request.POST.get("confirm") == "1")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã ký cam kết. Cảm ơn doanh nghiệp."))
        return redirect("goods:business_commitments")
    for s in signers:
        s.round = online.round_for(s.registered_on)
    claimable = list(online.claimable_signers(request.user))
    return render(request, "goods/business_commitments.html", {"signers": signers, "claimable": claimable})


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
    product = get_object_or_404(
        _products(request.user)
        .select_related("owner__province", "category__field")
        .prefetch_related("distributors"),
        pk=pk,
    )
    from canhgiac.goods.models import Recall

    # one rule answers both (the lead agency of the product's field records recalls and warnings)
    can_record = policy.can(request.user, "add", Recall, product=product)

    return render(
        request,
        "goods/product_detail.html",
        {
            "product": product,
            "notices": services.notices_for(request.user, product),
            "can_record": can_record,
            "can_warn": can_record,
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
    """A GS1 Digital Link path on this server (/01/{gtin}[/10/{lot}][/21/{serial}]): the public
    product page for a person, the product data and its links for a program asking for JSON."""
    uri = request.build_absolute_uri(request.get_full_path())
    try:
        parsed = digital_link.parse(uri)
    except digital_link.DigitalLinkError:
        raise Http404
    wants_json = "application/json" in request.headers.get(
        "Accept", ""
    ) and "text/html" not in request.headers.get("Accept", "")
    if serial and request.GET.get("s") and not wants_json:
        # a signed code scanned with the phone's own camera app lands here: check it
        from urllib.parse import urlencode

        return redirect(f"{reverse('goods:check')}?{urlencode({'code': uri})}")
    product = services.product_by_gtin(gtin)
    data = services.public_product(product, parsed, base=request.build_absolute_uri("/")) if product else None
    notices = services.public_notices(product, lot) if product else None
    lookup = services.epcis().consumer_lookup(product, lot or "", serial or "", parsed) if product else None
    if wants_json:
        body = {
            "uri": uri,
            "element_string": parsed.element_string,
            "ais": parsed.ais_list(),
            "product": data,
            # the consumer look-up fields of Circular 02/2024/TT-BKHCN, as the page shows them
            "lookup": lookup.as_dict(request.build_absolute_uri) if lookup is not None else None,
        }
        if notices is not None:
            body.update(notices)
        return JsonResponse(body, status=200 if product else 404, json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "goods/resolve.html",
        {
            "product": product,
            "data": data,
            "parsed": parsed,
            "gtin": gtin,
            "lot": lot,
            "serial": serial,
            "notices": notices,
            "lookup": lookup,
        },
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


# --- signed codes: the business area (item 4) ------------------------------------------------------


def _batches(user):
    return visible_to(user, CodeBatch.objects.select_related("product", "business", "key"))


@login_required
def code_batches(request):
    """The business's code batches, and the form asking for a new one (issued in the background)."""
    policy.require(request.user, "goods.issue_codes")
    acting = _acting(request)
    current = acting["current_business"]  # a business user's products and batches: this one's
    form = forms.CodeBatchForm(request.POST or None, user=request.user, business=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch, job = codes.start_batch(request.user, data["product"], data["lot"], data["count"])
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            return redirect("core:job", job_id=job.pk)
    batches = _batches(request.user)
    if current is not None:
        batches = batches.filter(business=current)
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    return render(request, "goods/code_batches.html", {**acting, "form": form, "page": page})


@login_required
def code_batch(request, pk):
    batch = get_object_or_404(_batches(request.user), pk=pk)
    counts = dict(
        SerialCode.objects.filter(batch=batch).values_list("status").annotate(n=Count("id")).order_by()
    )
    return render(
        request,
        "goods/code_batch.html",
        {
            "batch": batch,
            "counts": [(label, counts.get(value, 0)) for value, label in SerialCode.Status.choices],
            "has_file": batch.status == CodeBatch.Status.ISSUED and codes.batch_file(batch).exists(),
            "pdf_max": codes.PDF_MAX,
            "pdf_starts": list(range(0, min(batch.count, 50 * codes.PDF_MAX), codes.PDF_MAX)),
            "can_mark": policy.can(request.user, "goods.mark_codes", business=batch.business),
        },
    )


def _batch_file_or_404(request, pk):
    batch = get_object_or_404(_batches(request.user), pk=pk)
    if batch.status != CodeBatch.Status.ISSUED or not codes.batch_file(batch).exists():
        raise Http404
    return batch


@login_required
def code_batch_csv(request, pk):
    batch = _batch_file_or_404(request, pk)
    from canhgiac.audit import services as audit

    audit.record("goods.codes_downloaded", obj=batch, changes={"format": "csv"})
    response = FileResponse(
        codes.batch_file(batch).open("rb"),
        as_attachment=True,
        filename=f"ma-{batch.product.gtin}-{batch.lot}-{batch.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def code_batch_pdf(request, pk):
    batch = _batch_file_or_404(request, pk)
    try:
        start = max(0, int(request.GET.get("start", "0")))
    except ValueError:
        start = 0
    from canhgiac.audit import services as audit

    audit.record("goods.codes_downloaded", obj=batch, changes={"format": "pdf", "start": start})
    response = HttpResponse(codes.pdf_sheet(batch, start, codes.PDF_MAX), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ma-qr-{batch.pk}-{start + 1}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def mark_codes(request):
    """Mark codes sold (when, where), destroyed, stolen or expired: all or nothing."""
    policy.require(request.user, "goods.mark_codes")
    form = forms.MarkCodesForm(request.POST or None)
    acting = _acting(request)
    current = acting["current_business"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from canhgiac.directory.models import AdministrativeUnit

        unit = (
            AdministrativeUnit.objects.filter(code=data["unit_code"]).first() if data["unit_code"] else None
        )
        try:
            total = 0
            with transaction.atomic():
                if current is not None:
                    total += codes.mark_codes(
                        request.user,
                        current,
                        data["serials"].splitlines(),
                        data["status"],
                        at=data["at"],
                        unit=unit,
                        note=data["note"],
                    )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Đã đánh dấu %(n)s mã.") % {"n": total})
            return redirect("goods:code_batches")
    return render(request, "goods/mark_codes.html", {**acting, "form": form})


# --- the public check (item 5) -------------------------------------------------------------------


def check(request):
    """Public: scan a QR code with the camera (jsQR, served locally) or type a code or GTIN; the
    answer is the same as /api/v1/verify's (and is logged the same way)."""
    code_text = (request.GET.get("code") or "").strip()
    unit_code = (request.GET.get("unit_code") or "").strip()[:20]
    answer, error = None, ""
    if code_text:
        if len(code_text) > verify.MAX_CODE:
            error = _("Mã dài quá %(n)s ký tự.") % {"n": verify.MAX_CODE}
        else:
            answer = verify.check(code_text, unit_code)
    lookup = _check_lookup(code_text, answer)
    response = render(
        request,
        "goods/check.html",
        {
            "code": code_text,
            "unit_code": unit_code,
            "units": forms.commune_choices(),
            "answer": answer,
            "error": error,
            "lookup": lookup,
        },
    )
    response["Cache-Control"] = "no-store"
    # this page alone may use the camera (the site's policy denies it everywhere else)
    from canhgiac.core.middleware import PERMISSIONS_POLICY

    response["Permissions-Policy"] = PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")
    return response


def _check_lookup(code_text, answer):
    """The consumer look-up fields for a checked code naming a lot or an item of a registered
    product (the answer's product and code), with the link's dates (AI 17, 15, 11, 13)."""
    if not answer or not answer.get("product") or not answer.get("code"):
        return None
    product = services.product_by_gtin(answer["product"]["gtin"])
    if product is None:
        return None
    try:
        link = digital_link.parse(code_text)
    except digital_link.DigitalLinkError:
        link = None
    code = answer["code"]
    return services.epcis().consumer_lookup(product, code.get("lot") or "", code.get("serial") or "", link)


# --- figures and leads (item 7) --------------------------------------------------------------------


@login_required
def check_figures(request):
    policy.require(request.user, "goods.view_checks")
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    form = forms.CheckFiguresForm(request.GET or None)
    date_from, date_to = today - dt.timedelta(days=29), today
    if form.is_valid():
        date_from = form.cleaned_data["date_from"] or date_from
        date_to = form.cleaned_data["date_to"] or date_to
    from canhgiac.cases import services as cases

    return render(
        request,
        "goods/check_figures.html",
        {
            "form": form,
            "date_from": date_from,
            "date_to": date_to,
            "figures": figures.figures(request.user, date_from, date_to),
            "leads": figures.leads(request.user, date_from, date_to),
            "agencies": list(cases.writable_agencies(request.user).order_by("name")),
        },
    )


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
    places = tracing.places_by_commune(result) if result is not None else []
    place_map = tracing.place_map(result) if places else None
    links = tracing.links_of(request.user, result, product) if result is not None else {}
    return render(
        request,
        "goods/trace.html",
        {
            "q": text,
            "trace": result,
            "error": error,
            "product": product,
            "places": places,
            "place_map": place_map,
            # who may load the communes' coordinates is told where (the directory's page)
            "can_load_locations": place_map is not None
            and not place_map.drawn
            and policy.can(request.user, "directory.import_locations"),
            "links": links,
        },
    )


@login_required
def lead_case(request, check_id):
    if request.method != "POST":
        return redirect("goods:checks")
    try:
        case = figures.lead_to_case(
            request.user,
            check_id,
            lead_agency_code=request.POST.get("lead_agency_code", ""),
            unit_code=request.POST.get("unit_code", ""),
            violation_type=request.POST.get("violation_type", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("goods:checks")
    messages.success(request, _("Đã lập vụ việc %(ref)s từ mã nghi vấn.") % {"ref": case.reference})
    return redirect(case.get_absolute_url())


@login_required
def trace_leads(request):
    """Leads for QLTT from the EPCIS events: goods inspected or sold where they were never
    received, events about recalled products."""
    from canhgiac.goods.epcis import leads

    if not policy.is_staff_member(request.user) or not policy.can(request.user, "goods.epcis_query"):
        raise PermissionDenied
    return render(request, "goods/trace_leads.html", {"leads": leads.leads(request.user)})
