"""The audit trail: record events and verify the hash chain."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import json
import logging
import multiprocessing
import os
import uuid
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection, connections, models, transaction
from django.utils import timezone

from canhgiac.audit.models import AuditEvent, AuditHead
from canhgiac.core.context import current_actor

log = logging.getLogger(__name__)
GENESIS = "0" * 64
HASH_VERSION = "cg-audit-2"


def _hash_json():
    """The hash's JSON text: exactly `json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    .encode` (pinned by test_chain.py's hash vectors), with the C encoder made once instead of at
    every call, which is a third of the hash's cost per event when sealing and verifying."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the encoder as it is
        return encoder.encode
    # No circular check (markers None): the payload is a flat list of column values.
    iterencode = make(
        None, encoder.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    join = "".join
    return lambda payload: join(iterencode(payload, 0))


_dumps = _hash_json()
_ADVISORY_LOCK_KEY = 389_389


def _jsonable(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (set, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, bytes):
        return value.hex()
    return value


def canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


# The stored columns every hash covers, in the order rows are read for sealing and verifying.
COLUMNS = (
    "id",
    "seq",
    "time",
    "actor_id",
    "actor_label",
    "agency_code",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip",
    "request_id",
    "prev_hash",
)


def _select(where: str, order: str) -> str:
    """The stored columns in `COLUMNS` order, the time as the hash's text where the database can
    make it (no datetime object per row): PostgreSQL formats it in UTC, SQLite returns the stored
    text (UTC without an offset, which `_time_text` completes)."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = list(COLUMNS)
    if connection.vendor == "postgresql":
        columns[2] = """to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
    elif connection.vendor == "sqlite":  # the stored text, without the driver's slower converter
        columns[2] = "CAST(time AS TEXT)"
    return f"SELECT {', '.join(columns)}, hash FROM {table} WHERE {where} ORDER BY {order}"


def _time_text(time) -> str:
    """The time as the hash covers it: ISO 8601 in UTC with microseconds and "+00:00"."""
    if isinstance(time, str):
        n = len(time)
        if n == 32 and time[10] == "T" and time.endswith("+00:00"):  # PostgreSQL's to_char
            return time
        if n == 26 and time[10] == " ":  # SQLite: Django stores UTC as "YYYY-MM-DD HH:MM:SS.ffffff"
            return f"{time[:10]}T{time[11:]}+00:00"
        if n == 19 and time[10] == " ":  # ... and without the fraction when it is zero
            return f"{time[:10]}T{time[11:]}.000000+00:00"
        time = dt.datetime.fromisoformat(time)
    # SQLite keeps UTC without an offset; never let the process's local zone in.
    time = time.replace(tzinfo=dt.UTC) if time.tzinfo is None else time.astimezone(dt.UTC)
    return time.isoformat(timespec="microseconds")


def row_hash(chain_id: str, row) -> str:
    """SHA-256 over every stored column (`COLUMNS`, as the database returns them: `changes` is the
    stored JSON text) and the chain id, as one canonical JSON array."""
    payload = [HASH_VERSION, chain_id, row[0], row[1], _time_text(row[2]), *row[3:14]]
    return hashlib.sha256(_dumps(payload).encode()).hexdigest()


class ChainHeadMissing(Exception):
    pass


def _try_lock(wait: bool) -> bool:
    # One sealer at a time. Business transactions never take this lock: they only insert
    # unsealed events. On SQLite the IMMEDIATE transaction already holds the single write lock.
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _write_seals(sealed: list[tuple]) -> None:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(sealed), 1000):
                chunk = sealed[start : start + 1000]
                values = ",".join(["(%s::bigint,%s::bigint,%s,%s)"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} AS e SET seq = v.seq, prev_hash = v.prev, hash = v.hash "
                    f"FROM (VALUES {values}) AS v(id, seq, prev, hash) WHERE e.id = v.id",
                    [value for row in chunk for value in row],
                )
        else:
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [(seq, prev, digest, pk) for pk, seq, prev, digest in sealed],
            )


