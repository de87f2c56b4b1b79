"""The trace of a serial, a lot or a GTIN, for officers: the path (when, what, where, who), what
it was packed into or contained, what it was made from or into, and gaps (goods shipped with no
later receiving event). Events declared in error are left out (their corrective events stay).

An item's trace follows its pallet: events naming a parent it was aggregated into (by an
AggregationEvent with the item among `childEPCs`) are part of the item's path, marked "via".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core.policy import visible_to
from canhgiac.goods.epcis import identifiers, validation, vocabulary
from canhgiac.goods.epcis.models import EpcisEpc, EpcisEvent

R = EpcisEpc.Role
MAX_EVENTS = 500


class TraceError(ValueError):
    pass


@dataclass
class Step:
    event: EpcisEvent
    step: str  # the CBV word ("shipping"), or the event type when the event names no step
    place: str
    via: str = ""

    @property
    def label(self) -> str:
        """The step in Vietnamese ("Xuất hàng"), an extension URI as written."""
        return vocabulary.step_label(self.event.biz_step) or self.step

    @property
    def disposition(self) -> str:
        return vocabulary.disposition_label(self.event.disposition)


@dataclass
class Trace:
    subject: str
    kind: str  # "item" | "lot" | "gtin"
    gtin: str | None
    steps: list[Step] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    truncated: bool = False
    places: dict = field(default_factory=dict)  # location -> lots.Place (places_of the steps)


def subject_of(text: str) -> tuple[str, str]:
    """(canonical identifier, kind) of what the officer typed: a GTIN, a Digital Link or URN of an
    item or lot, or a lot Digital Link."""
    text = (text or "").strip()
    if not text:
        raise TraceError(
            _("Nhập mã: GTIN, mã lô (GS1 Digital Link) hoặc mã từng sản phẩm (URN/Digital Link).")
        )
    if text.isdigit() and len(text) in (8, 12, 13, 14):
        gtin = text.zfill(14)
        if identifiers.check_digit(gtin[:-1]) != gtin[-1]:
            raise TraceError(_("GTIN %(g)s sai số kiểm tra.") % {"g": text})
        return f"{identifiers.DL_BASE}/01/{gtin}", "gtin"
    try:
        canon = identifiers.canonical(text)
    except identifiers.IdentifierError as exc:
        raise TraceError(str(exc))
    if identifiers.lot_class(canon) == canon:
        return canon, "lot"
    if canon.startswith(f"{identifiers.DL_BASE}/01/") and canon.count("/") == 4:
        return canon, "gtin"
    return canon, "item"


def _label(uri: str) -> str:
    for prefix in (validation.CBV + "BizStep-", validation.CBV + "Disp-"):
        if uri.startswith(prefix):
            return uri[len(prefix) :]
    return uri


def trace(user, text: str) -> Trace:
    subject, kind = subject_of(text)
    result = Trace(subject, kind, identifiers.gtin_of(subject))
    epcs = EpcisEpc.objects.all()
    # the identifiers the trace follows: the item; a lot's items (and the lot as a class);
    # a GTIN's items and lots
    if kind == "lot":
        members = set(epcs.filter(lot=subject).values_list("epc", flat=True).distinct()[: MAX_EVENTS + 1])
    elif kind == "gtin":
        members = set(
            epcs.filter(epc__startswith=subject + "/")
            .values_list("epc", flat=True)
            .distinct()[: MAX_EVENTS + 1]
        )
    else:
        members = set()
    members.add(subject)
    ids = set(epcs.filter(epc__in=members).values_list("event_id", flat=True)[: MAX_EVENTS + 1])
    visible = set(visible_to(user, EpcisEvent.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    own = [
        row for row in EpcisEpc.objects.filter(event_id__in=visible).values_list("event_id", "epc", "role")
    ]
    child_events = {i for i, e, r in own if r == R.CHILD and e in members}
    parent_events = {i for i, e, r in own if r == R.PARENT and e in members}
    input_events = {i for i, e, r in own if r == R.INPUT and e in members}
    output_events = {i for i, e, r in own if r == R.OUTPUT and e in members}
    parents = sorted({e for i, e, r in own if i in child_events and r == R.PARENT} - members)
    result.parents = parents
    result.children = sorted({e for i, e, r in own if i in parent_events and r == R.CHILD} - members)[:200]
    result.outputs = sorted({e for i, e, r in own if i in input_events and r == R.OUTPUT} - members)[:200]
    result.inputs = sorted({e for i, e, r in own if i in output_events and r == R.INPUT} - members)[:200]
    via_ids: dict[int, str] = {}
    if parents:
        for event_id, parent in EpcisEpc.objects.filter(epc__in=parents[:50]).values_list("event_id", "epc")[
            :MAX_EVENTS
        ]:
            if event_id not in visible:
                via_ids.setdefault(event_id, parent)
    events = list(
        visible_to(user, EpcisEvent.objects.filter(pk__in=visible | set(via_ids)))
        .filter(error_declared=False)
        .select_related("business__unit__parent")
        .order_by("event_time", "pk")[: MAX_EVENTS + 1]
    )
    result.truncated = len(events) > MAX_EVENTS
    for event in events[:MAX_EVENTS]:
        place = event.biz_location or event.read_point
        result.steps.append(
            Step(event, _label(event.biz_step) or event.event_type, place, via_ids.get(event.pk, ""))
        )
    # gaps: goods shipped and never received afterwards (in what the user may see)
    shipping = validation.CBV + "BizStep-shipping"
    receiving = {validation.CBV + "BizStep-receiving", validation.CBV + "BizStep-arriving"}
    for index, step in enumerate(result.steps):
        if step.event.biz_step == shipping and not any(
            s.event.biz_step in receiving for s in result.steps[index + 1 :]
        ):
            result.gaps.append(
                _("Xuất hàng lúc %(t)s tại %(p)s nhưng không có sự kiện nhận hàng nào sau đó.")
                % {
                    "t": timezone.localtime(step.event.event_time).strftime("%d/%m/%Y %H:%M"),
                    "p": step.place or "—",
                }
            )
    # goods that turn up at a place no shipping went to and no receiving recorded
    from canhgiac.goods.epcis.lots import gaps_between_places, places_of

    result.places = places_of({s.place for s in result.steps})
    result.gaps += gaps_between_places(result.steps, result.places)
    return result


def places_by_commune(result: Trace):
    """The trace's places grouped by province and commune (lots.places_by_commune)."""
    from canhgiac.goods.epcis.lots import places_by_commune as group

    return group(result.steps, result.places)


