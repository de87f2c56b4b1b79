"""The audit trail: record events and verify the hash chain."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection, models, transaction
from django.utils import timezone

from canhgiac.audit.models import AuditEvent, AuditHead
from canhgiac.core.context import current_actor

log = logging.getLogger(__name__)
GENESIS = "0" * 64
HASH_VERSION = "cg-audit-2"
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
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
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = list(COLUMNS)
    if connection.vendor == "sqlite":  # the stored text, without the driver's slower converter
        columns[2] = "CAST(time AS TEXT)"
    return f"SELECT {', '.join(columns)}, hash FROM {table} WHERE {where} ORDER BY {order}"


def row_hash(chain_id: str, row) -> str:
    """SHA-256 over every stored column (`COLUMNS`, as the database returns them: `changes` is the
    stored JSON text) and the chain id, as one canonical JSON array."""
    time = row[2]
    if isinstance(time, str):
        time = dt.datetime.fromisoformat(time)
    # SQLite keeps UTC without an offset; never let the process's local zone in.
    time = time.replace(tzinfo=dt.UTC) if time.tzinfo is None else time.astimezone(dt.UTC)
    payload = [HASH_VERSION, chain_id, row[0], row[1], time.isoformat(timespec="microseconds"), *row[3:14]]
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


def seal(*, wait: bool = True, limit: int | None = None, batch_size: int = 5000) -> int:
    """Link committed, unsealed events into the chain in id order; return how many were sealed.

    `wait=False` gives up at once when another sealer is at work (used after commit, so no
    request ever waits for the chain). Call it outside business transactions (after commit, from
    the worker or a command): it sees only committed events. Raises ChainHeadMissing when the
    head row is gone: a chain is never silently restarted."""
    total, after = 0, 0
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


def _seal_after_commit():
    try:
        seal(wait=False, limit=5000)
    except Exception:  # the business change is committed; the worker seals what is left
        log.exception("sealing audit events after commit failed")


_seal_deferred: ContextVar[bool] = ContextVar("audit_seal_deferred", default=False)


@contextlib.contextmanager
def sealing_left_to_worker():
    """Events written inside are sealed by the worker's next tick (every
    CANHGIAC_AUDIT_SEAL_SECONDS) or by the next request that seals, not after this commit: for
    high-rate public writes (tip intake), where sealing after each commit doubled the queries."""
    token = _seal_deferred.set(True)
    try:
        yield
    finally:
        _seal_deferred.reset(token)


def _seal_soon():
    """Seal opportunistically once this transaction commits (one callback per transaction)."""
    if _seal_deferred.get():
        return
    if connection.in_atomic_block and any(f is _seal_after_commit for _s, f, _r in connection.run_on_commit):
        return
    transaction.on_commit(_seal_after_commit)


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
    _seal_soon()
    return event


def creation_changes(obj) -> dict:
    """The changes a create event records for `obj` (every audited field's value), as the
    change-logging signals write them; for callers that write the event themselves."""
    from canhgiac.audit.signals import diff, snapshot

    return diff(None, snapshot(obj))


def _agency_of(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return ""
    membership = actor.primary_membership if hasattr(actor, "primary_membership") else None
    return membership.agency.code if membership else ""


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
    the signals do for one object."""
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
    actor_pk = actor if getattr(actor, "pk", None) else None
    actor_label = (getattr(actor, "username", "") or "")[:150]
    agency_code = _agency_of(actor)[:40]
    now = timezone.now()
    events = []
    for index, obj in enumerate(objects):
        if changes is not None:
            change = changes[index] or {}
        elif action == "create":
            change = diff(None, snapshot(obj))
        elif action == "delete":
            change = diff(snapshot(obj), None)
        else:
            change = {}
        name = action if "." in action else f"{object_label(obj)}.{action}"
        events.append(
            AuditEvent(
                time=now,
                actor=actor_pk,
                actor_label=actor_label,
                agency_code=agency_code,
                action=name[:80],
                object_type=object_label(obj)[:80],
                object_id=str(obj.pk)[:64],
                object_repr=str(obj)[:200],
                changes=json.loads(canonical(change)),
                ip=context.ip,
                request_id=(request_id or "")[:32],
            )
        )
    _insert_events(events)
    _seal_soon()
    return len(events)


_INSERTED = COLUMNS[2:]  # what an insert writes: all but the id and the place in the chain


def _insert_events(events: list[AuditEvent]) -> None:
    """One multi-row INSERT per 1,000 events (Django's bulk_create is bounded by SQLite's 999
    parameters to about 70 rows a statement, and prepares every value through the field)."""
    meta = AuditEvent._meta
    fields = [meta.get_field(name.removesuffix("_id") if name == "actor_id" else name) for name in _INSERTED]
    changes_field, ip_field = meta.get_field("changes"), meta.get_field("ip")
    adapt_time = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    step = max(1, 30000 // len(fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than INSERT
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for e in events:
                    copy.write_row(
                        (
                            e.time,
                            e.actor_id,
                            e.actor_label,
                            e.agency_code,
                            e.action,
                            e.object_type,
                            e.object_id,
                            e.object_repr,
                            canonical(e.changes),
                            e.ip,
                            e.request_id,
                            "",
                        )
                    )
            return
        for start in range(0, len(events), step):
            chunk = events[start : start + step]
            params = []
            for e in chunk:
                params += [
                    adapt_time(e.time),
                    e.actor_id,
                    e.actor_label,
                    e.agency_code,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    changes_field.get_db_prep_save(e.changes, connection),
                    ip_field.get_db_prep_save(e.ip, connection),
                    e.request_id,
                    "",
                ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))}", params
            )


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
    *, seal_first: bool = True, until: dt.datetime | None = None, anchors: list[dict] | None = None
) -> VerifyResult:
    """Walk the sealed chain in order; name the first event whose content, position or link does
    not match; compare the end with the head and the head with the latest anchor of this chain
    (up to `until` for a restored database). Unsealed events older than the sealing delay fail."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return VerifyResult(False, 0, None, "bản ghi đầu chuỗi (AuditHead) đã bị xóa")
    sealed_now = seal() if seal_first else 0
    head.refresh_from_db()
    anchors = read_anchors() if anchors is None else anchors
    anchor = _latest_anchor(head.chain_id, until, anchors)
    result = VerifyResult(True, 0, sealed_now=sealed_now, anchor=anchor)
    prev, expected, anchored_hash = GENESIS, 1, None
    for row in _sealed_rows(head.count):
        pk, seq = row[0], row[1]
        if seq != expected:
            return _broken(result, pk, "có sự kiện bị xóa trước sự kiện này (thứ tự chuỗi bị hở)")
        if row[13] != prev:
            return _broken(result, pk, "liên kết tới sự kiện trước không khớp (có sự kiện bị xóa)")
        if row_hash(head.chain_id, row[:14]) != row[14]:
            return _broken(result, pk, "nội dung đã bị sửa")
        prev = row[14]
        if anchor is not None and seq == anchor["count"]:
            anchored_hash = prev
        result.checked = seq
        expected += 1
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


def _sealed_rows(upto: int, chunk: int = 20000):
    # PostgreSQL: a server-side cursor in a read-only snapshot, so ten million rows stream.
    # SQLite: a plain cursor outside any transaction (an IMMEDIATE one would hold the write lock).
    snapshot = transaction.atomic() if connection.vendor == "postgresql" else contextlib.nullcontext()
    with snapshot, connection.chunked_cursor() as cursor:
        cursor.execute(_select(f"seq IS NOT NULL AND seq <= {int(upto)}", "seq"))
        while rows := cursor.fetchmany(chunk):
            yield from rows


def _broken(result: VerifyResult, pk, reason: str) -> VerifyResult:
    result.ok, result.broken_id, result.reason = False, pk, reason
    return result


def visible_events(user, queryset=None):
    from canhgiac.core.policy import visible_to

    return visible_to(user, queryset if queryset is not None else AuditEvent.objects.all())
