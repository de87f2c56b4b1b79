"""Checking an EPCIS 2.0 capture document: the GS1 JSON Schema, the Core Business Vocabulary,
ILMD namespaces and the GS1 keys' check digits. Every problem is an `Issue` naming the event (its
position in the document, from 0, and its eventID when given), the field and why.

The schema is GS1's `EPCIS-JSON-Schema.json`, bundled in `data/` with GS1's context (never
fetched), compiled once with fastjsonschema. Two deliberate departures, both applied when the
schema is loaded (the file itself is GS1's, unchanged):

- format `uri` is checked as "a string without spaces". A strict RFC 3986 check refuses the bare
  words JSON-LD allows in term positions (`"type": "Molar_concentration"` in a sensor report) and
  would refuse valid documents of the conformance set; CBV fields are checked by `_vocab` instead.
- `sensorReport.type` is optional. The JSON Schema requires it, but the EPCIS 2.0 standard's data
  model (section 7.3.8, SensorReport: `type` 0..1) and its XML schema do not: a report may carry
  only an exception, a chemical substance or a microorganism with its value. OpenEPCIS's valid
  document `SensorData_with_combined_events.json` has such reports; it is accepted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from canhgiac.goods.epcis import identifiers

DATA = Path(__file__).parent / "data"
EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
CBV = "https://ref.gs1.org/cbv/"
OLD_CBV = "urn:epcglobal:cbv:"


@dataclass
class Issue:
    event: int | None  # position in the event list, None for the document
    field: str
    message: str
    event_id: str = ""

    def as_dict(self) -> dict:
        out = {"field": self.field, "message": self.message}
        if self.event is not None:
            out["event"] = self.event
            if self.event_id:
                out["eventID"] = self.event_id
        return out


@cache
def schema() -> dict:
    data = json.loads((DATA / "EPCIS-JSON-Schema.json").read_text(encoding="utf-8"))
    report = data["definitions"]["sensorReport"]
    report["required"] = [r for r in report.get("required", []) if r != "type"]
    if not report["required"]:
        del report["required"]
    return data


@cache
def context() -> dict:
    return json.loads((DATA / "epcis-context.jsonld").read_text(encoding="utf-8"))


@cache
def validator():
    import fastjsonschema

    return fastjsonschema.compile(schema(), formats={"uri": r"^\S+$"})


def _enum(name: str) -> frozenset[str]:
    for option in schema()["definitions"][name].get("anyOf", []):
        if "enum" in option:
            return frozenset(option["enum"])
    return frozenset()


@cache
def vocabularies() -> dict[str, tuple[frozenset[str], str, str]]:
    """field kind -> (bare CBV words, web URI prefix, old URN prefix)."""
    return {
        "bizStep": (_enum("bizStep"), CBV + "BizStep-", OLD_CBV + "bizstep:"),
        "disposition": (_enum("disposition"), CBV + "Disp-", OLD_CBV + "disp:"),
        "btt": (_enum("bizTransaction-type"), CBV + "BTT-", OLD_CBV + "btt:"),
        "sdt": (_enum("source-dest-type"), CBV + "SDT-", OLD_CBV + "sdt:"),
        "er": (_enum("error-reason"), CBV + "ER-", OLD_CBV + "er:"),
    }


def cbv_uri(kind: str, value: str) -> str:
    """The canonical (web URI) form of a CBV value: a bare word or old URN of the CBV becomes its
    `https://ref.gs1.org/cbv/…` URI; a user extension URI is kept. ValueError if not valid."""
    words, web, old = vocabularies()[kind]
    if value in words:
        return web + value
    if value.startswith(web):
        if value[len(web) :] in words:
            return value
        raise ValueError(_("“%(v)s” không có trong danh mục CBV 2.0.") % {"v": value})
    if value.startswith(old):
        word = value[len(old) :]
        if word in words:
            return web + word
        raise ValueError(_("“%(v)s” không có trong danh mục CBV 2.0.") % {"v": value})
    if value.startswith((CBV, OLD_CBV)):
        raise ValueError(_("“%(v)s” không có trong danh mục CBV 2.0.") % {"v": value})
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$", value):
        return value  # a namespaced URI: a user's own vocabulary
    raise ValueError(
        _(
            "“%(v)s” không phải giá trị CBV 2.0, cũng không phải URI có không gian tên (mở rộng của người dùng)."
        )
        % {"v": value}
    )


_SCHEMA_PATH = re.compile(r"^data((?:\.[A-Za-z_@][\w@:]*|\[\d+\])*)")


def _schema_issue(message: str, events_key: str) -> Issue:
    """fastjsonschema's message ("data.epcisBody.eventList[3].bizStep must be …") as an Issue."""
    m = _SCHEMA_PATH.match(message)
    path = m.group(1) if m else ""
    event = None
    em = re.match(r"^\.epcisBody(?:\.queryResults\.resultsBody)?\.eventList\[(\d+)\](.*)$", path)
    if em:
        event = int(em.group(1))
        field = em.group(2).lstrip(".") or "event"
    else:
        field = path.lstrip(".") or "document"
    why = message[m.end() :].strip() if m else message
    return Issue(event, field, _("không đúng lược đồ JSON của EPCIS 2.0: %(why)s") % {"why": why})


def events_of(document: dict) -> tuple[list, str]:
    """The event list of a document and where it lies."""
    body = document.get("epcisBody")
    if isinstance(body, dict):
        if "eventList" in body:
            return body["eventList"], "epcisBody.eventList"
        results = body.get("queryResults", {})
        if isinstance(results, dict) and isinstance(results.get("resultsBody"), dict):
            return results["resultsBody"].get("eventList", []), "epcisBody.queryResults.resultsBody.eventList"
    return [], "epcisBody.eventList"


