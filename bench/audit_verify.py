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
import itertools
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

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


CHUNK = 500_000  # events per COPY / per executemany batch group, and per progress line


def changes_format() -> str:
    """The stored `changes` text of a bench event as a %-format of (case number, seized value):
    made once by `jsonb_text` from a dict with markers in place of the two values, so each event
    costs one string formatting instead of a recursive JSON encoding."""
    marked = {
        "summary": {"before": None, "after": "Vụ việc số \x00N\x00 — hàng giả tại chợ"},
        "seized_value_vnd": {"before": None, "after": "\x00V\x00"},
        "status": {"before": "open", "after": "closed"},
    }
    text = jsonb_text(marked).replace("%", "%%")
    case, value = "\\u0000N\\u0000", '"\\u0000V\\u0000"'
    assert text.count(case) == text.count(value) == 1 and text.index(case) < text.index(value), text
    return text.replace(case, "%d").replace(value, "%d")


def sealed_rows(count: int, chain_id: str):
    """The bench's `count` events as the sealer leaves them: tuples in `COLUMNS` order (id = seq
    = 1..count, the time as the hash's UTC text) followed by the hash, each linked to the one
    before from GENESIS, each hashed by the sealer's own `row_hash`. Deterministic (seed 389)."""
    from canhgiac.audit.services import GENESIS, row_hash

    fmt = changes_format()
    bits = random.Random(389).getrandbits
    when, step = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.timedelta(microseconds=1_003)
    actions = ACTIONS * 2  # n % 5 from a lookup, no modulo of a big number twice
    prev = GENESIS
    for n in range(1, count + 1):
        when += step
        r = bits(96)  # actor, officer, seized value, IP: slices of one random number
        case = n // 3 + 1
        row = (
            n,
            n,
            when.isoformat(timespec="microseconds"),
            (r & 0xFF) % 199 + 1,
            f"officer_{(r >> 8 & 0xFF) % 200}",
            "QLTT",
            actions[n % 5],
            "cases.case",
            str(case),
            f"QLTT-2026-{case:06d}",
            fmt % (n, (r >> 16 & 0x3FFFFFFF) % 10**9),
            f"203.113.{r >> 48 & 0xFF}.{r >> 56 & 0xFF}",
            f"{bits(128):032x}",
            prev,
        )
        prev = row_hash(chain_id, row)
        yield (*row, prev)


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


def build(count: int, *, progress=print) -> float:
    """Write `count` events already sealed, as the sealer leaves them (place, link and hash by the
    sealer's own `row_hash`, the head moved to the last one), with COPY on PostgreSQL and
    executemany on SQLite, `CHUNK` events at a time with a progress line; returns seconds.
    Sealing ten million events through UPDATEs would take the bench an hour; the sealer's own
    rate is measured apart (`seal_rate`). One transaction: an interrupted run leaves the table
    (and its indexes, dropped during the load) as they were."""
    from django.db import connection

    from canhgiac.audit.models import AuditEvent
    from canhgiac.audit.services import COLUMNS

    table = AuditEvent._meta.db_table
    columns = ", ".join((*COLUMNS, "hash"))
    postgres = connection.vendor == "postgresql"
    started, cpu = time.perf_counter(), time.process_time()
    # SQLite: one transaction of gigabytes is far faster with a rollback journal than in WAL
    # (which would hold all of it before copying it into the database); WAL again after.
    journal = not postgres and not connection.in_atomic_block and not connection.is_in_memory_db()
    if journal:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = DELETE")
    try:
        _load(count, table, columns, postgres, progress, started, cpu)
    finally:
        if journal:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode = WAL")
    if postgres and not connection.in_atomic_block:  # VACUUM cannot run in a transaction (tests)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    progress(f"  (writing: {time.process_time() - cpu:.1f} CPU-s in Python)")
    return time.perf_counter() - started


def _load(count, table, columns, postgres, progress, started, cpu) -> None:
    from django.db import connection, transaction

    from canhgiac.audit.models import AuditHead
    from canhgiac.audit.services import COLUMNS, GENESIS

    last_hash = GENESIS
    with transaction.atomic(), connection.cursor() as cursor:
        chain = AuditHead.objects.select_for_update().get(pk=1).chain_id
        # Loading into a table without its secondary indexes and building them after is what a
        # bulk restore does, and many times faster than growing seven indexes row by row.
        indexes = _secondary_indexes(cursor, table, postgres)
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if postgres:
            cursor.execute(f"TRUNCATE {table} RESTART IDENTITY")
            # Sorting ten million keys per index in memory rather than in temporary files, as
            # one tunes a restore (this transaction only).
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        else:
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
        rows, written = sealed_rows(count, chain), 0
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(COLUMNS) + 1))})"
        while written < count:
            size = min(CHUNK, count - written)
            if postgres:  # PostgreSQL reads the hash's time text as a timestamptz
                # FREEZE: the table was emptied in this transaction, so the rows are written
                # frozen, and neither VACUUM nor the verify's first read rewrites every page.
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FREEZE)") as copy:
                    write = copy.write_row
                    for row in itertools.islice(rows, size):
                        write(row)
            else:  # SQLite stores UTC as "YYYY-MM-DD HH:MM:SS.ffffff", as Django writes it
                left = size
                while left:
                    batch = [
                        (n, seq, f"{t[:10]} {t[11:26]}", *rest)
                        for n, seq, t, *rest in itertools.islice(rows, min(20_000, left))
                    ]
                    cursor.executemany(sql, batch)
                    left -= len(batch)
                    row = batch[-1]
            written += size
            last_hash = row[-1]
            progress(
                f"  written {written:,} / {count:,} events: {time.perf_counter() - started:.1f} s, "
                f"{time.process_time() - cpu:.1f} CPU-s in Python; load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        if postgres:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)", [table, max(count, 1), count > 0]
            )
        # The head as the sealer leaves it after sealing the last event.
        AuditHead.objects.filter(pk=1).update(count=count, last_id=count, last_hash=last_hash)
        indexed = time.perf_counter()
        for _name, sql in indexes:
            cursor.execute(sql)
        progress(f"  {len(indexes)} indexes built in {time.perf_counter() - indexed:.1f} s", flush=True)


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
    # Set here, not on import: the tests import the writer (test_bench_writer.py).
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_audit_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")
    os.environ.setdefault("CANHGIAC_VAR_DIR", str(Path(__file__).resolve().parents[1] / "var" / "bench"))
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
