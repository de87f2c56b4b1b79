"""Insert many model rows fast, inside the caller's transaction (imports, audit batches).

Django's `bulk_create` spends most of its time compiling SQL value by value. `insert_many` reserves
the primary keys first (so the caller can link children and audit by id), converts each column once
per row with the field's own conversion, and sends the rows with COPY on PostgreSQL or multi-row
INSERTs on SQLite. No signals are sent: callers write the audit themselves (`audit.record_many`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
import gc
import operator
import queue
import threading

from django.db import connection, models

_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = True


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector while a bulk write builds its rows.

    An import of N cases allocates millions of small, long-lived objects (rows, change dicts,
    model instances); every gen-2 collection then walks all of them again, which cost about a
    quarter of the import's CPU time (20,000 cases: 9.0 → 6.6 CPU-s with collection paused).
    Reference counting still frees everything that is not in a cycle; cycles made meanwhile
    are collected once the collector resumes. Process-wide, so meant for the command and the
    worker's import task (one task per process), never around a web request; nested uses are
    counted and the collector resumes when the outermost one ends (if it was on before)."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


SQLITE_IMPORT_CACHE_KIB = 256 * 1024


@contextlib.contextmanager
def large_cache(kib: int = SQLITE_IMPORT_CACHE_KIB):
    """SQLite: a page cache of `kib` KiB for this connection during the block (the default is 2 MB),
    so the indexes a bulk write updates stay in memory instead of being read back through the
    operating system page by page (100,000 imported cases: 27.8 → 23.1 s, system CPU 4.7 → 2.9 s).
    The previous size comes back after the block. Nothing on PostgreSQL (shared_buffers)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


SQLITE_PARAMETERS = 30000  # under SQLite's limit of 32,766 bound values a statement (3.32+)


class Prepared(str):
    """A value already in the database's text form (such as canonical JSON), inserted as it is."""


def reserve_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys of `model`. Call inside a transaction: on SQLite the caller must
    already hold the write lock (any earlier write in the transaction does), so no other writer can
    take the same ids; on PostgreSQL the ids come from the table's sequence."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # a write first, so this transaction holds SQLite's write lock before it reads the top id
        cursor.execute("UPDATE sqlite_sequence SET seq = seq WHERE name = %s", [table])
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
        top = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        first = max(top, row[0] if row else 0) + 1
        ids = list(range(first, first + count))
        # keep AUTOINCREMENT's promise: later inserts never reuse these ids
        if row:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [ids[-1], table])
        else:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, ids[-1]])
        return ids


def _column_plan(model, now) -> list[tuple]:
    """Per concrete field: (attname, Python default, the default ready for the database, the
    per-row conversion or None, whether the default is a callable). Defaults are converted once,
    not once per row; values the driver takes as they are get no conversion at all."""
    postgres = connection.vendor == "postgresql"
    plan = []
    for f in model._meta.concrete_fields:
        call = f.has_default() and callable(f.default)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = now
        elif f.has_default() and not call:
            default = f.default
        elif call:
            default = None  # a callable default: called per row below
        else:
            default = "" if f.empty_strings_allowed and not f.null else None
        if isinstance(f, _PLAIN) and not isinstance(f, models.JSONField):
            conv = None
        elif postgres and isinstance(f, (models.DateField, models.DecimalField)):
            # psycopg adapts dates, aware datetimes and decimals itself; only naive datetimes
            # need the field's conversion (which makes them aware, with Django's warning)
            conv = _naive_datetime(f) if isinstance(f, models.DateTimeField) else None
        elif isinstance(f, models.DecimalField):
            conv = _decimal(f)  # SQLite: Django's adapter takes a Decimal as it is
        elif isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            conv = _date(f)  # SQLite stores a date as its ISO text, what the field would make
        else:
            conv = _prepare(f)
        ready = conv(default) if conv is not None and default is not None else default
        plan.append((f.attname, default, ready, conv, call))
    return plan


