"""Pages of the online app: the review queue, a listing and its handling, the import, the figures,
the commitments register and the public list of signed commitments."""

import io
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canhgiac.audit import services as audit
from canhgiac.core import jobs, policy
from canhgiac.core.errors import add_to_form
from canhgiac.core.policy import visible_to
from canhgiac.core.text import fold
from canhgiac.directory import services as directory
from canhgiac.online import forms, services
from canhgiac.online.listings import IMPORT_COLUMNS
from canhgiac.online.models import Evidence, Listing, OnlineAccount, Signer, Takedown


def _province(user):
    return directory.home_province(user)


def _listings(user):
    return visible_to(user, Listing.objects.select_related("platform", "agency", "category"))


@login_required
def queue(request):
    """The review queue: listings of the province, the highest priority (score, seller flagged
    before) first."""
    policy.require(request.user, "online.review")
    form = forms.QueueFilterForm(request.GET or None)
    listings = _listings(request.user)
    status = "new"
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"] if "status" in request.GET else "new"
        if data["platform"]:
            listings = listings.filter(platform=data["platform"])
        if data["flagged"]:
            listings = listings.filter(flagged=True)
        if data["q"]:
            listings = listings.filter(search_folded__contains=fold(data["q"]))
    if status:
        listings = listings.filter(status=status)
    page = Paginator(listings.order_by("-priority", "-risk_score", "-id"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "online/queue.html",
        {
            "form": form,
            "page": page,
            "threshold": services.threshold(),
            "can_add": policy.can(request.user, "add", Listing),
            "can_import": policy.can(request.user, "online.import"),
        },
    )


@login_required
def listing_new(request):
    policy.require(request.user, "add", Listing)
    form = forms.ListingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("tip_code"):
            data["source"] = Listing.Source.TIP
        try:
            listing = services.save_listing(request.user, data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Đã ghi tin đăng, điểm rủi ro %(s)s.") % {"s": listing.risk_score})
            return redirect("online:listing", pk=listing.pk)
    return render(request, "online/listing_form.html", {"form": form})


@login_required
def listing_import(request):
    policy.require(request.user, "online.import")
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        agency = form.cleaned_data["agency"]
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:6]}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job = jobs.create_job(
            "online.import_listings",
            _("Nhập tin đăng từ tệp %(name)s") % {"name": Path(upload.name).name[:100]},
            owner=request.user,
            upload=str(path),
        )
        from canhgiac.online.tasks import import_listings_task

        user_id = request.user.pk
        transaction.on_commit(
            lambda: import_listings_task.enqueue(str(job.pk), str(path), upload.name, user_id, agency.pk)
        )
        return redirect("core:job", job_id=job.pk)
    return render(request, "online/import.html", {"form": form, "columns": IMPORT_COLUMNS})


@login_required
def listing_export(request):
    """The scores of the listings the user may see, as `listing_ref,risk_score,flagged,reasons`."""
    policy.require(request.user, "online.review")
    out = io.StringIO()
    n = services.export_listings(out, _listings(request.user))
    audit.record("online.listings_exported", object_type="online.listing", changes={"rows": n})
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="listings-scores.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _listing(request, pk, action="view"):
    listing = get_object_or_404(
        _listings(request.user).select_related("account", "account__subject", "case"), pk=pk
    )
    policy.require(request.user, action, listing)
    return listing


@login_required
def listing_detail(request, pk):
    listing = _listing(request, pk)
    can_change = policy.can(request.user, "change", listing)
    account = listing.account
    seller = services.seller_of(request.user, account) if account is not None else {}
    other_shops = seller.get("other_accounts", [])[:20]
    return render(
        request,
        "online/listing_detail.html",
        {
            "listing": listing,
            "evidence": list(listing.evidence.all()),
            "takedowns": list(listing.takedowns.all()),
            "other_shops": other_shops,
            "seller": seller,
            "can_change": can_change,
            "open_takedown": next(
                (t for t in listing.takedowns.all() if t.status in ("sent", "overdue")), None
            ),
            "takedown_form": forms.TakedownForm(),
            "outcome_form": forms.OutcomeForm(),
            "warn_form": forms.WarnForm(),
            "no_violation_form": forms.NoViolationForm(),
            "evidence_form": forms.EvidenceForm(),
            "hours": services.takedown_hours(listing.platform.kind),
        },
    )


