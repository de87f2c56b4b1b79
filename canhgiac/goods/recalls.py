"""Recalls and product warnings (issue 13, item 6).

`active_recall(product, lot)` is what the public check asks: the active recall that covers this
product and lot (a recall of that lot, or of the whole product), or None. One indexed query.

Writes (`record_recall`, `lift_recall`, `add_warning`, `warn_from_case_goods`, `withdraw_warning`)
check the policy (officers and leaders of the lead agency of the product's field: rules.py) unless
`user` is None — the command line acting for the system — and are audited in their transaction.
A whole-product recall sets the product's status to recalled; lifting the last one puts it back
on sale.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.core.errors import Errors
from canhgiac.goods.models import Product, ProductWarning, Recall
from canhgiac.goods.rules import lead_agency_of

MAX_REASON = 4000


def active_recall(product: Product | int, lot: str | None = None) -> Recall | None:
    """The active recall covering `product` (an object or its id) and `lot` (GS1 AI 10, compared
    exactly, as lots are case-sensitive): a recall of that lot, else one of the whole product.
    Without a lot only a whole-product recall answers (a lot recall does not cover every pack)."""
    product_id = product.pk if isinstance(product, Product) else product
    lot = (lot or "").strip()
    lots = Q(lot="") | Q(lot=lot) if lot else Q(lot="")
    # a recall naming this very lot explains the answer best ("-lot": the lot before ""), else the
    # newest whole-product one
    return (
        Recall.objects.filter(lots, product_id=product_id, status=Recall.Status.ACTIVE)
        .select_related("agency")
        .order_by("-lot", "-issued_on", "-id")
        .first()
    )


def active_recalls_of(product_id: int) -> list[Recall]:
    """Every active recall of a product (with its agency), for callers that keep them a while and
    choose with choose_recall (the public check's cache)."""
    return list(
        Recall.objects.filter(product_id=product_id, status=Recall.Status.ACTIVE).select_related("agency")
    )


def choose_recall(recalls, lot: str | None = None) -> Recall | None:
    """What active_recall answers, chosen among a product's active recalls in memory: the recall
    of that very lot, else the newest whole-product one (by issued_on, then id)."""
    lot = (lot or "").strip()
    found = [
        r for r in recalls if r.status == Recall.Status.ACTIVE and (r.lot == "" or (lot and r.lot == lot))
    ]
    if not found:
        return None
    return max(found, key=lambda r: (r.lot, r.issued_on, r.pk))


def clean_lot(value) -> str:
    """A GS1 batch/lot number (AI 10: 1–20 characters of GS1's character set 82), or "" for none.
    Raises ValueError with a Vietnamese reason."""
    from canhgiac.goods import digital_link

    lot = str(value or "").strip()
    if not lot:
        return ""
    try:
        digital_link._check_value("10", lot)
    except digital_link.DigitalLinkError:
        raise ValueError(
            _(
                "Số lô “%(lot)s” không hợp lệ: tối đa 20 ký tự chữ, số và - . _ / (không dấu, không khoảng trắng)."
            )
            % {"lot": lot[:40]}
        )
    return lot


def _text(errors: Errors, field: str, value, empty_message: str) -> str:
    text = str(value or "").strip()
    if not text:
        errors.add(field, empty_message)
    elif len(text) > MAX_REASON:
        errors.add(field, _("Nội dung dài quá %(n)s ký tự.") % {"n": f"{MAX_REASON:,}".replace(",", ".")})
    elif "\x00" in text:
        errors.add(field, _("Nội dung có ký tự không hợp lệ."))
    return text


def _set_status(product: Product) -> None:
    """Keep the product's status in step with its whole-product recalls (audited by save())."""
    recalled = Recall.objects.filter(product=product, lot="", status=Recall.Status.ACTIVE).exists()
    if recalled and product.status != Product.Status.RECALLED:
        product.status = Product.Status.RECALLED
        product.save()
    elif not recalled and product.status == Product.Status.RECALLED:
        product.status = Product.Status.ON_SALE
        product.save()


def record_recall(
    user, product: Product, *, lot: str = "", reason: str = "", issued_on: datetime.date | None = None
) -> Recall:
    """Record a recall of `product` (or of one lot of it). The recording agency is the lead agency
    of the product's field. Recording the same active recall again (same product and lot) answers
    the existing one (idempotent command line). ServiceError on bad input; PermissionDenied."""
    if user is not None:
        policy.require(user, "add", Recall, product=product)
    errors = Errors()
    try:
        lot = clean_lot(lot)
    except ValueError as exc:
        errors.add("lot", str(exc))
    reason = _text(errors, "reason", reason, _("Nhập lý do thu hồi."))
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        errors.add("issued_on", _("Ngày thu hồi không được sau hôm nay."))
    errors.raise_if_any()
    agency = lead_agency_of(product)
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=product.pk).first()
        existing = Recall.objects.filter(product=product, lot=lot, status=Recall.Status.ACTIVE).first()
        if existing is not None:
            return existing
        recall = Recall.objects.create(
            product=product,
            lot=lot,
            reason=reason,
            agency=agency,
            issued_by=user if policy.is_active_user(user) else None,
            issued_on=issued_on,
        )
        if not lot:
            _set_status(product)
    return recall


