"""Shared helpers of the EPCIS tests: where the conformance material lies (read in place, never
copied), and small document builders."""

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
# The CI clone has shared/ beside the repository; a worktree under /work/wt/ has it two levels up.
CANDIDATES = [REPO.parent / "shared", REPO.parent.parent / "shared"]
CONFORMANCE = next(
    (c / "conformance/epcis" for c in CANDIDATES if (c / "conformance/epcis").is_dir()),
    CANDIDATES[0] / "conformance/epcis",
)
CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"


def gs1_examples() -> list[Path]:
    return sorted((CONFORMANCE / "gs1" / "JSON").rglob("*.jsonld"))


def openepcis(kind: str) -> list[Path]:
    return sorted((CONFORMANCE / "openepcis" / kind).glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def document(*events, context=None) -> dict:
    return {
        "@context": context or [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-12-01T08:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }


def object_event(epcs, biz_step="commissioning", time="2026-12-01T08:00:00+07:00", **extra) -> dict:
    event = {
        "type": "ObjectEvent",
        "eventTime": time,
        "eventTimeZoneOffset": "+07:00",
        "epcList": list(epcs),
        "action": extra.pop("action", "ADD" if biz_step == "commissioning" else "OBSERVE"),
        "bizStep": biz_step,
    }
    event.update(extra)
    return event
