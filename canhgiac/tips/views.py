"""Public pages (report, follow up) and staff pages (list, record, detail, actions, figures)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from canhgiac.core import ratelimit
from canhgiac.core.policy import can, require, visible_to
from canhgiac.core.text import fold
from canhgiac.directory.forms import province_code
from canhgiac.directory.models import Agency
from canhgiac.tips import forms, services, tokens, uploads
from canhgiac.tips.models import Tip, TipAttachment

# --- Public ------------------------------------------------------------------------------------


def _too_many(request, per_hour):
    return render(request, "tips/too_many.html", {"per_hour": per_hour}, status=429)


def _files(request, form) -> list:
    """The files of this submission: those just chosen and those kept from the last try."""
    return [*form.cleaned_data.get("files", []), *uploads.unstage(request.POST.get("kept_files", ""))]


def _kept(request) -> dict:
    """After a validation error: keep the files chosen so far, for the form shown again."""
    if request.method != "POST":
        return {}
    previous = request.POST.get("kept_files", "")
    token, names = uploads.stage([*request.FILES.getlist("files"), *uploads.unstage(previous)])
    uploads.discard(previous)
    return {"kept_files": token, "kept_names": names}


# The hourly limits are counted by canhgiac.core.middleware before the body is read.
@ratelimit.limited("tips:submit", services.submission_limit, _too_many)
@never_cache
def report(request):
    # a link may pre-fill the form (the goods check's "report it": ?description=&unit_code=&goods_category=)
    prefill = {
        k: request.GET[k][:2000] for k in ("description", "unit_code", "goods_category") if k in request.GET
    }
    form = forms.TipReportForm(request.POST or None, request.FILES or None, initial=prefill)
    if request.method == "POST":
        if form.is_valid():
            try:
                tip, secret = services.submit_public(form.service_data(), _files(request, form))
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                uploads.discard(request.POST.get("kept_files", ""))
                # Shown once, in this response only: the secret is not stored in clear anywhere.
                response = render(request, "tips/submitted.html", {"tip": tip, "secret": secret})
                response["Cache-Control"] = "no-store"
                return response
    return render(request, "tips/report.html", {"form": form, **_kept(request)})


@ratelimit.limited("tips:follow", services.follow_limit, _too_many)
@never_cache
def follow(request):
    form = forms.FollowForm(request.POST or None)
    tip, message_form = None, None
    if request.method == "POST":
        sending = "body" in request.POST
        if sending:
            message_form = forms.TipsterMessageForm(request.POST)
            form = forms.FollowForm(request.POST)
        if form.is_valid():
            tip = services.find_for_tipster(form.cleaned_data["code"], form.cleaned_data["secret"])
            if tip is None:
                form.add_error(None, _("Mã tin báo hoặc mã bí mật không đúng."))
        if tip is not None and sending and message_form.is_valid():
            try:
                services.tipster_message(tip, message_form.cleaned_data["body"])
                messages.success(request, _("Đã gửi tin nhắn cho cơ quan xử lý."))
                message_form = None
            except ValidationError as exc:
                message_form.add_error("body", " ".join(exc.messages))
        if tip is not None and message_form is None:
            message_form = forms.TipsterMessageForm(
                initial={"code": tip.code, "secret": form.cleaned_data["secret"]}
            )
    context = {
        "form": form,
        "tip": tip,
        "status": services.public_status(tip) if tip else None,
        "message_form": message_form,
    }
    return render(request, "tips/follow.html", context)


# --- Staff -------------------------------------------------------------------------------------


def _visible_tips(user):
    return visible_to(user, Tip.objects.all()).select_related("lead_agency", "unit", "goods_category")


@login_required
def tip_list(request):
    form = forms.TipFilterForm(request.GET or None)
    qs = _visible_tips(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            qs = qs.filter(Q(description_folded__contains=fold(q)) | Q(code=tokens.normalize(q)))
        if data["status"] == "open":
            qs = qs.filter(status__in=Tip.OPEN_STATUSES)
        elif data["status"]:
            qs = qs.filter(status=data["status"])
        if data["channel"]:
            qs = qs.filter(channel=data["channel"])
        if data["overdue"]:
            now = timezone.now()
            qs = qs.filter(status__in=Tip.OPEN_STATUSES).filter(
                Q(accepted_at__isnull=True, accept_due__lt=now) | Q(resolve_due__lt=now)
            )
    total = qs.count()
    return render(
        request,
        "tips/list.html",
        {
            "form": form,
            "tips": qs[:200],
            "total": total,
            "can_add": can(request.user, "add", Tip),
            "now": timezone.now(),
        },
    )


@login_required
def tip_new(request):
    require(request.user, "add", Tip)
    form = forms.TipRecordForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tip, secret = services.record_tip(request.user, form.service_data(), _files(request, form))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            uploads.discard(request.POST.get("kept_files", ""))
            # The recorder may not see the tip once it went to another agency (a commune officer's
            # phone tip goes to QLTT): they get its receipt, with the secret shown this once.
            return _receipt(request, tip, secret)
    return render(request, "tips/new.html", {"form": form, **_kept(request)})


def _receipt(request, tip, secret=""):
    context = {"tip": tip, "secret": secret, "can_view": can(request.user, "view", tip)}
    response = render(request, "tips/receipt.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def tip_receipt(request, pk):
    """The receipt of a tip recorded on someone's behalf, for its recorder (print view)."""
    tip = get_object_or_404(Tip.objects.select_related("lead_agency", "unit", "created_by"), pk=pk)
    if not can(request.user, "receipt", tip):
        raise Http404
    return _receipt(request, tip)


