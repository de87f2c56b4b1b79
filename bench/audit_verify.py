"""Benchmark of `audit-verify` over a large sealed audit chain.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_audit_bench .venv/bin/python bench/audit_verify.py --events 1000000
    DATABASE_URL=sqlite:////tmp/cg_audit_bench.sqlite3 .venv/bin/python bench/audit_verify.py --events 1000000

Creates (or reuses) the database and migrates it, empties the audit tables, writes N events
already sealed (place, link and hash computed by the sealer's own `row_hash`; COPY on PostgreSQL,
executemany on SQLite), times `record_many` and the sealer on a further batch, and finally times
the real `audit-verify` command over all of them (CANHGIAC_AUDIT_VERIFY_WORKERS processes, default
2). Prints wall time, events/s, CPU seconds (this process and its workers), the load average, and
the target (10,000,000 events in under 300 s) with "met" or "NOT met"; asserts nothing.
Use a database of its own: the audit table is emptied.
"""

import argparse
import datetime as dt
import io
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_audit_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")
os.environ.setdefault("CANHGIAC_VAR_DIR", str(Path(__file__).resolve().parents[1] / "var" / "bench"))

ACTIONS = [
    "cases.case.create",
    "cases.casegoods.create",
    "cases.case.update",
    "tips.tip.create",
    "auth.login",
]


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _rows(count: int, rng: random.Random):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for n in range(1, count + 1):
        changes = {
            "summary": {"before": None, "after": f"Vụ việc số {n} — hàng giả tại chợ"},
            "seized_value_vnd": {"before": None, "after": rng.randrange(10**9)},
            "status": {"before": "open", "after": "closed"},
        }
        yield (
            start + dt.timedelta(microseconds=n * 1_003),
            rng.randrange(1, 200),
            f"officer_{rng.randrange(200)}",
            "QLTT",
            ACTIONS[n % len(ACTIONS)],
            "cases.case",
            str(n // 3 + 1),
            f"QLTT-2026-{n // 3 + 1:06d}",
            jsonb_text(changes),
            f"203.113.{rng.randrange(256)}.{rng.randrange(256)}",
            f"{rng.getrandbits(128):032x}",
            "",
        )


def jsonb_text(value) -> str:
    """JSON as PostgreSQL prints a jsonb value (keys by length, then bytes; ", " and ": "), so
    the text the bench hashes is the text audit-verify reads back on either database."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: (len(kv[0].encode()), kv[0].encode()))
        return (
            "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {jsonb_text(v)}" for k, v in items) + "}"
        )
    return json.dumps(value, ensure_ascii=False)


def _secondary_indexes(cursor, table: str, postgres: bool) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that no constraint owns."""
    if postgres:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
    return cursor.fetchall()


def build(count: int) -> float:
    """Write `count` events already sealed, as the sealer leaves them (place, link and hash by the
    sealer's own `row_hash`), with COPY on PostgreSQL and executemany on SQLite; returns seconds.
    Sealing ten million events through UPDATEs would take the bench an hour; the sealer's own
    rate is measured apart (`seal_rate`)."""
    from django.db import connection, transaction

    from canhgiac.audit.models import AuditEvent, AuditHead
    from canhgiac.audit.services import GENESIS, row_hash

    table = AuditEvent._meta.db_table
    columns = (
        "id, seq, time, actor_id, actor_label, agency_code, action, object_type, object_id, "
        "object_repr, changes, ip, request_id, prev_hash, hash"
    )
    chain = AuditHead.objects.get(pk=1).chain_id
    postgres = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datetimefield_value
    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as cursor:
        # Loading into a table without its secondary indexes and building them after is what a
        # bulk restore does, and many times faster than growing seven indexes row by row.
        indexes = _secondary_indexes(cursor, table, postgres)
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if postgres:
            cursor.execute(f"TRUNCATE {table} RESTART IDENTITY")
        else:
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
        prev = GENESIS

        def sealed_rows():
            nonlocal prev
            for n, row in enumerate(_rows(count, random.Random(389)), start=1):
                when, actor, label, agency, action, otype, oid, orepr, changes, ip, request, _ = row
                stored = (
                    n,
                    n,
                    when,
                    actor,
                    label,
                    agency,
                    action,
                    otype,
                    oid,
                    orepr,
                    changes,
                    ip,
                    request,
                    prev,
                )
                prev = row_hash(chain, stored)
                yield (*stored[:2], when if postgres else adapt(when), *stored[3:], prev)

        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in sealed_rows():
                    copy.write_row(row)
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [count])
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 15)})"
            batch = []
            for row in sealed_rows():
                batch.append(row)
                if len(batch) == 20000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        AuditHead.objects.filter(pk=1).update(count=count, last_id=count, last_hash=prev)
        for _name, sql in indexes:
            cursor.execute(sql)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"  (writing: {time.process_time() - cpu:.1f} CPU-s in Python)")
    return time.perf_counter() - started


def seal_rate(count: int) -> tuple[float, float]:
    """record_many `count` unsealed events (one transaction), then seal them; seconds for each."""
    from django.db import transaction

    from canhgiac.audit import services
    from canhgiac.directory.models import Agency

    agencies = list(Agency.objects.all()[:1]) or [Agency(pk=1, code="X", name="X")]
    objects = (agencies * count)[:count]
    seal_soon, services._seal_soon = services._seal_soon, lambda: None  # sealed below, timed apart
    started = time.perf_counter()
    try:
        with transaction.atomic():
            services.record_many("update", objects, changes=[{"n": n} for n in range(count)])
    finally:
        services._seal_soon = seal_soon
    written = time.perf_counter() - started
    started = time.perf_counter()
    services.seal()
    return written, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seal", type=int, default=50_000, help="events for the record_many/seal figures")
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from canhgiac.audit.services import anchors_path

    call_command("migrate", verbosity=0)
    anchors_path().unlink(missing_ok=True)  # anchors of earlier runs name a chain rebuilt since
    print(f"database: {connection.vendor}; events: {args.events:,}")

    seconds = build(args.events)
    print(f"wrote {args.events:,} sealed events in {seconds:.1f} s ({args.events / seconds:,.0f} events/s)")

    written, sealed = seal_rate(args.seal)
    print(f"record_many {args.seal:,} events: {written:.2f} s ({args.seal / written:,.0f} events/s)")
    print(f"seal {args.seal:,} events: {sealed:.2f} s ({args.seal / sealed:,.0f} events/s)")

    total = args.events + args.seal
    out = io.StringIO()
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), _cpu()
    call_command("audit-verify", stdout=out)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    print(out.getvalue().strip())
    rate = total / seconds
    workers = settings.CANHGIAC_AUDIT_VERIFY_WORKERS
    print(
        f"audit-verify {total:,} events ({workers} worker processes): {seconds:.1f} s wall = {rate:,.0f} events/s; "
        f"{cpu:.1f} CPU-s in this process and its workers ({total / cpu:,.0f} events per CPU-second); "
        f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    projected = 10_000_000 / rate
    verdict = "met" if projected < 300 else "NOT met"
    label = "measured" if total >= 10_000_000 else "projected at this rate"
    print(f"target: 10,000,000 events in under 300 s; {label}: {projected:.0f} s -> {verdict}")


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its waited-for children (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
