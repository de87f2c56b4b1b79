"""Django's PostgreSQL backend with a health check that costs no round trip when nothing is wrong.

Under `canhgiac serve` each server thread keeps its connection between requests and checks it once
per request before use (CONN_HEALTH_CHECKS), so that a restarted database is reconnected to instead
of failing the request. Django's check is a `SELECT 1`: a round trip to the server on every request,
which on the public check (`GET /api/v1/verify`, one query) was a second query — a fifth of the
server's CPU per check and a GIL hand-over under load (docs/goods.md, "Benchmarks").

Between requests the connection is idle and the server has nothing to say unasked. When it goes
away (a restart, `pg_terminate_backend`, a crash) it sends its FATAL notice and closes the socket, or
the kernel closes it: either way the socket becomes readable. So an idle connection whose socket is
not readable is as usable as `SELECT 1` would have found it; one whose socket is readable (or that is
not idle, or is closed) gets Django's own check. A network partition without any packet is seen by
neither check until a query times out.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        try:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            quiet = not poller.poll(0)
        except (OSError, ValueError):
            return False
        return True if quiet else super().is_usable()
