"""Benchmark of EPCIS queries on a large store (PostgreSQL): `MATCH_anyEPC` for one item and the
trace of one lot, each with a target of 200 ms at 10,000,000 events.

    .venv/bin/python bench/epcis_query.py [--events 1000000] [--pg-url postgres://…/cg_epcis_bench]
        [--keep]   # reuse the loaded database instead of loading again

The database of --pg-url is dropped, created and migrated, then loaded by the benchmark's own
COPY (the bulk path the issue allows; no audit events, no HTTP): `--events` events, each naming
three identifiers (epcList, or parent and children), in lots of 50 events, with the JSON body a
capture would store. Then each query runs 20 times (different items and lots, cold then warm) and
the median and worst are printed:

- MATCH_anyEPC: the query service's filter (`query.filters`) on the events table, first page
  (perPage 30) in capture order, bodies read - what `GET /api/v1/epcis/events?MATCH_anyEPC=` does
  after the policy (the policy's province filter is left out: the loaded events have none);
- lot trace: every event naming an identifier of the lot (the `lot` column of the identifier
  index), ordered by event time, bodies read.

10,000,000 events do not load within this machine's 5-minute benchmark budget (2 shared cores);
the default is 1,000,000 and the figure says at which size it was measured. Both queries are
index lookups whose cost grows with log(N), not N.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DL = "https://id.gs1.org"
GTIN = "08934588012228"


def setup(pg_url: str, keep: bool) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    if not keep:
        parts = urlsplit(pg_url)
        name = parts.path.lstrip("/")
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = pg_url
    os.environ.setdefault("CANHGIAC_VAR_DIR", str(ROOT / "var" / "bench" / "var_epcis_query"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "canhgiac.settings"
    import django

    django.setup()
    if not keep:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def load(events: int, batch: int = 100_000) -> float:
    from django.db import connection

    start = time.perf_counter()
    now = "2026-12-06T00:00:00+00:00"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for first in range(0, events, batch):
            last = min(first + batch, events)
            with raw.copy(
                "COPY goods_epcisevent (id, event_hash, event_id, event_type, event_time, record_time, action, "
                "biz_step, disposition, read_point, biz_location, error_declared, corrective_ids, unregistered, body) "
                "FROM STDIN"
            ) as copy:
                for n in range(first, last):
                    items = [f"{DL}/01/{GTIN}/21/{n * 3 + k}" for k in range(3)]
                    t = f"2026-{1 + n % 11:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00+00:00"
                    body = {
                        "type": "ObjectEvent",
                        "eventTime": t,
                        "eventTimeZoneOffset": "+07:00",
                        "epcList": items,
                        "action": "OBSERVE",
                        "bizStep": "shipping",
                        "readPoint": {"id": f"{DL}/414/8934588000014"},
                        "recordTime": now,
                    }
                    copy.write_row(
                        (
                            n + 1,
                            f"ni:///sha-256;{n:064x}?ver=CBV2.0",
                            "",
                            "ObjectEvent",
                            t,
                            now,
                            "OBSERVE",
                            "https://ref.gs1.org/cbv/BizStep-shipping",
                            "",
                            f"{DL}/414/8934588000014",
                            "",
                            False,
                            "[]",
                            False,
                            json.dumps(body),
                        )
                    )
            with raw.copy("COPY goods_epcisepc (event_id, epc, role, lot) FROM STDIN") as copy:
                for n in range(first, last):
                    lot = f"{DL}/01/{GTIN}/10/L{n // 50}"
                    for k in range(3):
                        copy.write_row((n + 1, f"{DL}/01/{GTIN}/21/{n * 3 + k}", "e", lot))
            connection.commit() if not connection.get_autocommit() else None
            print(f"  loaded {last:,} events ({time.perf_counter() - start:.0f} s)", flush=True)
        cursor.execute("SELECT setval(pg_get_serial_sequence('goods_epcisevent', 'id'), %s)", [events])
        cursor.execute("ANALYZE goods_epcisevent")
        cursor.execute("ANALYZE goods_epcisepc")
    return time.perf_counter() - start


def timed(fn, runs):
    times = []
    for arg in runs:
        t = time.perf_counter()
        fn(arg)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/cg_epcis_bench")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    setup(args.pg_url, args.keep)
    from django.http import QueryDict

    from canhgiac.goods.epcis import query
    from canhgiac.goods.models import EpcisEpc, EpcisEvent

    if not args.keep:
        seconds = load(args.events)
        print(f"bulk load (COPY): {args.events:,} events, {3 * args.events:,} identifiers in {seconds:.0f} s")
    events = EpcisEvent.objects.count()
    rng = random.Random(389)

    def any_epc(serial):
        params = QueryDict(mutable=True)
        params["MATCH_anyEPC"] = f"urn:epc:id:sgtin:8934588.001222.{serial}"
        condition, per_page, _after = query.filters(params)
        rows = list(
            EpcisEvent.objects.filter(condition).order_by("pk").values_list("pk", "body")[: per_page + 1]
        )
        assert rows, serial

    def lot_trace(lot):
        ids = EpcisEpc.objects.filter(lot=f"{DL}/01/{GTIN}/10/L{lot}").values("event_id")
        rows = list(
            EpcisEvent.objects.filter(pk__in=ids).order_by("event_time", "pk").values_list("pk", "body")
        )
        assert len(rows) == 50, (lot, len(rows))

    serials = [rng.randrange(3 * events) for _ in range(20)]
    lots = [rng.randrange(events // 50) for _ in range(20)]
    for label, fn, runs in (
        ("MATCH_anyEPC, one item", any_epc, serials),
        ("trace of one lot (50 events)", lot_trace, lots),
    ):
        median, worst = timed(fn, runs)
        print(
            f"{label:30}: median {median:6.1f} ms, worst {worst:6.1f} ms at {events:,} events "
            f"(target < 200 ms at 10,000,000: {'met' if worst < 200 else 'NOT met'} at this size); "
            f"load {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
