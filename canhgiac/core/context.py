"""Who is acting, and from where: set by the request middleware or by a command."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Actor:
    user: object | None = None
    ip: str | None = None
    request_id: str | None = None


_actor: ContextVar[Actor | None] = ContextVar("canhgiac_actor", default=None)


def current_actor() -> Actor:
    return _actor.get() or Actor()


@contextmanager
def acting_as(user=None, ip: str | None = None, request_id: str | None = None):
    """Commands and tasks wrap their work in this so audit events name the actor."""
    token = _actor.set(Actor(user=user, ip=ip, request_id=request_id))
    try:
        yield
    finally:
        _actor.reset(token)
