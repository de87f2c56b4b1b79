"""audit-verify over a long chain checks contiguous spans (in worker processes where it can) and
joins them: whatever is tampered with, and wherever, the verdict is the single walk's."""

import datetime as dt

import pytest
from django.db import connection, transaction

from canhgiac.audit import services
from canhgiac.audit.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def short_chains_in_spans(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(services, "PARALLEL_MIN", 1)


def _chain(n=8):
    for i in range(n):
        services.record(f"test.span{i}", changes={"i": i, "text": "Vụ việc — hàng giả"})
    services.seal()
    return AuditHead.objects.get(pk=1).count


def _at(seq):
    return AuditEvent.objects.filter(seq=seq)


TAMPERS = {
    "edited": lambda seq: _at(seq).update(object_repr="forged"),
    "relinked": lambda seq: _at(seq).update(prev_hash="f" * 64),
    "deleted": lambda seq: _at(seq)._raw_delete(connection.alias),
    "tail deleted": lambda seq: AuditEvent.objects.filter(seq__gte=seq)._raw_delete(connection.alias),
}


def _verdict(result):
    return result.ok, result.broken_id, result.reason, result.checked


def test_a_sound_chain_verifies_in_spans_as_in_one_walk():
    count = _chain()
    single = services.verify_chain(seal_first=False, workers=1)
    for workers in (2, 3, count):
        assert _verdict(services.verify_chain(seal_first=False, workers=workers)) == _verdict(single)
    assert single.ok and single.checked == count


@pytest.mark.parametrize("tamper", sorted(TAMPERS))
def test_spans_find_what_one_walk_finds_at_every_place(tamper):
    count = _chain()
    for seq in range(1, count + 1):
        savepoint = transaction.savepoint()
        TAMPERS[tamper](seq)
        single = services.verify_chain(seal_first=False, workers=1)
        assert not single.ok, (tamper, seq)
        for workers in (2, 3):
            spans = services.verify_chain(seal_first=False, workers=workers)
            assert _verdict(spans) == _verdict(single), (tamper, seq, workers)
        transaction.savepoint_rollback(savepoint)


def test_the_anchor_is_found_in_whichever_span_holds_it():
    count = _chain()
    head = AuditHead.objects.get(pk=1)
    middle = AuditEvent.objects.get(seq=count // 2)
    anchor = {
        "chain": head.chain_id,
        "count": middle.seq,
        "last_hash": middle.hash,
        "time": "2026-01-01T00:00:00+00:00",
    }
    assert services.verify_chain(seal_first=False, workers=3, anchors=[anchor]).ok
    forged = dict(anchor, last_hash="a" * 64)
    result = services.verify_chain(seal_first=False, workers=3, anchors=[forged])
    assert not result.ok and "mốc neo" in result.reason


def test_the_time_is_hashed_the_same_from_a_datetime_and_from_the_stored_text():
    for when in (
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 2, 7, 5, 9, 1003, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    ):
        iso = when.astimezone(dt.UTC).isoformat(timespec="microseconds")
        stored = str(when.astimezone(dt.UTC).replace(tzinfo=None))  # what SQLite keeps
        assert services._time_text(when) == services._time_text(stored) == services._time_text(iso) == iso


@pytest.mark.django_db(transaction=True)
def test_worker_processes_verify_a_committed_chain_and_find_an_edit():
    if not services._can_fork():
        pytest.skip("worker processes need a database of their own connection (not SQLite in memory)")
    count = _chain(12)
    assert services.verify_chain(seal_first=False, workers=2).checked == count
    _at(count - 1).update(object_repr="forged")
    result = services.verify_chain(seal_first=False, workers=2)
    assert not result.ok and result.broken_id == _at(count - 1).get().pk
