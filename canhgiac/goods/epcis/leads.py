"""Leads for market surveillance (QLTT) from the EPCIS events an officer may read, each with
its reason:

- goods inspected, or sold, at a place that has no receiving event for them before (the goods
  entered that place outside the recorded chain): for each inspection or retail sale, the items
  (and the pallets they came in) with no earlier `receiving`/`arriving` event at the same business
  location;
- a lot sold or inspected at a place, or checked by a consumer in a commune, that no shipping or
  receiving event of that lot ever delivered to (`lots.never_shipped_leads`);
- events about a product under an active recall (goods.recalls, Recall.issued_on and lot) that
  happened on or after the recall's day: for a lot recall only identifiers naming that lot.

Two queries for the first kind whatever the number of events (the latest `LIMIT` inspections and
sales), two for the second (the active recalls, then the events).
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
    event: EpcisEvent | None  # None for a lead from a consumer's product check
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
    from canhgiac.goods.epcis.lots import never_shipped_leads

    found += never_shipped_leads(user, Lead)
    found += _after_recall(user)
    return found


def _after_recall(user) -> list[Lead]:
    """Events about a product (or the recalled lot of it) under an active recall, dated on or after
    the recall's day (Recall.issued_on, local time). A lot recall matches the identifiers that
    name that lot (LGTIN classes and items with their lot); a whole-product recall, every
    identifier of the GTIN."""
    import datetime as dt

    from django.db.models import Q

    from canhgiac.goods.recalls import active_recalls

    recalls = list(active_recalls().order_by("issued_on", "id"))
    if not recalls:
        return []
    tz = timezone.get_current_timezone()
    # per GTIN: the earliest whole-product recall, and per lot its earliest recall
    whole: dict[str, object] = {}
    by_lot: dict[tuple[str, str], object] = {}
    condition = Q()
    for recall in recalls:
        gtin = recall.product.gtin
        prefix = f"{identifiers.DL_BASE}/01/{gtin}"
        if recall.lot:
            lot_id = f"{prefix}/10/{identifiers._q(recall.lot)}"
            by_lot.setdefault((gtin, lot_id), recall)
            condition |= Q(lot=lot_id)
        else:
            whole.setdefault(gtin, recall)
            condition |= Q(epc=prefix) | Q(epc__startswith=prefix + "/")

    def start(recall):
        return dt.datetime.combine(recall.issued_on, dt.time.min, tzinfo=tz)

    earliest = min(start(r) for r in recalls)
    rows = (
        EpcisEpc.objects.filter(
            condition,
            event__event_time__gte=earliest,
            event__in=visible_to(user, EpcisEvent.objects.filter(error_declared=False)),
        )
        .select_related("event")
        .order_by("-event__event_time", "-event_id")[:LIMIT]
    )
    out = []
    seen = set()
    for row in rows:
        gtin = identifiers.gtin_of(row.epc) or identifiers.gtin_of(row.lot)
        recall = whole.get(gtin)
        if row.lot:
            lot_recall = by_lot.get((gtin, row.lot))
            if lot_recall is not None and (recall is None or lot_recall.issued_on < recall.issued_on):
                recall = lot_recall
        if recall is None or row.event_id in seen or row.event.event_time < start(recall):
            continue
        seen.add(row.event_id)
        if recall.lot:
            what = _("lô %(lot)s của sản phẩm “%(name)s”") % {"lot": recall.lot, "name": recall.product.name}
        else:
            what = _("sản phẩm “%(name)s”") % {"name": recall.product.name}
        out.append(
            Lead(
                row.event,
                "after_recall",
                _("Sự kiện lúc %(t)s về %(what)s (GTIN %(gtin)s) đã bị thu hồi từ ngày %(day)s.")
                % {
                    "t": timezone.localtime(row.event.event_time).strftime("%d/%m/%Y %H:%M"),
                    "what": what,
                    "gtin": gtin,
                    "day": recall.issued_on.strftime("%d/%m/%Y"),
                },
                row.epc,
            )
        )
    return out
