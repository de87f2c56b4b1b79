"""The audit trail: record events and verify the hash chain."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from canhgiac.audit.models import AuditEvent, AuditHead
from canhgiac.core import bulk
from canhgiac.core.context import current_actor

GENESIS = "0" * 64
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


def event_payload(event: AuditEvent) -> dict:
    return {
        "time": event.time.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "agency": event.agency_code,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "ip": event.ip,
        "prev": event.prev_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical(event_payload(event)).encode()).hexdigest()


def _lock_chain():
    # Serialise appends so two writers never chain onto the same previous hash.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    return head


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
    if not agency_code and actor is not None and getattr(actor, "pk", None):
        membership = actor.primary_membership if hasattr(actor, "primary_membership") else None
        agency_code = membership.agency.code if membership else ""
    changes = json.loads(canonical(changes or {}))
    with transaction.atomic():
        head = _lock_chain()
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
            request_id=context.request_id or "",
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save()
        AuditHead.objects.filter(pk=1).update(last_id=event.pk, last_hash=event.hash)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in id order; name the first event whose content or link does not match."""
    prev = GENESIS
    checked = 0
    last_id = 0
    qs = AuditEvent.objects.order_by("id")
    while True:
        batch = list(qs.filter(id__gt=last_id)[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.prev_hash != prev:
                return VerifyResult(
                    False, checked, event.pk, "liên kết tới sự kiện trước không khớp (có sự kiện bị xóa)"
                )
            if compute_hash(event) != event.hash:
                return VerifyResult(False, checked, event.pk, "nội dung đã bị sửa")
            prev = event.hash
            last_id = event.pk
            checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id != last_id or head.last_hash != prev):
        return VerifyResult(False, checked, head.last_id, "các sự kiện cuối chuỗi đã bị xóa")
    return VerifyResult(True, checked)


def visible_events(user, queryset=None):
    from canhgiac.core.policy import visible_to

    return visible_to(user, queryset if queryset is not None else AuditEvent.objects.all())


def record_many(action: str, objects, *, actor=None, changes=None, request_id=None) -> int:
    """Append one event per object of `objects` in one go (imports and other batches): the chain is
    locked once, hashes are computed in order and the events are inserted in bulk. `changes` is one
    dict for every event or a list of dicts, one per object. Runs inside the caller's transaction.
    Returns the number of events written."""
    objects = list(objects)
    if not objects:
        return 0
    context = current_actor()
    if actor is None:
        actor = context.user
    per_object = isinstance(changes, (list, tuple))
    if per_object and len(changes) != len(objects):
        raise ValueError("changes must have one entry per object")
    agency_code = ""
    if actor is not None and getattr(actor, "pk", None):
        membership = actor.primary_membership if hasattr(actor, "primary_membership") else None
        agency_code = membership.agency.code if membership else ""
    base = {
        "actor_id": actor.pk if getattr(actor, "pk", None) else None,
        "actor_label": (getattr(actor, "username", "") or "")[:150],
        "agency_code": agency_code[:40],
        "action": action[:80],
        "ip": context.ip,
        "request_id": (request_id if request_id is not None else context.request_id) or "",
    }
    shared_text = None if per_object else canonical(changes or {})
    with transaction.atomic():
        head = _lock_chain()
        prev = head.last_hash
        rows = []
        for i, obj in enumerate(objects):
            now = timezone.now()
            row = dict(
                base,
                time=now,
                object_type=object_label(obj)[:80],
                object_id=str(obj.pk)[:64],
                object_repr=str(obj)[:200],
                prev_hash=prev,
            )
            text = canonical(changes[i] or {}) if per_object else shared_text
            row["changes"] = json.loads(text)
            payload = {
                "time": now.astimezone(dt.UTC).isoformat(timespec="microseconds"),
                "actor": row["actor_id"],
                "actor_label": row["actor_label"],
                "agency": row["agency_code"],
                "action": row["action"],
                "object_type": row["object_type"],
                "object_id": row["object_id"],
                "object_repr": row["object_repr"],
                "changes": row["changes"],
                "ip": row["ip"],
                "prev": prev,
            }
            row["hash"] = prev = hashlib.sha256(canonical(payload).encode()).hexdigest()
            row["changes"] = bulk.Prepared(text)  # stored as the same canonical JSON that was hashed
            rows.append(row)
        bulk.insert_rows(AuditEvent, rows)
        AuditHead.objects.filter(pk=1).update(last_id=rows[-1]["id"], last_hash=prev)
    return len(rows)
