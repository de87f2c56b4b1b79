"""Where a lot has been, by commune; what a consumer may read about a lot or an item (Circular
02/2024/TT-BKHCN); and the lead "a lot sold in places it was never shipped to".

Places. An event's place is its `bizLocation` (else its `readPoint`), a GS1 location identifier.
No location master data is stored (GS1's examples carry none, and the GLN of a business is not in
the registry), so a place is mapped to a commune through the registered business that sends the
events recorded there: `places_of` takes, for each location, the business that sent most events at
it (as bizLocation or readPoint) and that business's commune (`Business.unit`). An event with no
known place falls back to the commune of the business that sent it. Places only ever named by
events sent without a business (data brought by the Standing Office) stay "commune unknown".

Deliveries of a lot: the `receiving`/`arriving` events naming an item of the lot (or a pallet it was
packed into: the item's parents in AggregationEvents) at their place, and the `shipping` events'
`destinationList` entries of type `location`. A sale (`retail_selling`, disposition `retail_sold`) or
an inspection (`inspecting`) of the lot at a place (or at a business) none of those delivered to is
a lead; so is a consumer's product check of the lot in a commune no delivery reached. Only lots with
at least one recorded delivery are compared (with none, there is nothing to compare with: the
"no receiving event" lead covers that case).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core.policy import visible_to
from canhgiac.goods.epcis import identifiers, validation
from canhgiac.goods.epcis.models import EpcisEpc, EpcisEvent

R = EpcisEpc.Role
STEP = validation.CBV + "BizStep-"
SHIPPING = STEP + "shipping"
DELIVERED = (STEP + "receiving", STEP + "arriving")
MET_STEPS = (STEP + "retail_selling", STEP + "inspecting")
SOLD = validation.CBV + "Disp-retail_sold"
LIMIT = 200
MAX_MEMBERS = 5000


# --- places -----------------------------------------------------------------------------------


@dataclass
class Place:
    location: str
    business: object = None  # goods.Business
    unit: object = None  # directory.AdministrativeUnit (commune)

    @property
    def province(self):
        return getattr(self.unit, "parent", None) if self.unit is not None else None


def places_of(locations) -> dict[str, Place]:
    """location -> Place (the business sending most events there, its commune) for the known ones.
    Three queries whatever the number of locations."""
    from canhgiac.goods.models import Business

    locations = {loc for loc in locations if loc}
    if not locations:
        return {}
    counts: dict[str, dict[int, int]] = {}
    for column in ("biz_location", "read_point"):
        rows = (
            EpcisEvent.objects.filter(**{f"{column}__in": locations}, business__isnull=False)
            .values_list(column, "business_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for location, business_id, n in rows:
            per = counts.setdefault(location, {})
            per[business_id] = per.get(business_id, 0) + n
    chosen = {loc: max(sorted(per), key=lambda b: per[b]) for loc, per in counts.items()}
    businesses = Business.objects.select_related("unit__parent").in_bulk(set(chosen.values()))
    return {
        loc: Place(loc, businesses[b], businesses[b].unit) for loc, b in chosen.items() if b in businesses
    }


def _place_of_event(event, places: dict[str, Place]) -> Place:
    location = event.biz_location or event.read_point
    place = places.get(location)
    if place is not None:
        return place
    business = getattr(event, "business", None) if event.business_id else None
    return Place(location, business, business.unit if business is not None else None)


def place_label(place: Place) -> str:
    """'Business (Commune, Province)' or the location itself."""
    if place.business is not None:
        where = ", ".join(u.name for u in (place.unit, place.province) if u is not None)
        return f"{place.business.name} ({where})" if where else place.business.name
    return place.location or "—"


@dataclass
class CommuneRow:
    unit: object  # commune or None (unknown)
    places: list[str] = field(default_factory=list)
    events: int = 0
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    steps: list[str] = field(default_factory=list)

    @property
    def step_labels(self) -> list[str]:
        from canhgiac.goods.epcis.vocabulary import BIZ_STEPS

        return [str(BIZ_STEPS.get(word, word)) for word in self.steps]


@dataclass
class ProvinceGroup:
    province: object  # AdministrativeUnit or None
    communes: list[CommuneRow] = field(default_factory=list)


def places_by_commune(steps, places: dict[str, Place] | None = None) -> list[ProvinceGroup]:
    """The trace's steps (trace.Step) grouped by province, then commune: the places (business or
    location), the number of events, first and last time and the steps seen there. Communes in
    the order the trace first reached them; the unknown ones last. `places`: places_of() of the
    steps' places when already known."""
    events = [s.event for s in steps]
    if places is None:
        places = places_of({e.biz_location or e.read_point for e in events})
    rows: dict[object, CommuneRow] = {}
    for step in steps:
        place = _place_of_event(step.event, places)
        key = place.unit.pk if place.unit is not None else None
        row = rows.get(key)
        if row is None:
            row = rows[key] = CommuneRow(place.unit)
        # the row is the commune already: the business's name alone
        label = place.business.name if place.business is not None else (place.location or _("Không rõ nơi"))
        if label not in row.places:
            row.places.append(label)
        row.events += 1
        moment = step.event.event_time
        row.first = moment if row.first is None or moment < row.first else row.first
        row.last = moment if row.last is None or moment > row.last else row.last
        if step.step not in row.steps:
            row.steps.append(step.step)
    groups: dict[object, ProvinceGroup] = {}
    for key, row in rows.items():
        province = row.unit.parent if row.unit is not None and row.unit.parent_id else row.unit
        pkey = province.pk if province is not None else None
        if key is None:
            pkey = None
            province = None
        group = groups.get(pkey)
        if group is None:
            group = groups[pkey] = ProvinceGroup(province)
        group.communes.append(row)
    known = [g for k, g in groups.items() if k is not None]
    return known + ([groups[None]] if None in groups else [])


