"""Insert many model rows fast, inside the caller's transaction (imports, audit batches).

Django's `bulk_create` spends most of its time compiling SQL value by value. `insert_many` reserves
the primary keys first (so the caller can link children and audit by id), converts each column once
per row with the field's own conversion, and sends the rows with COPY on PostgreSQL or `executemany`
on SQLite. No signals are sent: callers write the audit themselves (`audit.record_many`).
"""

from __future__ import annotations

from django.db import connection, models

_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


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


def insert_rows(model, rows: list[dict]) -> None:
    """INSERT `rows` (dicts of attname → Python value) into `model`'s table. Each row gets its
    primary key under "id" (reserved first); missing fields take their defaults, `auto_now` fields
    the current time."""
    if not rows:
        return
    from django.utils import timezone

    meta = model._meta
    pk_name = meta.pk.attname
    for row, pk in zip(rows, reserve_ids(model, len(rows)), strict=True):
        row[pk_name] = pk
    now = timezone.now()
    fields = list(meta.concrete_fields)
    plan = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = now
        elif f.has_default() and not callable(f.default):
            default = f.default
        elif f.has_default():
            default = None  # a callable default: called per row below
        else:
            default = "" if f.empty_strings_allowed and not f.null else None
        plain = isinstance(f, _PLAIN) and not isinstance(f, models.JSONField)
        plan.append((f.attname, default, None if plain else f, f.has_default() and callable(f.default)))
    values = []
    for row in rows:
        out = []
        for attname, default, conv, call in plan:
            if attname in row:
                value = row[attname]
            else:
                value = default if not call else model._meta.get_field(attname).get_default()
                row[attname] = value
            if conv is not None and value is not None and not isinstance(value, Prepared):
                value = conv.get_db_prep_save(value, connection)
            out.append(value)
        values.append(out)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for out in values:
                    copy.write_row(out)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)


def instance(model, row: dict):
    """A model instance of an inserted row, without Model.__init__'s per-field work (for audit)."""
    obj = model.__new__(model)
    obj.__dict__.update(row)
    obj._state = models.base.ModelState()
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


def created_changes(model, row: dict) -> dict:
    """What the change log records for a created row (as audit.signals does for a save): every
    field but the id and the model's `audit_exclude`, before None, after its value."""
    exclude = set(getattr(model, "audit_exclude", ())) | {"id"}
    changes = {}
    for f in model._meta.concrete_fields:
        if f.name in exclude:
            continue
        value = row.get(f.attname)
        if value is not None:
            changes[f.attname if f.is_relation else f.name] = {"before": None, "after": value}
    return changes
