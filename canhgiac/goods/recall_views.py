"""Pages of recalls and product warnings: the list, recording a recall or a warning, lifting a
recall, withdrawing a warning, the warning drawn from a case's goods line, and the public Atom feed
(`goods:feed`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from canhgiac.core import policy
from canhgiac.core.errors import add_to_form
from canhgiac.core.policy import visible_to
from canhgiac.core.text import fold
from canhgiac.goods import forms, services
from canhgiac.goods.models import Product, ProductWarning, Recall


def _product_by_gtin(user, form, gtin):
    """The product named by a form's GTIN, among those `user` sees; the form's error otherwise."""
    try:
        gtin14 = services.clean_gtin(gtin)
    except ValueError as exc:
        form.add_error("gtin", _("Mã GTIN %(reason)s") % {"reason": str(exc)})
        return None
    product = (
        visible_to(user, Product.objects.select_related("owner__province", "category"))
        .filter(gtin=gtin14)
        .first()
    )
    if product is None:
        form.add_error("gtin", _("Không có sản phẩm đã đăng ký mang mã GTIN này."))
    return product


@login_required
def recall_list(request):
    """Recalls (active first) and product warnings the user may see."""
    policy.require(request.user, "goods.list_products")
    status = request.GET.get("status") or ""
    q = (request.GET.get("q") or "").strip()
    recalls = visible_to(request.user, Recall.objects.select_related("product", "agency"))
    warnings = visible_to(request.user, ProductWarning.objects.select_related("product", "agency"))
    if status in Recall.Status.values:
        recalls = recalls.filter(status=status)
    if q:
        digits = q.replace(" ", "")
        cond = Q(product__name_folded__contains=fold(q))
        if digits.isdigit():
            cond |= Q(product__gtin__endswith=digits)
        recalls, warnings = recalls.filter(cond), warnings.filter(cond)
    page = Paginator(recalls.order_by("status", "-issued_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "goods/recall_list.html",
        {
            "page": page,
            "warnings": list(warnings.order_by("-is_active", "-created_at", "-id")[:50]),
            "status": status,
            "q": q,
            "statuses": Recall.Status.choices,
            "can_record": policy.can(request.user, "add", Recall),
        },
    )


@login_required
def recall_create(request):
    policy.require(request.user, "add", Recall)
    form = forms.RecallForm(request.POST or None, initial={"gtin": request.GET.get("gtin", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        product = _product_by_gtin(request.user, form, data["gtin"])
        if product is not None:
            if not policy.can(request.user, "add", Recall, product=product):
                form.add_error(
                    "gtin",
                    _(
                        "Chỉ cán bộ của cơ quan chủ trì lĩnh vực của sản phẩm (%(agency)s) được ghi nhận thu hồi."
                    )
                    % {"agency": services.lead_agency_name(product)},
                )
            else:
                try:
                    recall = services.record_recall(
                        request.user,
                        product,
                        lot=data["lot"],
                        reason=data["reason"],
                        issued_on=data.get("issued_on"),
                    )
                except ValidationError as exc:
                    add_to_form(form, exc)
                else:
                    if recall.lot:
                        text = _("Đã ghi nhận thu hồi lô %(lot)s của %(name)s.") % {
                            "lot": recall.lot,
                            "name": product.name,
                        }
                    else:
                        text = _("Đã ghi nhận thu hồi toàn bộ sản phẩm %(name)s.") % {"name": product.name}
                    messages.success(request, text)
                    return redirect("goods:product", pk=product.pk)
    return render(request, "goods/recall_form.html", {"form": form})


@login_required
def recall_lift(request, pk):
    recall = get_object_or_404(
        visible_to(request.user, Recall.objects.select_related("product__owner", "product__category")), pk=pk
    )
    policy.require(request.user, "lift", recall)
    form = forms.LiftRecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_recall(
                request.user,
                recall,
                reason=form.cleaned_data["lift_reason"],
                lifted_on=form.cleaned_data.get("lifted_on"),
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Đã chấm dứt thu hồi."))
            return redirect("goods:product", pk=recall.product_id)
    return render(request, "goods/recall_lift.html", {"form": form, "recall": recall})


@login_required
def warning_create(request):
    policy.require(request.user, "add", ProductWarning)
    form = forms.WarningForm(request.POST or None, initial={"gtin": request.GET.get("gtin", "")})
    if request.method == "POST" and form.is_valid():
        product = _product_by_gtin(request.user, form, form.cleaned_data["gtin"])
        if product is not None:
            if not services.may_warn_about(request.user, product):
                form.add_error(
                    "gtin",
                    _("Chỉ cán bộ của cơ quan chủ trì lĩnh vực của sản phẩm (%(agency)s) được ghi cảnh báo.")
                    % {"agency": services.lead_agency_name(product)},
                )
            else:
                try:
                    services.add_warning(request.user, product, text=form.cleaned_data["text"])
                except ValidationError as exc:
                    add_to_form(form, exc)
                else:
                    messages.success(request, _("Đã ghi cảnh báo về sản phẩm."))
                    return redirect("goods:product", pk=product.pk)
    return render(request, "goods/warning_form.html", {"form": form})


@login_required
@require_POST
def warning_withdraw(request, pk):
    warning = get_object_or_404(
        visible_to(request.user, ProductWarning.objects.select_related("product__owner")), pk=pk
    )
    services.withdraw_warning(request.user, warning)
    messages.success(request, _("Đã thu hồi cảnh báo."))
    return redirect("goods:product", pk=warning.product_id)


@login_required
@require_POST
def warn_from_case_goods(request, line_id):
    """The button on a case's counterfeit goods line: a warning about the product it names."""
    case_id = services.case_of_line(request.user, line_id)
    if case_id is None:  # a line of a case the user does not see does not exist for them
        raise Http404
    try:
        warning = services.warn_from_case_goods(request.user, line_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=case_id)
    messages.success(request, _("Đã ghi cảnh báo về sản phẩm từ dòng hàng giả của vụ việc."))
    return redirect("goods:product", pk=warning.product_id)


class RecallFeed(Feed):
    """The public Atom feed of active recalls and product warnings (`goods:feed`)."""

    feed_type = Atom1Feed
    title = gettext_lazy("Thu hồi và cảnh báo sản phẩm")
    subtitle = gettext_lazy(
        "Các quyết định thu hồi sản phẩm, lô hàng và cảnh báo hàng giả do cơ quan chức năng ghi nhận."
    )

    def link(self):
        return reverse("goods:lookup")

    def feed_url(self):
        return reverse("goods:feed")

    def items(self):
        return services.feed_entries(50)

    def item_title(self, item):
        kind, obj, _when = item
        if kind == "recall":
            if obj.lot:
                return _("Thu hồi lô %(lot)s: %(name)s") % {"lot": obj.lot, "name": obj.product.name}
            return _("Thu hồi: %(name)s") % {"name": obj.product.name}
        return _("Cảnh báo: %(name)s") % {"name": obj.product.name}

    def item_description(self, item):
        kind, obj, _when = item
        text = obj.reason if kind == "recall" else obj.text
        return f"{text} — {obj.agency.name}"

    def item_link(self, item):
        return f"/01/{item[1].product.gtin}"

    def item_guid(self, item):
        kind, obj, _when = item
        return f"urn:canhgiac:goods:{kind}:{obj.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[2]

    def item_updateddate(self, item):
        return item[1].updated_at

    def item_author_name(self, item):
        return item[1].agency.name

    def item_categories(self, item):
        return [_("Thu hồi") if item[0] == "recall" else _("Cảnh báo")]


feed = RecallFeed()