def gaps_between_places(steps, places: dict[str, Place] | None = None) -> list[str]:
    """Goods that turn up at a place with no shipping towards it and no receiving there: "no event
    between the distributor and this shop". For each place after the first, at its first event:
    that event is not a receiving/arrival, and no earlier shipping named it as destination."""
    events = [s.event for s in steps]
    if places is None:
        places = places_of({e.biz_location or e.read_point for e in events})
    out = []
    seen: list[str] = []
    destinations: set[str] = set()
    last_place = None
    for step in steps:
        event = step.event
        location = event.biz_location or event.read_point
        if not location:
            continue
        if location not in seen:
            if seen and event.biz_step not in DELIVERED and location not in destinations:
                here = _place_of_event(event, places)
                before = _place_of_event(last_place, places)
                out.append(
                    _(
                        "Không có sự kiện nào giữa %(before)s và %(here)s: hàng có mặt tại đây lúc %(t)s (%(step)s) mà không có sự kiện xuất hàng đến hay nhận hàng tại đây."
                    )
                    % {
                        "before": place_label(before),
                        "here": place_label(here),
                        "t": timezone.localtime(event.event_time).strftime("%d/%m/%Y %H:%M"),
                        "step": step.label,
                    }
                )
            seen.append(location)
        if event.biz_step == SHIPPING:
            destinations |= _destinations(event.body)
        last_place = event
    return out


def _destinations(body) -> set[str]:
    out = set()
    for entry in (body or {}).get("destinationList") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("destination"), str):
            continue
        kind = str(entry.get("type", ""))
        if kind.endswith("location"):
            try:
                out.add(identifiers.canonical(entry["destination"]))
            except identifiers.IdentifierError:
                out.add(entry["destination"])
    return out


# --- a lot's members and deliveries --------------------------------------------------------------


def lot_id(gtin: str, lot: str) -> str:
    return f"{identifiers.DL_BASE}/01/{gtin}/10/{identifiers._q(lot)}"


def _members(lots: set[str]) -> dict[str, set[str]]:
    """lot -> the identifiers of that lot (its items and the lot class itself)."""
    out = {lot: {lot} for lot in lots}
    for epc, lot in EpcisEpc.objects.filter(lot__in=lots).values_list("epc", "lot").distinct()[:MAX_MEMBERS]:
        out[lot].add(epc)
    return out


def _with_containers(epcs: set[str]) -> dict[str, set[str]]:
    """identifier -> itself and the pallets (parents) it was aggregated into."""
    out = {e: {e} for e in epcs}
    aggregations = EpcisEpc.objects.filter(epc__in=epcs, role=R.CHILD).values_list("event_id", "epc")
    by_event: dict[int, set[str]] = {}
    for event_id, epc in aggregations[:MAX_MEMBERS]:
        by_event.setdefault(event_id, set()).add(epc)
    if by_event:
        for event_id, parent in EpcisEpc.objects.filter(event_id__in=by_event, role=R.PARENT).values_list(
            "event_id", "epc"
        ):
            for epc in by_event[event_id]:
                out[epc].add(parent)
    return out


