"""Benchmark of EPCIS capture: documents of 1,000 events, checked (schema, CBV, GS1 keys),
hashed, deduplicated, stored and audited, all or nothing per document.

    .venv/bin/python bench/epcis_capture.py [--documents 10] [--db sqlite|postgres|both]
        [--pg-url postgres://postgres@127.0.0.1:5432/cg_epcis_bench]

Each database is fresh (SQLite file under var/bench/, or the PostgreSQL database of --pg-url,
dropped and created) and migrated, in a child process. The capture is timed through the service
the API and `canhgiac epcis-capture` both call (`goods.epcis.capture.capture`), from the JSON text
(parsing included), as the command line does; the HTTP layer of the API is not in the figure.
Then the same documents are sent again (every event a duplicate). Target: >= 1,000 events/s.
Figures are printed, never asserted.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
STEPS = ["commissioning", "packing", "shipping", "receiving", "storing", "retail_selling", "inspecting"]


def _gln(rng):
    return f"urn:epc:id:sgln:8934588.{rng.randint(1, 9999):05d}.0"


def make_document(doc_no: int, events: int = 1000, seed: int = 389) -> str:
    """A document of `events` mixed events: object events of 1-5 items, aggregations of a pallet
    and 10 items, transformations, with lots in ILMD, business transactions and sources."""
    rng = random.Random(seed * 1000 + doc_no)
    out = []
    for n in range(events):
        serial = doc_no * 1_000_000 + n * 10
        items = [
            f"urn:epc:id:sgtin:8934588.00{rng.randint(1000, 1999)}.{serial + k}"
            for k in range(rng.randint(1, 5))
        ]
        t = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+07:00"
        kind = rng.random()
        if kind < 0.15:
            event = {
                "type": "AggregationEvent",
                "eventTime": t,
                "eventTimeZoneOffset": "+07:00",
                "parentID": f"urn:epc:id:sscc:8934588.{serial % 10**10:010d}",
                "childEPCs": [f"urn:epc:id:sgtin:8934588.001222.{serial + k}" for k in range(10)],
                "action": "ADD",
                "bizStep": "packing",
                "readPoint": {"id": _gln(rng)},
            }
        elif kind < 0.2:
            event = {
                "type": "TransformationEvent",
                "eventTime": t,
                "eventTimeZoneOffset": "+07:00",
                "inputEPCList": items,
                "outputEPCList": [f"urn:epc:id:sgtin:8934588.009999.{serial}"],
                "bizStep": "repackaging",
                "bizLocation": {"id": _gln(rng)},
            }
        else:
            step = rng.choice(STEPS)
            event = {
                "type": "ObjectEvent",
                "eventTime": t,
                "eventTimeZoneOffset": "+07:00",
                "eventID": f"urn:uuid:bench-{doc_no}-{n}",
                "epcList": items,
                "action": "ADD" if step == "commissioning" else "OBSERVE",
                "bizStep": step,
                "disposition": "in_transit" if step == "shipping" else "active",
                "readPoint": {"id": _gln(rng)},
                "bizLocation": {"id": _gln(rng)},
                "bizTransactionList": [
                    {"type": "po", "bizTransaction": f"urn:epcglobal:cbv:bt:8934588000014:{serial}"}
                ],
            }
            if step == "commissioning":
                event["ilmd"] = {
                    "cbvmda:lotNumber": f"L{serial // 1000}",
                    "cbvmda:itemExpirationDate": "2027-12-31",
                }
            if step == "shipping":
                event["sourceList"] = [{"type": "owning_party", "source": "urn:epc:id:pgln:8934588.00001"}]
                event["destinationList"] = [
                    {"type": "owning_party", "destination": "urn:epc:id:pgln:8934588.00002"}
                ]
        out.append(event)
    return json.dumps(
        {
            "@context": [CONTEXT],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": "2026-12-06T00:00:00Z",
            "epcisBody": {"eventList": out},
        }
    )


def child(db: str, documents: int, pg_url: str) -> None:
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        path = var / "epcis_capture.sqlite3"
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        from urllib.parse import urlsplit, urlunsplit

        import psycopg

        parts = urlsplit(pg_url)
        name = parts.path.lstrip("/")
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = pg_url
    os.environ.setdefault("CANHGIAC_VAR_DIR", str(var / f"var_epcis_{db}"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "canhgiac.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from canhgiac.core.context import acting_as
    from canhgiac.goods.epcis import capture
    from canhgiac.goods.models import EpcisEpc, EpcisEvent

    texts = [make_document(d) for d in range(documents)]
    events = 1000 * documents
    for label in ("first capture", "sent again"):
        cpu0 = time.process_time()
        start = time.perf_counter()
        stored = dupes = 0
        with acting_as(None):
            for text in texts:
                result = capture.capture(None, json.loads(text))
                stored += result.stored
                dupes += result.duplicates
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        rate = events / wall
        print(
            f"{db:8} {label:13}: {events:,} events in {wall:6.2f} s = {rate:8,.0f} events/s "
            f"(CPU {cpu:.2f} s; stored {stored:,}, duplicates {dupes:,}) "
            f"target >= 1,000/s: {'met' if rate >= 1000 else 'NOT met'}"
        )
    print(
        f"{db:8} rows: {EpcisEvent.objects.count():,} events, {EpcisEpc.objects.count():,} identifiers; "
        f"load {os.getloadavg()[0]:.1f}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/cg_epcis_bench")
    parser.add_argument("--child", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.documents, args.pg_url)
        return
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                db,
                "--documents",
                str(args.documents),
                "--pg-url",
                args.pg_url,
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
