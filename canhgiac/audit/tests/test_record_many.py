import io

import pytest
from django.core.management import call_command
from django.db import transaction

from canhgiac.audit import services
from canhgiac.audit.models import AuditEvent
from canhgiac.core.context import acting_as
from canhgiac.directory.models import Agency

pytestmark = pytest.mark.django_db


def test_record_many_writes_one_event_per_object_and_the_chain_still_verifies(coordinator_sct):
    agencies = list(Agency.objects.order_by("code")[:3])
    before = AuditEvent.objects.count()
    with acting_as(coordinator_sct, request_id="req-import-1"):
        count = services.record_many("update", agencies, changes=[{"n": i} for i in range(3)])
    assert count == 3
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.object_id for e in events] == [str(a.pk) for a in agencies]
    assert {e.action for e in events} == {"directory.agency.update"}
    assert [e.changes for e in events] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert {e.actor_id for e in events} == {coordinator_sct.pk}
    assert {e.request_id for e in events} == {"req-import-1"}
    out = io.StringIO()
    call_command("audit-verify", stdout=out)
    assert "toàn vẹn" in out.getvalue()


def test_record_many_for_creates_records_the_fields_like_the_signals(officer_qltt):
    agency = Agency.objects.get(code="QLTT")
    services.record_many("create", [agency], actor=officer_qltt, request_id="r2")
    event = AuditEvent.objects.latest("id")
    assert event.action == "directory.agency.create"
    assert event.changes["code"] == {"before": None, "after": "QLTT"}
    assert event.request_id == "r2"
    assert event.actor_label == "officer_qltt"


def test_record_many_is_part_of_the_callers_transaction():
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_many("update", list(Agency.objects.all()[:5]))
        raise RuntimeError("the import failed")
    assert AuditEvent.objects.count() == before
    assert services.record_many("update", []) == 0


def test_record_many_keeps_the_ip_and_non_ascii_changes_and_the_chain_verifies():
    agency = Agency.objects.get(code="QLTT")
    with acting_as(None, ip="2001:db8::1", request_id="req-ip"):
        services.record_many("update", [agency], changes=[{"summary": "Hàng giả — chợ Buôn Ma Thuột"}])
    event = AuditEvent.objects.latest("id")
    assert event.ip == "2001:db8::1"
    assert event.changes == {"summary": "Hàng giả — chợ Buôn Ma Thuột"}
    assert services.verify_chain().ok


def test_created_json_is_the_text_of_the_created_changes_byte_for_byte():
    """The import's fast path (issue 10): `created_json` makes exactly the text `record_many`
    stores for `core.bulk.created_changes`, for every kind of value a row holds."""
    import datetime as dt
    import decimal
    import random

    from canhgiac.cases.models import Case, CaseGoods
    from canhgiac.core import bulk

    rnd = random.Random(389)
    values = [
        "",
        'Cơ sở bán "mỹ phẩm" giả\\ \n\t\u0001 ✓ 😀',
        0,
        -7,
        2**63 - 1,
        True,
        False,
        None,
        1.5,
        decimal.Decimal("12.500"),
        dt.date(2026, 3, 2),
        dt.datetime(2026, 3, 2, 1, 2, 3, 4, tzinfo=dt.UTC),
        [1, "a"],
    ]
    for model in (Case, CaseGoods):
        fields = [attname for attname, _key in bulk.audited_fields(model)] + ["id", "search_folded"]
        for _ in range(200):
            row = {f: rnd.choice(values) for f in fields if rnd.random() < 0.8}
            extra = {"goods": services.json_text({"before": None, "after": [{"b": 1, "a": None}]})}
            if rnd.random() < 0.3:
                extra["summary"] = services.json_text(rnd.choice(values))  # replaces the field
            want = services.json_text(
                bulk.created_changes(model, row) | {k: _parsed(v) for k, v in extra.items()}
            )
            assert services.created_json(model, row, extra) == want
            assert services.created_json(model, row) == services.json_text(bulk.created_changes(model, row))


def _parsed(text):
    import json

    return json.loads(text)