@dataclass
class Deliveries:
    locations: set[str] = field(default_factory=set)
    communes: set[int] = field(default_factory=set)
    businesses: set[int] = field(default_factory=set)
    labels: list[str] = field(default_factory=list)


def deliveries(lots: set[str], also=()) -> tuple[dict[str, Deliveries], dict[str, Place]]:
    """lot -> where its deliveries (receiving/arriving events, shipping destinations of type
    location) went, from all the events (a shipment recorded in another province counts); and
    the places_of() those locations and of the locations `also` (one look-up for both)."""
    members = _members(lots)
    every = set().union(*members.values()) if members else set()
    carriers = _with_containers(every)
    lot_of_id: dict[str, set[str]] = {}
    for lot, epcs in members.items():
        for epc in epcs:
            for carrier in carriers.get(epc, {epc}):
                lot_of_id.setdefault(carrier, set()).add(lot)
    rows = EpcisEpc.objects.filter(
        epc__in=lot_of_id,
        event__biz_step__in=(SHIPPING, *DELIVERED),
        event__error_declared=False,
    ).values_list("event_id", "epc")
    event_lots: dict[int, set[str]] = {}
    for event_id, epc in rows[:MAX_MEMBERS]:
        event_lots.setdefault(event_id, set()).update(lot_of_id[epc])
    out = {lot: Deliveries() for lot in lots}
    per_lot_locations: dict[str, set[str]] = {lot: set() for lot in lots}
    for event in EpcisEvent.objects.filter(pk__in=event_lots).only(
        "id", "biz_step", "biz_location", "read_point", "body"
    ):
        if event.biz_step == SHIPPING:
            reached = _destinations(event.body)
        else:
            reached = {event.biz_location or event.read_point} - {""}
        for lot in event_lots[event.pk]:
            per_lot_locations[lot] |= reached
    places = places_of(set(also).union(*per_lot_locations.values()))
    for lot, locations in per_lot_locations.items():
        found = out[lot]
        found.locations = locations
        for location in sorted(locations):
            place = places.get(location)
            if place is not None:
                found.businesses.add(place.business.pk)
                if place.unit is not None:
                    found.communes.add(place.unit.pk)
            label = place_label(place) if place is not None else location
            if label not in found.labels:
                found.labels.append(label)
    return out, places


def lots_of(epcs: set[str]) -> dict[str, set[str]]:
    """identifier -> the lots it belongs to (from the identifier itself or its commissioning)."""
    out: dict[str, set[str]] = {}
    for epc, lot in (
        EpcisEpc.objects.filter(epc__in=epcs).exclude(lot="").values_list("epc", "lot").distinct()
    ):
        out.setdefault(epc, set()).add(lot)
    return out


# --- the lead -----------------------------------------------------------------------------------