def _get_tip(request, pk):
    return get_object_or_404(_visible_tips(request.user), pk=pk)


@login_required
def tip_detail(request, pk, contact=None):
    tip = _get_tip(request, pk)
    user = request.user
    handle = can(user, "handle", tip)
    context = {
        "tip": tip,
        "contact": contact,
        "now": timezone.now(),
        "can_handle": handle,
        "can_transfer": can(user, "transfer", tip),
        "can_view_contact": can(user, "view_contact", tip),
        "messages_list": tip.messages.select_related("author", "agency"),
        "attachments": tip.attachments.all(),
        "transfers": tip.transfers.select_related("from_agency", "to_agency"),
        "group": services._group_members(tip) if tip.group_id or tip.grouped.exists() else [],
        "coordinating": tip.coordinating.all(),
        "message_form": forms.MessageForm(),
        # One page holds all these forms: each gets its own id prefix (no duplicate ids).
        "resolve_form": forms.ResolveForm(auto_id="id_resolve_%s"),
        "reject_form": forms.RejectForm(auto_id="id_reject_%s"),
        "extend_form": forms.ExtendForm(auto_id="id_extend_%s"),
        "transfer_form": forms.TransferForm(auto_id="id_transfer_%s", user=user),
        "case_available": _cases_available(),
        "case_form": forms.CaseFromTipForm(
            user=user,
            initial={
                "unit_code": tip.unit.code if tip.unit_id else "",
                "violation_type": tip.violation_type.code if tip.violation_type_id else "",
            },
        ),
    }
    return render(request, "tips/detail.html", context)


def _cases_available() -> bool:
    try:
        from canhgiac.cases import services as cases  # noqa: F401
    except ImportError:
        return False
    return hasattr(cases, "create_case")


@login_required
@require_POST
def tip_contact(request, pk):
    tip = _get_tip(request, pk)
    contact = services.reveal_contact(request.user, tip) if can(request.user, "view_contact", tip) else None
    if contact is None:
        raise PermissionDenied
    response = tip_detail(request, pk, contact=contact or {"empty": True})
    response["Cache-Control"] = "no-store"
    return response


