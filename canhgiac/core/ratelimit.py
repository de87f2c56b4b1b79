"""Per-source rate limits (the public tip form and follow-up, their API twins).

A check is ONE atomic operation, so concurrent requests cannot slip past the limit:
- on the database (the default, shared by all workers of a machine and by all app servers on the
  same database) an `INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count`
  (on PostgreSQL with an asynchronous commit: no wait for the disk);
- on Redis (`REDIS_URL`) the cache's `add` then `incr` (Redis INCR is atomic).
Only a keyed hash of the address, bucketed by window, is stored (docs/security.md).

Views mark themselves with `@limited(...)`; `RequestLimitsMiddleware` counts the hit in
`process_view`, before CSRF or the view reads (and stores) the request body.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

WINDOW_SECONDS = 3600


def _key(bucket: str, ip: str | None, now: dt.datetime) -> str:
    window = int(now.timestamp()) // WINDOW_SECONDS
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{bucket}|{ip or '-'}|{window}".encode()).hexdigest()
    return digest[:64]


def _uses_database() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache")


def _count_in_database(key: str, now: dt.datetime) -> int:
    from canhgiac.core.models import RateCounter

    table = connection.ops.quote_name(RateCounter._meta.db_table)
    expires = now + dt.timedelta(seconds=2 * WINDOW_SECONDS)
    upsert = f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The statement is its own transaction; its commit need not wait for the disk (a
            # count lost in a crash lets a source send a few more requests), so the request
            # does not queue behind the WAL flush. Still one statement, one round trip.
            cursor.execute(
                "WITH cfg AS (SELECT set_config('synchronous_commit', 'off', true)) "
                f"INSERT INTO {table} (key, count, expires_at) SELECT %s, 1, %s FROM cfg {upsert}",  # noqa: S608
                [key, expires],
            )
        else:
            from canhgiac.core.sqlite_turn import write_turn

            with write_turn():  # SQLite: queue for the write lock without sleeping (no-op elsewhere)
                cursor.execute(
                    f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) {upsert}",  # noqa: S608
                    [key, expires],
                )
                return cursor.fetchall()[0][0]  # read to the end: the statement (and its write) ends
        return cursor.fetchone()[0]


def _count_in_cache(key: str) -> int:
    cache.add(f"rl:{key}", 0, timeout=2 * WINDOW_SECONDS)
    try:
        return cache.incr(f"rl:{key}")
    except ValueError:  # evicted between add and incr: count this one
        cache.set(f"rl:{key}", 1, timeout=2 * WINDOW_SECONDS)
        return 1


def hit(bucket: str, ip: str | None, limit: int) -> bool:
    """Count one attempt from `ip` in `bucket`; True when the source is over `limit` this hour."""
    now = timezone.now()
    key = _key(bucket, ip, now)
    count = _count_in_database(key, now) if _uses_database() else _count_in_cache(key)
    return count > limit


def purge(now=None) -> str:
    """Delete windows that have ended (run by the periodic job)."""
    from canhgiac.core.models import RateCounter

    deleted, _ = RateCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return f"{deleted} bộ đếm hết hạn"


@dataclass(frozen=True)
class Limit:
    bucket: str
    per_hour: Callable[[], int]
    refused: Callable  # (request, limit) -> HttpResponse
    methods: tuple[str, ...] = ("POST",)


def limited(bucket: str, per_hour: Callable[[], int], refused: Callable, methods=("POST",)):
    """Mark a view as rate limited; the middleware counts before anything reads the body."""

    def mark(view):
        view.rate_limit = Limit(bucket, per_hour, refused, tuple(methods))
        return view

    return mark
