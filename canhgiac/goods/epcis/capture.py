"""EPCIS capture: check a document whole, then store its events all together or none.

- A document is refused (CaptureRefused, 422) when the schema, the CBV, a GS1 key or an ILMD
  namespace is wrong anywhere in it, naming each event (position, eventID), field and why; and
  (403) when the sender may not capture one of its events (`may_capture`).
- Events are recognised by the GS1 event hash: an event already stored is not stored again; a
  document sent twice stores nothing new. An event carrying `errorDeclaration` whose hash (which
  leaves the declaration out) matches a stored event marks that event as declared in error and
  keeps the declaration and its corrective event IDs; a corrective event supersedes it in traces.
- Events about GTINs the product registry does not know are stored, marked `unregistered`.
- Rows go in by `core.bulk.insert_rows` (COPY-like multi-row INSERTs) with one audit event per
  stored event (`audit.record_many`), in the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.goods.epcis import hashing, identifiers, validation
from canhgiac.goods.epcis.models import EpcisEpc, EpcisEvent
from canhgiac.goods.epcis.validation import Issue

STANDARD_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
ROLES = (
    ("epcList", EpcisEpc.Role.EPC),
    ("childEPCs", EpcisEpc.Role.CHILD),
    ("inputEPCList", EpcisEpc.Role.INPUT),
    ("outputEPCList", EpcisEpc.Role.OUTPUT),
)
QUANTITY_ROLES = (
    ("quantityList", EpcisEpc.Role.QUANTITY),
    ("childQuantityList", EpcisEpc.Role.CHILD_QUANTITY),
    ("inputQuantityList", EpcisEpc.Role.INPUT_QUANTITY),
    ("outputQuantityList", EpcisEpc.Role.OUTPUT_QUANTITY),
)
MAX_EVENTS = 10_000


class CaptureRefused(Exception):
    def __init__(self, status: int, issues: list[Issue]):
        self.status = status
        self.issues = issues
        first = issues[0] if issues else None
        if first is not None and first.event is not None:
            detail = _(
                "Tài liệu bị từ chối, không sự kiện nào được lưu: sự kiện %(n)s, trường %(f)s: %(m)s"
            ) % {
                "n": first.event,
                "f": first.field,
                "m": first.message,
            }
        elif first is not None:
            detail = _("Tài liệu bị từ chối, không sự kiện nào được lưu: %(f)s: %(m)s") % {
                "f": first.field,
                "m": first.message,
            }
        else:
            detail = _("Tài liệu bị từ chối.")
        self.detail = detail
        super().__init__(detail)

    def errors(self) -> list[dict]:
        return [i.as_dict() for i in self.issues]


@dataclass
class CaptureResult:
    events: int = 0
    stored: int = 0
    duplicates: int = 0
    declared: int = 0
    unregistered: int = 0
    hashes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "events": self.events,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "error_declarations": self.declared,
            "unregistered": self.unregistered,
            "eventHashes": self.hashes,
        }


@dataclass
class Prepared:
    index: int
    body: dict
    hash: str
    row: dict
    epcs: list[tuple[str, str, str]]  # (canonical epc, role, lot)
    gtins: set[str]


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _canon(value) -> str:
    if not isinstance(value, str):
        return ""
    try:
        return identifiers.canonical(value)
    except identifiers.IdentifierError:
        return value


def _extra_context(document: dict):
    """The document's own @context entries (namespaces) beyond the standard context, kept with
    each event so a stored event reads the same alone as it did in its document."""
    ctx = document.get("@context")
    items = ctx if isinstance(ctx, list) else [ctx]
    extra = [c for c in items if not (isinstance(c, str) and c.endswith("epcis-context.jsonld"))]
    return extra


def prepare(event: dict, index: int, namespaces: dict, extra_context: list, now: datetime) -> Prepared:
    body = dict(event)
    if extra_context and "@context" not in body:
        body["@context"] = extra_context
    body["recordTime"] = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    epcs: list[tuple[str, str, str]] = []
    ilmd = event.get("ilmd") if isinstance(event.get("ilmd"), dict) else {}
    lot_number = ilmd.get("cbvmda:lotNumber") if isinstance(ilmd.get("cbvmda:lotNumber"), str) else None
    for name, role in ROLES:
        for epc in event.get(name) or []:
            canon = _canon(epc)
            lot = identifiers.lot_class(canon) or ""
            gtin = identifiers.gtin_of(canon)
            if not lot and lot_number and gtin and role in (EpcisEpc.Role.EPC, EpcisEpc.Role.OUTPUT):
                lot = f"{identifiers.DL_BASE}/01/{gtin}/10/{identifiers._q(lot_number)}"
            epcs.append((canon, role, lot))
    if event.get("parentID"):
        canon = _canon(event["parentID"])
        epcs.append((canon, EpcisEpc.Role.PARENT, identifiers.lot_class(canon) or ""))
    for name, role in QUANTITY_ROLES:
        for q in event.get(name) or []:
            if isinstance(q, dict) and q.get("epcClass"):
                canon = _canon(q["epcClass"])
                epcs.append((canon, role, identifiers.lot_class(canon) or ""))
    gtins = {g for g in (identifiers.gtin_of(e) for e, _r, _l in epcs) if g}

    def vocab(kind, value):
        return validation.cbv_uri(kind, value) if isinstance(value, str) else ""

    declaration = event.get("errorDeclaration") if isinstance(event.get("errorDeclaration"), dict) else None
    row = {
        "event_id": (event.get("eventID") or "")[:300],
        "event_type": event["type"],
        "event_time": _time(event["eventTime"]),
        "record_time": now,
        "action": event.get("action", "") or "",
        "biz_step": vocab("bizStep", event.get("bizStep"))[:300],
        "disposition": vocab("disposition", event.get("disposition"))[:300],
        "read_point": _canon((event.get("readPoint") or {}).get("id"))[:300],
        "biz_location": _canon((event.get("bizLocation") or {}).get("id"))[:300],
        "error_declared": declaration is not None,
        "corrective_ids": list((declaration or {}).get("correctiveEventIDs") or []),
        "body": body,
    }
    return Prepared(index, body, hashing.event_hash(event, namespaces), row, epcs, gtins)


# --- who may capture what -----------------------------------------------------------------------


def _inspection(prepared: Prepared) -> bool:
    return prepared.row["biz_step"] == validation.CBV + "BizStep-inspecting"


def sender_of(user):
    """How the policy sees the sender: ("any" | "business" | "inspection" | None, businesses)."""
    from canhgiac.core import policy

    if user is None:
        return "any", set()
    if policy.can(user, "goods.epcis_capture_any"):
        return "any", set()
    ids = policy.business_ids(user)
    if ids:
        return "business", ids
    if policy.can(user, "goods.epcis_capture_inspection"):
        return "inspection", set()
    return None, set()


def _owners(gtins: set[str]) -> dict[str, tuple[int, set[int]]]:
    """GTIN -> (owner business id, authorised distributors' ids) for the registered ones."""
    from canhgiac.goods.models import Product

    out: dict[str, tuple[int, set[int]]] = {}
    if not gtins:
        return out
    products = Product.objects.filter(gtin__in=gtins).only("id", "gtin", "owner_id")
    by_id = {}
    for p in products:
        out[p.gtin] = (p.owner_id, set())
        by_id[p.pk] = p.gtin
    if by_id:
        through = Product.distributors.through
        for product_id, business_id in through.objects.filter(product_id__in=by_id).values_list(
            "product_id", "business_id"
        ):
            out[by_id[product_id]][1].add(business_id)
    return out


def _check_rights(kind, businesses, prepared: list[Prepared], owners) -> list[Issue]:
    issues = []
    for p in prepared:
        eid = p.row["event_id"]
        if kind == "inspection" and not _inspection(p):
            issues.append(
                Issue(
                    p.index,
                    "bizStep",
                    _("Cán bộ lực lượng chức năng chỉ gửi sự kiện kiểm tra (bizStep “inspecting”)."),
                    eid,
                )
            )
        elif kind == "business":
            for gtin in sorted(p.gtins):
                if gtin in owners:
                    owner, distributors = owners[gtin]
                    if owner not in businesses and not (distributors & businesses):
                        issues.append(
                            Issue(
                                p.index,
                                "epcList",
                                _(
                                    "Sản phẩm GTIN %(g)s thuộc doanh nghiệp khác; doanh nghiệp chỉ gửi sự kiện về sản phẩm của mình."
                                )
                                % {"g": gtin},
                                eid,
                            )
                        )
                        break
    return issues


# --- the capture --------------------------------------------------------------------------------


def _sending_business(businesses: set[int], prepared: list[Prepared], owners) -> int:
    """The business a business user's document is stored for: the owner (or authorised
    distributor) of the first registered product it names among the user's businesses, else the
    user's first business."""
    for p in prepared:
        for gtin in sorted(p.gtins):
            if gtin in owners:
                owner, distributors = owners[gtin]
                if owner in businesses:
                    return owner
                mine = sorted(distributors & businesses)
                if mine:
                    return mine[0]
    return min(businesses)


def _province_of(user, business_id):
    from canhgiac.core import policy
    from canhgiac.goods.models import Business

    if business_id:
        return Business.objects.filter(pk=business_id).values_list("province_id", flat=True).first()
    if user is None:
        return None
    ids = policy.province_ids(user)
    return min(ids) if ids else None


def capture(user, data, *, business=None, province=None) -> CaptureResult:
    """Check and store one EPCIS document (or single event) for `user` (None: the command line,
    acting for `business` when given). Raises CaptureRefused; stores all or nothing.

    The events' province (who among the staff reads them): `province` when given (the command's
    `--province`), else the business's, else the sender's (staff); when none of these gives one
    (the command without options, a national administrator), each event takes the province of
    the business owning the registered product it names (`_owner_provinces`)."""
    document, issues = validation.check_document(data)
    if issues:
        raise CaptureRefused(422, issues)
    events, _where = validation.events_of(document)
    if len(events) > MAX_EVENTS:
        raise CaptureRefused(
            413,
            [Issue(None, "epcisBody.eventList", _("Tối đa %(n)s sự kiện mỗi tài liệu.") % {"n": MAX_EVENTS})],
        )
    kind, businesses = sender_of(user)
    if kind is None:
        raise CaptureRefused(
            403, [Issue(None, "document", _("Tài khoản này không có quyền gửi sự kiện EPCIS."))]
        )
    namespaces = hashing.namespaces_of(document.get("@context"))
    extra = _extra_context(document)
    now = timezone.now()
    prepared = [prepare(e, i, namespaces, extra, now) for i, e in enumerate(events)]
    all_gtins = set().union(*(p.gtins for p in prepared)) if prepared else set()
    owners = _owners(all_gtins)
    issues = _check_rights(kind, businesses, prepared, owners)
    if issues:
        raise CaptureRefused(403, issues)
    business_id = getattr(business, "pk", business)
    if business_id is None and kind == "business":
        business_id = _sending_business(businesses, prepared, owners)
    province_id = getattr(province, "pk", province) or _province_of(user, business_id)
    return _store(user, prepared, owners, business_id, province_id)


def _owner_provinces(prepared: list[Prepared], owners) -> dict[int, int]:
    """id(prepared event) -> the province of the business owning the first registered product the event
    names (in GTIN order): the province of events that come with no other."""
    from canhgiac.goods.models import Business

    owner_of = {}
    for p in prepared:
        gtin = next((g for g in sorted(p.gtins) if g in owners), None)
        if gtin is not None:
            owner_of[id(p)] = owners[gtin][0]
    if not owner_of:
        return {}
    province = dict(Business.objects.filter(pk__in=set(owner_of.values())).values_list("pk", "province_id"))
    return {key: province[owner] for key, owner in owner_of.items() if owner in province}


def _store(user, prepared: list[Prepared], owners, business_id, province_id) -> CaptureResult:
    from canhgiac.audit import services as audit
    from canhgiac.core import bulk

    result = CaptureResult(events=len(prepared), hashes=[p.hash for p in prepared])
    by_owner = _owner_provinces(prepared, owners) if province_id is None else {}
    with transaction.atomic():
        hashes = {p.hash for p in prepared}
        existing = {}
        for chunk_start in range(0, len(hashes), 2000):
            chunk = list(hashes)[chunk_start : chunk_start + 2000]
            for ev in EpcisEvent.objects.filter(event_hash__in=chunk).only(
                "id", "event_hash", "error_declared", "corrective_ids", "body"
            ):
                existing[ev.event_hash] = ev
        new_rows, new_epcs, seen = [], [], {}
        for p in prepared:
            if p.hash in existing:
                stored = existing[p.hash]
                if p.row["error_declared"] and not stored.error_declared:
                    stored.error_declared = True
                    stored.corrective_ids = p.row["corrective_ids"]
                    body = dict(stored.body)
                    body["errorDeclaration"] = p.body["errorDeclaration"]
                    stored.body = body
                    stored.save(update_fields=["error_declared", "corrective_ids", "body"])
                    result.declared += 1
                else:
                    result.duplicates += 1
                continue
            if p.hash in seen:
                row = seen[p.hash]
                if p.row["error_declared"] and not row["error_declared"]:
                    # the declaration of an event sent earlier in the same document
                    row["error_declared"] = True
                    row["corrective_ids"] = p.row["corrective_ids"]
                    row["body"] = dict(row["body"], errorDeclaration=p.body["errorDeclaration"])
                    result.declared += 1
                else:
                    result.duplicates += 1
                continue
            row = dict(p.row)
            seen[p.hash] = row
            row["event_hash"] = p.hash
            row["unregistered"] = any(g not in owners for g in p.gtins)
            row["business_id"] = business_id
            row["province_id"] = province_id or by_owner.get(id(p))
            row["captured_by_id"] = getattr(user, "pk", None)
            result.unregistered += row["unregistered"]
            new_rows.append(row)
            new_epcs.append(p.epcs)
        if new_rows:
            bulk.insert_rows(EpcisEvent, new_rows)
            epc_rows = [
                {"event_id": row["id"], "epc": epc[:300], "role": role, "lot": lot[:300]}
                for row, epcs in zip(new_rows, new_epcs, strict=True)
                for epc, role, lot in epcs
            ]
            bulk.insert_rows(EpcisEpc, epc_rows)
            objects = bulk.instances(EpcisEvent, new_rows)
            # the event itself (`body`) is kept out of the change log, like audit_exclude says
            changes = [
                {
                    "event_hash": {"before": None, "after": r["event_hash"]},
                    "event_type": {"before": None, "after": r["event_type"]},
                    "event_id": {"before": None, "after": r["event_id"]},
                    "event_time": {"before": None, "after": r["event_time"].isoformat()},
                    "unregistered": {"before": None, "after": r["unregistered"]},
                }
                for r in new_rows
            ]
            audit.record_many("create", objects, actor=user, changes=changes)
        result.stored = len(new_rows)
    return result


def capture_lines(
    path, *, business=None, province=None, out=None, err=None, batch_events: int = 5000
) -> CaptureResult | None:
    """The bulk path of `canhgiac epcis-capture --bulk`: a JSON Lines file, one document (or
    event) per line. Every line is checked first; any error refuses the whole file (line numbers
    given, nothing stored). Then the events are stored in transactions of about `batch_events`,
    so memory stays bounded: a run stopped half-way leaves whole batches, and running it again
    stores only what is missing (the event hash recognises the rest)."""
    total = CaptureResult()
    pending: list[Prepared] = []
    problems = 0
    now = timezone.now()
    # pass 1: check every line
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError:
                problems += 1
                if err:
                    err.write(_("Dòng %(n)s: không phải JSON hợp lệ.") % {"n": number})
                continue
            _doc, issues = validation.check_document(data)
            for issue in issues:
                problems += 1
                if err:
                    where = f"sự kiện {issue.event}, " if issue.event is not None else ""
                    err.write(_("Dòng %(n)s: ") % {"n": number} + f"{where}{issue.field}: {issue.message}")
    if problems:
        if err:
            err.write(_("Tệp có %(n)s lỗi; chưa lưu sự kiện nào.") % {"n": problems})
        return None
    business_id = getattr(business, "pk", business)
    province_id = getattr(province, "pk", province) or _province_of(None, business_id)

    def flush():
        owners = _owners(set().union(*(p.gtins for p in pending)) if pending else set())
        part = _store(None, pending, owners, business_id, province_id)
        for name in ("events", "stored", "duplicates", "declared", "unregistered"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        pending.clear()

    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            document = validation.as_document(json.loads(line))
            events, _where = validation.events_of(document)
            namespaces = hashing.namespaces_of(document.get("@context"))
            extra = _extra_context(document)
            pending.extend(prepare(e, i, namespaces, extra, now) for i, e in enumerate(events))
            if len(pending) >= batch_events:
                flush()
    if pending:
        flush()
    return total
