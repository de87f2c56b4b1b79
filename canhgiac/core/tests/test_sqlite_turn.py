"""core.sqlite_turn.write_turn: one holder at a time across threads (and processes: flock), the
next one goes as soon as it is released, re-entrant in a thread, nothing on PostgreSQL or an
in-memory database."""

import threading
import time

from django.db import connection

from canhgiac.core import sqlite_turn


def test_one_holder_at_a_time_and_the_next_goes_at_once(monkeypatch, tmp_path):
    monkeypatch.setattr(sqlite_turn, "lock_path", lambda: str(tmp_path / "db.write-turn"))
    inside, release, order = threading.Event(), threading.Event(), []

    def first():
        with sqlite_turn.write_turn():
            order.append("first in")
            inside.set()
            release.wait(5)
            order.append("first out")

    def second():
        inside.wait(5)
        with sqlite_turn.write_turn():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    inside.wait(5)
    time.sleep(0.2)
    assert order == ["first in"]  # the second waits
    started = time.monotonic()
    release.set()
    for t in threads:
        t.join(5)
    assert order == ["first in", "first out", "second in"]
    assert time.monotonic() - started < 1


def test_it_is_reentrant_in_a_thread(monkeypatch, tmp_path):
    monkeypatch.setattr(sqlite_turn, "lock_path", lambda: str(tmp_path / "db.write-turn"))
    with sqlite_turn.write_turn(), sqlite_turn.write_turn():
        pass
    with sqlite_turn.write_turn():  # released: taken again
        pass


def test_no_lock_for_postgresql_or_an_in_memory_database(db):
    name = str(connection.settings_dict.get("NAME"))
    if connection.vendor == "postgresql" or "memory" in name or name.startswith("file:"):
        assert sqlite_turn.lock_path() is None
    else:
        assert sqlite_turn.lock_path() == f"{name}.write-turn"
    with sqlite_turn.write_turn():
        pass
