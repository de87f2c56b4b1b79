"""Load-balancer probes: /healthz (the process answers; no database) and /readyz (the database
answers, every migration is applied, and a registered worker is beating)."""

import datetime as dt
import os
import socket

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

_migrations_applied = False


def heartbeat_stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=max(60, settings.CANHGIAC_AUDIT_SEAL_SECONDS * 6))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(name: str | None = None, started_at=None) -> None:
    """Called by the worker every CANHGIAC_AUDIT_SEAL_SECONDS."""
    from canhgiac.core.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        name=name or worker_name(),
        defaults={"last_seen": now},
        create_defaults={"started_at": started_at or now, "last_seen": now},
    )


def _pending_migrations() -> int:
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = pending == 0
    return pending


def _worker_state() -> tuple[bool, str]:
    from canhgiac.core.models import WorkerHeartbeat

    last = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    if last is None:
        return True, "never registered (no worker has run; background tasks wait)"
    age = (timezone.now() - last).total_seconds()
    if timezone.now() - last > heartbeat_stale_after():
        return False, f"stale (last heartbeat {age:.0f} s ago)"
    return True, f"ok (last heartbeat {age:.0f} s ago)"


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "fail", "database": f"unreachable: {exc.__class__.__name__}"}, status=503
        )
    pending = _pending_migrations()
    checks["migrations"] = "ok" if not pending else f"{pending} not applied"
    worker_ok, checks["worker"] = _worker_state()
    ok = not pending and worker_ok
    return JsonResponse({"status": "ok" if ok else "fail", **checks}, status=200 if ok else 503)