def seal(*, wait: bool = True, limit: int | None = None, batch_size: int = 5000, after: int = 0) -> int:
    """Link committed, unsealed events into the chain in id order; return how many were sealed.

    `wait=False` gives up at once when another sealer is at work (used after commit, so no
    request ever waits for the chain). `after` seals only events with a greater id (the request
    path: its own events and later ones). Call it outside business transactions (after commit,
    from the worker or a command): it sees only committed events. Raises ChainHeadMissing when the
    head row is gone: a chain is never silently restarted."""
    total = 0
    while limit is None or total < limit:
        size = batch_size if limit is None else min(batch_size, limit - total)
        try:
            with _no_wait_on_sqlite(wait), transaction.atomic():
                sealed, after = _seal_batch(wait, size, after)
        except OperationalError:
            if wait or connection.vendor != "sqlite":
                raise
            return total  # another connection holds SQLite's write lock; seal next time
        if not sealed:
            return total
        total += sealed
    return total


@contextlib.contextmanager
def _no_wait_on_sqlite(wait: bool):
    """After a commit, never queue for SQLite's write lock behind a running import."""
    if wait or connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")


def _seal_batch(wait: bool, size: int, after: int) -> tuple[int, int]:
    """Seal up to `size` pending events with an id above `after` in the caller's transaction;
    returns (how many, the last id). Keyset paging: the index entries of the rows this run has
    just sealed are not walked again for every batch (PostgreSQL keeps them until vacuum)."""
    if not _try_lock(wait):
        return 0, after
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        raise ChainHeadMissing("audit head row is missing")
    with connection.cursor() as cursor:
        cursor.execute(_select(f"seq IS NULL AND id > {int(after)}", "id") + f" LIMIT {int(size)}")
        rows = cursor.fetchall()
    if not rows:
        return 0, after
    prev, seq, sealed = head.last_hash, head.count, []
    for row in rows:
        seq += 1
        row = (row[0], seq, *row[2:13], prev)
        prev = row_hash(head.chain_id, row)
        sealed.append((row[0], seq, row[13], prev))
    _write_seals(sealed)
    AuditHead.objects.filter(pk=1).update(count=seq, last_id=sealed[-1][0], last_hash=prev)
    return len(rows), sealed[-1][0]


# What a request seals after its commit, at most (issue 10). A request seals its own events and
# later ones, never a bulk writer's backlog: that is the worker's (every CANHGIAC_AUDIT_SEAL_SECONDS)
# and the commands'. Sealing 5,000 events of an import after a sign-in's commit made that sign-in
# wait 1-2 s; walking the index entries of a running import's uncommitted events (PostgreSQL
# checks each one's visibility) cost a case view 0.5 s.
REQUEST_SEAL_LIMIT = 200


class _AfterCommitSeal:
    """The one after-commit sealing of a transaction; `after` is below every event it wrote."""

    def __init__(self, after: int):
        self.after = after

    def __call__(self):
        try:
            seal(wait=False, limit=REQUEST_SEAL_LIMIT, after=self.after)
        except Exception:  # the business change is committed; the worker seals what is left
            log.exception("sealing audit events after commit failed")


_seal_deferred: ContextVar[bool] = ContextVar("audit_seal_deferred", default=False)


@contextlib.contextmanager
def sealing_left_to_worker():
    """Events written inside are sealed by the worker's next tick (every
    CANHGIAC_AUDIT_SEAL_SECONDS), by a command that seals first (audit-verify, audit-anchor,
    backup) or by a request whose first event came before them, not after this commit: for
    high-rate public writes (tip intake), where sealing after each commit doubled the queries."""
    token = _seal_deferred.set(True)
    try:
        yield
    finally:
        _seal_deferred.reset(token)


def _seal_pending() -> bool:
    """This transaction already seals after its commit (from below its first event's id: the
    ids of later events are greater)."""
    return connection.in_atomic_block and any(
        isinstance(callback, _AfterCommitSeal) for _savepoints, callback, _robust in connection.run_on_commit
    )


def _seal_soon(after: int) -> None:
    """Seal this transaction's events (and later ones) once it commits: one callback per
    transaction; `after` is below the lowest id it wrote."""
    if _seal_deferred.get() or _seal_pending():
        return
    transaction.on_commit(_AfterCommitSeal(after))