def place_map(result: Trace):
    """The map of the trace's places (geomap.place_map): circles per commune or geo: point."""
    from canhgiac.goods.epcis.geomap import place_map as draw

    return draw(result.steps, result.places)


def links_of(user, result: Trace, product) -> dict:
    """Links from a trace to the rest of the goods database: the public page of the code (GS1
    Digital Link on this server) and its check, the consumers' checks of the product (or of the
    lot) that `user` may see, with their count, and the signed code of an item when one was
    issued (its status)."""
    from urllib.parse import unquote, urlencode

    from django.urls import reverse

    from canhgiac.core import policy
    from canhgiac.goods.models import CodeCheck, SerialCode

    out: dict = {}
    if not result.gtin:
        return out
    path = (
        result.subject[len(identifiers.DL_BASE) :] if result.subject.startswith(identifiers.DL_BASE) else ""
    )
    if result.kind == "item" and "/21/" not in path:
        path = ""  # a pallet (SSCC) or another key: no product page
    if path:
        out["public"] = path
        out["check"] = f"{reverse('goods:check')}?{urlencode({'code': path})}"
    lot = serial = ""
    if "/10/" in path:
        lot = unquote(path.split("/10/", 1)[1].split("/", 1)[0])
    if "/21/" in path:
        serial = unquote(path.split("/21/", 1)[1].split("/", 1)[0])
    if product is not None and policy.can(user, "goods.view_checks"):
        checks = visible_to(user, CodeCheck.objects.filter(product=product))
        if lot:
            checks = checks.filter(lot=lot[:20])
        if serial:
            checks = checks.filter(serial=serial[:20])
        out["checks"] = checks.count()
        out["checks_url"] = reverse("goods:checks")
    if product is not None and serial:
        codes = SerialCode.objects.filter(product=product, serial=serial[:20])
        if lot:
            codes = codes.filter(lot=lot[:20])
        code = visible_to(user, codes).only("status").first()
        out["code_status"] = (
            code.get_status_display() if code is not None else _("Không có mã ký số nào mà bạn được xem")
        )
    return out
