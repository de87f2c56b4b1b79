"""What a request seals after its commit (issue 10): its own events and later ones, at most
services.REQUEST_SEAL_LIMIT, never a backlog written before it (an import's events are the
worker's and the commands' to seal)."""

import pytest

from canhgiac.audit import services
from canhgiac.audit.models import AuditEvent
from canhgiac.directory.models import Agency

pytestmark = pytest.mark.django_db


def _sealed(events) -> list[bool]:
    seqs = dict(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("pk", "seq"))
    return [seqs[e.pk] is not None for e in events]


def test_after_commit_a_transaction_seals_its_own_events_not_an_earlier_backlog(
    django_capture_on_commit_callbacks,
):
    services.seal()  # the fixtures' events
    with services.sealing_left_to_worker():
        backlog = [services.record("test.backlog", changes={"n": n}) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        mine = [services.record("test.mine"), services.record("test.mine.too")]
    assert _sealed(mine) == [True, True]
    assert _sealed(backlog) == [False, False, False]
    # the worker's (or a command's) sealing links the backlog after them; the chain verifies
    assert services.seal() == 3
    assert _sealed(backlog) == [True, True, True]
    assert services.verify_chain().ok


def test_after_commit_a_transaction_seals_at_most_the_request_limit_in_id_order(
    django_capture_on_commit_callbacks, monkeypatch
):
    agencies = list(Agency.objects.order_by("pk")[:5])
    assert len(agencies) == 5
    services.seal()  # the fixtures' events
    monkeypatch.setattr(services, "REQUEST_SEAL_LIMIT", 3)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.record_many("test.bulk", agencies) == 5
    written = list(AuditEvent.objects.filter(pk__gt=before).order_by("pk"))
    assert [e.seq is not None for e in written] == [True, True, True, False, False]
    assert services.seal() == 2
    assert services.verify_chain().ok