def lift_recall(user, recall: Recall, *, reason: str = "", lifted_on: datetime.date | None = None) -> Recall:
    """End an active recall (the row stays, with who, when and why)."""
    if user is not None:
        policy.require(user, "lift", recall)
    errors = Errors()
    if recall.status != Recall.Status.ACTIVE:
        errors.add("__all__", _("Quyết định thu hồi này đã chấm dứt."))
    reason = _text(errors, "lift_reason", reason, _("Nhập lý do chấm dứt thu hồi."))
    lifted_on = lifted_on or timezone.localdate()
    if lifted_on < recall.issued_on:
        errors.add("lifted_on", _("Ngày chấm dứt không được trước ngày thu hồi."))
    errors.raise_if_any()
    with transaction.atomic():
        recall.status = Recall.Status.LIFTED
        recall.lifted_on = lifted_on
        recall.lifted_by = user if policy.is_active_user(user) else None
        recall.lift_reason = reason
        recall.save()
        if not recall.lot:
            _set_status(recall.product)
    return recall


def add_warning(user, product: Product, *, text: str = "", case_goods=None) -> ProductWarning:
    """A warning about `product`, by hand or (`case_goods`, a cases.CaseGoods) from a case's
    counterfeit goods line; one warning per goods line (asking again answers the first one)."""
    if user is not None:
        policy.require(user, "add", ProductWarning, product=product)
    errors = Errors()
    text = _text(errors, "text", text, _("Nhập nội dung cảnh báo."))
    errors.raise_if_any()
    with transaction.atomic():
        if case_goods is not None:
            existing = ProductWarning.objects.filter(case_goods=case_goods).first()
            if existing is not None:
                return existing
        return ProductWarning.objects.create(
            product=product,
            text=text,
            source=ProductWarning.Source.CASE if case_goods is not None else ProductWarning.Source.MANUAL,
            case_goods=case_goods,
            agency=lead_agency_of(product),
            created_by=user if policy.is_active_user(user) else None,
        )


def default_warning_text(line, product: Product) -> str:
    """The proposed text of a warning drawn from a case's goods line: what was found, where and
    when — no names of people, no case number (the warning is public)."""
    case = line.case
    return _(
        "Lực lượng chức năng phát hiện hàng giả mạo sản phẩm “%(product)s” (mã %(gtin)s) tại %(unit)s "
        "ngày %(date)s: %(description)s. Người tiêu dùng chỉ mua tại cửa hàng uy tín, kiểm tra tem "
        "và mã trên bao bì, báo ngay cho cơ quan chức năng khi nghi ngờ."
    ) % {
        "product": product.name,
        "gtin": product.gtin.lstrip("0") or product.gtin,
        "unit": case.unit.name,
        "date": case.detected_on.strftime("%d/%m/%Y"),
        "description": line.description,
    }


def warn_from_case_goods(user, line_id: int, *, text: str = "") -> ProductWarning:
    """A warning from a case's counterfeit goods line that names a registered product: the line
    is read through the cases app's services (the user must see the case)."""
    from canhgiac.cases import services as cases

    line = cases.goods_line_for(user, line_id)  # Http404-like None when unseen
    errors = Errors()
    if line is None:
        errors.add("case_goods", _("Không tìm thấy dòng hàng hóa này của vụ việc."))
        errors.raise_if_any()
    if line.product_id is None:
        errors.add("case_goods", _("Dòng hàng hóa chưa gắn với sản phẩm đã đăng ký (nhập mã GTIN)."))
    elif not cases.is_counterfeit_line(line):
        errors.add("case_goods", _("Chỉ tạo cảnh báo từ dòng hàng giả (vụ việc có hành vi “Hàng giả”)."))
    errors.raise_if_any()
    product = Product.objects.select_related("owner", "category").get(pk=line.product_id)
    return add_warning(user, product, text=text or default_warning_text(line, product), case_goods=line)


def withdraw_warning(user, warning: ProductWarning) -> ProductWarning:
    if user is not None:
        policy.require(user, "withdraw", warning)
    if warning.is_active:
        warning.is_active = False
        warning.save()
    return warning


def public_notices(product: Product, lot: str | None = None) -> dict:
    """What anyone may read about a product's recalls and warnings (active ones only); dates are
    `date` objects (JsonResponse writes them as YYYY-MM-DD)."""
    recalls = list(
        Recall.objects.filter(product=product, status=Recall.Status.ACTIVE)
        .select_related("agency")
        .order_by("-issued_on", "-id")
    )
    if lot is not None:
        recalls = [r for r in recalls if not r.lot or r.lot == lot]
    warnings = list(
        ProductWarning.objects.filter(product=product, is_active=True)
        .select_related("agency")
        .order_by("-created_at", "-id")[:20]
    )
    return {
        "recalls": [
            {
                "lot": r.lot,
                "reason": r.reason,
                "agency": r.agency.name,
                "issued_on": r.issued_on,
            }
            for r in recalls
        ],
        "warnings": [
            {"text": w.text, "agency": w.agency.name, "date": timezone.localdate(w.created_at)}
            for w in warnings
        ],
    }


def active_recalls():
    """Every active recall with its product and agency (what the public may read of recalls)."""
    return Recall.objects.filter(status=Recall.Status.ACTIVE).select_related("product", "agency")


def published_recalls():
    """The active recalls for the portal (its warnings page and Atom feed), newest recorded first:
    the recall half of `feed_entries`, as a query set the portal slices."""
    return active_recalls().order_by("-created_at", "-id")


def feed_entries(limit: int = 50) -> list:
    """The newest active recalls and warnings, for the public Atom feed: [(kind, object, when)],
    newest first by when they were recorded."""
    recalls = active_recalls().order_by("-created_at", "-id")[:limit]
    warnings = (
        ProductWarning.objects.filter(is_active=True)
        .select_related("product", "agency")
        .order_by("-created_at", "-id")[:limit]
    )
    entries = [("recall", r, r.created_at) for r in recalls] + [
        ("warning", w, w.created_at) for w in warnings
    ]
    entries.sort(key=lambda e: (e[2], e[1].pk), reverse=True)
    return entries[:limit]
