"""Figures of the public check and leads for market surveillance (issue 13, item 7).

Definitions (docs/goods.md): a check is one CodeCheck row (one answer of /api/v1/verify or of
the check page). Checks are counted in the period [date_from, date_to] (local dates), for the
staff member's provinces (a check belongs to the province of the commune the user chose, else
of the product's owner). A lead is a code (product, lot, serial) or, for an unsigned/unknown
code, a product, with at least one `suspicious` or `forged` answer in the period.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.core.policy import visible_to
from canhgiac.goods.models import CodeCheck, Product
from canhgiac.goods.verify import FORGED, STATUSES, SUSPICIOUS, status_names

LEAD_STATUSES = (SUSPICIOUS, FORGED)


def _window(date_from: dt.date, date_to: dt.date):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def checks(user, date_from: dt.date, date_to: dt.date):
    policy.require(user, "goods.view_checks")
    start, end = _window(date_from, date_to)
    return visible_to(user, CodeCheck.objects.filter(checked_at__gte=start, checked_at__lt=end))


def figures(user, date_from: dt.date, date_to: dt.date, top: int = 20) -> dict:
    """Checks by status, by commune and by product (the `top` most checked)."""
    qs = checks(user, date_from, date_to)
    names = status_names()
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    status_rows = [{"status": s, "name": names[s], "count": by_status.get(s, 0)} for s in STATUSES]
    communes = list(
        qs.values("unit__code", "unit__name")
        .annotate(n=Count("id"), bad=Count("id", filter=_bad()))
        .order_by("-n", "unit__name")[:top]
    )
    products = list(
        qs.exclude(product=None)
        .values("product_id", "product__gtin", "product__name")
        .annotate(n=Count("id"), bad=Count("id", filter=_bad()))
        .order_by("-n", "product__name")[:top]
    )
    return {
        "total": sum(by_status.values()),
        "by_status": status_rows,
        "by_commune": communes,
        "by_product": products,
    }


def leads_by_unit(user, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Suspicious and forged answers per commune in the period, for the leaders' dashboard's hot
    spots: {unit id: n}; {} for whoever may not read the checks' figures."""
    if not policy.can(user, "goods.view_checks"):
        return {}
    qs = checks(user, date_from, date_to).filter(status__in=LEAD_STATUSES, unit__isnull=False)
    return dict(qs.values_list("unit").annotate(n=Count("id")).order_by())


def _bad():
    from django.db.models import Q

    return Q(status__in=LEAD_STATUSES)


def leads(user, date_from: dt.date, date_to: dt.date, limit: int = 100) -> list[dict]:
    """Suspicious and forged codes: one row per (product, lot, serial) with how many such
    answers, in how many communes, first and last seen, and the newest check's id (the lead's
    handle for making a case)."""
    qs = checks(user, date_from, date_to).filter(status__in=LEAD_STATUSES)
    rows = list(
        qs.values("product_id", "product__gtin", "product__name", "lot", "serial")
        .annotate(
            n=Count("id"),
            communes=Count("unit", distinct=True),
            first=Min("checked_at"),
            last=Max("checked_at"),
            check_id=Max("id"),
            forged=Count("id", filter=_forged()),
        )
        .order_by("-last")[:limit]
    )
    for row in rows:
        row["status"] = FORGED if row["forged"] else SUSPICIOUS
        row["status_name"] = status_names()[row["status"]]
    return rows


def _forged():
    from django.db.models import Q

    return Q(status=FORGED)


def lead_to_case(
    user, check_id: int, *, lead_agency_code: str, unit_code: str = "", violation_type: str = ""
):
    """Open a case from a lead (a suspicious or forged check) through the cases services: the
    product as a goods line, the code and the check figures in the summary."""
    check = (
        visible_to(user, CodeCheck.objects.select_related("product__category", "unit"))
        .filter(pk=check_id, status__in=LEAD_STATUSES)
        .first()
    )
    if check is None:
        raise PermissionDenied
    from canhgiac.cases import services as cases

    product: Product | None = check.product
    same = CodeCheck.objects.filter(
        status__in=LEAD_STATUSES, product=check.product, lot=check.lot, serial=check.serial
    )
    summary = _(
        "Kiểm tra mã hàng hóa cho kết quả “%(status)s” %(n)s lần ở %(c)s xã, phường. Sản phẩm: %(product)s; "
        "lô %(lot)s; sê-ri %(serial)s."
    ) % {
        "status": status_names()[check.status],
        "n": same.count(),
        "c": same.exclude(unit=None).values("unit").distinct().count(),
        "product": f"{product.name} (GTIN {product.gtin})" if product else _("không rõ"),
        "lot": check.lot or "—",
        "serial": check.serial or "—",
    }
    goods = []
    if product is not None:
        goods.append(
            {
                "goods_category": product.category.code,
                "description": product.name[:300],
                "brand": product.brand,
            }
        )
    data = {
        "lead_agency_code": lead_agency_code,
        "detected_on": timezone.localdate(),
        "unit_code": unit_code or (check.unit.code if check.unit_id else ""),
        "violation_type": violation_type,
        "summary": summary,
        "goods": goods,
        "origin": f"goods-check:{check.pk}",
        "sensitive": False,
    }
    return cases.create_case(user, data)
