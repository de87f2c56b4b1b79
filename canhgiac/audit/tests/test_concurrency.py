"""On PostgreSQL a long audited transaction (an import) must not hold up other audited writes."""

import threading

import pytest
from django.db import connection, transaction

from canhgiac.audit import services
from canhgiac.audit.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time"),
]


def _in_thread(fn):
    def run():
        try:
            fn()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_long_audited_transaction_does_not_block_a_concurrent_audited_write():
    written, release, ids = threading.Event(), threading.Event(), {}

    def long_import():
        with transaction.atomic():
            ids["long"] = services.record("test.import_row").pk
            written.set()
            release.wait(30)

    def tip():
        with transaction.atomic():
            ids["tip"] = services.record("test.tip").pk

    importer = _in_thread(long_import)
    assert written.wait(10)
    writer = _in_thread(tip)
    writer.join(10)
    try:
        assert not writer.is_alive(), "the audited write waited for the open import transaction"
        tip_event = AuditEvent.objects.get(pk=ids["tip"])
        assert tip_event.seq is not None  # sealed right after its own commit
        assert ids["long"] < ids["tip"]
    finally:
        release.set()
        importer.join(10)
    services.seal()  # usually done already by the import's own commit
    long_event = AuditEvent.objects.get(pk=ids["long"])
    assert long_event.seq == tip_event.seq + 1  # the chain's order is the order of sealing
    assert services.verify_chain().ok