def _id_floor() -> int:
    """An id below every event inserted from now on (read before a bulk insert)."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(  # NULL until the sequence's first value is taken
                "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence(%s, 'id')::regclass), 0)",
                [AuditEvent._meta.db_table],
            )
            return int(cursor.fetchone()[0])
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return int(cursor.fetchone()[0])


def ensure_head(**kwargs) -> None:
    """Make the chain (its id) when the database is created (post_migrate, also after a flush);
    never over events already written — a deleted head stays a failure for audit-verify."""
    if AuditHead._meta.db_table not in connection.introspection.table_names():
        return  # migrated backwards (audit zero)
    if AuditHead.objects.filter(pk=1).exists() or AuditEvent.objects.exists():
        return
    AuditHead.objects.create(pk=1, chain_id=uuid.uuid4().hex, created_at=timezone.now())


def object_label(obj) -> str:
    return obj._meta.label_lower if obj is not None else ""


def record(
    action: str,
    *,
    obj=None,
    changes: dict | None = None,
    actor=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    agency_code: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction (atomic if there is none), so the
    event and the change it describes are written together or not at all."""
    context = current_actor()
    if actor is None:
        actor = context.user
    if ip is None:
        ip = context.ip
    if obj is not None:
        object_type = object_type or object_label(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    agency_code = agency_code or _agency_of(actor)
    changes = json.loads(canonical(changes or {}))
    event = AuditEvent(
        time=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(getattr(actor, "username", "") or "")[:150],
        agency_code=agency_code[:40],
        action=action[:80],
        object_type=object_type[:80],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:200],
        changes=changes,
        ip=ip,
        request_id=(context.request_id or "")[:32],
    )
    event.save()
    _seal_soon(event.pk - 1)
    return event


def creation_changes(obj) -> dict:
    """The changes a create event records for `obj` (every audited field's value), as the
    change-logging signals write them; for callers that write the event themselves."""
    from canhgiac.audit.signals import diff, snapshot

    return diff(None, snapshot(obj))


def _agency_of(actor) -> str:
    """The actor's agency as its province-qualified key ("66:QLTT"): a short code is the same in
    every province. Events written before this kept the short code; the column is not rewritten
    (sealed events are hash-covered), and the audit page reads both (docs/audit.md)."""
    if actor is None or not getattr(actor, "pk", None):
        return ""
    memberships = actor.active_memberships() if hasattr(actor, "active_memberships") else []
    agency = next((m.agency for m in memberships if m.agency_id), None)
    return agency.key if agency is not None else ""


def record_many(
    action: str,
    objects: Sequence[models.Model],
    *,
    actor=None,
    changes: Sequence[dict] | None = None,
    request_id: str | None = None,
) -> int:
    """Write one audit event per object in the caller's transaction, in bulk; return the count.

    `action` is "create", "update" or "delete" (the event is named "<app>.<model>.<action>" like
    the change-logging signals name theirs) or an already dotted action used as it is. Without
    `changes`, a create records every field's value and a delete every field's last value, the way
    the signals do for one object. An entry of `changes` may be the JSON text already
    (`created_json`), stored as it is."""
    from canhgiac.audit.signals import diff, snapshot

    objects = list(objects)
    if changes is not None and len(changes) != len(objects):
        raise ValueError("record_many: changes must have one entry per object")
    if not objects:
        return 0
    context = current_actor()
    if actor is None:
        actor = context.user
    if request_id is None:
        request_id = context.request_id or ""
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    actor_label = (getattr(actor, "username", "") or "")[:150]
    agency_code = _agency_of(actor)[:40]
    ip = AuditEvent._meta.get_field("ip").get_prep_value(context.ip) or None  # text, for both drivers
    request_id = (request_id or "")[:32]
    # One row tuple per event, the changes serialised once (canonical JSON is also the stored
    # text); no model instance, no field-by-field preparation: the values are the same for every
    # row but the object and its changes.
    now = timezone.now()
    time = now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    dotted = "." in action
    rows = []
    append = rows.append
    for index, obj in enumerate(objects):
        if changes is not None:
            change = changes[index] or {}
        elif action == "create":
            change = diff(None, snapshot(obj))
        elif action == "delete":
            change = diff(snapshot(obj), None)
        else:
            change = {}
        label = obj._meta.label_lower
        append(
            (
                time,
                actor_id,
                actor_label,
                agency_code,
                (action if dotted else f"{label}.{action}")[:80],
                label[:80],
                str(obj.pk)[:64],
                str(obj)[:200],
                change if type(change) is str else _encode(change),
                ip,
                request_id,
                "",
            )
        )
    floor = None if _seal_deferred.get() or _seal_pending() else _id_floor()
    _insert_events(rows)
    if floor is not None:
        _seal_soon(floor)
    return len(rows)


