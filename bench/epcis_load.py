"""Bulk load of the synthetic supply chain (bench/epcis_supply.py) into a PostgreSQL database, by
COPY, for the 10,000,000-event query benchmark (bench/epcis_query.py).

    .venv/bin/python bench/epcis_load.py --events 10000000 \
        --pg-url postgres://postgres@127.0.0.1:5432/cg_epcis_bench [--workers 2]

The database is dropped, created and migrated. Like a bulk path does, the secondary indexes and
foreign keys of the two EPCIS tables are dropped before the load and built again afterwards (the
primary keys stay); `--workers` processes each COPY a contiguous range of lots (capture order =
event id order). Then VACUUM ANALYZE. No audit events, no HTTP, no event hashing (a synthetic,
unique hash stands in): this loads data for the query benchmark, it is not the capture path.
The time of each phase and the machine's load average are printed.
"""

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import epcis_supply as supply  # noqa: E402

TABLES = ("goods_epcisevent", "goods_epcisepc")
RECORD_TIME = "2027-01-01T00:00:00+00:00"
PROVINCES = (
    ("66", "Tỉnh Đắk Lắk"),
    ("20", "Tỉnh Lạng Sơn"),
    ("01", "Thành phố Hà Nội"),
    ("79", "Thành phố Hồ Chí Minh"),
    ("31", "Thành phố Hải Phòng"),
    ("48", "Thành phố Đà Nẵng"),
    ("92", "Thành phố Cần Thơ"),
    ("38", "Tỉnh Thanh Hóa"),
    ("40", "Tỉnh Nghệ An"),
    ("56", "Tỉnh Khánh Hòa"),
)


def plan(events: int) -> list[tuple[int, int, int]]:
    """(lot number, first event id, events taken) for lots until `events` events."""
    out, next_id, number = [], 1, 0
    while next_id <= events:
        count = min(supply.lot(number).event_count(), events - next_id + 1)
        out.append((number, next_id, count))
        next_id += count
        number += 1
    return out


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def worker(pg_url: str, lots: list[tuple[int, int, int]], nlots: int, provinces: list[int], index: int):
    import psycopg

    start = time.perf_counter()
    done = 0
    with psycopg.connect(pg_url) as conn:
        conn.execute("SET synchronous_commit = off")
        for first in range(0, len(lots), 2000):
            chunk = lots[first : first + 2000]
            ev_lines, epc_lines = [], []
            for number, first_id, count in chunk:
                evs = supply.events_of(supply.lot(number), nlots, provinces)[:count]
                for offset, (kind, t, action, step, disp, rp, loc, prov, epcs, body) in enumerate(evs):
                    pk = first_id + offset
                    full = body[:-1] + f', "recordTime": "{RECORD_TIME}"}}'
                    ev_lines.append(
                        f"{pk}\tni:///sha-256;{pk:064x}?ver=CBV2.0\t\t{kind}\t{t}\t{RECORD_TIME}\t"
                        f"{action}\t{step}\t{disp}\t{rp}\t{loc}\tf\t[]\tf\t{prov}\t{_esc(full)}\n"
                    )
                    for epc, role, lot in epcs:
                        epc_lines.append(f"{pk}\t{epc}\t{role}\t{lot}\n")
                done += len(evs)
            with conn.cursor() as cur:
                with cur.copy(
                    "COPY goods_epcisevent (id, event_hash, event_id, event_type, event_time, record_time, "
                    "action, biz_step, disposition, read_point, biz_location, error_declared, "
                    "corrective_ids, unregistered, province_id, body) FROM STDIN"
                ) as copy:
                    copy.write("".join(ev_lines))
                with cur.copy("COPY goods_epcisepc (event_id, epc, role, lot) FROM STDIN") as copy:
                    copy.write("".join(epc_lines))
            conn.commit()
            print(
                f"  worker {index}: {done:,} events ({time.perf_counter() - start:.0f} s, "
                f"load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    return done


def setup(pg_url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

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
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/cg_epcis_bench")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    t0 = time.perf_counter()
    setup(args.pg_url)
    import psycopg

    from canhgiac.directory.models import AdministrativeUnit

    provinces = []
    for code, name in PROVINCES:
        unit, _created = AdministrativeUnit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": AdministrativeUnit.Kind.PROVINCE}
        )
        provinces.append(unit.pk)
    lots = plan(args.events)
    print(f"{args.events:,} events in {len(lots):,} lots; load {os.getloadavg()[0]:.1f}", flush=True)
    with psycopg.connect(args.pg_url, autocommit=True) as conn:
        # keep the definitions, drop the secondary indexes and foreign keys
        saved = []
        for table in TABLES:
            for name, definition in conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
                [table],
            ).fetchall():
                saved.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, definition in conn.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [table],
            ).fetchall():
                saved.insert(0, definition)
                conn.execute(f'DROP INDEX "{name}"')
    t1 = time.perf_counter()
    share = -(-len(lots) // args.workers)
    parts = [lots[i * share : (i + 1) * share] for i in range(args.workers)]
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        results = [
            pool.apply_async(worker, (args.pg_url, part, len(lots), provinces, i))
            for i, part in enumerate(parts)
        ]
        total = sum(r.get() for r in results)
    t2 = time.perf_counter()
    print(f"COPY: {total:,} events in {t2 - t1:.0f} s; load {os.getloadavg()[0]:.1f}", flush=True)
    with psycopg.connect(args.pg_url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('goods_epcisevent', 'id'), (SELECT max(id) FROM goods_epcisevent))"
        )
        for statement in saved:
            s = time.perf_counter()
            conn.execute(statement)
            print(f"  {time.perf_counter() - s:5.0f} s  {statement[:110]}", flush=True)
        t3 = time.perf_counter()
        print(f"indexes and constraints: {t3 - t2:.0f} s; load {os.getloadavg()[0]:.1f}", flush=True)
        for table in TABLES:
            conn.execute(f"VACUUM ANALYZE {table}")
        t4 = time.perf_counter()
        print(f"VACUUM ANALYZE: {t4 - t3:.0f} s", flush=True)
        epcs = conn.execute("SELECT count(*) FROM goods_epcisepc").fetchone()[0]
    print(
        f"bulk load: {total:,} events, {epcs:,} identifier rows in {t4 - t0:.0f} s "
        f"(COPY {t2 - t1:.0f} s, indexes {t3 - t2:.0f} s); load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
