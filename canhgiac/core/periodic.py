"""Periodic jobs (reminders, escalations, digests): every registered hook, run once."""

import logging

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from canhgiac.core.context import acting_as
from canhgiac.core.registry import PERIODIC_HOOKS, TICK_HOOKS

log = logging.getLogger(__name__)


def run_periodic(now=None) -> list[str]:
    now = now or timezone.now()
    summaries = []
    with acting_as(None):
        for name, fn in PERIODIC_HOOKS:
            try:
                summary = fn(now)
            except Exception:  # one failing hook must not stop the others
                log.exception("periodic job %s failed", name)
                summaries.append(f"{name}: LỖI")
                continue
            summaries.append(f"{name}: {summary or 'xong'}")
    close_old_connections()
    return summaries


def tick(name: str | None = None, started_at=None) -> None:
    """One beat of the worker: its heartbeat (for /readyz), then every tick hook (audit sealing)."""
    from canhgiac.core import health

    try:
        health.beat(name, started_at)
    except Exception:
        log.exception("worker heartbeat failed")
    with acting_as(None):
        for hook_name, fn in TICK_HOOKS:
            try:
                fn()
            except Exception:
                log.exception("tick %s failed", hook_name)


def run_heartbeat(stop, name: str, started_at) -> None:
    """The worker's heartbeat thread: a beat every CANHGIAC_HEARTBEAT_SECONDS until `stop` is set,
    apart from the ticks so a long seal never delays it (other workers take a worker silent for
    CANHGIAC_WORKER_TIMEOUT_SECONDS for dead and fail its jobs: core.jobs.fail_orphaned_jobs)."""
    from canhgiac.core import health

    while True:
        try:
            health.beat(name, started_at)
        except Exception:  # the database is away (or, on SQLite, an import holds the write lock)
            log.warning("worker heartbeat failed", exc_info=True)
        close_old_connections()
        if stop.wait(settings.CANHGIAC_HEARTBEAT_SECONDS):
            return


def run_ticks(stop, name: str | None = None, started_at=None) -> None:
    """The worker's side thread: tick every CANHGIAC_AUDIT_SEAL_SECONDS until `stop` is set."""
    from canhgiac.core.health import worker_name

    name, started_at = name or worker_name(), started_at or timezone.now()
    while True:
        tick(name, started_at)
        close_old_connections()
        if stop.wait(settings.CANHGIAC_AUDIT_SEAL_SECONDS):
            return
