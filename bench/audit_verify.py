"""Benchmark of `audit-verify` over a large sealed audit chain.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_audit_bench .venv/bin/python bench/audit_verify.py --events 1000000
    DATABASE_URL=sqlite:////tmp/cg_audit_bench.sqlite3 .venv/bin/python bench/audit_verify.py --events 1000000

Creates (or reuses) the database and migrates it, empties the audit tables, writes N unsealed
events in bulk (COPY on PostgreSQL, executemany on SQLite), times the sealer linking them into the
chain, times `record_many` and the sealer on a further batch, and finally times the real
`audit-verify` command over all of them. Prints the figures
(events/s, and the time 10,000,000 events would take at that rate); asserts nothing.
"""

import argparse
import datetime as dt
import io
import json
import os
import random
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
            json.dumps(changes, ensure_ascii=False),
            f"203.113.{rng.randrange(256)}.{rng.randrange(256)}",
            f"{rng.getrandbits(128):032x}",
            "",
        )


def build(count: int) -> float:
    """Write `count` unsealed events in bulk (as record_many leaves them); returns seconds."""
    from django.db import connection, transaction

    from canhgiac.audit.models import AuditEvent, AuditHead
    from canhgiac.audit.services import GENESIS

    table = AuditEvent._meta.db_table
    columns = "time, actor_id, actor_label, agency_code, action, object_type, object_id, object_repr, changes, ip, request_id, prev_hash"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        AuditHead.objects.filter(pk=1).update(count=0, last_id=0, last_hash=GENESIS)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in _rows(count, random.Random(389)):
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 12)})"
            adapt = connection.ops.adapt_datetimefield_value
            batch = []
            for row in _rows(count, random.Random(389)):
                batch.append((adapt(row[0]), *row[1:]))
                if len(batch) == 20000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")  # the previous run's deleted rows
    return time.perf_counter() - started


def seal_rate(count: int) -> tuple[float, float]:
    """record_many `count` unsealed events (one transaction), then seal them; seconds for each."""
    from django.db import transaction

    from canhgiac.audit import services
    from canhgiac.directory.models import Agency

    agencies = list(Agency.objects.all()[:1]) or [Agency(pk=1, code="X", name="X")]
    objects = (agencies * count)[:count]
    started = time.perf_counter()
    with transaction.atomic():
        services.record_many("update", objects, changes=[{"n": n} for n in range(count)])
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
    from django.core.management import call_command
    from django.db import connection

    from canhgiac.audit.services import anchors_path

    call_command("migrate", verbosity=0)
    anchors_path().unlink(missing_ok=True)  # anchors of earlier runs name a chain rebuilt since
    print(f"database: {connection.vendor}; events: {args.events:,}")
    from canhgiac.audit import services

    seconds = build(args.events)
    print(f"wrote {args.events:,} unsealed events in {seconds:.1f} s ({args.events / seconds:,.0f} events/s)")
    started = time.perf_counter()
    services.seal()
    seconds = time.perf_counter() - started
    print(f"sealed {args.events:,} events in {seconds:.1f} s ({args.events / seconds:,.0f} events/s)")

    written, sealed = seal_rate(args.seal)
    print(f"record_many {args.seal:,} events: {written:.2f} s ({args.seal / written:,.0f} events/s)")
    print(f"seal {args.seal:,} events: {sealed:.2f} s ({args.seal / sealed:,.0f} events/s)")

    total = args.events + args.seal
    out = io.StringIO()
    started = time.perf_counter()
    call_command("audit-verify", stdout=out)
    seconds = time.perf_counter() - started
    print(out.getvalue().strip())
    rate = total / seconds
    print(f"audit-verify {total:,} events: {seconds:.1f} s ({rate:,.0f} events/s)")
    print(f"at that rate 10,000,000 events take {10_000_000 / rate:.0f} s (target: under 300 s)")


if __name__ == "__main__":
    main()
