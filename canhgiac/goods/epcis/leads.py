"""Leads for market surveillance (QLTT) from the EPCIS events an officer may read, each with
its reason:

- goods inspected, or sold, at a place that has no receiving event for them before (the goods
  entered that place outside the recorded chain): for each inspection or retail sale, the items
  (and the pallets they came in) with no earlier `receiving`/`arriving` event at the same business
  location;
- events about a recalled product (status "recalled" in the registry) recorded after the product
  was last changed (the registry keeps no recall date yet: its last change is taken as the recall).

Two queries for the first kind whatever the number of events (the latest `LIMIT` inspections and
sales), one for the second.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core.policy import visible_to
from canhgiac.goods.epcis import identifiers, validation
from canhgiac.goods.epcis.models import EpcisEpc, EpcisEvent

LIMIT = 200
R = EpcisEpc.Role


@dataclass
class Lead:
    event: EpcisEvent
    kind: str
    reason: str
    subject: str


def leads(user) -> list[Lead]:
    cbv = validation.CBV + "BizStep-"
    checked = list(
        visible_to(user, EpcisEvent.objects.all())
        .filter(biz_step__in=[cbv + "inspecting", cbv + "retail_selling"], error_declared=False)
        .exclude(biz_location="")
        .order_by("-event_time", "-pk")[:LIMIT]
    )
    found: list[Lead] = []
    if checked:
        items: dict[int, set[str]] = {}
        for event_id, epc in EpcisEpc.objects.filter(
            event_id__in=[e.pk for e in checked], role__in=(R.EPC, R.CHILD, R.OUTPUT)
        ).values_list("event_id", "epc"):
            items.setdefault(event_id, set()).add(epc)
        places = {e.biz_location for e in checked}
        epcs = set().union(*items.values()) if items else set()
        received: dict[tuple[str, str], object] = {}
        rows = EpcisEpc.objects.filter(
            epc__in=epcs,
            event__biz_location__in=places,
            event__biz_step__in=[cbv + "receiving", cbv + "arriving"],
            event__error_declared=False,
        ).values_list("epc", "event__biz_location", "event__event_time")
        for epc, place, moment in rows:
            key = (epc, place)
            if key not in received or moment < received[key]:
                received[key] = moment
        for event in checked:
            missing = sorted(
                epc
                for epc in items.get(event.pk, ())
                if not (
                    received.get((epc, event.biz_location))
                    and received[(epc, event.biz_location)] <= event.event_time
                )
            )
            if missing:
                what = _("Kiểm tra") if event.biz_step.endswith("inspecting") else _("Bán lẻ")
                found.append(
                    Lead(
                        event,
                        "no_receiving",
                        _(
                            "%(what)s tại %(place)s: %(n)s mã không có sự kiện nhận hàng tại đây trước đó (vd. %(epc)s)."
                        )
                        % {"what": what, "place": event.biz_location, "n": len(missing), "epc": missing[0]},
                        missing[0],
                    )
                )
    found += _after_recall(user)
    return found


def _after_recall(user) -> list[Lead]:
    from canhgiac.goods.models import Product

    recalled = {p.gtin: p for p in Product.objects.filter(status=Product.Status.RECALLED)}
    if not recalled:
        return []
    out = []
    prefixes = [f"{identifiers.DL_BASE}/01/{gtin}" for gtin in recalled]
    from django.db.models import Q

    condition = Q()
    for prefix in prefixes:
        condition |= Q(epc=prefix) | Q(epc__startswith=prefix + "/")
    rows = (
        EpcisEpc.objects.filter(
            condition, event__in=visible_to(user, EpcisEvent.objects.filter(error_declared=False))
        )
        .select_related("event")
        .order_by("-event__event_time")[:LIMIT]
    )
    seen = set()
    for row in rows:
        gtin = identifiers.gtin_of(row.epc)
        product = recalled.get(gtin)
        if product is None or row.event_id in seen or row.event.event_time <= product.updated_at:
            continue
        seen.add(row.event_id)
        out.append(
            Lead(
                row.event,
                "after_recall",
                _("Sự kiện lúc %(t)s về sản phẩm “%(name)s” đã bị thu hồi (GTIN %(gtin)s).")
                % {
                    "t": timezone.localtime(row.event.event_time).strftime("%d/%m/%Y %H:%M"),
                    "name": product.name,
                    "gtin": gtin,
                },
                row.epc,
            )
        )
    return out
