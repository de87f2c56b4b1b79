"""Send reads marked for the replica there when one is configured (docs/scaling.md)."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


@contextmanager
def read_from_replica():
    """Dashboards and reports wrap their read-only queries in this."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_reads(view):
    """Run a read-only page's queries (GET/HEAD) on the replica: dashboards, figures, reports.
    Writes (audit events, sessions) still go to the primary; POSTs are left alone."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with read_from_replica():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and "replica" in settings.DATABASES:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
