"""EPCIS query (the GS1 REST bindings' `GET /events` with the most used parameters).

Parameters, each optional, combined with AND; a parameter's values (separated by `|` or given
more than once) combine with OR:

- `eventType`; `GE_eventTime`, `LT_eventTime`, `GE_recordTime`, `LT_recordTime` (ISO 8601);
- `EQ_bizStep`, `EQ_disposition` (CBV bare words or URIs); `EQ_readPoint`, `EQ_bizLocation`;
- `MATCH_epc` (epcList, childEPCs), `MATCH_parentID`, `MATCH_inputEPC`, `MATCH_outputEPC`,
  `MATCH_anyEPC` (all five), `MATCH_epcClass` (quantityList, childQuantityList); identifiers as
  URNs, Digital Links or patterns (`urn:epc:idpat:sgtin:4012345.011111.*` matches every serial);
- `EQ_eventID`, `EXISTS_errorDeclaration`;
- `perPage` (1–1,000, default 30) and `nextPageToken` (opaque, from the `Link` of the previous
  page). Events come in capture order.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from canhgiac.core.policy import visible_to
from canhgiac.goods.epcis import identifiers, validation
from canhgiac.goods.epcis.models import EpcisEpc, EpcisEvent

R = EpcisEpc.Role
MATCH_ROLES = {
    "MATCH_epc": (R.EPC, R.CHILD),
    "MATCH_parentID": (R.PARENT,),
    "MATCH_inputEPC": (R.INPUT,),
    "MATCH_outputEPC": (R.OUTPUT,),
    "MATCH_anyEPC": (R.EPC, R.CHILD, R.PARENT, R.INPUT, R.OUTPUT),
    "MATCH_epcClass": (R.QUANTITY, R.CHILD_QUANTITY),
}
TIMES = {
    "GE_eventTime": "event_time__gte",
    "LT_eventTime": "event_time__lt",
    "GE_recordTime": "record_time__gte",
    "LT_recordTime": "record_time__lt",
}
PARAMETERS = (
    "eventType",
    *TIMES,
    "EQ_bizStep",
    "EQ_disposition",
    "EQ_readPoint",
    "EQ_bizLocation",
    *MATCH_ROLES,
    "EQ_eventID",
    "EXISTS_errorDeclaration",
    "perPage",
    "nextPageToken",
)
MAX_PER_PAGE = 1000


class QueryError(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass
class Page:
    events: list[dict]
    next_token: str | None


def _values(params, name) -> list[str]:
    raw = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
    out = []
    for value in raw:
        out += [v.strip() for v in value.split("|") if v.strip()]
    return out


def _time(name, value) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise QueryError(
            name, _("“%(v)s” không phải thời điểm ISO 8601 (ví dụ 2026-01-31T08:00:00Z).") % {"v": value}
        )
    if moment.tzinfo is None:
        raise QueryError(name, _("Thời điểm “%(v)s” cần múi giờ (Z hoặc +07:00).") % {"v": value})
    return moment


def _ident(name, value) -> str:
    try:
        return identifiers.canonical(value)
    except identifiers.IdentifierError as exc:
        raise QueryError(name, str(exc))


def _epc_filter(name, values) -> Q:
    roles = MATCH_ROLES[name]
    exact, prefixes = [], []
    for value in values:
        canon = _ident(name, value)
        if "*" in value or (
            name == "MATCH_epcClass"
            and canon.startswith(identifiers.DL_BASE + "/01/")
            and canon.count("/") == 4
        ):
            prefixes.append(canon)
            if name == "MATCH_epcClass":
                exact.append(canon)
        else:
            exact.append(canon)
    condition = Q()
    if exact:
        condition |= Q(epc__in=exact)
    for prefix in prefixes:
        condition |= Q(epc__startswith=prefix + "/")
    ids = EpcisEpc.objects.filter(condition, role__in=roles).values("event_id")
    return Q(pk__in=ids)


def encode_token(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{last_id}".encode()).decode().rstrip("=")


def decode_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        prefix, _sep, number = text.partition(":")
        if prefix != "v1" or not number.isascii() or not number.isdigit() or len(number) > 18:
            raise ValueError
        return int(number)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise QueryError("nextPageToken", _("Mã trang tiếp theo không hợp lệ."))


def _bad_text(text: str) -> bool:
    """NUL or a lone surrogate (as canhgiac.api refuses in bodies): never sent to the database."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _clean(name: str) -> str:
    return name.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")[:50]