ACTIONS = {
    "accept": (None, lambda user, tip, d: services.accept(user, tip), _("Đã thụ lý tin báo.")),
    "verify": (None, lambda user, tip, d: services.start_verifying(user, tip), _("Đã chuyển sang xác minh.")),
    "resolve": (
        forms.ResolveForm,
        lambda user, tip, d: services.resolve(user, tip, d["outcome"], d["reason"]),
        _("Đã kết luận tin báo."),
    ),
    "reject": (
        forms.RejectForm,
        lambda user, tip, d: services.reject(user, tip, d["outcome"], d["reason"]),
        _("Đã ghi nhận không thụ lý."),
    ),
    "extend": (
        forms.ExtendForm,
        lambda user, tip, d: services.extend(user, tip, d["new_due"], d["reason"]),
        _("Đã gia hạn giải quyết."),
    ),
    "transfer": (
        forms.TransferForm,
        lambda user, tip, d: services.transfer(user, tip, d["agency"], d["reason"]),
        _("Đã chuyển tin báo."),
    ),
    "message": (
        forms.MessageForm,
        lambda user, tip, d: services.staff_message(user, tip, d["body"], internal=d["internal"]),
        _("Đã gửi."),
    ),
    "ungroup": (None, lambda user, tip, d: services.ungroup(user, tip), _("Đã tách khỏi nhóm.")),
    "signs-of-crime": (
        forms.SignsOfCrimeForm,
        lambda user, tip, d: services.mark_signs_of_crime(user, tip, d["signs_of_crime"]),
        _("Đã cập nhật dấu hiệu tội phạm."),
    ),
}


@login_required
@require_POST
def tip_action(request, pk, action):
    tip = _get_tip(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, run, done = ACTIONS[action]
    data = {}
    if form_class is not None:
        scoped = {"user": request.user} if form_class is forms.TransferForm else {}
        form = form_class(request.POST, **scoped)
        if not form.is_valid():
            for field, errors in form.errors.items():
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}"
                )
            return redirect(tip)
        data = form.cleaned_data
    try:
        run(request.user, tip, data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    if action == "transfer" and not can(request.user, "view", Tip.objects.get(pk=tip.pk)):
        return redirect("tips:list")
    return redirect(tip)


@login_required
@require_POST
def tip_to_case(request, pk):
    tip = _get_tip(request, pk)
    try:
        case = services.turn_into_case(
            request.user,
            tip,
            unit_code=request.POST.get("unit_code", ""),
            violation_type=request.POST.get("violation_type", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(tip)
    messages.success(request, _("Đã lập vụ việc %(ref)s từ tin báo.") % {"ref": case.reference})
    return redirect(case.get_absolute_url())


@login_required
def attachment(request, pk, attachment_id):
    tip = _get_tip(request, pk)
    item = get_object_or_404(TipAttachment, pk=attachment_id, tip=tip)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def tip_stats(request):
    today = timezone.localdate()
    form = forms.StatsForm(
        request.GET or {"date_from": today.replace(month=1, day=1).isoformat(), "date_to": today.isoformat()},
        user=request.user,
    )
    figures = targets = None
    if form.is_valid():
        targets = services.targets(
            request.user,
            form.cleaned_data["date_from"],
            form.cleaned_data["date_to"],
            province_code=province_code(form),
        )
        figures = targets["figures"]
    agency_labels = {}
    if figures:
        agency_labels = {a.code: str(a) for a in Agency.objects.filter(code__in=list(figures["by_agency"]))}
    context = {
        "form": form,
        "figures": figures,
        "targets": targets,
        "channel_labels": dict(Tip.Channel.choices),
        "agency_labels": agency_labels,
    }
    return render(request, "tips/stats.html", context)


def home_cards(user):
    """Dashboard cards: open and overdue tips the user may see."""
    from django.urls import reverse

    from canhgiac.dashboard.services import Card

    counts = services.open_counts(user)
    if not counts["open"] and not can(user, "add", Tip):
        return []
    overdue = counts["overdue"]
    url = reverse("tips:list")
    return [
        Card(_("Tin báo đang xử lý"), counts["open"], f"{url}?status=open"),
        Card(_("Tin báo quá hạn"), overdue, f"{url}?overdue=on", note=_("cần xử lý ngay") if overdue else ""),
    ]