def never_shipped_leads(user, lead_class) -> list:
    """Sales, inspections and consumers' product checks of a lot at a place (or in a commune) that
    no recorded delivery of that lot reached, latest first."""
    from django.db.models import Q

    from canhgiac.goods.models import CodeCheck

    met = list(
        visible_to(user, EpcisEvent.objects.all())
        .filter(Q(biz_step__in=MET_STEPS) | Q(disposition=SOLD), error_declared=False)
        .filter(~Q(biz_location="") | ~Q(read_point=""))
        .select_related("business__unit__parent")
        .order_by("-event_time", "-pk")[:LIMIT]
    )
    checks = list(
        visible_to(user, CodeCheck.objects.all())
        .filter(product__isnull=False, unit__isnull=False)
        .exclude(lot="")
        .select_related("product", "unit__parent")
        .order_by("-checked_at", "-id")[:LIMIT]
    )
    if not met and not checks:
        return []
    named: dict[int, set[str]] = {}
    for event_id, epc in EpcisEpc.objects.filter(
        event_id__in=[e.pk for e in met], role__in=(R.EPC, R.CHILD, R.OUTPUT, R.QUANTITY)
    ).values_list("event_id", "epc"):
        named.setdefault(event_id, set()).add(epc)
    epcs = set().union(*named.values()) if named else set()
    lot_map = lots_of(epcs)
    event_lots = {
        e.pk: set().union(*(lot_map.get(epc, set()) for epc in named.get(e.pk, ())))
        if named.get(e.pk)
        else set()
        for e in met
    }
    check_lots = {c.pk: lot_id(c.product.gtin, c.lot) for c in checks}
    lots = (
        set().union(*event_lots.values(), set(check_lots.values())) if (event_lots or check_lots) else set()
    )
    if not lots:
        return []
    reached, places = deliveries(lots, {e.biz_location or e.read_point for e in met})
    found = []
    for event in met:
        location = event.biz_location or event.read_point
        place = _place_of_event(event, places)
        for lot in sorted(event_lots.get(event.pk, ())):
            delivered = reached[lot]
            if not delivered.locations:
                continue
            if location in delivered.locations or (
                place.business is not None and place.business.pk in delivered.businesses
            ):
                continue
            what = _("Kiểm tra") if event.biz_step.endswith("inspecting") else _("Bán lẻ")
            found.append(
                lead_class(
                    event,
                    "never_shipped",
                    _(
                        "%(what)s lô %(lot)s lúc %(t)s tại %(place)s: không có sự kiện xuất hàng hay nhận hàng nào của lô này đến nơi này. Lô đã được giao đến: %(to)s."
                    )
                    % {
                        "what": what,
                        "lot": _lot_text(lot),
                        "t": timezone.localtime(event.event_time).strftime("%d/%m/%Y %H:%M"),
                        "place": place_label(place),
                        "to": "; ".join(delivered.labels),
                    },
                    lot,
                )
            )
    for check in checks:
        lot = check_lots[check.pk]
        delivered = reached.get(lot)
        if delivered is None or not delivered.locations or check.unit_id in delivered.communes:
            continue
        where = ", ".join(u.name for u in (check.unit, check.unit.parent) if u is not None)
        found.append(
            lead_class(
                None,
                "never_shipped",
                _(
                    "Người dân kiểm tra mã lô %(lot)s lúc %(t)s tại %(where)s: không có sự kiện giao hàng nào của lô này đến xã, phường này. Lô đã được giao đến: %(to)s."
                )
                % {
                    "lot": _lot_text(lot),
                    "t": timezone.localtime(check.checked_at).strftime("%d/%m/%Y %H:%M"),
                    "where": where,
                    "to": "; ".join(delivered.labels),
                },
                lot,
            )
        )
    return found


def _lot_text(lot: str) -> str:
    """'L2026 (GTIN 08934588012228)' from a lot identifier."""
    parts = lot.rsplit("/10/", 1)
    gtin = identifiers.gtin_of(lot) or ""
    from urllib.parse import unquote

    return f"{unquote(parts[1])} (GTIN {gtin})" if len(parts) == 2 else lot


# --- the consumer look-up (Circular 02/2024/TT-BKHCN) -----------------------------------------------


def _date(text) -> dt.date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _ai_date(text) -> dt.date | None:
    """A GS1 date AI value (YYMMDD; DD 00 = the month's last day)."""
    if not isinstance(text, str) or len(text) != 6 or not text.isdigit():
        return None
    year, month, day = 2000 + int(text[:2]), int(text[2:4]), int(text[4:])
    if year - timezone.localdate().year > 49:
        year -= 100
    try:
        if day == 0:
            import calendar

            day = calendar.monthrange(year, month)[1]
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass
class Lookup:
    """What anyone may read about a product, a lot or an item: registry fields and, from the
    events, the lot's dates and places; only businesses are named, never people."""

    name: str
    image: str
    brand: str
    producer: str
    producer_address: str
    lot: str = ""
    serial: str = ""
    expiry: dt.date | None = None
    best_before: dt.date | None = None
    produced: dt.date | None = None
    produced_at: str = ""
    packed: dt.date | None = None
    before: str = ""  # one step before: who made it
    after: str = ""  # one step after: the last shipping step's business
    after_date: dt.date | None = None
    has_events: bool = False

    def as_dict(self, absolute=lambda url: url) -> dict:
        """The fields as a program reads them (the resolver's JSON answer, key `lookup`): dates in
        ISO 8601 (YYYY-MM-DD) or null, texts "" when unknown; `absolute` makes the image's URL
        absolute. One step before is said only for a lot or an item, as on the page."""

        def day(value):
            return value.isoformat() if value else None

        named = bool(self.lot or self.serial)
        return {
            "name": self.name,
            "image": absolute(self.image) if self.image else "",
            "brand": self.brand,
            "producer": self.producer,
            "producer_address": self.producer_address,
            "lot": self.lot,
            "serial": self.serial,
            "expiry": day(self.expiry),
            "best_before": day(self.best_before),
            "produced": day(self.produced),
            "produced_at": self.produced_at,
            "packed": day(self.packed),
            "one_step_before": self.before if named else "",
            "one_step_after": {"business": self.after, "date": day(self.after_date)} if self.after else None,
            "has_events": self.has_events,
        }