_INSERTED = COLUMNS[2:]  # what an insert writes: all but the id and the place in the chain
_encode = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable
).encode


def json_text(value) -> str:
    """The stored JSON text of `value` in a change log (canonical: sorted keys, no spaces)."""
    return _encode(value)


_string = json.encoder.encode_basestring  # the string encoder of ensure_ascii=False


def _value_json(value) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    return _encode(value)


def created_json(model, row: dict, extra: dict[str, str] | None = None) -> str:
    """`json_text(core.bulk.created_changes(model, row) | extra)` — the change log of a created row
    — built as text without the dicts (an import's audit: 100,000 such texts). `extra` maps more
    keys to their JSON text already made (a key there replaces a field's). The same text, byte for
    byte (audit/tests/test_record_many.py compares them), so the event and its hash are the same."""
    from canhgiac.core import bulk

    get = row.get
    parts = [
        (key, '{"after":' + _value_json(value) + ',"before":null}')
        for attname, key in bulk.audited_fields(model)
        if (value := get(attname)) is not None and not (extra and key in extra)
    ]
    if extra:
        parts += extra.items()
    parts.sort()
    return "{" + ",".join([_string(key) + ":" + text for key, text in parts]) + "}"


def _insert_events(rows: list[tuple]) -> None:
    """COPY on PostgreSQL; on SQLite multi-row INSERTs (executemany of single-row INSERTs is slower,
    and Django's bulk_create is bounded by SQLite's 999 parameters to about 70 rows a statement):
    `core.bulk.write`, so inside `bulk.pipelined()` a second thread sends them. `rows` hold the
    `_INSERTED` columns, ready for the driver."""
    from canhgiac.core import bulk

    bulk.write(AuditEvent._meta.db_table, list(_INSERTED), rows)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""
    sealed_now: int = 0
    anchor: dict | None = None
    warnings: list[str] = field(default_factory=list)


def anchors_path() -> Path:
    return Path(settings.VAR_DIR) / "audit" / "anchors.jsonl"


def read_anchors(path: Path | None = None) -> list[dict]:
    path = path or anchors_path()
    if not path.exists():
        return []
    anchors = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            anchors.append(json.loads(line))
    return anchors


def head_state() -> dict:
    """The sealed head as an anchor names it: chain id, count, last hash, time."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        raise ChainHeadMissing("audit head row is missing")
    return {
        "chain": head.chain_id,
        "count": head.count,
        "last_hash": head.last_hash,
        "time": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
    }


def head_at(when: dt.datetime) -> dict | None:
    """The sealed chain as it stood at `when`: the last event sealed with a time up to then (a
    paper anchor, printed on the consolidated report). None before the first event."""
    chain = AuditHead.objects.filter(pk=1).values_list("chain_id", flat=True).first()
    last = (
        AuditEvent.objects.filter(seq__isnull=False, time__lte=when)
        .order_by("-seq")
        .values_list("seq", "hash", "time")
        .first()
    )
    if chain is None or last is None:
        return None
    return {"chain": chain, "count": last[0], "last_hash": last[1], "time": last[2]}


def write_anchor(path: Path | None = None) -> dict:
    """Seal what is pending, then append the head to the anchor file (outside the database)."""
    seal()
    anchor = head_state()
    path = path or anchors_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(anchor, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return anchor


def anchor_if_due(now=None) -> str | None:
    """Periodic: anchor when the chain's latest anchor is older than CANHGIAC_AUDIT_ANCHOR_MINUTES."""
    now = now or timezone.now()
    chain = AuditHead.objects.filter(pk=1).values_list("chain_id", flat=True).first()
    mine = [a for a in read_anchors() if a.get("chain") == chain]
    if mine:
        last = dt.datetime.fromisoformat(mine[-1]["time"])
        if now - last < dt.timedelta(minutes=settings.CANHGIAC_AUDIT_ANCHOR_MINUTES):
            return None
    anchor = write_anchor()
    return f"mốc neo #{anchor['count']}"