def _post_action(request, pk, form_class, act, done):
    listing = _listing(request, pk, "change")
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            act(listing, form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("online:listing", pk=pk)


@login_required
@require_POST
def listing_takedown(request, pk):
    return _post_action(
        request,
        pk,
        forms.TakedownForm,
        lambda listing, d: services.request_takedown(request.user, listing, d["note"]),
        _("Đã ghi yêu cầu gỡ bỏ gửi nền tảng."),
    )


@login_required
@require_POST
def listing_warn(request, pk):
    return _post_action(
        request,
        pk,
        forms.WarnForm,
        lambda listing, d: services.warn_seller(request.user, listing, d["text"]),
        _("Đã ghi cảnh báo gửi người bán."),
    )


@login_required
@require_POST
def listing_no_violation(request, pk):
    return _post_action(
        request,
        pk,
        forms.NoViolationForm,
        lambda listing, d: services.no_violation(request.user, listing, d["reason"]),
        _("Đã kết luận không vi phạm."),
    )


@login_required
@require_POST
def evidence_add(request, pk):
    return _post_action(
        request,
        pk,
        forms.EvidenceForm,
        lambda listing, d: services.add_evidence(
            request.user, listing, d["file"], d["kind"], d.get("captured_at")
        ),
        _("Đã lưu chứng cứ và mã SHA-256 của tệp."),
    )


@login_required
def evidence_file(request, pk):
    evidence = get_object_or_404(visible_to(request.user, Evidence.objects.select_related("listing")), pk=pk)
    policy.require(request.user, "view", evidence)
    audit.record("online.evidence_viewed", obj=evidence)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def takedown_outcome(request, pk):
    takedown = get_object_or_404(visible_to(request.user, Takedown.objects.select_related("listing")), pk=pk)
    policy.require(request.user, "change", takedown.listing)
    listing_pk = takedown.listing_id
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.record_takedown_outcome(
                request.user,
                takedown,
                form.cleaned_data["status"],
                form.cleaned_data["note"],
                form.cleaned_data.get("closed_at"),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã ghi kết quả yêu cầu gỡ bỏ."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("online:listing", pk=listing_pk)


@login_required
def listing_case(request, pk):
    listing = _listing(request, pk, "change")
    initial = {"unit": listing.account.unit_id} if listing.account and listing.account.unit_id else {}
    form = forms.CaseForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.to_case(
                request.user,
                listing,
                unit_code=form.cleaned_data["unit"].code,
                violation_type=form.cleaned_data["violation_type"].code,
            )
        except ValidationError as exc:
            add_to_form(form, exc, rename={"unit_code": "unit"}, elsewhere=True)
        else:
            messages.success(request, _("Đã tạo vụ việc %(ref)s từ tin đăng.") % {"ref": case.reference})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "online/case_form.html", {"form": form, "listing": listing})


@login_required
def account_detail(request, pk):
    """A shop, page or channel: its listings, its seller (the subject record and resolved entity,
    as the policy lets the user see them) and the seller's other shops; linking it to a seller."""
    account = get_object_or_404(
        visible_to(request.user, OnlineAccount.objects.select_related("platform", "unit", "subject")), pk=pk
    )
    policy.require(request.user, "view", account)
    can_change = policy.can(request.user, "change", account)
    form = forms.LinkSubjectForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "change", account)
        if form.is_valid():
            subject = services.find_subject(request.user, form.cleaned_data["subject"])
            if subject is None:
                form.add_error("subject", _("Không có hồ sơ đối tượng số này mà bạn được xem."))
            else:
                services.link_account(request.user, account, subject=subject)
                messages.success(request, _("Đã liên kết gian hàng với đối tượng."))
                return redirect("online:account", pk=account.pk)
    return render(
        request,
        "online/account_detail.html",
        {
            "account": account,
            "seller": services.seller_of(request.user, account),
            "listings": services.account_listings(request.user, account),
            "form": form,
            "can_change": can_change,
        },
    )


@login_required
def figures(request):
    policy.require(request.user, "online.review")
    data = services.figures(request.user, _province(request.user))
    return render(request, "online/figures.html", {"data": data})


# ---------------------------------------------------------------- commitments


@login_required
def coverage(request):
    policy.require(request.user, "online.commitments")
    province = _province(request.user)
    form = forms.CoverageForm(request.GET or None, rounds=services.rounds())
    round_code = form.cleaned_data["round"] if form.is_valid() else ""
    rows = services.commitment_coverage(province, round_code or None)
    signers = list(
        visible_to(request.user, Signer.objects.filter(province=province))
        .select_related("kind", "commitment", "account")
        .order_by("kind__order", "name")[:500]
    )
    commitments = [s.commitment for s in signers if hasattr(s, "commitment")]
    breaches = services.breaches(commitments)
    for s in signers:
        s.breach_count = breaches.get(s.commitment.pk, 0) if hasattr(s, "commitment") else 0
    return render(
        request,
        "online/coverage.html",
        {
            "form": form,
            "rows": rows,
            "signers": signers,
            "breaches": breaches,
            "can_add": policy.can(request.user, "add", Signer, province=province),
            "can_import": policy.can(request.user, "online.import_signers", province=province),
        },
    )