def consumer_lookup(product, lot: str = "", serial: str = "", link=None) -> Lookup:
    """The consumer look-up fields of Circular 02/2024/TT-BKHCN for a registered product, and for
    its lot or item when the code names one (AI 10 / 21; AI 17, 15, 11, 13 read from the link).
    Reads the events whatever their province (only business names and places are shown)."""
    owner = product.owner
    address = ", ".join(
        part
        for part in (owner.address, owner.unit.name if owner.unit_id else "", owner.province.name)
        if part
    )
    result = Lookup(
        name=product.name,
        image=product.image.url if product.image else "",
        brand=product.brand,
        producer=owner.name,
        producer_address=address,
        lot=lot or "",
        serial=serial or "",
    )
    get = link.get if link is not None else (lambda ai: None)
    result.expiry = _ai_date(get("17"))
    result.best_before = _ai_date(get("15"))
    result.produced = _ai_date(get("11"))
    result.packed = _ai_date(get("13"))
    gtin = product.gtin
    item = f"{identifiers.DL_BASE}/01/{gtin}/21/{identifiers._q(serial)}" if serial else ""
    lot_key = lot_id(gtin, lot) if lot else ""
    if item and not lot_key:
        found = lots_of({item}).get(item)
        if found:
            lot_key = sorted(found)[0]
            result.lot = _lot_text(lot_key).split(" (GTIN")[0]
    if not lot_key and not item:
        return result
    subjects = {item} if item else set()
    if lot_key:
        subjects |= _members({lot_key})[lot_key]
    carriers = _with_containers(subjects)
    ids = set().union(*carriers.values()) if carriers else subjects
    event_ids = set(EpcisEpc.objects.filter(epc__in=ids).values_list("event_id", flat=True)[:MAX_MEMBERS])
    events = list(
        EpcisEvent.objects.filter(pk__in=event_ids, error_declared=False)
        .select_related("business__unit__parent")
        .order_by("event_time", "pk")
    )
    result.has_events = bool(events)
    places = places_of({e.biz_location or e.read_point for e in events})
    commissioning = next((e for e in events if e.biz_step == STEP + "commissioning"), None)
    if commissioning is not None:
        ilmd = commissioning.body.get("ilmd") or {}
        result.expiry = result.expiry or _date(ilmd.get("cbvmda:itemExpirationDate"))
        result.best_before = result.best_before or _date(ilmd.get("cbvmda:bestBeforeDate"))
        if not result.lot and isinstance(ilmd.get("cbvmda:lotNumber"), str):
            result.lot = ilmd["cbvmda:lotNumber"]
        result.produced = result.produced or timezone.localtime(commissioning.event_time).date()
        place = _place_of_event(commissioning, places)
        result.produced_at = place_label(place) if place.business is not None else ""
        result.before = place.business.name if place.business is not None else ""
    if not result.expiry or not result.best_before:
        for event in events:
            ilmd = event.body.get("ilmd") or {}
            result.expiry = result.expiry or _date(ilmd.get("cbvmda:itemExpirationDate"))
            result.best_before = result.best_before or _date(ilmd.get("cbvmda:bestBeforeDate"))
    packing = next((e for e in events if e.biz_step == STEP + "packing"), None)
    if packing is not None and result.packed is None:
        result.packed = timezone.localtime(packing.event_time).date()
    if not result.before:
        result.before = owner.name
    shipped = [e for e in events if e.biz_step == SHIPPING]
    if shipped:
        last = shipped[-1]
        place = _place_of_event(last, places)
        if place.business is not None:
            result.after = place.business.name
            result.after_date = timezone.localtime(last.event_time).date()
    return result
