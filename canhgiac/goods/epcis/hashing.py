"""The EPCIS event hash (GS1's "EPCIS Event Hash Generator" algorithm, CBV 2.0 version).

A reimplementation, on the JSON as given, of what the reference implementation
(`epcis-event-hash-generator` 1.9.3) computes after its JSON-LD expansion: that library is far
too slow for capture (it expands every document with PyLD). The pre-hash string is

    eventType=<type> <the fields in the standard's order> <everything else, sorted>

with each field as `name=value` (or `name` followed by its children), values canonical (times in
UTC to the millisecond, CBV bare words and old URNs as `https://ref.gs1.org/cbv/…` URIs, EPC URNs
and Digital Links as `https://id.gs1.org/…`, numbers without trailing zeros, namespaced keys as
`{namespace-uri}local`), and `recordTime`, `eventID`, `errorDeclaration` and comments left out.
The hash is `ni:///sha-256;<hex>?ver=CBV2.0`.

The test `test_epcis_hash.py` checks it against vectors computed by the reference library on the
conformance documents (see docs/traceability.md for how they were made and which differ).
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime

from canhgiac.goods.epcis import identifiers

QUANTITY = [("epcClass", None), ("quantity", None), ("uom", None)]
PROP_ORDER = [
    ("eventTime", None),
    ("eventTimeZoneOffset", None),
    ("certificationInfo", None),
    ("parentID", None),
    ("epcList", "epc"),
    ("inputEPCList", "epc"),
    ("childEPCs", "epc"),
    ("quantityList", QUANTITY),
    ("childQuantityList", QUANTITY),
    ("inputQuantityList", QUANTITY),
    ("outputEPCList", "epc"),
    ("outputQuantityList", QUANTITY),
    ("action", None),
    ("transformationID", None),
    ("bizStep", None),
    ("disposition", None),
    ("persistentDisposition", [("set", None), ("unset", None)]),
    ("readPoint", [("id", None)]),
    ("bizLocation", [("id", None)]),
    ("sensorElementList", "sensorElement"),
]
SENSOR_METADATA = [
    (n, None)
    for n in (
        "time",
        "startTime",
        "endTime",
        "deviceID",
        "deviceMetadata",
        "rawData",
        "dataProcessingMethod",
        "bizRules",
    )
]
SENSOR_REPORT = [
    (n, None)
    for n in (
        "type",
        "exception",
        "deviceID",
        "deviceMetadata",
        "rawData",
        "dataProcessingMethod",
        "time",
        "microorganism",
        "chemicalSubstance",
        "value",
        "component",
        "stringValue",
        "booleanValue",
        "hexBinaryValue",
        "uriValue",
        "minValue",
        "maxValue",
        "meanValue",
        "sDev",
        "percRank",
        "percValue",
        "uom",
        "coordinateReferenceSystem",
    )
]
SENSOR_ELEMENT = [("sensorMetadata", SENSOR_METADATA), ("sensorReport", SENSOR_REPORT)]
IGNORED = {"recordTime", "eventID", "type", "errorDeclaration", "rdfs:comment", "comment", "#text"}
COMMENTS = {"rdfs:comment", "comment", "#text"}
PAIRED = {"bizTransactionList": "bizTransaction", "sourceList": "source", "destinationList": "destination"}

# CBV terms written as bare words, by the field that holds them.
VOCAB = {
    "bizStep": "https://ref.gs1.org/cbv/BizStep-",
    "disposition": "https://ref.gs1.org/cbv/Disp-",
    "set": "https://ref.gs1.org/cbv/Disp-",
    "unset": "https://ref.gs1.org/cbv/Disp-",
}
OLD_URNS = (
    ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
)


def _schema_enum(name: str) -> frozenset[str]:
    import json
    from pathlib import Path

    schema = json.loads((Path(__file__).parent / "data" / "EPCIS-JSON-Schema.json").read_text())
    for option in schema["definitions"][name].get("anyOf", []):
        if "enum" in option:
            return frozenset(option["enum"])
    return frozenset()


# Bare measurement and alert types the GS1 web vocabulary defines (others stay as written).
MEASUREMENTS = _schema_enum("measurementType") | _schema_enum("sensorAlertType")


def namespaces_of(context) -> dict[str, str]:
    """Prefix -> namespace URI of the document's own `@context` entries (the standard context's
    prefixes, such as `cbvmda:`, are left as written, as the reference does)."""
    found: dict[str, str] = {}
    items = context if isinstance(context, list) else [context]
    for item in items:
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, str):
                    found[key] = value
    return found


class _Hasher:
    def __init__(self, namespaces: dict[str, str], cbv_words: dict[str, set[str]]):
        self.ns = namespaces
        self.words = cbv_words
        self.left_sensors: list[str] = []
        self.left_other: list[str] = []

    def is_extension(self, name: str) -> bool:
        """A user extension of a nested element: its key's namespace URI ends with "/" (the
        reference recognises `{…/}local` only; others stay where they are, see `leftovers`)."""
        key = self.key(name)
        return "{" in key and "/}" in key

    def leftovers(self, obj: dict, order) -> list[str]:
        """Fields of a nested element that neither the order nor the extension rule took: the
        reference leaves them in place and prints them after the ordered fields, under their path."""
        names = {n for n, _sub in order}
        items = []
        if len(obj) > 1:
            extension = {k for k in obj if k not in names and self.is_extension(k)}
        else:
            extension = set()
        for key, value in obj.items():
            if key in names or key in extension or key in COMMENTS:
                continue
            items += self.generic_items(key, value)
        return items

    # --- values ---------------------------------------------------------------------------
    def key(self, name: str) -> str:
        prefix, sep, local = name.partition(":")
        if sep and prefix in self.ns:
            return "{" + self.ns[prefix] + "}" + local
        return name

    def scalar(self, value) -> str:
        if isinstance(value, str):
            prefix, sep, local = value.partition(":")
            if sep and prefix in self.ns:
                return self.ns[prefix] + local
            return value
        return str(value)

    def canon(self, text: str) -> str:
        for old, new in OLD_URNS:
            if text.startswith(old):
                text = new + text[len(old) :]
        try:
            number = float(text)
            if not math.isnan(number) and not math.isinf(number):
                text = str(int(number)) if int(number) == number else str(number)
        except ValueError:
            pass
        try:
            return identifiers.canonical(text)
        except identifiers.IdentifierError:
            return text

    @staticmethod
    def time(text: str) -> str:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
        if moment.tzinfo is None:
            moment = moment.astimezone()
        moment = moment.astimezone(UTC)
        micro = round(moment.microsecond, -3)
        if micro >= 1_000_000:
            from datetime import timedelta

            moment = moment.replace(microsecond=0) + timedelta(seconds=1)
        else:
            moment = moment.replace(microsecond=micro)
        return moment.isoformat(timespec="milliseconds")[:-6] + "Z"

    def vocab(self, name: str, value: str, parent: str | None = None) -> str:
        if parent == "sensorReport" and name in ("type", "exception") and value in MEASUREMENTS:
            return "https://gs1.org/voc/" + value
        if parent == "sensorReport" and name == "component" and ":" not in value:
            return "https://ref.gs1.org/cbv/Comp-" + value
        base = VOCAB.get(name)
        if base and ":" not in value:
            return base + value
        if name == "type" and parent in PAIRED and ":" not in value:
            return (
                "https://ref.gs1.org/cbv/BTT-"
                if parent == "bizTransactionList"
                else "https://ref.gs1.org/cbv/SDT-"
            ) + value
        return value

    def leaf(self, name: str, value, parent: str | None = None, ordered: bool = True) -> str:
        text = self.scalar(value).strip()
        if not text:
            return ""
        text = self.vocab(name, text, parent)
        if ordered and "time" in name.lower() and "offset" not in name.lower():
            text = self.time(text)
        else:
            text = self.canon(text)
        return f"{name}={text}"

    # --- the generic part (fields outside the standard's order) -----------------------------
    def generic_items(self, name: str, value) -> list[str]:
        """One string per child (a list gives one child per element, as the reference does)."""
        key = self.key(name)
        if isinstance(value, list):
            out = []
            for element in value:
                out += self.generic_items(name, element)
            return out
        if isinstance(value, dict):
            return [key + self.generic_dict(value, name)]
        text = self.scalar(value).strip()
        return [key + ("=" + self.canon(text) if text else "")]

    def generic_dict(self, obj: dict, name: str = "") -> str:
        if name in PAIRED:  # not reached: lists of pairs are handled in generic_paired
            pass
        items = []
        for key, value in obj.items():
            if key in COMMENTS:
                continue
            items += self.generic_items(key, value)
        if len(items) > 1:
            items.sort()
        return "".join(items)

    def generic_paired(self, name: str, elements: list) -> str:
        field = PAIRED[name]
        pairs = []
        for element in elements:
            if not isinstance(element, dict):
                continue
            kind = self.scalar(element.get("type", "")).strip()
            kind = self.vocab("type", kind, name) if kind else ""
            kind = self.canon(kind) if kind else ""
            value = self.canon(self.scalar(element.get(field, "")).strip())
            pairs.append((kind, value))
        pairs.sort()
        text = "".join((f"type={k}" if k else "") + (f"{field}={v}" if v else "") for k, v in pairs)
        return name + text if text else ""

    # --- the ordered part ------------------------------------------------------------------
    def ordered(self, obj: dict, order, parent: str | None, top: bool = False) -> tuple[str, set[str]]:
        """(pre-hash of obj's fields in `order`, names consumed)."""
        parts: list[str] = []
        used: set[str] = set()
        for name, sub in order:
            if name not in obj:
                continue
            value = obj[name]
            values = []
            elements = value if isinstance(value, list) and not isinstance(sub, str) else [value]
            for element in elements:
                text = self.child(name, element, sub, parent)
                if text:
                    values.append(text)
            used.add(name)
            values.sort()
            parts.append("".join(values))
        text = "".join(parts)
        if not top:
            extensions = [k for k in obj if k not in used and k not in COMMENTS and self.is_extension(k)]
            if extensions and len(obj) > 1:
                items = []
                for key in extensions:
                    items += self.generic_items(key, obj[key])
                    used.add(key)
                if len(items) > 1:
                    items.sort()
                text += "".join(items)
        return text, used

    def child(self, name: str, value, sub, parent) -> str:
        if sub is None:
            if isinstance(value, dict | list):
                return ""
            return self.leaf(name, value, parent)
        if isinstance(sub, str):  # a list of `sub` elements (epc, sensorElement)
            items = []
            for element in value if isinstance(value, list) else [value]:
                if sub == "sensorElement" and isinstance(element, dict):
                    inner, _used = self.ordered(element, SENSOR_ELEMENT, "sensorElement")
                    items.append("sensorElement" + inner if inner else "")
                elif sub == "epc":
                    items.append(self.leaf("epc", element, name))
                else:
                    items.append("")
            items = sorted(i for i in items if i)
            return name + "".join(items) if items else ""
        if isinstance(value, dict):
            if sub is QUANTITY:
                return ""
            inner, _used = self.ordered(value, sub, name)
            return name + inner if inner else ""
        if isinstance(value, list) and sub is QUANTITY:
            items = []
            for element in value:
                if isinstance(element, dict):
                    inner, _used = self.ordered(element, QUANTITY, "quantityElement")
                    if inner:
                        items.append("quantityElement" + inner)
            items.sort()
            return name + "".join(items) if items else ""
        if isinstance(value, list):  # persistentDisposition set/unset lists, sensorReport lists
            return ""
        return ""

    def sensor_fix(self, obj):
        return obj

    def prehash(self, event: dict) -> str:
        event_type = event.get("type", "")
        order_text = []
        used = set()
        for name, sub in PROP_ORDER:
            if name not in event:
                continue
            value = event[name]
            if name == "persistentDisposition" and isinstance(value, dict):
                items = []
                for key in ("set", "unset"):
                    got = value.get(key)
                    got = got if isinstance(got, list) else ([got] if got is not None else [])
                    items += sorted(t for t in (self.leaf(key, v, "persistentDisposition") for v in got) if t)
                text = name + "".join(items) if items else ""
            elif name == "sensorElementList":
                text = self.sensors(value)
            elif name in ("readPoint", "bizLocation") and isinstance(value, dict):
                text = self.child(name, value, sub, None)
                left = self.leftovers(value, sub)
                if left:
                    self.left_other.append(name + "".join(sorted(left)))
            else:
                text = self.child(name, value, sub, None)
            used.add(name)
            order_text.append(text)
        rest = []
        rest += self.left_other
        if self.left_sensors:
            rest.append("sensorElementList" + "".join(sorted(self.left_sensors)))
        for key, value in event.items():
            if key in used or key in IGNORED:
                continue
            if key in PAIRED and isinstance(value, list):
                text = self.generic_paired(key, value)
                if text:
                    rest.append(text)
                continue
            rest += self.generic_items(key, value)
        rest.sort()
        return f"eventType={event_type}" + "".join(order_text) + "".join(rest)

    def sensors(self, value) -> str:
        elements = []
        for element in value if isinstance(value, list) else [value]:
            if not isinstance(element, dict):
                continue
            parts = []
            left = []
            metadata = element.get("sensorMetadata")
            if isinstance(metadata, dict):
                inner, _ = self.ordered(metadata, SENSOR_METADATA, "sensorMetadata")
                if inner:
                    parts.append("sensorMetadata" + inner)
                rest = self.leftovers(metadata, SENSOR_METADATA)
                if rest:
                    left.append("sensorMetadata" + "".join(sorted(rest)))
            reports = element.get("sensorReport")
            texts = []
            for report in reports if isinstance(reports, list) else ([reports] if reports else []):
                if isinstance(report, dict):
                    inner, _ = self.ordered(report, SENSOR_REPORT, "sensorReport")
                    if inner:
                        texts.append("sensorReport" + inner)
                    rest = self.leftovers(report, SENSOR_REPORT)
                    if rest:
                        left.append("sensorReport" + "".join(sorted(rest)))
            left += self.leftovers(element, SENSOR_ELEMENT)
            if left:
                self.left_sensors.append("sensorElement" + "".join(sorted(left)))
            parts.append("".join(sorted(texts)))
            extensions = [
                k
                for k in element
                if k not in ("sensorMetadata", "sensorReport") and k not in COMMENTS and self.is_extension(k)
            ]
            items = []
            for key in extensions:
                items += self.generic_items(key, element[key])
            items.sort()
            parts.append("".join(items))
            text = "".join(parts)
            if text:
                elements.append("sensorElement" + text)
        elements.sort()
        return "sensorElementList" + "".join(elements) if elements else ""


def prehash(event: dict, namespaces: dict[str, str] | None = None) -> str:
    return _Hasher(namespaces or {}, {}).prehash(event)


def event_hash(event: dict, namespaces: dict[str, str] | None = None) -> str:
    text = prehash(event, namespaces)
    return "ni:///sha-256;" + hashlib.sha256(text.encode("utf-8")).hexdigest() + "?ver=CBV2.0"