@login_required
def signer_new(request):
    province = _province(request.user)
    policy.require(request.user, "online.commitments")
    form = forms.SignerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            signer = services.add_signer(
                request.user,
                province,
                kind=d["kind"],
                name=d["name"],
                identifier=d["identifier"],
                registered_on=d.get("registered_on"),
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        except PermissionDenied:
            form.add_error("kind", _("Bạn không quản lý danh sách của loại đối tượng này."))
        else:
            messages.success(request, _("Đã thêm vào danh sách phải ký cam kết."))
            return redirect("online:signer", pk=signer.pk)
    return render(request, "online/signer_form.html", {"form": form})


@login_required
def signer_import(request):
    """Import a register of signers (sellers, press, doctors …): all or nothing, line-numbered
    errors, idempotent; the coverage counts from it."""
    province = _province(request.user)
    policy.require(request.user, "online.import_signers", province=province)
    form = forms.SignerImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            form.add_error("file", _("Tệp quá lớn: tối đa 20 MB."))
        else:
            result = services.import_signers(request.user, upload.read(), upload.name, province)
            if result.ok:
                messages.success(
                    request,
                    _(
                        "Đã nhập %(rows)s dòng: %(created)s mới, %(updated)s cập nhật, %(unchanged)s không đổi."
                    )
                    % result.as_dict(),
                )
                return redirect("online:coverage")
    return render(
        request,
        "online/signer_import.html",
        {"form": form, "result": result, "columns": services.SIGNER_COLUMNS},
    )


@login_required
def signer_detail(request, pk):
    signer = get_object_or_404(
        visible_to(request.user, Signer.objects.select_related("kind", "account")), pk=pk
    )
    policy.require(request.user, "view", signer)
    commitment = getattr(signer, "commitment", None)
    form = forms.SignedCopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_signed_copy(
                request.user, signer, form.cleaned_data["file"], form.cleaned_data.get("signed_on")
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Đã lưu bản cam kết đã ký."))
            return redirect("online:signer", pk=signer.pk)
    return render(
        request,
        "online/signer_detail.html",
        {
            "signer": signer,
            "commitment": commitment,
            "round": services.round_for(signer.registered_on),
            "breach": services.breaches([commitment]).get(commitment.pk, 0) if commitment else 0,
            "form": form,
            "can_change": policy.can(request.user, "change", signer),
        },
    )


def sign_commitment(request, redirect_to: str):
    """POST of the sign form (the signer area here, the business area in goods): the signer the
    user signs for, the confirmation ticked; the message says what happened. Returns a redirect."""
    signer = next(
        (s for s in services.own_signers(request.user) if str(s.pk) == request.POST.get("signer")), None
    )
    if signer is None:
        raise PermissionDenied
    try:
        services.sign_online(request.user, signer, confirmed=request.POST.get("confirm") == "1")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ký cam kết. Cảm ơn bạn."))
    return redirect(redirect_to)


def claim_own(request, redirect_to: str):
    """POST "Đây là tôi" (the signer area here, the business area in goods): the entry offered to
    the user becomes its own; the message says what happened. Returns a redirect."""
    signer = services.claimable_signers(request.user).filter(pk__in=[request.POST.get("claim") or 0]).first()
    if signer is None:
        raise PermissionDenied
    services.claim_signer(request.user, signer)
    messages.success(
        request, _("Đã gắn “%(name)s” vào tài khoản của bạn. Bạn có thể ký cam kết.") % {"name": signer.name}
    )
    return redirect(redirect_to)


def signers_to_show(user) -> list:
    signers = list(services.own_signers(user).select_related("commitment__recorded_by"))
    for s in signers:
        s.round = services.round_for(s.registered_on)
    return signers


@login_required
def sign_own(request):
    """The signer area: the user's own commitments, read and signed online with their account."""
    if request.method == "POST":
        if "claim" in request.POST:
            return claim_own(request, "online:sign")
        return sign_commitment(request, "online:sign")
    return render(
        request,
        "online/sign.html",
        {
            "signers": signers_to_show(request.user),
            "claimable": list(services.claimable_signers(request.user)),
        },
    )


def public_commitments(request):
    """Anyone: who has signed a commitment, the kind and the date; breaches shown."""
    commitments = list(visible_to(request.user, services.public_commitments())[:1000])
    breaches = services.breaches(commitments)
    for c in commitments:
        c.breach_count = breaches.get(c.pk, 0)
    return render(request, "online/public_commitments.html", {"commitments": commitments})