def _prepare(field):
    def conv(value):
        if isinstance(value, Prepared):
            return value
        return field.get_db_prep_save(value, connection)

    return conv


def _decimal(field):
    def conv(value):
        if type(value) is decimal.Decimal:
            return value
        return field.get_db_prep_save(value, connection)

    return conv


def _date(field):
    def conv(value):
        if type(value) is dt.date:
            return value.isoformat()
        return field.get_db_prep_save(value, connection)

    return conv


def _naive_datetime(field):
    def conv(value):
        if getattr(value, "tzinfo", True) is None:
            return field.get_db_prep_save(value, connection)
        return value

    return conv


def insert_rows(model, rows: list[dict], *, ids: list[int] | None = None, with_pk: bool = True) -> None:
    """INSERT `rows` (dicts of attname → Python value) into `model`'s table. Each row gets its
    primary key under "id" (reserved first); missing fields take their defaults, `auto_now` fields
    the current time (and the row dict gets them too, for the caller's audit). `ids`: keys the
    caller reserved (`reserve_ids`) for these rows; `with_pk=False`: no key is reserved or sent
    (the table's sequence gives one; for rows nobody refers to by id)."""
    if not rows:
        return
    from django.utils import timezone

    meta = model._meta
    pk_name = meta.pk.attname
    if with_pk:
        for row, pk in zip(rows, ids if ids is not None else reserve_ids(model, len(rows)), strict=True):
            row[pk_name] = pk
    plan = _column_plan(model, timezone.now())
    names = [attname for attname, *_rest in plan]
    take = operator.itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    values = []
    append = values.append
    # The rows of one call usually name the same fields: what to fill in and what to convert is
    # worked out once per set of field names, then each row is read in one itemgetter call.
    seen_keys = None
    for row in rows:
        keys = row.keys()
        if keys != seen_keys:
            seen_keys = frozenset(keys)
            missing = [(i, p) for i, p in enumerate(plan) if p[0] not in seen_keys]
            convert = [(i, p[3]) for i, p in enumerate(plan) if p[3] is not None and p[0] in seen_keys]
        if not missing:
            out = list(take(row))
            for i, conv in convert:
                if out[i] is not None:
                    out[i] = conv(out[i])
            append(out)
            continue
        fixed = []
        for i, (attname, default, ready, conv, call) in missing:
            if call:
                value = row[attname] = meta.get_field(attname).get_default()
                if conv is not None and value is not None:
                    value = conv(value)
            else:
                row[attname] = default
                value = ready
            fixed.append((i, value))
        out = list(take(row))
        for i, conv in convert:
            if out[i] is not None:
                out[i] = conv(out[i])
        for i, value in fixed:
            out[i] = value
        append(out)
    columns = [f.column for f in meta.concrete_fields]
    if not with_pk:
        keep = [i for i, f in enumerate(meta.concrete_fields) if f is not meta.pk]
        columns = [columns[i] for i in keep]
        pick = operator.itemgetter(*keep)
        values = [pick(out) for out in values]
    write(meta.db_table, columns, values)


def write(table: str, columns: list[str], values: list) -> None:
    """Send rows of values ready for the driver: COPY on PostgreSQL, multi-row INSERTs of up to
    SQLITE_PARAMETERS values on SQLite (about a third less CPU than executemany of one-row
    INSERTs). Inside `pipelined()` the rows go to its writer thread and this returns at once."""
    if not values:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        job = functools.partial(_copy, f"COPY {quote(table)} ({names}) FROM STDIN", values)
    else:
        job = functools.partial(
            _insert, f"INSERT INTO {quote(table)} ({names}) VALUES ", len(columns), values
        )
    pipe = getattr(connection, "_bulk_pipe", None)
    if pipe is not None:
        pipe.send(job)
        return
    with connection.cursor() as cursor:  # Django's cursor, as any other write outside a pipe
        if connection.vendor == "postgresql":
            job(cursor.cursor, "%s")
        else:
            job(cursor, "%s")