def _latest_anchor(chain_id: str, until, anchors: list[dict]) -> dict | None:
    mine = [a for a in anchors if a.get("chain") == chain_id]
    if until is not None:
        mine = [a for a in mine if dt.datetime.fromisoformat(a["time"]) <= until]
    return max(mine, key=lambda a: a["count"]) if mine else None


def verify_chain(
    *,
    seal_first: bool = True,
    until: dt.datetime | None = None,
    anchors: list[dict] | None = None,
    workers: int | None = None,
) -> VerifyResult:
    """Walk the sealed chain in order; name the first event whose content, position or link does
    not match; compare the end with the head and the head with the latest anchor of this chain
    (up to `until` for a restored database). Unsealed events older than the sealing delay fail.

    A long chain is checked in `workers` contiguous spans by as many processes (default
    CANHGIAC_AUDIT_VERIFY_WORKERS): each span checks its own places, links and hashes, and the
    joins between spans are checked here, so the result is the one a single walk gives."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return VerifyResult(False, 0, None, "bản ghi đầu chuỗi (AuditHead) đã bị xóa")
    sealed_now = seal() if seal_first else 0
    head.refresh_from_db()
    anchors = read_anchors() if anchors is None else anchors
    anchor = _latest_anchor(head.chain_id, until, anchors)
    result = VerifyResult(True, 0, sealed_now=sealed_now, anchor=anchor)
    anchor_count = anchor["count"] if anchor is not None else None
    workers = settings.CANHGIAC_AUDIT_VERIFY_WORKERS if workers is None else workers
    prev, expected, anchored_hash = GENESIS, 1, None
    for span in _verify_spans(head.chain_id, head.count, anchor_count, workers):
        if span.first_pk is not None:  # its first event, in the order a single walk checks
            result.checked = expected - 1
            if span.first != expected or (span.broken_id == span.first_pk and span.reason == _GAP):
                return _broken(result, span.first_pk, _GAP)  # or the span before ended short
            if span.first_prev != prev:
                return _broken(result, span.first_pk, _LINK)
        if span.broken_id is not None:
            result.checked = expected - 1 + span.checked
            return _broken(result, span.broken_id, span.reason)
        if span.checked:
            prev, expected = span.last_hash, span.first + span.checked
        anchored_hash = anchored_hash or span.anchored_hash
    result.checked = expected - 1
    if result.checked < head.count or prev != head.last_hash:
        return _broken(result, head.last_id, "các sự kiện cuối chuỗi đã bị xóa (hoặc bảng bị xóa sạch)")
    # Sealed events beyond the head: read the highest place first, then the head, so a sealer
    # committing in between (the worker) cannot look like a rewound head.
    highest = (
        AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", flat=True).first()
    )
    current = AuditHead.objects.filter(pk=1).values_list("count", flat=True).first()
    if highest is not None and (current is None or highest > current):
        return _broken(result, head.last_id, "đầu chuỗi đã bị lùi lại (có sự kiện sau đầu chuỗi)")
    if anchor is not None and anchor["count"] > 0 and anchored_hash != anchor["last_hash"]:
        return _broken(
            result,
            None,
            f"chuỗi không nối tiếp mốc neo lúc {anchor['time']} "
            f"({anchor['count']} sự kiện): các sự kiện hoặc đầu chuỗi đã bị xóa hay viết lại",
        )
    delay = dt.timedelta(seconds=settings.CANHGIAC_AUDIT_SEAL_SECONDS * 12)
    stale = AuditEvent.objects.filter(seq__isnull=True, time__lt=timezone.now() - delay).count()
    if stale:
        return _broken(result, None, f"{stale} sự kiện chưa được niêm phong quá thời hạn")
    if anchor is None and any(a.get("chain") != head.chain_id for a in anchors):
        result.warnings.append(
            "tệp mốc neo chỉ có mốc của chuỗi khác; chuỗi này chưa từng được neo "
            "(cơ sở dữ liệu mới hay được khôi phục — hãy kiểm tra nếu không phải vậy)"
        )
    return result


_GAP = "có sự kiện bị xóa trước sự kiện này (thứ tự chuỗi bị hở)"
_LINK = "liên kết tới sự kiện trước không khớp (có sự kiện bị xóa)"
_EDITED = "nội dung đã bị sửa"
PARALLEL_MIN = 200_000  # below this, starting processes costs more than it saves


@dataclass
class _Span:
    """What one walk over places first..last found: its first event (id, the hash it links to),
    how many events in a row were right, its last hash, the anchored hash if the anchor's place
    is in the span, and the first broken event with the reason."""

    first: int
    first_pk: int | None = None
    first_prev: str | None = None
    checked: int = 0
    last_hash: str | None = None
    anchored_hash: str | None = None
    broken_id: int | None = None
    reason: str = ""


def _verify_span(chain_id: str, first: int, last: int, anchor_count: int | None) -> _Span:
    """Check the events at places first..last: contiguous places, each linked to the one before
    (the first one's link is checked by the caller, at the join), each hash recomputed."""
    span = _Span(first)
    sha256, dumps, time_text, version = hashlib.sha256, _dumps, _time_text, HASH_VERSION
    expected, prev = first, None
    for row in _sealed_rows(first, last):
        pk, seq = row[0], row[1]
        if prev is None:
            span.first_pk, span.first_prev, prev = pk, row[13], row[13]
        if seq != expected:
            span.broken_id, span.reason = pk, _GAP
            break
        if row[13] != prev:
            span.broken_id, span.reason = pk, _LINK
            break
        payload = [version, chain_id, pk, seq, time_text(row[2]), *row[3:14]]
        prev = row[14]
        if sha256(dumps(payload).encode()).hexdigest() != prev:
            span.broken_id, span.reason = pk, _EDITED
            break
        if seq == anchor_count:
            span.anchored_hash = prev
        expected += 1
    span.checked = expected - first
    span.last_hash = prev
    return span


def _verify_spans(chain_id: str, count: int, anchor_count: int | None, workers: int) -> list[_Span]:
    if workers < 2 or count < PARALLEL_MIN:
        return [_verify_span(chain_id, 1, count, anchor_count)]
    size = -(-count // workers)
    bounds = [(chain_id, a, min(a + size - 1, count), anchor_count) for a in range(1, count + 1, size)]
    if not _can_fork():  # the same spans, one after another
        return [_verify_span(*span) for span in bounds]
    # Each process opens its own connection: none may be shared across the fork.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(len(bounds)) as pool:
        return pool.starmap(_verify_span, bounds, chunksize=1)


def _can_fork() -> bool:
    """Processes need a database they can reach on their own connection: not SQLite in memory
    (tests), not from inside a transaction (they would not see its rows)."""
    if "fork" not in multiprocessing.get_all_start_methods() or connection.in_atomic_block:
        return False
    return connection.vendor != "sqlite" or not connection.is_in_memory_db()


def _sealed_rows(first: int, last: int, chunk: int = 20000):
    # PostgreSQL: a server-side cursor in a read-only snapshot, so ten million rows stream.
    # SQLite: a plain cursor outside any transaction (an IMMEDIATE one would hold the write lock).
    snapshot = transaction.atomic() if connection.vendor == "postgresql" else contextlib.nullcontext()
    with snapshot, connection.chunked_cursor() as cursor:
        cursor.execute(_select(f"seq >= {int(first)} AND seq <= {int(last)}", "seq"))
        while rows := cursor.fetchmany(chunk):
            yield from rows


def _broken(result: VerifyResult, pk, reason: str) -> VerifyResult:
    result.ok, result.broken_id, result.reason = False, pk, reason
    return result


def visible_events(user, queryset=None):
    from canhgiac.core.policy import visible_to

    return visible_to(user, queryset if queryset is not None else AuditEvent.objects.all())