def filters(params) -> tuple[Q, int, int | None]:
    """(condition, perPage, last id seen) from the request's parameters; QueryError if wrong."""
    condition = Q()
    for name in params:
        if name not in PARAMETERS or _bad_text(name):
            raise QueryError(_clean(name), _("Tham số truy vấn không được hỗ trợ."))
        for value in params.getlist(name) if hasattr(params, "getlist") else [params[name]]:
            if _bad_text(value):
                raise QueryError(name, _("Giá trị chứa ký tự NUL hoặc ký tự Unicode không hợp lệ."))
            if len(value) > 4000:
                raise QueryError(name, _("Giá trị dài quá 4.000 ký tự."))
    if "eventType" in params:
        types = _values(params, "eventType")
        unknown = [t for t in types if t not in validation.EVENT_TYPES]
        if unknown:
            raise QueryError("eventType", _("Loại sự kiện không có: %(t)s.") % {"t": ", ".join(unknown)})
        condition &= Q(event_type__in=types)
    for name, lookup in TIMES.items():
        if name in params:
            condition &= Q(**{lookup: _time(name, params[name])})
    for name, kind, column in (
        ("EQ_bizStep", "bizStep", "biz_step"),
        ("EQ_disposition", "disposition", "disposition"),
    ):
        if name in params:
            try:
                values = [validation.cbv_uri(kind, v) for v in _values(params, name)]
            except ValueError as exc:
                raise QueryError(name, str(exc))
            condition &= Q(**{f"{column}__in": values})
    for name, column in (("EQ_readPoint", "read_point"), ("EQ_bizLocation", "biz_location")):
        if name in params:
            condition &= Q(**{f"{column}__in": [_ident(name, v) for v in _values(params, name)]})
    for name in MATCH_ROLES:
        if name in params:
            condition &= _epc_filter(name, _values(params, name))
    if "EQ_eventID" in params:
        condition &= Q(event_id__in=_values(params, "EQ_eventID"))
    if "EXISTS_errorDeclaration" in params:
        value = params["EXISTS_errorDeclaration"].strip().lower()
        condition &= Q(error_declared=value not in ("false", "0", "no"))
    per_page = 30
    if "perPage" in params:
        raw = params["perPage"]
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PER_PAGE:
            raise QueryError("perPage", _("perPage phải là số nguyên từ 1 đến %(n)s.") % {"n": MAX_PER_PAGE})
        per_page = int(raw)
    after = decode_token(params["nextPageToken"]) if "nextPageToken" in params else None
    return condition, per_page, after


def run(user, params, extra: Q | None = None) -> Page:
    """One page of the events `user` may read that match `params`."""
    condition, per_page, after = filters(params)
    if extra is not None:
        condition &= extra
    events = visible_to(user, EpcisEvent.objects.all()).filter(condition)
    if after is not None:
        events = events.filter(pk__gt=after)
    # the page's ids first (from indexes alone where one covers the filter), then only their
    # bodies: reading the body of every matching row to keep 31 is what made a week of
    # `EQ_bizStep` slow at 10,000,000 events (docs/traceability.md, "Speed")
    ids = events.order_by("pk").values("pk")[: per_page + 1]
    rows = list(EpcisEvent.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "body"))
    more = len(rows) > per_page
    rows = rows[:per_page]
    return Page([body for _pk, body in rows], encode_token(rows[-1][0]) if more else None)


def query_document(events: list[dict]) -> dict:
    """The EPCISQueryDocument of a page of events."""
    from django.utils import timezone

    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": events},
            }
        },
    }