def _copy(sql, values, cursor, _mark) -> None:
    with cursor.copy(sql) as copy:
        write_row = copy.write_row
        for out in values:
            write_row(out)


def _insert(sql, width, values, cursor, mark) -> None:
    marks = "(" + ", ".join([mark] * width) + ")"
    step = max(1, SQLITE_PARAMETERS // width)
    for start in range(0, len(values), step):
        chunk = values[start : start + step]
        cursor.execute(sql + ", ".join([marks] * len(chunk)), [value for out in chunk for value in out])


class _Pipe:
    """A writer thread sending `write`'s rows on the caller's own connection (same transaction)."""

    def __init__(self, raw, postgres: bool):
        self.raw, self.postgres = raw, postgres
        self.jobs: queue.Queue = queue.Queue(maxsize=3)  # a few batches ahead at most (memory)
        self.error: BaseException | None = None
        self.cancelled = False
        self.thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None and not self.cancelled:
                    cursor = self.raw.cursor()  # the driver's own: "?" placeholders on SQLite
                    try:
                        job(cursor, "%s" if self.postgres else "?")
                    finally:
                        cursor.close()
            except BaseException as exc:  # handed to the caller's thread by check()
                self.error = exc
            finally:
                self.jobs.task_done()

    def check(self):
        if self.error is not None:
            error, self.error = self.error, None
            self.cancelled = True
            raise error

    def send(self, job):
        self.check()
        self.jobs.put(job)

    def drain(self):
        self.jobs.join()
        self.check()

    def close(self):
        self.jobs.put(None)
        self.thread.join()


@contextlib.contextmanager
def pipelined():
    """Overlap building rows with writing them: inside, `write` (so `insert_rows` and
    `audit.record_many`) hands its rows to a second thread that sends them on this thread's own
    connection, in the same transaction, in order, while this thread builds the next batch. The
    database's work (PostgreSQL's server process; SQLite's C code, which releases the GIL) then
    runs on the second core instead of after the Python. Any other query on the connection first
    waits until every row sent is written (so it sees them), and an error in the writer is raised
    in this thread at the next `write`, query or the block's end (the caller's transaction then
    rolls back; rows queued after the error are dropped). Nested uses join the outer one."""
    if getattr(connection, "_bulk_pipe", None) is not None:
        yield
        return
    connection.ensure_connection()
    pipe = _Pipe(connection.connection, connection.vendor == "postgresql")

    def written_first(execute, sql, params, many, context):
        pipe.drain()
        return execute(sql, params, many, context)

    connection._bulk_pipe = pipe
    try:
        with connection.execute_wrapper(written_first), connection.wrap_database_errors:
            try:
                yield
            except BaseException:
                pipe.cancelled = True
                raise
            pipe.drain()
    finally:
        connection._bulk_pipe = None
        pipe.close()


def instance(model, row: dict, alias: str | None = None):
    """A model instance of an inserted row, without Model.__init__'s per-field work (for audit)."""
    obj = model.__new__(model)
    obj.__dict__.update(row)
    state = obj._state = models.base.ModelState()
    state.adding = False
    state.db = alias or connection.alias
    return obj


def instances(model, rows: list[dict]) -> list:
    alias = connection.alias
    return [instance(model, row, alias) for row in rows]


def created_changes(model, row: dict) -> dict:
    """What the change log records for a created row (as audit.signals does for a save): every
    field but the id and the model's `audit_exclude`, before None, after its value."""
    get = row.get
    return {
        key: {"before": None, "after": value}
        for attname, key in audited_fields(model)
        if (value := get(attname)) is not None
    }


@functools.cache
def audited_fields(model) -> tuple[tuple[str, str], ...]:
    exclude = set(getattr(model, "audit_exclude", ())) | {"id"}
    return tuple(
        (f.attname, f.attname if f.is_relation else f.name)
        for f in model._meta.concrete_fields
        if f.name not in exclude
    )