def as_document(data) -> dict:
    """An EPCISDocument or EPCISQueryDocument as given; a single event wrapped in a document
    (with the event's own @context, which the schema requires on the document)."""
    if isinstance(data, dict) and data.get("type") in EVENT_TYPES:
        event = dict(data)
        ctx = event.pop("@context", None)
        doc = {
            "@context": ctx
            if ctx is not None
            else ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": event.get("recordTime") or event.get("eventTime") or "2000-01-01T00:00:00Z",
            "epcisBody": {"eventList": [event]},
        }
        return doc
    return data


def check_schema(document) -> list[Issue]:
    import fastjsonschema

    try:
        validator()(document)
    except fastjsonschema.JsonSchemaException as exc:
        return [_schema_issue(exc.message, "")]
    return []


def _ident(value, field: str, issues: list, index: int, event_id: str) -> None:
    if not isinstance(value, str):
        return
    try:
        identifiers.canonical(value)
    except identifiers.IdentifierError as exc:
        issues.append(Issue(index, field, str(exc), event_id))


def _vocab(kind: str, value, field: str, issues: list, index: int, event_id: str) -> None:
    if not isinstance(value, str):
        return
    try:
        cbv_uri(kind, value)
    except ValueError as exc:
        issues.append(Issue(index, field, str(exc), event_id))


def _namespaced(key: str, prefixes: set[str]) -> bool:
    if ":" not in key:
        return False
    prefix = key.split(":", 1)[0]
    return prefix in prefixes or key.startswith(("http://", "https://", "urn:"))


def document_prefixes(document: dict) -> set[str]:
    """Prefixes the document declares in its @context, and the standard context's own."""
    prefixes = {
        k for k, v in context()["@context"].items() if isinstance(v, str) and v.endswith(("/", "#", ":"))
    }
    ctx = document.get("@context")
    for item in ctx if isinstance(ctx, list) else [ctx]:
        if isinstance(item, dict):
            prefixes.update(k for k, v in item.items() if isinstance(v, str))
    return prefixes


def check_event(event: dict, index: int, prefixes: set[str]) -> list[Issue]:
    """The checks the schema does not make: CBV terms, ILMD namespaces, GS1 keys."""
    issues: list[Issue] = []
    eid = event.get("eventID", "") if isinstance(event.get("eventID"), str) else ""
    own = set(prefixes)
    if isinstance(event.get("@context"), list | dict):
        for item in event["@context"] if isinstance(event["@context"], list) else [event["@context"]]:
            if isinstance(item, dict):
                own.update(item)
    for name in ("eventTime", "recordTime"):
        value = event.get(name)
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
                if moment.tzinfo is None:
                    raise ValueError
            except ValueError:
                issues.append(
                    Issue(
                        index,
                        name,
                        _("“%(v)s” không phải thời điểm ISO 8601 có múi giờ.") % {"v": value},
                        eid,
                    )
                )
    _vocab("bizStep", event.get("bizStep"), "bizStep", issues, index, eid)
    _vocab("disposition", event.get("disposition"), "disposition", issues, index, eid)
    pd = event.get("persistentDisposition")
    if isinstance(pd, dict):
        for key in ("set", "unset"):
            for value in pd.get(key) or []:
                _vocab("disposition", value, f"persistentDisposition.{key}", issues, index, eid)
    for i, bt in enumerate(event.get("bizTransactionList") or []):
        if isinstance(bt, dict) and "type" in bt:
            _vocab("btt", bt["type"], f"bizTransactionList[{i}].type", issues, index, eid)
    for list_name, field in (("sourceList", "source"), ("destinationList", "destination")):
        for i, sd in enumerate(event.get(list_name) or []):
            if isinstance(sd, dict):
                _vocab("sdt", sd.get("type"), f"{list_name}[{i}].type", issues, index, eid)
                _ident(sd.get(field), f"{list_name}[{i}].{field}", issues, index, eid)
    declaration = event.get("errorDeclaration")
    if isinstance(declaration, dict) and "reason" in declaration:
        _vocab("er", declaration["reason"], "errorDeclaration.reason", issues, index, eid)
    ilmd = event.get("ilmd")
    if isinstance(ilmd, dict):
        for key in ilmd:
            if not _namespaced(key, own):
                issues.append(
                    Issue(
                        index,
                        f"ilmd.{key}",
                        _(
                            "trường ILMD “%(k)s” không có không gian tên (cần dạng tiền_tố:tên, tiền tố khai báo trong @context)."
                        )
                        % {"k": key},
                        eid,
                    )
                )
    _ident(event.get("parentID"), "parentID", issues, index, eid)
    for list_name in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
        for i, epc in enumerate(event.get(list_name) or []):
            _ident(epc, f"{list_name}[{i}]", issues, index, eid)
    for list_name in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
        for i, q in enumerate(event.get(list_name) or []):
            if isinstance(q, dict):
                _ident(q.get("epcClass"), f"{list_name}[{i}].epcClass", issues, index, eid)
    for name in ("readPoint", "bizLocation"):
        if isinstance(event.get(name), dict):
            _ident(event[name].get("id"), f"{name}.id", issues, index, eid)
    return issues


def check_document(data) -> tuple[dict | None, list[Issue]]:
    """(the document, every issue found); the document is None when it is not one at all."""
    if not isinstance(data, dict):
        return None, [
            Issue(
                None, "document", _("Nội dung phải là một đối tượng JSON (EPCISDocument hoặc một sự kiện).")
            )
        ]
    document = as_document(data)
    issues = check_schema(document)
    if issues:
        return document, issues
    events, _where = events_of(document)
    prefixes = document_prefixes(document)
    for index, event in enumerate(events):
        if isinstance(event, dict):
            issues += check_event(event, index, prefixes)
    return document, issues
