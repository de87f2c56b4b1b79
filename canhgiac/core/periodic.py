"""Periodic jobs (reminders, escalations, digests): every registered hook, run once."""

import logging

from django.db import close_old_connections
from django.utils import timezone

from canhgiac.core.context import acting_as
from canhgiac.core.registry import PERIODIC_HOOKS

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
