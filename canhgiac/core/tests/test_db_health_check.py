"""The PostgreSQL backend's health check (canhgiac/core/db/postgresql): no round trip for an idle,
quiet connection; a connection the server dropped is found unusable and replaced."""

import time

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def kept():
    """A connection of its own, kept between 'requests' and checked before use as under serve."""
    conn = connections.create_connection("default")
    conn.settings_dict["CONN_HEALTH_CHECKS"] = True
    conn.ensure_connection()
    yield conn
    conn.close()


def _pid(conn) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _wait_readable(conn, seconds=5.0):
    """Until the dropped connection's socket has its notice or end of file."""
    import select

    select.select([conn.connection.fileno()], [], [], seconds)


def test_an_idle_connection_is_usable_without_a_query(kept, monkeypatch):
    raw = kept.connection
    sent = []
    monkeypatch.setattr(
        type(raw), "cursor", lambda self, *a, **kw: sent.append(1) or (_ for _ in ()).throw(AssertionError)
    )
    assert kept.is_usable()
    assert sent == []


def test_a_connection_the_server_ended_is_unusable_and_replaced(kept):
    old = _pid(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old])
    _wait_readable(kept)
    assert not kept.is_usable()
    # what Django does at the start of a request: check, close if unusable, reconnect on first use
    kept.close_if_unusable_or_obsolete()
    kept.close_if_health_check_failed()
    assert _pid(kept) != old


def test_a_harmless_message_waiting_on_the_socket_falls_back_to_a_real_check(kept):
    with kept.cursor() as cursor:
        cursor.execute("LISTEN canhgiac_health_test")
    with connection.cursor() as cursor:
        cursor.execute("NOTIFY canhgiac_health_test")
    deadline = time.monotonic() + 5
    import select

    while time.monotonic() < deadline and not select.select([kept.connection.fileno()], [], [], 0.1)[0]:
        pass
    assert kept.is_usable()


def test_a_connection_inside_a_transaction_gets_the_real_check(kept):
    kept.set_autocommit(False)
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert kept.is_usable()
    kept.rollback()
    kept.set_autocommit(True)
